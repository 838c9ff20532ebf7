"""The filter form above a survey's answers."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField

from webapp.answers.services import answer_languages
from webapp.surveys.models import Survey


class AnswerFilterForm(FlaskForm):
    """Filters read from the query string; the service checks the values, so unknown ones get its message."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    stage = SelectField(_l("Stage"), validate_choice=False)
    language = SelectField(_l("Language"), validate_choice=False)

    def __init__(self, survey: Survey, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = current_app.config["LANGUAGES"]
        self.stage.choices = [SelectChoice("", _l("All stages"))] + [
            SelectChoice(str(stage.id), stage.name) for stage in survey.journey_map.stages
        ]
        self.language.choices = [SelectChoice("", _l("All languages"))] + [
            SelectChoice(code, names.get(code, code)) for code in answer_languages(survey)
        ]
