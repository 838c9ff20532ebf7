"""Analysis: labelling free-text answers with valence, nuanced emotions, blockers and complaints."""
from flask import Flask

from webapp.analysis import models  # noqa: F401  (registers the tables with the metadata)
from webapp.analysis.evidence import highlight_evidence, is_company_blocker, label_name, label_tone


def init_app(app: Flask) -> None:
    from webapp.analysis.cli import analysis_cli  # here so that importing the package loads no model

    app.cli.add_command(analysis_cli)
    for helper in (highlight_evidence, label_name, label_tone, is_company_blocker):
        app.add_template_global(helper)
