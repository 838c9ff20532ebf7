"""Journey maps: stages, touchpoints and personas; later, the figures drawn from answers."""
from flask import Flask

from webapp.maps import models  # noqa: F401  (registers the tables with the metadata)


def init_app(app: Flask) -> None:
    # Imported here, not at the top: every feature imports webapp.maps.models, and the map views
    # read those features' tables (questions, answers, invitations) to refuse unsafe removals.
    from webapp.maps.routes import bp

    app.register_blueprint(bp)
