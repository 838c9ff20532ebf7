"""Survey and feedback system that feeds customer journey maps."""
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from webapp import (
    analysis, answers, auth, cli, errors, i18n, invitations, maps, responses, support, surveys, transactions,
)
from webapp.config import load_config
from webapp.extensions import csrf, db, limiter, migrate

MIGRATIONS_DIRECTORY = str(Path(__file__).resolve().parent.parent / "migrations")


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: config, extensions, blueprints, error pages, commands."""
    app = Flask(__name__, instance_relative_config=True)
    load_config(app, test_config)
    if app.config["PROXY_COUNT"]:
        hops = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    db.init_app(app)
    # Batch mode lets later migrations alter SQLite tables, which cannot ALTER columns in place.
    migrate.init_app(app, db, directory=MIGRATIONS_DIRECTORY, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    auth.init_app(app)

    maps.init_app(app)
    surveys.init_app(app)
    invitations.init_app(app)
    responses.init_app(app)
    answers.init_app(app)
    analysis.init_app(app)
    support.init_app(app)

    transactions.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    return app
