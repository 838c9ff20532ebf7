"""Survey building, translation and publishing of frozen versions."""
from flask import Flask

from webapp.surveys import models  # noqa: F401  (registers the tables with the metadata)
from webapp.surveys.routes import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
