"""Support works three items of the queue with the keyboard (confirms one, corrects one, resolves one), then
finds the correction in the item's audit trail and in the map's figures."""
import pytest
from sqlalchemy import select

from tests.builders import build_map, build_response, build_survey
from tests.conftest import TEST_PASSWORD
from webapp.analysis.services import label_pending
from webapp.auth.models import Role
from webapp.extensions import db
from webapp.maps.aggregates import fold_pending
from webapp.support.models import HumanLabel, ItemStatus, SupportItem
from webapp.support.services import enqueue_flagged_answers
from webapp.surveys.models import QuestionKind

pytestmark = pytest.mark.browser

CONFIRM = "The checkout keeps failing and nobody answers the phone, I am furious"
CORRECT = "My parcel arrived broken and the box was wet, I am very disappointed"
RESOLVE = "The price changed at checkout, this is unacceptable"


@pytest.fixture
def queue(app, live_server):
    """Three answers labelled by the real classifier and queued, as the jobs would; {text: item id}."""
    with app.app_context():
        journey_map = build_map()
        survey = build_survey(journey_map)
        for text in (CONFIRM, CORRECT, RESOLVE):
            build_response(survey, {QuestionKind.TEXT: text})
        db.session.commit()
        label_pending()
        assert enqueue_flagged_answers() == 3
        fold_pending()
        items = {item.text: item.id for item in db.session.scalars(select(SupportItem))}
        return live_server, journey_map.id, items


def open_item(page, item_id: int) -> None:
    """From the queue, j until the item is the current one, then Enter."""
    page.locator(".support-item").first.wait_for()
    # A key pressed before the page's script has run is lost, and the wait for the next page would time out
    # (it did once, on a loaded machine): wait for the page's load event, after its scripts.
    page.wait_for_load_state("load")
    for _ in range(10):
        page.keyboard.press("j")
        if page.evaluate("document.activeElement.getAttribute('href')") == f"/support/items/{item_id}":
            break
    else:
        raise AssertionError(f"j never reached item {item_id}: {page.locator('.item-link').all_inner_texts()}")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/support/items/{item_id}")


def untick(page, name: str) -> None:
    """Space on each ticked box of a label list (boxes found first: ticking changes what :checked matches)."""
    for value in page.locator(f"#{name} input:checked").evaluate_all("boxes => boxes.map(box => box.value)"):
        page.locator(f"#{name} input[value={value}]").focus()
        page.keyboard.press("Space")


def back_to_queue(page) -> None:
    page.wait_for_load_state("load")
    page.keyboard.press("u")
    page.wait_for_url("**/support")


def test_support_works_three_items_with_the_keyboard(app, browser, make_user, queue):
    base_url, map_id, items = queue
    user = make_user(Role.SUPPORT, name="Sam Support")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{base_url}/sign-in")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(f"{base_url}/support")

    open_item(page, items[CONFIRM])
    page.keyboard.press("c")
    page.get_by_text("Labels confirmed.").wait_for()

    back_to_queue(page)
    open_item(page, items[CORRECT])
    page.keyboard.press("e")  # the emotions open, the first one has the focus
    untick(page, "emotions")
    page.locator("#emotions input[value=fear]").focus()
    page.keyboard.press("Space")
    page.keyboard.press("b")
    untick(page, "blockers")
    page.locator("#blockers input[value=returns_friction]").focus()
    page.keyboard.press("Space")
    page.keyboard.press("s")
    page.get_by_text("Labels corrected.").wait_for()
    trail = page.locator("table.audit-trail").inner_text()
    assert "label corrected" in trail and "Sam Support" in trail and "returns_friction" in trail

    back_to_queue(page)
    open_item(page, items[RESOLVE])
    page.keyboard.press("r")
    page.get_by_text("Saved.").wait_for()
    assert "resolved" in page.locator("table.audit-trail").inner_text()
    context.close()

    with app.app_context():
        statuses = {item.text: item.status for item in db.session.scalars(select(SupportItem))}
        assert statuses[RESOLVE] == ItemStatus.RESOLVED
        labels = {label.item_id: label for label in db.session.scalars(select(HumanLabel))}
        assert labels[items[CONFIRM]].confirmed
        assert (labels[items[CORRECT]].emotions, labels[items[CORRECT]].blockers) == (["fear"], ["returns_friction"])
        fold_pending()  # as the fold job would
        from webapp.maps.insights import map_figures
        from webapp.maps.models import JourneyMap

        purchase = next(stage for stage in map_figures(db.session.get(JourneyMap, map_id)).stages
                        if stage.name == "Purchase")
        assert "fear" in [share.label for share in purchase.emotion_mix]
        assert "returns_friction" in [share.label for share in purchase.company_blockers]


def test_support_selects_every_item_on_the_page_and_resolves_them_at_once(app, browser, make_user, queue):
    base_url, _map_id, items = queue
    user = make_user(Role.SUPPORT, name="Bo")
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base_url}/sign-in")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{base_url}/support")
    page.get_by_label("Select every item on this page").check()
    assert page.locator('input[name="selected"]:checked').count() == 3
    page.locator("form#bulk select[name=status]").select_option("resolved")
    page.get_by_role("button", name="Apply to selected").click()
    page.get_by_text("3 items changed.").wait_for()
    context.close()
    with app.app_context():
        assert {item.status for item in db.session.scalars(select(SupportItem))} == {ItemStatus.RESOLVED}
