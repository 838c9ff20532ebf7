"""Customers answering surveys: finding the link, choosing the language, storing a response exactly once."""
import uuid
from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

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
    submitted_at = utcnow()
    response = Response(
        survey_id=version.survey_id,
        version_id=version.id,
        invitation_id=invitation.id if invitation is not None else None,
        submission_key=submission_key or uuid.uuid4().hex,
        language=language,
        persona_id=invitation.persona_id if invitation is not None else None,
        submitted_at=submitted_at,
    )
    questions = {question.id: question for question in version.questions}
    unknown = set(values) - set(questions)
    if unknown:
        raise ValueError(f"Questions {sorted(unknown)} are not part of survey version {version.id}.")
    for question_id, value in values.items():
        question = questions[question_id]
        answer = Answer(
            question_id=question.id,
            stage_id=question.stage_id,
            touchpoint_id=question.touchpoint_id,
            language=language,
            submitted_at=submitted_at,
        )
        if question.kind in RATING_SCALES:
            answer.number = int(value)
        elif question.kind in CHOICE_KINDS:
            answer.choices = [value] if isinstance(value, str) else list(value)
        else:
            answer.text = str(value)
        response.answers.append(answer)
    try:
        with db.session.begin_nested():
            db.session.add(response)
            db.session.flush()
            if invitation is not None:
                invitation.answered_at = submitted_at
                invitation.opened_at = invitation.opened_at or submitted_at
                db.session.flush()
    except IntegrityError:
        raise AlreadyAnswered from None
    return response
