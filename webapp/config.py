"""Default settings. No secrets here: instance/config.py and the environment override these per deployment."""
import os
import secrets
from pathlib import Path

from flask import Flask

LANGUAGES = {"en": "English", "pl": "Polski", "ro": "Română"}


class DefaultConfig:
    # SQLALCHEMY_DATABASE_URI defaults to SQLite in the instance folder; see load_config.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Deployments behind HTTPS set these True in instance/config.py (the README says so).
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    WTF_CSRF_TIME_LIMIT = None  # a customer may keep a survey open for hours before submitting
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024  # request bodies and CSV uploads
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = "translations"
    LANGUAGES = LANGUAGES
    # memory:// is per process; several processes share limits through redis://host:6379.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    OPEN_LINK_RATE_LIMIT = "20 per hour"
    # Reverse proxies in front of the app (nginx, a load balancer): their X-Forwarded-* headers
    # are trusted, so rate limits key on the customer's address, not the proxy's.
    PROXY_COUNT = 0
    ANSWERS_PER_PAGE = 50
    # `flask jobs run`: label answers in batches every few seconds; a batch whose worker died is taken
    # over when its lease ends; each run stops after LABEL_RUN_SECONDS so runs never overlap.
    LABEL_BATCH_SIZE = 200
    LABEL_LEASE_SECONDS = 120
    LABEL_INTERVAL_SECONDS = 5
    LABEL_RUN_SECONDS = 4
    # `flask jobs run`: fold new answers and labels into the map figures, a batch per transaction.
    MAP_FOLD_BATCH_SIZE = 1000
    MAP_FOLD_INTERVAL_SECONDS = 5
    MAP_FOLD_RUN_SECONDS = 4
    # Support queue: labelled answers at or below this valence (or complaints, or blocked) are queued.
    SUPPORT_NEGATIVE_VALENCE = -0.3
    SUPPORT_ENQUEUE_BATCH_SIZE = 500
    SUPPORT_ENQUEUE_INTERVAL_SECONDS = 15
    SUPPORT_MAX_TEXT_LENGTH = 5000  # characters of a complaint's text
    SUPPORT_ITEMS_PER_PAGE = 50
    SUPPORT_IMPORT_MAX_ROWS = 5000  # complaints in one CSV upload
    # Retraining the classifier from staff labels: how often the job looks for new labels, and how many
    # it needs before it retrains at all.
    SUPPORT_RETRAIN_INTERVAL_SECONDS = 3600
    SUPPORT_RETRAIN_MIN_LABELS = 5


# Environment variables read when the app is created, never at import time.
ENVIRONMENT_SETTINGS = {
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "SECRET_KEY": "SECRET_KEY",
    "RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
    "PROXY_COUNT": "PROXY_COUNT",
}


def database_url(url: str) -> str:
    """Point plain postgres:// URLs at the psycopg 3 driver that the project installs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load_config(app: Flask, test_config: dict | None) -> None:
    """Fill app.config from defaults, instance/config.py, the environment and test overrides, in that order."""
    app.config.from_object(DefaultConfig)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        for variable, setting in ENVIRONMENT_SETTINGS.items():
            if os.environ.get(variable):
                app.config[setting] = os.environ[variable]
    else:
        app.config.from_mapping(test_config)
    app.config.setdefault(
        "SQLALCHEMY_DATABASE_URI", "sqlite:///" + str(Path(app.instance_path) / "webapp.sqlite3")
    )
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config["PROXY_COUNT"] = int(app.config["PROXY_COUNT"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))


def instance_secret_key(instance_path: Path) -> str:
    """Read the secret key kept in the instance folder, creating it on first run."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        draft = instance_path / f".secret_key.{os.getpid()}"
        draft.write_text(secrets.token_hex(32))
        draft.chmod(0o600)
        # A hard link appears whole or not at all: two processes starting together agree on one key.
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return key_file.read_text().strip()
