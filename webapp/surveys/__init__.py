"""Survey building, translation and publishing of frozen versions."""
from flask import Flask

from webapp.surveys import models  # noqa: F401  (registers the tables with the metadata)


def init_app(app: Flask) -> None:
    from webapp.surveys.routes import bp  # imported here so that importing the models never loads views

    app.register_blueprint(bp)
