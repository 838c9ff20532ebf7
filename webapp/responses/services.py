"""Customers answering surveys: finding the link, choosing the language, storing a response exactly once."""
import uuid
from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from webapp.database import utcnow
from webapp.extensions import db
from webapp.invitations.models import Invitation
from webapp.responses.models import Answer, Response
from webapp.surveys.models import RATING_SCALES, QuestionKind, Survey, SurveyVersion

CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.EMOTION})


class AlreadyAnswered(Exception):
    """This personal link or this rendered form was submitted before; nothing new was stored."""


def find_invitation(token: str) -> Invitation | None:
    """The invitation behind a personal link."""
    return db.session.scalar(select(Invitation).where(Invitation.token == token))


def find_open_survey(token: str) -> Survey | None:
    """The survey behind an open link, while its open link is turned on."""
    return db.session.scalar(
        select(Survey).where(Survey.open_link_token == token, Survey.open_link_enabled.is_(True))
    )


def choose_language(
    available: Sequence[str],
    default: str,
    requested: str | None,
    invitation_language: str | None,
    accepted: Iterable[str],
) -> str:
    """The language a customer sees, among the `available` ones the survey was written in: the one
    they picked on the page, else the invitation's, else the browser's best match, else `default`.

    `accepted` lists the browser's languages, best first (e.g. "pl-PL", "en").
    """
    for candidate in (requested, invitation_language):
        if candidate in available:
            return candidate
    for accepted_language in accepted:
        primary = accepted_language.replace("_", "-").split("-")[0].lower()
        if primary in available:
            return primary
    return default


def record_open(invitation: Invitation) -> None:
    """Note when the customer first opened their personal link."""
    if invitation.opened_at is None:
        invitation.opened_at = utcnow()


# Question facts of frozen versions, which never change: submitting needs no query for them.
_QUESTION_FACTS: dict[tuple, dict[int, tuple[QuestionKind, int, int | None]]] = {}
_MAX_CACHED_VERSIONS = 512


def _question_facts(version: SurveyVersion) -> dict[int, tuple[QuestionKind, int, int | None]]:
    """Kind, stage and touchpoint of each question of a version, by question id."""
    # The publish time is part of the key because a deleted version's id can come back (SQLite).
    key = (version.id, version.published_at)
    facts = _QUESTION_FACTS.get(key) if version.is_frozen else None
    if facts is None:
        facts = {q.id: (QuestionKind(q.kind), q.stage_id, q.touchpoint_id) for q in version.questions}
        if version.is_frozen:
            if len(_QUESTION_FACTS) >= _MAX_CACHED_VERSIONS:
                _QUESTION_FACTS.clear()
            _QUESTION_FACTS[key] = facts
    return facts


def submit_response(
    version: SurveyVersion,
    values: Mapping[int, object],
    language: str,
    invitation: Invitation | None = None,
    submission_key: str | None = None,
) -> Response:
    """Store one response with an answer per answered question; the caller commits.

    `values` maps question ids to the answer: text for free text, an int for ratings, a list of option
    values (or emotion ids) for choices; unanswered questions are left out. The unique invitation and
    submission key make a second submit of the same link or the same form raise AlreadyAnswered
    instead of storing twice, however close together the two requests arrive.
    """
    questions = _question_facts(version)
    unknown = set(values) - set(questions)
    if unknown:
        raise ValueError(f"Questions {sorted(unknown)} are not part of survey version {version.id}.")
    submitted_at = utcnow()
    # Three statements (response, answers, invitation) instead of a unit-of-work flush: this is the
    # write every customer waits for, and on SQLite it runs while holding the database's write lock.
    try:
        with db.session.begin_nested():
            response_id = db.session.execute(
                insert(Response).returning(Response.id),
                {
                    "survey_id": version.survey_id,
                    "version_id": version.id,
                    "invitation_id": invitation.id if invitation is not None else None,
                    "submission_key": submission_key or uuid.uuid4().hex,
                    "language": language,
                    "persona_id": invitation.persona_id if invitation is not None else None,
                    "submitted_at": submitted_at,
                },
            ).scalar_one()
            rows = [_answer_row(response_id, questions[question_id], question_id, value, language, submitted_at)
                    for question_id, value in values.items()]
            if rows:
                db.session.execute(insert(Answer), rows)
    except IntegrityError:
        raise AlreadyAnswered from None
    if invitation is not None:
        opened_at = invitation.opened_at or submitted_at
        db.session.execute(
            update(Invitation).where(Invitation.id == invitation.id)
            .values(answered_at=submitted_at, opened_at=opened_at)
        )
        set_committed_value(invitation, "answered_at", submitted_at)
        set_committed_value(invitation, "opened_at", opened_at)
    return db.session.get(Response, response_id)


def _answer_row(response_id: int, facts: tuple, question_id: int, value, language: str, submitted_at) -> dict:
    """The columns of one stored answer."""
    kind, stage_id, touchpoint_id = facts
    row = {"response_id": response_id, "question_id": question_id, "stage_id": stage_id,
           "touchpoint_id": touchpoint_id, "language": language, "submitted_at": submitted_at,
           "text": None, "number": None, "choices": None}
    if kind in RATING_SCALES:
        row["number"] = int(value)
    elif kind in CHOICE_KINDS:
        row["choices"] = [value] if isinstance(value, str) else list(value)
    else:
        row["text"] = str(value)
    return row
