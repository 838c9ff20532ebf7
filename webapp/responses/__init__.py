"""Responses: customers answering surveys, and staff reading and exporting the answers."""
from flask import Flask

from webapp.responses import models  # noqa: F401  (registers the tables with the metadata)
from webapp.responses.routes import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
