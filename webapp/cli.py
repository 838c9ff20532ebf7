"""Commands that belong to no single feature."""
from flask import Flask

from webapp.demo import demo_cli
from webapp.jobs import jobs_cli


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_cli)
    app.cli.add_command(jobs_cli)
