"""Reading a survey's answers: filtered by stage and language, shown per response, exported as CSV rows."""
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import selectinload

from webapp.analysis.models import AnswerLabel
from webapp.extensions import db
from webapp.labels import EMOTIONS
from webapp.maps.models import Stage
from webapp.responses.models import Answer, Response
from webapp.surveys.models import RATING_SCALES, Question, QuestionKind, Survey

EXPORT_BATCH_SIZE = 500
EXPORT_HEADER = ("response_id", "submitted_at", "language", "persona", "external_id", "order_id", "version",
                 "stage", "touchpoint", "question_key", "question", "kind", "value",
                 "valence", "emotions", "blockers", "complaint", "model_version")


class FilterError(ValueError):
    """A filter value that does not exist in this survey; `field` names the filter."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class AnswerFilters:
    stage: Stage | None = None
    language: str | None = None


def survey_language(survey: Survey) -> str:
    """The language staff read question texts in: the default language of the newest version."""
    return survey.versions[-1].default_language if survey.versions else "en"


def answer_languages(survey: Survey) -> list[str]:
    """Every language the survey was ever published in, in the order of its versions."""
    languages: list[str] = []
    for version in survey.versions:
        languages += [language for language in version.languages if language not in languages]
    return languages


def answer_filters(survey: Survey, stage_id: str | None, language: str | None) -> AnswerFilters:
    """The filters given as text (a query string's stage id and language code), checked against the survey."""
    stage = None
    if stage_id:
        stages = {str(stage.id): stage for stage in survey.journey_map.stages}
        stage = stages.get(stage_id.strip())
        if stage is None:
            raise FilterError(_("There is no stage “%(stage)s” in this survey's journey map.", stage=stage_id),
                              field="stage")
    if language and language not in answer_languages(survey):
        raise FilterError(_("This survey has no language “%(language)s”.", language=language), field="language")
    return AnswerFilters(stage=stage, language=language or None)


def _answer_conditions(filters: AnswerFilters) -> list:
    return [Answer.stage_id == filters.stage.id] if filters.stage is not None else []


def responses_query(survey: Survey, filters: AnswerFilters) -> Select:
    """The survey's responses that hold answers matching the filters, newest first."""
    query = select(Response).where(Response.survey_id == survey.id)
    if filters.language is not None:
        query = query.where(Response.language == filters.language)
    if filters.stage is not None:
        query = query.where(
            select(Answer.id).where(Answer.response_id == Response.id, *_answer_conditions(filters)).exists()
        )
    return query.options(
        selectinload(Response.invitation), selectinload(Response.persona), selectinload(Response.version)
    ).order_by(Response.submitted_at.desc(), Response.id.desc())


def answers_by_response(responses: Sequence[Response], filters: AnswerFilters) -> dict[int, list[Answer]]:
    """The answers of these responses that match the filters, in question order, keyed by response id."""
    grouped: dict[int, list[Answer]] = {response.id: [] for response in responses}
    if not grouped:
        return grouped
    answers = db.session.scalars(
        select(Answer)
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.response_id.in_(grouped), *_answer_conditions(filters))
        .options(selectinload(Answer.question).selectinload(Question.version),
                 selectinload(Answer.stage), selectinload(Answer.touchpoint), selectinload(Answer.label))
        .order_by(Answer.response_id, Question.position, Answer.id)
    )
    for answer in answers:
        grouped[answer.response_id].append(answer)
    return grouped


def answer_value(answer: Answer, language: str, with_scale: bool = True) -> str:
    """What the customer answered, as a person reads it: "4 / 5", option labels, emotion names, the text."""
    question = answer.question
    if question.kind in RATING_SCALES:
        if answer.number is None:
            return ""
        return f"{answer.number} / {RATING_SCALES[question.kind][1]}" if with_scale else str(answer.number)
    if question.kind == QuestionKind.EMOTION:
        return ", ".join(str(EMOTIONS.get(emotion, emotion)) for emotion in answer.choices or [])
    if question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        return ", ".join(question.option_label(value, language) for value in answer.choices or [])
    return answer.text or ""


def customer_reference(response: Response) -> tuple[str, str]:
    """The invited customer's reference (external id, else e-mail) and order id; empty for the open link."""
    invitation = response.invitation
    if invitation is None:
        return "", ""
    return invitation.external_id or invitation.email, invitation.order_id


def export_rows(survey: Survey, filters: AnswerFilters) -> Iterator[tuple]:
    """One EXPORT_HEADER row per answer matching the filters, newest response first, read in batches.

    Each batch is read in its own short transaction, so a slow download holds no database lock.
    """
    return _export_batches(survey.id, survey_language(survey), filters.stage.id if filters.stage else None,
                           filters.language)


def _export_batches(survey_id: int, language: str, stage_id: int | None, answer_language: str | None):
    survey = db.session.get(Survey, survey_id)
    filters = AnswerFilters(stage=db.session.get(Stage, stage_id) if stage_id else None, language=answer_language)
    query = responses_query(survey, filters).limit(EXPORT_BATCH_SIZE)
    after = None
    while True:
        batch_query = query
        if after is not None:
            # Keyset paging on the (submitted_at, id) order: stable while new responses arrive.
            submitted_at, response_id = after
            batch_query = query.where(or_(Response.submitted_at < submitted_at,
                                          and_(Response.submitted_at == submitted_at, Response.id < response_id)))
        responses = db.session.scalars(batch_query).all()
        answers = answers_by_response(responses, filters)
        rows = [
            _export_row(response, answer, language)
            for response in responses
            for answer in answers[response.id]
        ]
        if responses:
            after = (responses[-1].submitted_at, responses[-1].id)
        db.session.rollback()
        yield from rows
        if len(responses) < EXPORT_BATCH_SIZE:
            return


def _export_row(response: Response, answer: Answer, language: str) -> tuple:
    external_id, order_id = customer_reference(response)
    question = answer.question
    return (
        response.id,
        response.submitted_at.isoformat(timespec="seconds"),
        response.language,
        response.persona.name if response.persona else "",
        external_id,
        order_id,
        response.version.number,
        answer.stage.name,
        answer.touchpoint.name if answer.touchpoint else "",
        question.key,
        question.text("prompt", language),
        question.kind.value,
        answer_value(answer, language, with_scale=False),
        *_label_columns(answer.label),
    )


def _label_columns(label: AnswerLabel | None) -> tuple:
    """The machine label's columns of an export row; empty for answers with no label (yet)."""
    if label is None or label.unlabelable or not label.supported:
        return ("", "", "", "", label.model_version if label else "")
    return (round(label.valence, 3), " ".join(label.emotions), " ".join(label.blockers),
            "yes" if label.complaint else "no", label.model_version)
