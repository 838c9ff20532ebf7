"""A marketer reads the demo map: switches persona, opens a blocker's quotes, downloads the poster, shares it."""
import pytest

from webapp.analysis.services import label_pending
from webapp.auth.models import Role
from webapp.demo import MAP_NAME, STAFF
from webapp.extensions import db
from webapp.maps.aggregates import fold_pending

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo_map(app, live_server):
    """The demo loaded, its answers labelled by the real classifier and folded into the map, as the jobs would."""
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert label_pending() > 0
        db.session.commit()
        fold_pending()
        db.session.commit()
    return live_server


def curve_of(page) -> str:
    return page.locator('[data-chart="curve"] svg').inner_html()


def valences(page) -> list[str]:
    """Each stage column's mean valence as shown."""
    return page.locator("#stages .valence-value").all_inner_texts()


def test_marketer_reads_the_demo_map_and_shares_it(browser, demo_map):
    _role, email, _name, password = next(account for account in STAFF if account[0] == Role.MARKETER)
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{demo_map}/sign-in")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name=MAP_NAME, exact=True).click()
    page.get_by_role("heading", name="Emotion curve").wait_for()
    everyone, everyone_valences = curve_of(page), valences(page)

    # Switching persona applies at once (the page's script submits the filter) and redraws the curve.
    page.get_by_label("Persona").select_option(label="Business buyer")
    page.wait_for_url("**persona=*")
    assert "survey=" not in page.url  # empty filters stay out of the shareable URL
    page.get_by_role("heading", name="Emotion curve").wait_for()
    assert curve_of(page) != everyone
    assert page.locator(".view-summary").get_by_text("Business buyer").is_visible()
    assert valences(page) != everyone_valences

    # A blocker's quotes open in a dialog, the evidence words marked.
    blocker = page.locator("a[data-quotes]").first
    blocker_name = blocker.inner_text()
    blocker.click()
    dialog = page.get_by_role("dialog")
    dialog.locator("blockquote").first.wait_for()
    assert dialog.get_by_role("heading", name=blocker_name).is_visible() or blocker_name in dialog.inner_text()
    assert dialog.locator("mark.evidence").count() > 0
    dialog.get_by_role("button", name="Close").click()
    assert not dialog.is_visible()

    # The one-page poster downloads as a PDF.
    page.get_by_text("Download", exact=True).first.click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Poster, A4 PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith("-poster-a4.pdf")
    with open(download.path(), "rb") as poster:
        assert poster.read(4) == b"%PDF"

    # A share link opens the map to someone signed out, read-only.
    page.get_by_role("button", name="Create a share link").click()
    share_url = page.locator("input[data-share-link]").first.input_value()
    assert "/shared/maps/" in share_url
    context.close()

    visitor = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    visitor.set_default_timeout(15_000)
    shared = visitor.new_page()
    shared.goto(share_url)
    shared.get_by_role("heading", name=MAP_NAME).wait_for()
    assert shared.get_by_text("Shared map, read-only.").is_visible()
    assert shared.locator('[data-chart="curve"] svg').count() == 1
    assert shared.get_by_role("button", name="Sign out").count() == 0
    assert shared.locator("a[data-quotes]").count() == 0
    assert shared.evaluate("document.documentElement.scrollWidth") <= 390
    visitor.close()
