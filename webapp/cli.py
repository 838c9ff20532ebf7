"""Commands that belong to no single feature."""
from flask import Flask

from webapp.demo import demo_cli


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_cli)
