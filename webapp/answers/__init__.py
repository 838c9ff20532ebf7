"""Answers: staff read, filter and export what customers said."""
from flask import Flask

from webapp.answers.routes import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
