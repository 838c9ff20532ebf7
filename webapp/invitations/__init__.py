"""Invitations: personal single-use survey links, one by one or from a CSV of customers."""
from flask import Flask

from webapp.invitations import models  # noqa: F401  (registers the tables with the metadata)


def init_app(app: Flask) -> None:
    from webapp.invitations.routes import bp  # imported here so that importing the models never loads views

    app.register_blueprint(bp)
