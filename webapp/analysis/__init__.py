"""Analysis: labelling free-text answers with valence, nuanced emotions, blockers and complaints."""
from flask import Flask


def init_app(app: Flask) -> None:
    from webapp.analysis.cli import analysis_cli  # here so that importing the package loads no model

    app.cli.add_command(analysis_cli)
