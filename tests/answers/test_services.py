"""Filtering, showing and exporting a survey's answers, without HTTP."""
from datetime import timedelta

import pytest

from tests.builders import build_invitation, build_response, build_survey, stage_named
from webapp.answers import services
from webapp.answers.services import (
    AnswerFilters,
    FilterError,
    answer_filters,
    answer_value,
    answers_by_response,
    export_rows,
    responses_query,
)
from webapp.database import utcnow
from webapp.extensions import db
from webapp.surveys.models import QuestionKind as Kind


@pytest.fixture
def survey(request_context):
    return build_survey()


def listed(survey, filters=AnswerFilters()) -> list[int]:
    return [response.id for response in db.session.scalars(responses_query(survey, filters))]


def value_of(survey, kind, value, language="en") -> str:
    response = build_response(survey, answers={kind: value})
    return answer_value(response.answers[0], language)


def test_responses_are_listed_newest_first(survey):
    older = build_response(survey, submitted_at=utcnow() - timedelta(days=1))
    newer = build_response(survey)
    assert listed(survey) == [newer.id, older.id]


def test_other_surveys_answers_are_not_listed(survey):
    build_response(build_survey(), answers={Kind.CSAT: 3})
    assert listed(survey) == []


def test_stage_filter_keeps_responses_with_answers_tagged_with_that_stage(survey):
    purchase = stage_named(survey.journey_map, "Purchase")
    bought = build_response(survey, answers={Kind.CSAT: 4, Kind.NPS: 9})
    build_response(survey, answers={Kind.NPS: 3})
    filters = answer_filters(survey, str(purchase.id), None)
    assert listed(survey, filters) == [bought.id]
    [kept] = answers_by_response([bought], filters)[bought.id]
    assert kept.question.kind == Kind.CSAT


def test_language_filter(survey):
    polish = build_response(survey, language="pl", answers={Kind.TEXT: "Szybko"})
    build_response(survey, language="ro", answers={Kind.TEXT: "Repede"})
    assert listed(survey, answer_filters(survey, None, "pl")) == [polish.id]


@pytest.mark.parametrize("stage, language, field", [("999999", None, "stage"), ("abc", None, "stage"),
                                                    (None, "de", "language")])
def test_unknown_filter_values_are_refused_with_the_field(survey, stage, language, field):
    with pytest.raises(FilterError) as refused:
        answer_filters(survey, stage, language)
    assert refused.value.field == field


def test_a_stage_of_another_map_is_refused(survey):
    other = build_survey()
    with pytest.raises(FilterError, match="no stage"):
        answer_filters(survey, str(other.journey_map.stages[0].id), None)


def test_answers_are_shown_in_question_order(survey):
    response = build_response(survey, answers={Kind.EMOTION: ["joy"], Kind.CSAT: 5, Kind.TEXT: "Fine"})
    shown = answers_by_response([response], AnswerFilters())[response.id]
    assert [answer.question.kind for answer in shown] == [Kind.CSAT, Kind.TEXT, Kind.EMOTION]


@pytest.mark.parametrize("kind, value, shown", [
    (Kind.CSAT, 4, "4 / 5"),
    (Kind.NPS, 0, "0 / 10"),
    (Kind.CES, 6, "6 / 7"),
    (Kind.SINGLE_CHOICE, "transfer", "Bank transfer"),
    (Kind.MULTIPLE_CHOICE, ["price", "service"], "Price, Service"),
    (Kind.EMOTION, ["frustration", "trust"], "Frustration, Trust"),
    (Kind.TEXT, "Delivery was late.", "Delivery was late."),
])
def test_values_are_rendered_for_people(survey, kind, value, shown):
    assert value_of(survey, kind, value) == shown


def test_choice_labels_follow_the_language_asked_for(survey):
    assert value_of(survey, Kind.SINGLE_CHOICE, "transfer", language="pl") == "Przelew"


def test_export_has_one_row_per_answer_with_response_details(survey):
    persona = survey.journey_map.personas[1]
    invitation = build_invitation(survey, external_id="C-7", order_id="O-9", persona=persona)
    response = build_response(survey, language="pl", invitation=invitation,
                              answers={Kind.CSAT: 2, Kind.MULTIPLE_CHOICE: ["price", "speed"]})
    rows = [dict(zip(services.EXPORT_HEADER, row)) for row in export_rows(survey, AnswerFilters())]
    assert [row["kind"] for row in rows] == ["csat", "multiple_choice"]
    first, second = rows
    assert first["response_id"] == response.id
    assert first["submitted_at"] == response.submitted_at.isoformat(timespec="seconds")
    assert first["submitted_at"].endswith("+00:00")
    assert (first["language"], first["persona"], first["external_id"], first["order_id"], first["version"]) == (
        "pl", "Regular", "C-7", "O-9", 1)
    assert (first["stage"], first["touchpoint"], first["question"], first["value"]) == (
        "Purchase", "Cart", "How satisfied are you?", "2")
    assert second["value"] == "Price, Speed"
    assert second["question_key"] == response.answers[1].question.key


def test_export_of_open_link_answers_leaves_customer_columns_empty(survey):
    build_response(survey, answers={Kind.TEXT: "ok"})
    [row] = export_rows(survey, AnswerFilters())
    assert row[4:6] == ("", "")


def test_export_reads_in_batches_and_misses_no_answer(survey, monkeypatch):
    monkeypatch.setattr(services, "EXPORT_BATCH_SIZE", 2)
    moment = utcnow()
    # Two responses share a timestamp: paging must still see both.
    ids = [build_response(survey, answers={Kind.TEXT: f"answer {n}"},
                          submitted_at=moment - timedelta(minutes=n // 2)).id for n in range(5)]
    survey_id = survey.id
    db.session.commit()
    survey = db.session.get(type(survey), survey_id)
    rows = list(export_rows(survey, AnswerFilters()))
    assert [row[0] for row in rows] == [ids[1], ids[0], ids[3], ids[2], ids[4]]
