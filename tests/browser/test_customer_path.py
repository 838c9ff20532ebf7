"""A customer answers their personal link on a phone, in Polish, and is stored exactly once."""
import pytest
from sqlalchemy import func, select

from tests.builders import build_invitation, build_survey
from webapp.extensions import db
from webapp.responses.models import Answer, Response

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TYPED = "Płatność BLIK poszła szybko, ale kod rabatowy nie działał."


@pytest.fixture
def polish_invitation_url(app, live_server):
    with app.app_context():
        invitation = build_invitation(build_survey(), language="pl")
        db.session.commit()
        return f"{live_server}/r/{invitation.token}"


def stored(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_customer_answers_in_polish_on_a_phone_exactly_once(app, browser, polish_invitation_url):
    context = browser.new_context(viewport=PHONE, locale="en-US", is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()

    page.goto(polish_invitation_url)
    assert page.locator("html").get_attribute("lang") == "pl"
    assert page.get_by_role("button", name="Wyślij odpowiedzi").is_visible()
    assert page.get_by_text("Bardzo niezadowolony").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_label("Opowiedz nam o płatności").fill(TYPED)
    page.get_by_role("group", name="Jak bardzo jesteś zadowolony?").get_by_role("radio", name="4").check()
    page.get_by_role("group", name="Jak się czułeś?").get_by_label("Ulga").check()

    page.reload()
    assert page.get_by_label("Opowiedz nam o płatności").input_value() == TYPED
    assert page.get_by_role("group", name="Jak bardzo jesteś zadowolony?").get_by_role("radio", name="4").is_checked()
    assert page.get_by_role("group", name="Jak się czułeś?").get_by_label("Ulga").is_checked()

    page.get_by_role("button", name="Wyślij odpowiedzi").click()
    page.get_by_role("heading", name="Dziękujemy!").wait_for()
    # The thank-you page forgets what was typed (waits for its script, which runs after the heading shows).
    page.wait_for_function("() => !Object.keys(localStorage).some(k => k.startsWith('journey-voice:draft:'))")

    page.go_back()
    send_again = page.get_by_role("button", name="Wyślij odpowiedzi")
    if send_again.count():  # the browser showed the old form from its cache: send it once more
        send_again.click()
        page.get_by_role("heading", name="Dziękujemy!").wait_for()
    else:
        page.get_by_role("heading", name="Odpowiedzi zostały już wysłane").wait_for()
    replay = context.request.post(polish_invitation_url, form={"submission_key": "0" * 32}, max_redirects=0)
    assert replay.status == 302 and "/thanks" in replay.headers["location"]

    context.close()
    assert stored(app, Response) == 1
    with app.app_context():
        answers = db.session.scalars(select(Answer)).all()
        assert {answer.language for answer in answers} == {"pl"}
        assert TYPED in [answer.text for answer in answers]
