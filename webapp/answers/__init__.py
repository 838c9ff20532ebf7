"""Answers: staff read, filter and export what customers said."""
from flask import Flask


def init_app(app: Flask) -> None:
    from webapp.answers.routes import bp  # imported here so that importing the models never loads views

    app.register_blueprint(bp)
