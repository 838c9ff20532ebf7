"""The survey builder's pages, driven through their forms as a marketer would."""
import uuid

import pytest
from sqlalchemy import select

from tests.builders import build_map, build_survey, stage_named
from webapp.auth.models import Role
from webapp.extensions import db
from webapp.maps.models import JourneyMap
from webapp.responses.models import Response
from webapp.surveys.models import QuestionKind, Survey


@pytest.fixture
def marketer(sign_in):
    return sign_in(Role.MARKETER)


@pytest.fixture
def journey_map_id(app):
    with app.app_context():
        journey_map = build_map()
        db.session.commit()
        return journey_map.id


@pytest.fixture
def live_survey_id(app):
    with app.app_context():
        survey = build_survey()
        db.session.commit()
        return survey.id


def page(response) -> str:
    return response.get_data(as_text=True)


def stage_and_touchpoint(app, journey_map_id, stage_name="Purchase", touchpoint_index=0):
    with app.app_context():
        stage = stage_named(db.session.get(JourneyMap, journey_map_id), stage_name)
        return stage.id, stage.touchpoints[touchpoint_index].id


def create_survey(client, journey_map_id, languages=("en", "pl")) -> int:
    response = client.post("/surveys/new", data={"name": "Checkout survey", "journey_map": journey_map_id,
                                                 "languages": list(languages), "default_language": languages[0]})
    assert response.status_code == 302, page(response)
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def question_data(stage_id, touchpoint_id=None, kind="csat", **fields):
    data = {"kind": kind, "stage": stage_id, "touchpoint": touchpoint_id or "", "required": "y",
            "max_length": "2000", "prompt_en": "How was checkout?", "prompt_pl": "Jak płatność?"}
    return data | fields


def load_survey(app, survey_id) -> Survey:
    """The survey with its versions and questions loaded, detached for assertions."""
    with app.app_context():
        survey = db.session.get(Survey, survey_id)
        for version in survey.versions:
            for question in version.questions:
                question.texts, question.options  # noqa: B018  (load before the session closes)
        return survey


def test_survey_list_shows_map_state_and_response_count(app, client, marketer):
    with app.app_context():
        survey = build_survey()
        for _ in range(3):
            db.session.add(Response(survey=survey, version=survey.live_version,
                                    submission_key=uuid.uuid4().hex, language="pl"))
        db.session.commit()
    html = page(client.get("/surveys"))
    assert "After purchase" in html and "Online shop" in html
    assert "Live v1" in html
    assert '<td class="numeric" data-label="Responses">3</td>' in html


def test_survey_list_marks_closed_surveys(app, client, marketer):
    with app.app_context():
        survey = build_survey()
        survey.closed_at = survey.created_at
        db.session.commit()
    assert "Closed" in page(client.get("/surveys"))


@pytest.mark.parametrize("role", [Role.SUPPORT])
def test_support_staff_cannot_build_surveys(client, sign_in, live_survey_id, role):
    sign_in(role)
    assert client.get("/surveys").status_code == 403
    assert client.get("/surveys/new").status_code == 403
    assert client.post(f"/surveys/{live_survey_id}/close").status_code == 403


def test_admin_may_build_surveys(client, sign_in, live_survey_id):
    sign_in(Role.ADMIN)
    assert client.get(f"/surveys/{live_survey_id}").status_code == 200


def test_signed_out_visitor_is_sent_to_sign_in(client, live_survey_id):
    response = client.get(f"/surveys/{live_survey_id}")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_marketer_creates_a_survey_with_a_draft(app, client, marketer, journey_map_id):
    survey_id = create_survey(client, journey_map_id, languages=("pl", "en"))
    survey = load_survey(app, survey_id)
    assert survey.name == "Checkout survey" and survey.map_id == journey_map_id
    draft = survey.versions[0]
    assert (draft.number, draft.languages, draft.default_language, draft.published_at) == (1, ["en", "pl"], "pl", None)


def test_new_survey_needs_a_language(app, client, marketer, journey_map_id):
    response = client.post("/surveys/new", data={"name": "X", "journey_map": journey_map_id,
                                                 "default_language": "en"})
    assert response.status_code == 422
    assert "Choose at least one language." in page(response)
    with app.app_context():
        assert db.session.scalars(select(Survey)).all() == []


