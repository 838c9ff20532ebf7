"""Forms for building surveys. Text fields exist once per survey language, so those forms are built per survey."""
from collections.abc import Sequence

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from webapp.maps.models import JourneyMap
from webapp.surveys.models import QuestionKind
from webapp.surveys.services import CHOICE_KINDS, DEFAULT_ANSWER_LENGTH, MAX_ANSWER_LENGTH, MAX_OPTIONS

KIND_NAMES = {
    QuestionKind.TEXT: _l("Free text"),
    QuestionKind.CSAT: _l("Satisfaction (CSAT 1–5)"),
    QuestionKind.NPS: _l("Recommendation (NPS 0–10)"),
    QuestionKind.CES: _l("Effort (CES 1–7)"),
    QuestionKind.SINGLE_CHOICE: _l("Single choice"),
    QuestionKind.MULTIPLE_CHOICE: _l("Multiple choice"),
    QuestionKind.EMOTION: _l("Emotion picker"),
}


def language_choices() -> list[SelectChoice]:
    return [SelectChoice(code, name) for code, name in current_app.config["LANGUAGES"].items()]


def optional_id(value) -> int | None:
    """Coerce a select's value to an id; the empty choice means none."""
    return int(value) if value not in (None, "", "None") else None


class CheckboxListField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SurveySettingsForm(FlaskForm):
    name = StringField(_l("Internal name"), validators=[DataRequired(), Length(max=200)])
    languages = CheckboxListField(
        _l("Languages"), validators=[DataRequired(message=_l("Choose at least one language."))]
    )
    default_language = SelectField(_l("Default language"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages.choices = language_choices()
        self.default_language.choices = language_choices()

    def validate_default_language(self, field):
        if field.data not in (self.languages.data or []):
            raise ValidationError(_("The default language must be one of the survey's languages."))


class NewSurveyForm(SurveySettingsForm):
    journey_map = SelectField(_l("Journey map"), coerce=optional_id)

    def __init__(self, journey_maps: Sequence[JourneyMap], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.journey_map.choices = [SelectChoice(str(m.id), m.name) for m in journey_maps]


def survey_texts_form(languages: Sequence[str], **kwargs) -> FlaskForm:
    """The survey's title, intro and thank-you message, one set of fields per language."""

    class SurveyTextsForm(FlaskForm):
        pass

    for code in languages:
        setattr(SurveyTextsForm, f"title_{code}", StringField(_l("Title"), validators=[Length(max=200)]))
        setattr(SurveyTextsForm, f"intro_{code}", TextAreaField(_l("Introduction"), validators=[Length(max=2000)]))
        setattr(SurveyTextsForm, f"thanks_{code}",
                TextAreaField(_l("Thank-you message"), validators=[Length(max=2000)]))
    return SurveyTextsForm(**kwargs)


def texts_from_form(form: FlaskForm, languages: Sequence[str], fields: Sequence[str]) -> dict:
    """{language: {field: value}} from fields named like `title_pl`."""
    return {code: {name: form[f"{name}_{code}"].data for name in fields} for code in languages}


def form_data_from_texts(texts: dict, languages: Sequence[str], fields: Sequence[str]) -> dict:
    """The reverse of texts_from_form: initial data for fields named like `title_pl`."""
    return {f"{name}_{code}": (texts.get(code) or {}).get(name, "") for code in languages for name in fields}


def option_lines(text: str | None) -> list[str]:
    """One option per non-empty line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class QuestionFormBase(FlaskForm):
    kind = SelectField(_l("Kind of question"),
                       choices=[SelectChoice(kind.value, label) for kind, label in KIND_NAMES.items()])
    stage = SelectField(_l("Stage"), coerce=optional_id, validators=[DataRequired(_l("Choose a stage."))])
    touchpoint = SelectField(_l("Touchpoint (optional)"), coerce=optional_id)
    required = BooleanField(_l("An answer is required"))
    max_length = IntegerField(
        _l("Longest answer allowed (characters)"),
        default=DEFAULT_ANSWER_LENGTH,
        validators=[Optional(), NumberRange(min=1, max=MAX_ANSWER_LENGTH)],
    )

    # Set by question_form: the survey's languages, default first.
    languages: Sequence[str] = ()

    def set_map(self, journey_map: JourneyMap) -> None:
        """Offer this map's stages, and its touchpoints grouped by stage."""
        self.stage.choices = [SelectChoice(str(stage.id), stage.name) for stage in journey_map.stages]
        self.touchpoint.choices = [SelectChoice("", _("None"))] + [
            SelectChoice(str(touchpoint.id), touchpoint.name, optgroup=stage.name)
            for stage in journey_map.stages
            for touchpoint in stage.touchpoints
        ]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.kind.data in CHOICE_KINDS:
            valid = self._validate_option_lines() and valid
        return valid

    def _validate_option_lines(self) -> bool:
        """Lines of each language are matched by position, so every filled-in language needs as many lines."""
        default_field = self[f"options_{self.languages[0]}"]
        expected = len(option_lines(default_field.data))
        if expected > MAX_OPTIONS:
            default_field.errors.append(_("At most %(max)d options, one per line.", max=MAX_OPTIONS))
            return False
        valid = True
        for code in self.languages[1:]:
            field = self[f"options_{code}"]
            count = len(option_lines(field.data))
            if count and count != expected:
                field.errors.append(
                    _("%(count)d lines here but %(expected)d in the default language; "
                      "put one translation on each line, in the same order.", count=count, expected=expected)
                )
                valid = False
        return valid

    def option_labels(self) -> list[dict[str, str]]:
        """One {language: label} per option, lines matched by position."""
        lines = {code: option_lines(self[f"options_{code}"].data) for code in self.languages}
        count = len(lines[self.languages[0]])
        return [{code: lines[code][i] for code in self.languages if i < len(lines[code])} for i in range(count)]


def question_form(languages: Sequence[str], default_language: str, journey_map: JourneyMap, **kwargs):
    """A question form with a prompt, help text and options field for each survey language."""
    ordered = [default_language] + [code for code in languages if code != default_language]

    class QuestionForm(QuestionFormBase):
        pass

    QuestionForm.languages = ordered
    for code in ordered:
        setattr(QuestionForm, f"prompt_{code}", StringField(_l("Question"), validators=[Length(max=500)]))
        setattr(QuestionForm, f"help_{code}", StringField(_l("Help text (optional)"), validators=[Length(max=500)]))
        setattr(QuestionForm, f"options_{code}", TextAreaField(_l("Options, one per line"),
                                                              validators=[Length(max=MAX_OPTIONS * 200)]))
    form = QuestionForm(**kwargs)
    form.set_map(journey_map)
    return form


def question_form_data(question) -> dict:
    """Initial data of the question form for an existing question."""
    data = {
        "kind": question.kind.value,
        "stage": question.stage_id,
        "touchpoint": question.touchpoint_id,
        "required": question.required,
        "max_length": question.max_length,
    }
    data.update(form_data_from_texts(question.texts, question.version.languages, ("prompt", "help")))
    for code in question.version.languages:
        data[f"options_{code}"] = "\n".join(option["labels"].get(code, "") for option in question.options)
    return data
