"""Building surveys: drafts, questions, publishing frozen versions, closing, and the open link.

Every change to a survey's content goes through a draft version. A published version is frozen:
answers point at it forever, so every function here that changes a version refuses a frozen one.
"""
import copy
import re
import secrets
import unicodedata
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from webapp.auth.models import User
from webapp.database import utcnow
from webapp.extensions import db
from webapp.maps.models import JourneyMap, Stage, Touchpoint
from webapp.surveys.models import Question, QuestionKind, Survey, SurveyVersion

SURVEY_TEXT_FIELDS = ("title", "intro", "thanks")
QUESTION_TEXT_FIELDS = ("prompt", "help")
CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})
MIN_OPTIONS, MAX_OPTIONS = 2, 20
MAX_ANSWER_LENGTH, DEFAULT_ANSWER_LENGTH = 5000, 2000
OPTION_VALUE_LENGTH = 40


class SurveyError(ValueError):
    """A survey cannot be changed as asked; the message says why, in words a marketer understands.

    `field` names the form field the problem belongs to, where there is one.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class PublishError(SurveyError):
    """The draft is not ready to publish; `problems` lists every reason."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


def supported_languages() -> list[str]:
    """The language codes the product offers surveys in."""
    return list(current_app.config["LANGUAGES"])


def _checked_languages(languages: Sequence[str], default_language: str) -> list[str]:
    """The chosen languages in the interface's order, after checking them."""
    supported = supported_languages()
    unknown = sorted(set(languages) - set(supported))
    if unknown:
        raise SurveyError(_("Unsupported language: %(codes)s.", codes=", ".join(unknown)), field="languages")
    if not languages:
        raise SurveyError(_("Choose at least one language."), field="languages")
    if default_language not in languages:
        raise SurveyError(
            _("The default language must be one of the survey's languages."), field="default_language"
        )
    return [code for code in supported if code in languages]


def _refuse_if_frozen(version: SurveyVersion) -> None:
    """Refuse any change to a published version: answers point at it and must keep their meaning."""
    if version.is_frozen:
        raise SurveyError(
            _("Version %(number)d is published and can no longer be changed. Start a new draft to edit it.",
              number=version.number)
        )


def _require_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise SurveyError(_("Give the survey a name."), field="name")
    return name


def create_survey(name: str, journey_map: JourneyMap, languages: Sequence[str], default_language: str) -> Survey:
    """A new survey about this map, with an empty draft version 1."""
    languages = _checked_languages(languages, default_language)
    survey = Survey(name=_require_name(name), journey_map=journey_map)
    survey.versions.append(
        SurveyVersion(number=1, languages=languages, default_language=default_language, texts={})
    )
    db.session.add(survey)
    db.session.flush()
    return survey


def draft_of(survey: Survey) -> SurveyVersion:
    """The survey's draft version, or a SurveyError saying there is none."""
    draft = survey.draft_version
    if draft is None:
        raise SurveyError(_("This survey has no draft. Start a new draft to edit it."))
    return draft


def update_draft_settings(survey: Survey, name: str, languages: Sequence[str], default_language: str) -> None:
    """Rename the survey and set its draft's languages.

    Texts of a language taken off stay in the draft until it is published, so ticking the
    language again brings them back.
    """
    draft = draft_of(survey)
    languages = _checked_languages(languages, default_language)
    survey.name = _require_name(name)
    draft.languages = languages
    draft.default_language = default_language
    db.session.flush()


def _clean_texts(
    texts: Mapping[str, Mapping[str, str | None]], languages: Sequence[str], fields: Sequence[str]
) -> dict:
    """Texts keyed by language, stripped, limited to these languages and fields."""
    unknown = sorted(set(texts) - set(languages))
    if unknown:
        raise SurveyError(_("The survey is not in these languages: %(codes)s.", codes=", ".join(unknown)))
    return {
        language: {field: (texts[language].get(field) or "").strip() for field in fields}
        for language in languages
        if language in texts
    }


def update_survey_texts(version: SurveyVersion, texts: Mapping[str, Mapping[str, str | None]]) -> None:
    """Set the draft's title, intro and thank-you message per language."""
    _refuse_if_frozen(version)
    cleaned = _clean_texts(texts, version.languages, SURVEY_TEXT_FIELDS)
    # A new dict, not an in-place edit: plain JSON columns only notice reassignment.
    version.texts = {**version.texts, **cleaned}
    db.session.flush()


def option_value(label: str) -> str:
    """A stable, readable value for an option, derived from its default-language label."""
    label = label.replace("ł", "l").replace("Ł", "L")
    ascii_label = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_label.lower()).strip("_")[:OPTION_VALUE_LENGTH]