def test_new_survey_default_language_must_be_chosen(client, marketer, journey_map_id):
    response = client.post("/surveys/new", data={"name": "X", "journey_map": journey_map_id,
                                                 "languages": ["en", "pl"], "default_language": "ro"})
    assert response.status_code == 422
    assert "The default language must be one of the survey&#39;s languages." in page(response)


def test_survey_built_through_the_forms_is_published(app, client, marketer, journey_map_id):
    survey_id = create_survey(client, journey_map_id)
    stage_id, touchpoint_id = stage_and_touchpoint(app, journey_map_id)
    response = client.post(f"/surveys/{survey_id}/texts", data={
        "title_en": "Your checkout", "intro_en": "Two minutes.", "thanks_en": "Thanks!",
        "title_pl": "Twoja płatność", "intro_pl": "", "thanks_pl": "Dzięki!"})
    assert response.status_code == 302
    response = client.post(f"/surveys/{survey_id}/questions/new", data=question_data(stage_id, touchpoint_id))
    assert response.status_code == 302, page(response)
    response = client.post(f"/surveys/{survey_id}/questions/new", data=question_data(
        stage_id, kind="single_choice", required="", prompt_en="How did you pay?", prompt_pl="Jak zapłaciłeś?",
        options_en="Card\nBank transfer\n", options_pl="Karta\nPrzelew"))
    assert response.status_code == 302, page(response)

    response = client.post(f"/surveys/{survey_id}/publish")
    assert response.status_code == 302
    assert "Version 1 is live" in page(client.get(response.headers["Location"]))
    version = load_survey(app, survey_id).versions[0]
    assert version.published_at is not None and version.published_by_id == marketer.id
    assert version.texts["pl"] == {"title": "Twoja płatność", "intro": "", "thanks": "Dzięki!"}
    csat, choice = version.questions
    assert (csat.kind, csat.stage_id, csat.touchpoint_id, csat.required) == (
        QuestionKind.CSAT, stage_id, touchpoint_id, True)
    assert choice.options == [{"value": "card", "labels": {"en": "Card", "pl": "Karta"}},
                              {"value": "bank_transfer", "labels": {"en": "Bank transfer", "pl": "Przelew"}}]


def test_publishing_an_incomplete_draft_lists_each_problem(app, client, marketer, journey_map_id):
    survey_id = create_survey(client, journey_map_id)
    stage_id, _ = stage_and_touchpoint(app, journey_map_id)
    client.post(f"/surveys/{survey_id}/texts", data={"title_en": "Checkout", "title_pl": ""})
    client.post(f"/surveys/{survey_id}/questions/new", data=question_data(stage_id, prompt_pl=""))
    response = client.post(f"/surveys/{survey_id}/publish")
    assert response.status_code == 422
    html = page(response)
    assert "This draft cannot be published yet" in html
    assert "The survey has no title in Polski." in html
    assert "Question 1 has no prompt in Polski." in html
    assert load_survey(app, survey_id).versions[0].published_at is None


def test_overview_flags_missing_translations(app, client, marketer, journey_map_id):
    survey_id = create_survey(client, journey_map_id)
    stage_id, _ = stage_and_touchpoint(app, journey_map_id)
    client.post(f"/surveys/{survey_id}/questions/new", data=question_data(stage_id, prompt_pl=""))
    html = page(client.get(f"/surveys/{survey_id}"))
    assert "How was checkout?" in html
    assert html.count('<span class="badge badge-missing">Missing</span>') == 3  # the title in en and pl, the prompt in pl


def test_option_lines_must_match_across_languages(app, client, marketer, journey_map_id):
    survey_id = create_survey(client, journey_map_id)
    stage_id, _ = stage_and_touchpoint(app, journey_map_id)
    response = client.post(f"/surveys/{survey_id}/questions/new", data=question_data(
        stage_id, kind="multiple_choice", options_en="Price\nSpeed\nService", options_pl="Cena\nSzybkość"))
    assert response.status_code == 422
    assert "2 lines here but 3 in the default language" in page(response)
    assert load_survey(app, survey_id).versions[0].questions == []


def test_choice_question_needs_two_options(app, client, marketer, journey_map_id):
    survey_id = create_survey(client, journey_map_id)
    stage_id, _ = stage_and_touchpoint(app, journey_map_id)
    response = client.post(f"/surveys/{survey_id}/questions/new", data=question_data(
        stage_id, kind="single_choice", options_en="Only one"))
    assert response.status_code == 422
    assert "needs 2 to 20 options; this one has 1" in page(response)


