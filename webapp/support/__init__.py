"""Support: the complaint queue staff work, their human labels, and the API help-desk systems post to."""
from flask import Flask

from webapp.support import models  # noqa: F401  (registers the tables with the metadata)


def init_app(app: Flask) -> None:
    from webapp.support.api import (
        api_bp,  # imported here so that importing the models never loads views
    )
    from webapp.support.cli import support_cli
    from webapp.support.routes import bp

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    app.cli.add_command(support_cli)
