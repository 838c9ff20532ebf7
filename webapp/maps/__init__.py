"""Journey maps: stages, touchpoints and personas; later, the figures drawn from answers."""
from flask import Flask

from webapp.maps import models  # noqa: F401  (registers the tables with the metadata)
from webapp.maps.routes import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
