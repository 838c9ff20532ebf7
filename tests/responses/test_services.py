"""Choosing the customer's language and storing a response exactly once, without HTTP."""
import pytest
from sqlalchemy import func, select

from tests.builders import build_invitation, build_survey
from webapp.extensions import db
from webapp.responses.models import Answer, Response
from webapp.responses.services import AlreadyAnswered, choose_language, submit_response
from webapp.surveys.models import QuestionKind

SURVEY_LANGUAGES = ["en", "pl", "ro"]


def test_language_picked_on_the_page_comes_first():
    assert choose_language(SURVEY_LANGUAGES, "en", "ro", "pl", ["en"]) == "ro"


def test_invitation_language_comes_before_the_browser():
    assert choose_language(SURVEY_LANGUAGES, "en", None, "pl", ["ro-RO", "en"]) == "pl"


def test_browser_language_is_matched_by_its_primary_tag():
    assert choose_language(SURVEY_LANGUAGES, "en", None, None, ["de-DE", "ro-RO", "en"]) == "ro"


def test_languages_the_survey_lacks_are_skipped():
    assert choose_language(["en", "ro"], "ro", "pl", "pl", ["pl-PL", "de"]) == "ro"


def test_survey_default_is_the_last_resort():
    assert choose_language(["pl", "ro"], "pl", None, None, []) == "pl"


def _answers_by_kind(version, **overrides):
    values = {
        QuestionKind.CSAT: 5,
        QuestionKind.TEXT: "Szybka dostawa",
        QuestionKind.NPS: 10,
        QuestionKind.SINGLE_CHOICE: "transfer",
        QuestionKind.EMOTION: ["joy", "trust"],
    }
    values.update(overrides)
    return {q.id: values[q.kind] for q in version.questions if q.kind in values}


def test_submit_stores_one_answer_per_answered_question_with_stage_touchpoint_and_language(app_context):
    survey = build_survey()
    version = survey.live_version
    response = submit_response(version, _answers_by_kind(version), "pl", submission_key="a" * 32)
    stored = db.session.scalars(select(Answer).where(Answer.response_id == response.id)).all()
    assert len(stored) == 5
    for answer in stored:
        assert (answer.stage_id, answer.touchpoint_id) == (answer.question.stage_id, answer.question.touchpoint_id)
        assert answer.language == "pl" and answer.submitted_at == response.submitted_at
    by_kind = {answer.question.kind: answer for answer in stored}
    assert by_kind[QuestionKind.SINGLE_CHOICE].choices == ["transfer"]
    assert by_kind[QuestionKind.NPS].number == 10
    assert by_kind[QuestionKind.TEXT].text == "Szybka dostawa"


def test_submit_through_invitation_marks_it_answered_and_keeps_its_persona(app_context):
    survey = build_survey()
    persona = survey.journey_map.personas[1]
    invitation = build_invitation(survey, persona=persona)
    response = submit_response(survey.live_version, {}, "pl", invitation=invitation)
    assert invitation.answered_at == response.submitted_at
    assert response.persona_id == persona.id and response.invitation_id == invitation.id


def test_second_submit_of_an_invitation_stores_nothing(app_context):
    survey = build_survey()
    invitation = build_invitation(survey)
    version = survey.live_version
    submit_response(version, _answers_by_kind(version), "pl", invitation=invitation)
    with pytest.raises(AlreadyAnswered):
        submit_response(version, _answers_by_kind(version, **{QuestionKind.CSAT: 1}), "pl", invitation=invitation)
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
    assert db.session.scalar(select(func.count()).where(Answer.number == 1)) == 0


def test_second_submit_of_the_same_form_stores_nothing(app_context):
    version = build_survey().live_version
    submit_response(version, _answers_by_kind(version), "ro", submission_key="b" * 32)
    with pytest.raises(AlreadyAnswered):
        submit_response(version, _answers_by_kind(version), "ro", submission_key="b" * 32)
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1


def test_answer_to_a_question_of_another_version_is_refused(app_context):
    version = build_survey().live_version
    other = build_survey().live_version
    with pytest.raises(ValueError):
        submit_response(version, {other.questions[0].id: 3}, "en")
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
