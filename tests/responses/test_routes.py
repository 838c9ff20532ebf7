"""The customer's pages: the survey in their language, errors in it too, friendly dead ends."""
import re

import pytest
from sqlalchemy import func, select

from webapp.database import utcnow
from webapp.extensions import db
from webapp.invitations.models import Invitation
from webapp.responses.models import Answer, Response
from webapp.surveys.models import QuestionKind, Survey, SurveyVersion


def count_responses(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Response))


def test_personal_link_shows_survey_in_invitation_language(client, personal_link):
    link = personal_link(language="pl")
    page = client.get(link.url, headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="pl"' in page
    assert "Jak bardzo jesteś zadowolony?" in page
    assert "Wyślij odpowiedzi" in page
    assert "Bardzo niezadowolony" in page


def test_personal_link_without_language_follows_browser(client, personal_link):
    link = personal_link(language=None)
    page = client.get(link.url, headers={"Accept-Language": "ro-RO,ro;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="ro"' in page
    assert "Cât de mulțumit ești?" in page
    assert "Trimite răspunsurile" in page


def test_browser_language_the_survey_lacks_falls_back_to_survey_default(client, personal_link):
    link = personal_link(language=None, languages=("ro", "en"))
    page = client.get(link.url, headers={"Accept-Language": "pl-PL,de;q=0.8"}).get_data(as_text=True)
    assert '<html lang="ro"' in page


def test_language_switcher_overrides_invitation_language(client, personal_link):
    link = personal_link(language="pl")
    page = client.get(link.url + "?lang=ro").get_data(as_text=True)
    assert '<html lang="ro"' in page
    assert 'href="?lang=pl"' in page


def test_customer_page_has_no_staff_navigation(client, personal_link):
    page = client.get(personal_link().url).get_data(as_text=True)
    assert "/sign-in" not in page and "Sign out" not in page and "Wyloguj" not in page


def test_each_question_kind_renders_as_its_control(client, personal_link):
    link = personal_link(language="en")
    page = client.get(link.url).get_data(as_text=True)
    text = link.fields[QuestionKind.TEXT]
    assert f'maxlength="2000" name="{text}"' in page
    nps = link.fields[QuestionKind.NPS]
    assert page.count(f'name="{nps}" type="radio"') == 11
    assert "Not likely at all" in page and "Very likely" in page
    assert page.count(f'name="{link.fields[QuestionKind.CES]}" type="radio"') == 7
    assert "Very difficult" in page and "Very easy" in page
    assert page.count(f'name="{link.fields[QuestionKind.CSAT]}"') == 5
    assert page.count(f'name="{link.fields[QuestionKind.SINGLE_CHOICE]}" type="radio"') == 2
    assert page.count(f'name="{link.fields[QuestionKind.MULTIPLE_CHOICE]}" type="checkbox"') == 3
    assert page.count(f'name="{link.fields[QuestionKind.EMOTION]}" type="checkbox"') == 15
    assert f'<fieldset id="{nps}"' in page and "<legend" in page


def test_emotion_names_are_translated(client, personal_link):
    page = client.get(personal_link(language="pl").url).get_data(as_text=True)
    assert "Frustracja" in page and "Ulga" in page


def test_rating_scale_end_labels_are_read_with_first_and_last_radio(client, personal_link):
    link = personal_link(language="en")
    page = client.get(link.url).get_data(as_text=True)
    assert 'value="0"><span class="scale-number">0</span><span class="visually-hidden"> – Not likely at all' in page


def test_first_open_is_recorded(app, client, personal_link):
    link = personal_link()
    client.get(link.url)
    with app.app_context():
        invitation = db.session.scalar(select(Invitation).where(Invitation.token == link.token))
        assert invitation.opened_at is not None


def test_missing_required_answers_are_shown_in_polish_and_nothing_is_stored(app, client, personal_link):
    link = personal_link(language="pl")
    response = client.post(link.url, data=link.valid_answers(**{link.fields[QuestionKind.TEXT]: "   "}))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    text = link.fields[QuestionKind.TEXT]
    assert "Sprawdź swoje odpowiedzi" in page
    assert f'<p id="{text}-error" class="question-error">Prosimy o odpowiedź na to pytanie.</p>' in page
    assert f'aria-describedby="{text}-error" aria-invalid="true"' in page
    assert f'<a href="#{text}">' in page
    assert count_responses(app) == 0


def test_validation_errors_are_shown_in_romanian(client, personal_link):
    link = personal_link(language="ro")
    response = client.post(link.url, data=link.valid_answers(**{link.fields[QuestionKind.CSAT]: ""}))
    assert response.status_code == 422
    assert "Vă rugăm să răspundeți la această întrebare." in response.get_data(as_text=True)


def test_rating_outside_the_scale_is_refused(app, client, personal_link):
    link = personal_link(language="en")
    response = client.post(link.url, data=link.valid_answers(**{link.fields[QuestionKind.NPS]: "11"}))
    assert response.status_code == 422
    assert "Please choose from the options shown." in response.get_data(as_text=True)
    assert count_responses(app) == 0


def test_unknown_option_is_refused(client, personal_link):
    link = personal_link(language="pl")
    data = link.valid_answers(**{link.fields[QuestionKind.EMOTION]: ["joy", "boredom"]})
    response = client.post(link.url, data=data)
    assert response.status_code == 422
    assert "Wybierz spośród pokazanych odpowiedzi." in response.get_data(as_text=True)


def test_too_long_text_is_refused_with_the_limit(client, personal_link):
    link = personal_link(language="pl")
    response = client.post(link.url, data=link.valid_answers(**{link.fields[QuestionKind.TEXT]: "x" * 2001}))
    assert response.status_code == 422
    assert "Maksymalna liczba znaków: 2000." in response.get_data(as_text=True)


def test_line_breaks_count_once_against_the_limit(app, client, personal_link):
    link = personal_link(language="en")
    text = "\r\n".join(["x" * 9] * 200)  # 1999 characters as the browser counts them
    response = client.post(link.url, data=link.valid_answers(**{link.fields[QuestionKind.TEXT]: text}))
    assert response.status_code == 302


def test_valid_answers_are_stored_and_customer_sees_thanks(app, client, personal_link):
    link = personal_link(language="pl")
    response = client.post(link.url, data=link.valid_answers())
    assert response.status_code == 302
    thanks = client.get(response.headers["Location"])
    assert thanks.status_code == 200
    page = thanks.get_data(as_text=True)
    assert "Dziękujemy!" in page and '<html lang="pl"' in page
    assert count_responses(app) == 1


def test_thank_you_page_shows_the_survey_thanks_text(app, client, personal_link):
    link = personal_link(language="ro")
    with app.app_context():
        version = db.session.get(SurveyVersion, link.version_id)
        version.texts = {**version.texts, "ro": {**version.texts["ro"], "thanks": "Mulțumim că ne-ați scris!"}}
        db.session.commit()
    response = client.post(link.url, data=link.valid_answers(), follow_redirects=True)
    assert "Mulțumim că ne-ați scris!" in response.get_data(as_text=True)


def test_stored_answers_carry_stage_touchpoint_and_language(app, client, personal_link):
    link = personal_link(language="pl")
    client.post(link.url, data=link.valid_answers())
    with app.app_context():
        answers = db.session.scalars(select(Answer)).all()
        assert len(answers) == 7
        for answer in answers:
            assert answer.stage_id == answer.question.stage_id
            assert answer.touchpoint_id == answer.question.touchpoint_id
            assert answer.language == "pl"
        by_kind = {answer.question.kind: answer for answer in answers}
        assert by_kind[QuestionKind.TEXT].text == "Płatność kartą działała bez problemu."
        assert by_kind[QuestionKind.NPS].number == 9
        assert by_kind[QuestionKind.SINGLE_CHOICE].choices == ["card"]
        assert by_kind[QuestionKind.EMOTION].choices == ["relief", "joy"]


def test_optional_questions_left_empty_store_no_answer(app, client, personal_link):
    link = personal_link(language="en")
    data = {"submission_key": "f" * 32, link.fields[QuestionKind.CSAT]: "5",
            link.fields[QuestionKind.TEXT]: "  Fine  "}
    assert client.post(link.url, data=data).status_code == 302
    with app.app_context():
        answers = db.session.scalars(select(Answer)).all()
        assert sorted(answer.question.kind for answer in answers) == [QuestionKind.CSAT, QuestionKind.TEXT]
        assert next(a.text for a in answers if a.text) == "Fine"


def test_answered_link_shows_already_answered_page(client, personal_link):
    link = personal_link(language="pl")
    client.post(link.url, data=link.valid_answers())
    response = client.get(link.url)
    assert response.status_code == 200
    assert "Odpowiedzi zostały już wysłane" in response.get_data(as_text=True)


def test_posting_an_answered_link_again_shows_thanks_and_stores_nothing(app, client, personal_link):
    link = personal_link(language="pl")
    client.post(link.url, data=link.valid_answers())
    again = client.post(link.url, data=link.valid_answers(), follow_redirects=True)
    assert again.status_code == 200
    assert "Dziękujemy!" in again.get_data(as_text=True)
    assert count_responses(app) == 1


def test_thanks_before_answering_leads_back_to_the_survey(client, personal_link):
    link = personal_link()
    response = client.get(link.url + "/thanks")
    assert response.status_code == 302
    assert response.headers["Location"].startswith(link.url)


def test_unknown_token_gives_friendly_404_in_browser_language(client, personal_link):
    response = client.get("/r/no-such-token", headers={"Accept-Language": "pl"})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Nie znaleziono ankiety" in page and '<html lang="pl"' in page
    assert "Sign out" not in page and "app-nav" not in page


def test_closed_survey_shows_closed_page(app, client, personal_link):
    link = personal_link(language="ro")
    with app.app_context():
        db.session.get(Survey, link.survey_id).closed_at = utcnow()
        db.session.commit()
    response = client.get(link.url)
    assert response.status_code == 410
    assert "Acest sondaj este închis" in response.get_data(as_text=True)


def test_closed_survey_refuses_answers(app, client, personal_link):
    link = personal_link(language="en")
    with app.app_context():
        db.session.get(Survey, link.survey_id).closed_at = utcnow()
        db.session.commit()
    assert client.post(link.url, data=link.valid_answers()).status_code == 410
    assert count_responses(app) == 0


def test_survey_without_published_version_shows_closed_page(client, personal_link):
    link = personal_link(language="pl", publish=False)
    response = client.get(link.url)
    assert response.status_code == 410
    assert "Ta ankieta jest zamknięta" in response.get_data(as_text=True)


def test_open_link_stores_anonymous_response(app, client, open_link):
    link = open_link()
    page = client.get(link.url, headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert "Jak poszło?" in page
    response = client.post(link.url, data=link.valid_answers(), headers={"Accept-Language": "pl"})
    assert response.status_code == 302
    assert "Dziękujemy!" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        stored = db.session.scalars(select(Response)).one()
        assert stored.invitation_id is None and stored.language == "pl"


def test_open_link_resubmitting_the_same_form_stores_one_response(app, client, open_link):
    link = open_link()
    data = link.valid_answers()
    assert client.post(link.url, data=data).status_code == 302
    assert client.post(link.url, data=data).status_code == 302
    assert count_responses(app) == 1


def test_open_link_two_forms_store_two_responses(app, client, open_link):
    link = open_link()
    client.post(link.url, data=link.valid_answers())
    client.post(link.url, data=link.valid_answers())
    assert count_responses(app) == 2


def test_open_link_turned_off_gives_404(app, client, open_link):
    link = open_link()
    with app.app_context():
        db.session.get(Survey, link.survey_id).open_link_enabled = False
        db.session.commit()
    assert client.get(link.url).status_code == 404


def test_open_link_is_rate_limited_with_a_translated_page(app, client, open_link):
    link = open_link()
    app.config["OPEN_LINK_RATE_LIMIT"] = "2 per minute"
    try:
        for _ in range(2):
            assert client.post(link.url, data=link.valid_answers()).status_code == 302
        refused = client.post(link.url, data=link.valid_answers(), headers={"Accept-Language": "ro"})
    finally:
        app.config["OPEN_LINK_RATE_LIMIT"] = "20 per hour"
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "Vă rugăm să așteptați puțin" in page and '<html lang="ro"' in page
    assert count_responses(app) == 2


def test_open_link_rate_limit_leaves_reading_the_survey_alone(app, client, open_link):
    link = open_link()
    app.config["OPEN_LINK_RATE_LIMIT"] = "1 per minute"
    try:
        statuses = {client.get(link.url).status_code for _ in range(3)}
    finally:
        app.config["OPEN_LINK_RATE_LIMIT"] = "20 per hour"
    assert statuses == {200}


def test_oversized_body_gives_friendly_413_in_survey_language(app, client, personal_link):
    link = personal_link(language="pl")
    data = link.valid_answers(**{link.fields[QuestionKind.TEXT]: "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)})
    response = client.post(link.url, data=data)
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Odpowiedzi są zbyt długie" in page and '<html lang="pl"' in page
    assert count_responses(app) == 0


def test_form_without_submission_key_asks_to_reload(app, client, personal_link):
    link = personal_link(language="en")
    data = link.valid_answers()
    del data["submission_key"]
    response = client.post(link.url, data=data)
    assert response.status_code == 422
    assert "This form is out of date." in response.get_data(as_text=True)
    assert count_responses(app) == 0


@pytest.fixture
def csrf_on(app):
    """CSRF protection as deployed (the test app turns it off)."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_survey_form_carries_a_csrf_token_that_lets_the_answers_in(app, client, personal_link, csrf_on):
    link = personal_link(language="pl")
    page = client.get(link.url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(link.url, data=link.valid_answers(csrf_token=token))
    assert response.status_code == 302
    assert count_responses(app) == 1


def test_answers_without_csrf_token_get_a_translated_retry_page(app, client, personal_link, csrf_on):
    link = personal_link(language="pl")
    response = client.post(link.url, data=link.valid_answers())
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Spróbuj ponownie" in page and '<html lang="pl"' in page and "app-nav" not in page
    assert count_responses(app) == 0
