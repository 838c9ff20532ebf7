"""The customer's survey form, built from a frozen survey version in one language."""
import re
import uuid
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, RadioField, SelectChoice, SelectMultipleField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from webapp.labels import EMOTIONS
from webapp.surveys.models import RATING_SCALES, QuestionKind, SurveyVersion

# Words at both ends of each rating scale, lowest score first.
SCALE_ENDS = {
    QuestionKind.CSAT: (_l("Very dissatisfied"), _l("Very satisfied")),
    QuestionKind.NPS: (_l("Not likely at all"), _l("Very likely")),
    QuestionKind.CES: (_l("Very difficult"), _l("Very easy")),
}
SUBMISSION_KEY_PATTERN = re.compile(r"^[0-9a-f]{32}$")
# Frozen versions never change, so their form classes are built once; see survey_form_class.
_FORM_CLASSES: dict[tuple, type["SurveyForm"]] = {}
_MAX_CACHED_FORM_CLASSES = 512


@dataclass(frozen=True)
class QuestionView:
    """What a page needs to show one question in one language."""

    id: int
    kind: QuestionKind
    prompt: str
    help: str
    required: bool

    @property
    def field_name(self) -> str:
        return f"q{self.id}"

    @property
    def scale_ends(self) -> tuple | None:
        return SCALE_ENDS.get(self.kind)

    @property
    def is_rating(self) -> bool:
        return self.kind in RATING_SCALES

    @property
    def is_multiple(self) -> bool:
        return self.kind in (QuestionKind.MULTIPLE_CHOICE, QuestionKind.EMOTION)


class AllowedValues:
    """Accept only values the page offered (a hand-made POST may send anything)."""

    def __init__(self, values):
        self.values = frozenset(values)

    def __call__(self, form, field: Field) -> None:
        chosen = field.data if isinstance(field.data, list) else [field.data]
        if any(value not in self.values for value in chosen):
            raise ValidationError(_("Please choose from the options shown."))


def _strip_text(value: str | None) -> str | None:
    """Trim an answer and count a line break as one character, as the browser's maxlength does."""
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


class SurveyForm(FlaskForm):
    """Base of every generated survey form; subclasses add one field per question."""

    # A label of its own: without one WTForms would load its translations to title-case the field name.
    submission_key = HiddenField("", validators=[Regexp(
        SUBMISSION_KEY_PATTERN, message=_l("This form is out of date. Please reload the page and answer again.")
    )])
    questions: tuple[QuestionView, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_submitted():
            # Identifies this rendering of the form: a second submit of it stores nothing new.
            self.submission_key.data = uuid.uuid4().hex

    def answers(self) -> dict[int, object]:
        """Answered questions by id: text, an int for ratings, a value or list of values for choices."""
        answered: dict[int, object] = {}
        for question in self.questions:
            data = self[question.field_name].data
            if data in (None, "", []):
                continue
            if question.is_rating:
                answered[question.id] = int(data)
            elif question.is_multiple:
                answered[question.id] = list(dict.fromkeys(data))
            else:
                answered[question.id] = data
        return answered

    def question_errors(self) -> list[tuple[QuestionView, list[str]]]:
        """Each question with errors, in page order, for the summary at the top."""
        return [(q, self[q.field_name].errors) for q in self.questions if self[q.field_name].errors]


def _presence(required: bool):
    return DataRequired(message=_l("Please answer this question.")) if required else Optional()


def _question_field(question, language: str) -> Field:
    """The form field that asks one question."""
    prompt = question.text("prompt", language)
    presence = _presence(question.required)
    if question.kind == QuestionKind.TEXT:
        return TextAreaField(
            prompt,
            filters=[_strip_text],
            validators=[
                presence,
                Length(max=question.max_length, message=_l("Please keep your answer within %(max)d characters.")),
            ],
            render_kw={"maxlength": question.max_length, "rows": 4},
        )
    if question.kind in RATING_SCALES:
        low, high = RATING_SCALES[question.kind]
        choices = [SelectChoice(str(score), str(score)) for score in range(low, high + 1)]
        return RadioField(prompt, choices=choices, validate_choice=False,
                          validators=[presence, AllowedValues(c.value for c in choices)])
    if question.kind == QuestionKind.EMOTION:
        choices = [SelectChoice(emotion, name) for emotion, name in EMOTIONS.items()]
    else:
        choices = [SelectChoice(o["value"], question.option_label(o["value"], language)) for o in question.options]
    validators = [presence, AllowedValues(c.value for c in choices)]
    if question.kind == QuestionKind.SINGLE_CHOICE:
        return RadioField(prompt, choices=choices, validate_choice=False, validators=validators)
    return SelectMultipleField(prompt, choices=choices, validate_choice=False, validators=validators,
                               widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())


def _build_form_class(version: SurveyVersion, language: str) -> type[SurveyForm]:
    fields: dict[str, object] = {}
    views = []
    for question in version.questions:
        view = QuestionView(
            id=question.id,
            kind=QuestionKind(question.kind),
            prompt=question.text("prompt", language),
            help=question.text("help", language),
            required=question.required,
        )
        views.append(view)
        fields[view.field_name] = _question_field(question, language)
    fields["questions"] = tuple(views)
    return type(f"SurveyVersion{version.id}Form", (SurveyForm,), fields)


def survey_form_class(version: SurveyVersion, language: str) -> type[SurveyForm]:
    """The form class for this version in this language, built once per frozen version."""
    if not version.is_frozen:
        return _build_form_class(version, language)
    # The publish time is part of the key because a deleted version's id can come back (SQLite).
    key = (version.id, version.published_at, language)
    form_class = _FORM_CLASSES.get(key)
    if form_class is None:
        if len(_FORM_CLASSES) >= _MAX_CACHED_FORM_CLASSES:
            _FORM_CLASSES.clear()
        form_class = _FORM_CLASSES[key] = _build_form_class(version, language)
    return form_class