def test_touchpoint_must_belong_to_the_chosen_stage(app, client, marketer, journey_map_id):
    survey_id = create_survey(client, journey_map_id)
    stage_id, _ = stage_and_touchpoint(app, journey_map_id, "Purchase")
    _, loyalty_touchpoint_id = stage_and_touchpoint(app, journey_map_id, "Loyalty")
    response = client.post(f"/surveys/{survey_id}/questions/new", data=question_data(stage_id, loyalty_touchpoint_id))
    assert response.status_code == 422
    assert "is not part of stage “Purchase”" in page(response)


def test_question_needs_a_stage(client, marketer, journey_map_id):
    survey_id = create_survey(client, journey_map_id)
    response = client.post(f"/surveys/{survey_id}/questions/new", data=question_data(""))
    assert response.status_code == 422
    assert "Choose a stage." in page(response)


def test_editing_a_live_survey_makes_a_new_draft_and_keeps_version_1(app, client, marketer, live_survey_id):
    response = client.post(f"/surveys/{live_survey_id}/new-draft")
    assert response.status_code == 302
    survey = load_survey(app, live_survey_id)
    old, new = survey.versions
    question = new.questions[0]
    response = client.get(f"/surveys/{live_survey_id}/questions/{question.id}")
    assert "How satisfied are you?" in page(response)
    response = client.post(f"/surveys/{live_survey_id}/questions/{question.id}", data=question_data(
        question.stage_id, prompt_en="Rate your order", prompt_pl="Oceń zamówienie", prompt_ro="Evaluează"))
    assert response.status_code == 302, page(response)

    survey = load_survey(app, live_survey_id)
    old, new = survey.versions
    assert old.questions[0].texts["en"]["prompt"] == "How satisfied are you?"
    assert new.questions[0].texts["en"]["prompt"] == "Rate your order"
    assert new.questions[0].key == old.questions[0].key
    assert survey.live_version.number == 1 and survey.draft_version.number == 2


def test_a_question_of_a_published_version_cannot_be_edited(app, client, marketer, live_survey_id):
    question = load_survey(app, live_survey_id).versions[0].questions[0]
    response = client.post(f"/surveys/{live_survey_id}/questions/{question.id}", data=question_data(
        question.stage_id, prompt_en="Sneaky change"))
    assert response.status_code == 302
    assert "can no longer be changed" in page(client.get(response.headers["Location"]))
    assert load_survey(app, live_survey_id).versions[0].questions[0].texts["en"]["prompt"] == "How satisfied are you?"


@pytest.mark.parametrize("action", ["move", "delete"])
def test_published_questions_cannot_be_moved_or_removed(app, client, marketer, live_survey_id, action):
    question = load_survey(app, live_survey_id).versions[0].questions[1]
    response = client.post(f"/surveys/{live_survey_id}/questions/{question.id}/{action}", data={"direction": "up"})
    assert response.status_code == 409
    assert "Version 1 is published and can no longer be changed" in page(response)
    questions = load_survey(app, live_survey_id).versions[0].questions
    assert len(questions) == 7 and questions[1].id == question.id


def test_question_of_another_survey_is_not_found(app, client, marketer, live_survey_id):
    with app.app_context():
        other = build_survey()
        db.session.commit()
        other_question_id = other.versions[0].questions[0].id
    assert client.get(f"/surveys/{live_survey_id}/questions/{other_question_id}").status_code == 404


def test_moving_a_draft_question_up(app, client, marketer, live_survey_id):
    client.post(f"/surveys/{live_survey_id}/new-draft")
    first, second = load_survey(app, live_survey_id).versions[1].questions[:2]
    response = client.post(f"/surveys/{live_survey_id}/questions/{second.id}/move", data={"direction": "up"})
    assert response.status_code == 302
    assert [q.id for q in load_survey(app, live_survey_id).versions[1].questions[:2]] == [second.id, first.id]


def test_removing_a_draft_question(app, client, marketer, live_survey_id):
    client.post(f"/surveys/{live_survey_id}/new-draft")
    question = load_survey(app, live_survey_id).versions[1].questions[0]
    assert client.post(f"/surveys/{live_survey_id}/questions/{question.id}/delete").status_code == 302
    survey = load_survey(app, live_survey_id)
    assert question.key not in [q.key for q in survey.versions[1].questions]
    assert question.key in [q.key for q in survey.versions[0].questions]


