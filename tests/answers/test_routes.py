"""The answers page and its CSV export, as a marketer uses them."""
import csv
import io
from datetime import timedelta

import pytest

from tests.builders import build_invitation, build_response, build_survey, stage_named
from webapp.auth.models import Role
from webapp.database import utcnow
from webapp.extensions import db
from webapp.surveys.models import QuestionKind as Kind
from webapp.surveys.models import Survey


@pytest.fixture
def marketer(sign_in):
    return sign_in(Role.MARKETER)


@pytest.fixture
def survey_ids(app):
    """A survey with one invited Polish response and one open-link Romanian response, and its stage ids."""
    with app.app_context():
        survey = build_survey()
        invitation = build_invitation(survey, external_id="C-7", order_id="O-9",
                                      persona=survey.journey_map.personas[0])
        build_response(survey, language="pl", invitation=invitation, submitted_at=utcnow() - timedelta(hours=1),
                       answers={Kind.CSAT: 4, Kind.SINGLE_CHOICE: "transfer", Kind.NPS: 9})
        build_response(survey, language="ro", answers={Kind.EMOTION: ["joy", "relief"],
                                                      Kind.TEXT: "=cmd|' /C calc'!A0"})
        db.session.commit()
        return {"survey": survey.id, "purchase": stage_named(survey.journey_map, "Purchase").id,
                "service": stage_named(survey.journey_map, "Post-purchase service").id}


def page(response) -> str:
    return response.get_data(as_text=True)


def exported(client, survey_id, query="") -> list[dict]:
    response = client.get(f"/surveys/{survey_id}/answers.csv{query}")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(page(response).lstrip("\ufeff"))))


@pytest.mark.parametrize("path", ["/answers", "/answers.csv"])
def test_support_staff_cannot_read_answers_here(client, sign_in, survey_ids, path):
    sign_in(Role.SUPPORT)
    assert client.get(f"/surveys/{survey_ids['survey']}{path}").status_code == 403


def test_admin_reads_answers(client, sign_in, survey_ids):
    sign_in(Role.ADMIN)
    assert client.get(f"/surveys/{survey_ids['survey']}/answers").status_code == 200


def test_page_shows_each_response_with_its_answers_newest_first(client, marketer, survey_ids):
    text = page(client.get(f"/surveys/{survey_ids['survey']}/answers"))
    assert text.index("Open link") < text.index("C-7")
    assert "order O-9" in text
    assert "First-time buyer" in text
    assert "version 1" in text
    for shown in ("How satisfied are you?", "4 / 5", "Bank transfer", "9 / 10", "Joy, Relief", "Polski", "Română"):
        assert shown in text


def test_stage_filter_shows_only_that_stages_answers(client, marketer, survey_ids):
    text = page(client.get(f"/surveys/{survey_ids['survey']}/answers?stage={survey_ids['service']}"))
    assert "9 / 10" in text
    assert "Joy, Relief" in text
    assert "4 / 5" not in text


def test_language_filter(client, marketer, survey_ids):
    text = page(client.get(f"/surveys/{survey_ids['survey']}/answers?language=ro"))
    assert "Joy, Relief" in text
    assert "C-7" not in text


@pytest.mark.parametrize("query, message", [("stage=abc", "There is no stage “abc”"),
                                            ("language=xx", "This survey has no language “xx”")])
def test_unknown_filter_values_get_a_clear_message(client, marketer, survey_ids, query, message):
    for path in ("answers", "answers.csv"):
        response = client.get(f"/surveys/{survey_ids['survey']}/{path}?{query}")
        assert response.status_code == 400
        assert message in page(response)


def test_answers_are_paged(app, client, marketer, survey_ids):
    app.config["ANSWERS_PER_PAGE"] = 1
    try:
        first = page(client.get(f"/surveys/{survey_ids['survey']}/answers"))
        second = page(client.get(f"/surveys/{survey_ids['survey']}/answers?page=2"))
    finally:
        app.config["ANSWERS_PER_PAGE"] = 50
    assert "Page 1 of 2" in first and "C-7" not in first
    assert "Page 2 of 2" in second and "C-7" in second


def test_next_page_link_carries_the_filters(app, client, marketer, survey_ids):
    with app.app_context():
        build_response(db.session.get(Survey, survey_ids["survey"]), language="ro", answers={Kind.TEXT: "more"})
        db.session.commit()
    app.config["ANSWERS_PER_PAGE"] = 1
    try:
        text = page(client.get(f"/surveys/{survey_ids['survey']}/answers?language=ro"))
    finally:
        app.config["ANSWERS_PER_PAGE"] = 50
    next_link = text.split('rel="next"')[0].rsplit("href=", 1)[1]
    assert "language=ro" in next_link and "page=2" in next_link


def test_export_has_one_row_per_answer(client, marketer, survey_ids):
    rows = exported(client, survey_ids["survey"])
    assert len(rows) == 5
    assert list(rows[0]) == ["response_id", "submitted_at", "language", "persona", "external_id", "order_id",
                             "version", "stage", "touchpoint", "question_key", "question", "kind", "value",
                             "valence", "emotions", "blockers", "complaint", "model_version"]
    invited = [row for row in rows if row["external_id"] == "C-7"]
    assert [(row["kind"], row["value"]) for row in invited] == [("csat", "4"), ("nps", "9"),
                                                                ("single_choice", "Bank transfer")]
    assert invited[0]["persona"] == "First-time buyer"


def test_export_follows_the_filters(client, marketer, survey_ids):
    rows = exported(client, survey_ids["survey"], f"?stage={survey_ids['purchase']}&language=pl")
    assert [row["kind"] for row in rows] == ["csat", "single_choice"]


def test_export_guards_against_formulas(client, marketer, survey_ids):
    [text_row] = [row for row in exported(client, survey_ids["survey"]) if row["kind"] == "text"]
    assert text_row["value"] == "'=cmd|' /C calc'!A0"


def test_unknown_survey_is_not_found(client, marketer):
    assert client.get("/surveys/999999/answers").status_code == 404


def test_survey_without_answers_says_so(app, client, marketer):
    with app.app_context():
        survey = build_survey()
        db.session.commit()
        survey_id = survey.id
    assert "No answers yet." in page(client.get(f"/surveys/{survey_id}/answers"))


def test_labelled_text_answers_show_their_evidence_and_labels(app, client, marketer, survey_ids):
    """After the labelling job ran, the answers page marks the evidence and lists the labels; the export has them."""
    from webapp.analysis.services import label_pending

    with app.app_context():
        survey = db.session.get(Survey, survey_ids["survey"])
        build_response(survey, language="en", answers={
            Kind.TEXT: "The checkout kept failing and nobody answered the phone, so frustrating."})
        db.session.commit()
        assert label_pending() == 2  # this answer and the Romanian one

    text = page(client.get(f"/surveys/{survey_ids['survey']}/answers"))
    assert '<mark class="evidence' in text
    assert "Checkout friction" in text and "Valence" in text and "Complaint" in text
    row = next(row for row in exported(client, survey_ids["survey"]) if row["value"].startswith("The checkout"))
    assert float(row["valence"]) < 0 and "checkout_friction" in row["blockers"].split()
    assert row["complaint"] == "yes" and row["model_version"]


def test_text_answers_waiting_for_the_job_say_so(client, marketer, survey_ids):
    assert "Not labelled yet" in page(client.get(f"/surveys/{survey_ids['survey']}/answers"))
