"""Responses: customers answering surveys, and staff reading and exporting the answers."""
from flask import Flask

from webapp.responses import models  # noqa: F401  (registers the tables with the metadata)


def init_app(app: Flask) -> None:
    from webapp.responses.routes import bp  # imported here so that importing the models never loads views

    app.register_blueprint(bp)
