"""Configuration: instance folder, secret key, database URL, security settings."""
import stat

from webapp import create_app
from webapp.config import database_url, instance_secret_key


def test_secret_key_is_generated_once_and_kept_private(tmp_path):
    key = instance_secret_key(tmp_path)
    assert (tmp_path / "secret_key").read_text() == key
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert instance_secret_key(tmp_path) == key


def test_default_database_is_sqlite_in_instance_folder(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SECRET_KEY", "from the environment")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{app.instance_path}/webapp.sqlite3"


def test_database_url_from_environment_uses_psycopg(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://user@db.internal:5432/journeys")
    monkeypatch.setenv("SECRET_KEY", "from the environment")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://user@db.internal:5432/journeys"


def test_plain_urls_are_kept():
    assert database_url("sqlite:////tmp/x.sqlite3") == "sqlite:////tmp/x.sqlite3"


def test_session_cookie_is_http_only_and_same_site(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_form_without_csrf_token_is_refused_with_clear_page(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post("/sign-in", data={"email": "a@example.com", "password": "whatever"})
    assert response.status_code == 400
    assert "Form expired" in response.get_data(as_text=True)


def test_oversized_body_is_refused_with_413(app, client):
    response = client.post("/sign-in", data={"email": "a" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_translated_messages_work_outside_requests(app_context):
    from flask_babel import gettext

    assert gettext("Not found") == "Not found"


def test_behind_a_proxy_the_client_address_comes_from_x_forwarded_for(app):
    proxied = create_app({**{k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY")}, "PROXY_COUNT": 1})
    seen = {}

    @proxied.route("/whoami")
    def whoami():
        from flask import request

        seen["address"] = request.remote_addr
        return ""

    proxied.test_client().get("/whoami", headers={"X-Forwarded-For": "203.0.113.7"},
                              environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert seen["address"] == "203.0.113.7"