def test_discarding_the_draft_keeps_the_live_version(app, client, marketer, live_survey_id):
    client.post(f"/surveys/{live_survey_id}/new-draft")
    response = client.post(f"/surveys/{live_survey_id}/discard-draft")
    assert response.status_code == 302
    survey = load_survey(app, live_survey_id)
    assert [v.number for v in survey.versions] == [1] and survey.is_open


def test_discarding_the_only_draft_is_refused(app, client, marketer, journey_map_id):
    survey_id = create_survey(client, journey_map_id)
    response = client.post(f"/surveys/{survey_id}/discard-draft")
    assert response.status_code == 409
    assert "never been published" in page(response)
    assert len(load_survey(app, survey_id).versions) == 1


def test_overview_shows_versions_history(app, client, marketer, live_survey_id):
    client.post(f"/surveys/{live_survey_id}/new-draft")
    client.post(f"/surveys/{live_survey_id}/publish")
    html = page(client.get(f"/surveys/{live_survey_id}"))
    assert "v2" in html and "v1" in html
    assert f"by {marketer.name}" in html


def test_closing_and_reopening_a_survey(app, client, marketer, live_survey_id):
    assert client.post(f"/surveys/{live_survey_id}/close").status_code == 302
    assert not load_survey(app, live_survey_id).is_open
    assert "Customers cannot answer until you reopen it" in page(client.get(f"/surveys/{live_survey_id}"))
    assert client.post(f"/surveys/{live_survey_id}/reopen").status_code == 302
    assert load_survey(app, live_survey_id).is_open


def test_turning_the_open_link_on_and_off_keeps_its_token(app, client, marketer, live_survey_id):
    client.post(f"/surveys/{live_survey_id}/open-link", data={"enabled": "1"})
    token = load_survey(app, live_survey_id).open_link_token
    assert token
    client.post(f"/surveys/{live_survey_id}/open-link", data={"enabled": "0"})
    assert not load_survey(app, live_survey_id).open_link_enabled
    client.post(f"/surveys/{live_survey_id}/open-link", data={"enabled": "1"})
    survey = load_survey(app, live_survey_id)
    assert survey.open_link_enabled and survey.open_link_token == token


def test_overview_shows_the_full_open_link(app, client, marketer):
    with app.app_context():
        survey = build_survey(open_link=True)
        db.session.commit()
        survey_id, token = survey.id, survey.open_link_token
    html = page(client.get(f"/surveys/{survey_id}"))
    assert f'value="http://localhost/o/{token}"' in html


def test_regenerating_the_open_link_changes_its_token(app, client, marketer):
    with app.app_context():
        survey = build_survey(open_link=True)
        db.session.commit()
        survey_id, token = survey.id, survey.open_link_token
    assert client.post(f"/surveys/{survey_id}/open-link/regenerate").status_code == 302
    assert load_survey(app, survey_id).open_link_token not in (None, token)


def test_overview_links_to_invitations_and_answers(client, marketer, live_survey_id):
    html = page(client.get(f"/surveys/{live_survey_id}"))
    assert f'<a href="/surveys/{live_survey_id}/invitations">Personal invitations</a>' in html
    assert f'<a href="/surveys/{live_survey_id}/answers">Answers (0)</a>' in html


def test_changing_the_draft_languages(app, client, marketer, journey_map_id):
    survey_id = create_survey(client, journey_map_id, languages=("en",))
    response = client.post(f"/surveys/{survey_id}/settings", data={
        "name": "Renamed", "languages": ["en", "ro"], "default_language": "ro"})
    assert response.status_code == 302
    survey = load_survey(app, survey_id)
    assert survey.name == "Renamed"
    assert (survey.versions[0].languages, survey.versions[0].default_language) == (["en", "ro"], "ro")
    assert 'name="title_ro"' in page(client.get(f"/surveys/{survey_id}/texts"))


def test_pages_of_the_builder_render(client, marketer, live_survey_id):
    client.post(f"/surveys/{live_survey_id}/new-draft")
    for url in ["/surveys", "/surveys/new", f"/surveys/{live_survey_id}", f"/surveys/{live_survey_id}/texts",
                f"/surveys/{live_survey_id}/settings", f"/surveys/{live_survey_id}/questions/new?kind=nps"]:
        assert client.get(url).status_code == 200, url
