"""Forms for inviting customers one by one or from a CSV file."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import Email, Length, Optional

from webapp.invitations.services import MAX_LENGTHS, survey_languages
from webapp.surveys.forms import optional_id
from webapp.surveys.models import Survey


def optional_text(value) -> str | None:
    """Coerce a select's value to a code; the empty choice means none."""
    return value or None


class InvitationForm(FlaskForm):
    external_id = StringField(_l("External id"), validators=[Optional(), Length(max=MAX_LENGTHS["external_id"])])
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(), Length(max=MAX_LENGTHS["email"])])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=MAX_LENGTHS["name"])])
    language = SelectField(_l("Language"), coerce=optional_text)
    order_id = StringField(_l("Order id (optional)"), validators=[Optional(), Length(max=MAX_LENGTHS["order_id"])])
    persona = SelectField(_l("Persona (optional)"), coerce=optional_id)

    def __init__(self, survey: Survey, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = current_app.config["LANGUAGES"]
        self.language.choices = [SelectChoice("", _l("Browser's choice"))] + [
            SelectChoice(code, names.get(code, code)) for code in survey_languages(survey)
        ]
        self.persona.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(str(persona.id), persona.name) for persona in survey.journey_map.personas
        ]


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV file of customers"),
        validators=[FileRequired(_l("Choose a CSV file to upload.")),
                    FileAllowed(["csv", "txt"], _l("Upload a .csv file."))],
        render_kw={"accept": ".csv,text/csv,.txt"},
    )