def _build_options(labels: Sequence[Mapping[str, str]], default_language: str, languages: Sequence[str]) -> list:
    """Choice options from their labels per language, each with a unique value."""
    if not MIN_OPTIONS <= len(labels) <= MAX_OPTIONS:
        raise SurveyError(
            _("A choice question needs %(min)d to %(max)d options; this one has %(count)d.",
              min=MIN_OPTIONS, max=MAX_OPTIONS, count=len(labels)),
            field=f"options_{default_language}",
        )
    options, seen = [], {}
    for position, option_labels in enumerate(labels, start=1):
        cleaned = {lang: option_labels[lang].strip() for lang in languages if (option_labels.get(lang) or "").strip()}
        if default_language not in cleaned:
            raise SurveyError(
                _("Option %(number)d has no label in the default language.", number=position),
                field=f"options_{default_language}",
            )
        value = option_value(cleaned[default_language]) or f"option_{position}"
        if value in seen:
            raise SurveyError(
                _("Options “%(first)s” and “%(second)s” are too much alike; give each option its own label.",
                  first=seen[value], second=cleaned[default_language]),
                field=f"options_{default_language}",
            )
        seen[value] = cleaned[default_language]
        options.append({"value": value, "labels": cleaned})
    return options


@dataclass(frozen=True)
class QuestionSettings:
    """What a marketer sets on a question.

    `texts` is {language: {"prompt": ..., "help": ...}}; `options`, for choice questions, is one
    {language: label} per option, in order.
    """

    kind: QuestionKind | str
    stage: Stage
    texts: Mapping[str, Mapping[str, str | None]]
    touchpoint: Touchpoint | None = None
    required: bool = False
    options: Sequence[Mapping[str, str]] = ()
    max_length: int | None = None


def _apply_question(question: Question, version: SurveyVersion, settings: QuestionSettings) -> None:
    """Check a question's settings against its survey and store them on it."""
    try:
        kind = QuestionKind(settings.kind)
    except ValueError:
        raise SurveyError(_("Unknown question kind."), field="kind") from None
    stage, touchpoint = settings.stage, settings.touchpoint
    if stage.map_id != version.survey.map_id:
        raise SurveyError(_("Choose a stage of this survey's journey map."), field="stage")
    if touchpoint is not None and touchpoint.stage_id != stage.id:
        raise SurveyError(
            _("Touchpoint “%(touchpoint)s” is not part of stage “%(stage)s”.",
              touchpoint=touchpoint.name, stage=stage.name),
            field="touchpoint",
        )
    max_length = DEFAULT_ANSWER_LENGTH if settings.max_length is None else settings.max_length
    if kind == QuestionKind.TEXT and not 1 <= max_length <= MAX_ANSWER_LENGTH:
        raise SurveyError(
            _("The maximum answer length must be between 1 and %(max)d characters.", max=MAX_ANSWER_LENGTH),
            field="max_length",
        )
    question.kind = kind
    question.stage = stage
    question.touchpoint = touchpoint
    question.required = settings.required
    texts = _clean_texts(settings.texts, version.languages, QUESTION_TEXT_FIELDS)
    question.texts = {**(question.texts or {}), **texts}
    question.options = (
        _build_options(settings.options, version.default_language, version.languages)
        if kind in CHOICE_KINDS else []
    )
    question.max_length = max_length if kind == QuestionKind.TEXT else DEFAULT_ANSWER_LENGTH


def add_question(version: SurveyVersion, settings: QuestionSettings) -> Question:
    """Append a question to the draft."""
    _refuse_if_frozen(version)
    question = Question(key=str(uuid.uuid4()), position=len(version.questions))
    _apply_question(question, version, settings)
    version.questions.append(question)
    db.session.flush()
    return question


def update_question(question: Question, settings: QuestionSettings) -> None:
    """Change a draft question; its key stays, so its answers still line up with earlier versions.

    A question given another kind asks something else: where it was published, it gets a new key, so
    that its new answers are never mixed with the old ones.
    """
    _refuse_if_frozen(question.version)
    kind_before = question.kind
    _apply_question(question, question.version, settings)
    if question.kind != kind_before and _was_published(question.key):
        question.key = str(uuid.uuid4())
    db.session.flush()


def _was_published(key: str) -> bool:
    published = (
        select(Question.id)
        .join(SurveyVersion, Question.version_id == SurveyVersion.id)
        .where(Question.key == key, SurveyVersion.published_at.is_not(None))
    )
    return db.session.scalar(published.limit(1)) is not None


def _renumber(version: SurveyVersion, ordered: list[Question]) -> None:
    for position, question in enumerate(ordered):
        question.position = position
    version.questions.sort(key=lambda question: question.position)


def move_question(question: Question, offset: int) -> None:
    """Move a draft question up (negative offset) or down; it stops at either end."""
    version = question.version
    _refuse_if_frozen(version)
    ordered = sorted(version.questions, key=lambda q: q.position)
    current = ordered.index(question)
    target = max(0, min(len(ordered) - 1, current + offset))
    ordered.insert(target, ordered.pop(current))
    _renumber(version, ordered)
    db.session.flush()


