"""Journey maps: stages, touchpoints and personas; later, the figures drawn from answers."""
from flask import Flask

from webapp.maps import models  # noqa: F401  (registers the tables with the metadata)
from webapp.maps import sharing  # noqa: F401  (registers the share link table)


def init_app(app: Flask) -> None:
    # Imported here so that importing the models never loads views: every feature imports
    # webapp.maps.models, and the map views read those features' tables.
    from webapp.maps.routes import bp

    app.register_blueprint(bp)