def remove_question(question: Question) -> None:
    """Take a question out of the draft."""
    version = question.version
    _refuse_if_frozen(version)
    version.questions.remove(question)
    _renumber(version, sorted(version.questions, key=lambda q: q.position))
    db.session.flush()


def publishing_problems(version: SurveyVersion) -> list[str]:
    """Everything that stops this draft from being published; empty when it is ready."""
    names = current_app.config["LANGUAGES"]
    problems = []
    for language in version.languages:
        if not (version.texts.get(language) or {}).get("title"):
            problems.append(_("The survey has no title in %(language)s.", language=names[language]))
    if not version.questions:
        problems.append(_("Add at least one question."))
    for question in version.questions:
        number = question.position + 1
        for language in version.languages:
            if not (question.texts.get(language) or {}).get("prompt"):
                problems.append(_("Question %(number)d has no prompt in %(language)s.",
                                  number=number, language=names[language]))
        if question.kind in CHOICE_KINDS:
            if len(question.options) < MIN_OPTIONS:
                problems.append(_("Question %(number)d needs at least %(min)d options.",
                                  number=number, min=MIN_OPTIONS))
            for language in version.languages:
                if any(not option["labels"].get(language) for option in question.options):
                    problems.append(_("Question %(number)d has options without a label in %(language)s.",
                                      number=number, language=names[language]))
    return problems


def publish_draft(survey: Survey, user: User) -> SurveyVersion:
    """Freeze the draft and make it the version customers answer."""
    draft = draft_of(survey)
    problems = publishing_problems(draft)
    if problems:
        raise PublishError(problems)
    # Texts of languages taken off the draft do not belong in the frozen version.
    draft.texts = {language: dict(draft.texts[language]) for language in draft.languages if language in draft.texts}
    for question in draft.questions:
        question.texts = {language: dict(question.texts[language])
                          for language in draft.languages if language in question.texts}
    draft.published_at = utcnow()
    draft.published_by_id = user.id
    db.session.flush()
    return draft


def start_new_draft(survey: Survey) -> SurveyVersion:
    """A new draft copying the live version's texts, languages and questions (keeping their keys)."""
    if survey.draft_version is not None:
        raise SurveyError(_("This survey already has a draft: version %(number)d.",
                            number=survey.draft_version.number))
    live = survey.live_version
    if live is None:
        raise SurveyError(_("This survey has no published version to start from."))
    draft = SurveyVersion(
        number=max(version.number for version in survey.versions) + 1,
        default_language=live.default_language,
        languages=list(live.languages),
        texts=copy.deepcopy(live.texts),
    )
    # Deep copies: the draft must share no JSON value with the frozen version.
    draft.questions = [
        Question(
            key=question.key,
            position=question.position,
            kind=question.kind,
            stage_id=question.stage_id,
            touchpoint_id=question.touchpoint_id,
            required=question.required,
            texts=copy.deepcopy(question.texts),
            options=copy.deepcopy(question.options),
            max_length=question.max_length,
        )
        for question in live.questions
    ]
    survey.versions.append(draft)
    db.session.flush()
    return draft


def discard_draft(survey: Survey) -> None:
    """Throw the draft away; the live version stays as it is."""
    draft = draft_of(survey)
    if survey.live_version is None:
        raise SurveyError(_("This survey has never been published; its draft is all there is."))
    survey.versions.remove(draft)
    db.session.flush()


def close_survey(survey: Survey) -> None:
    """Stop accepting answers."""
    if survey.closed_at is not None:
        raise SurveyError(_("This survey is already closed."))
    survey.closed_at = utcnow()
    db.session.flush()


def reopen_survey(survey: Survey) -> None:
    """Accept answers again."""
    if survey.closed_at is None:
        raise SurveyError(_("This survey is not closed."))
    survey.closed_at = None
    db.session.flush()


def set_open_link(survey: Survey, enabled: bool) -> None:
    """Turn anonymous answers through the open link on or off; the link stays the same across toggles."""
    if enabled and survey.open_link_token is None:
        survey.open_link_token = secrets.token_urlsafe(24)
    survey.open_link_enabled = enabled
    db.session.flush()


def regenerate_open_link(survey: Survey) -> None:
    """Give the open link a new token, so the old link stops working."""
    survey.open_link_token = secrets.token_urlsafe(24)
    db.session.flush()


def response_counts() -> dict[int, int]:
    """The number of responses of each survey that has any."""
    # Imported here: responses build on surveys, and module-level imports follow that flow one way.
    from webapp.responses.models import Response

    rows = db.session.execute(select(Response.survey_id, func.count()).group_by(Response.survey_id))
    return {survey_id: count for survey_id, count in rows}


def publishers(survey: Survey) -> dict[int, User]:
    """The staff who published the survey's versions, by id."""
    ids = {version.published_by_id for version in survey.versions if version.published_by_id is not None}
    if not ids:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}
