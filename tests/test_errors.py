"""Error pages: clear, translated, never a traceback, and nothing half-written survives."""
import pytest
from sqlalchemy import func, select

from webapp import create_app
from webapp.extensions import db
from webapp.maps.models import JourneyMap


@pytest.fixture
def failing_app(app):
    """The test app's configuration plus a view that writes a row and then fails."""
    failing = create_app({**{k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY")}, "TESTING": True})
    failing.config["PROPAGATE_EXCEPTIONS"] = False

    @failing.route("/boom")
    def boom():
        db.session.add(JourneyMap(name="half-written"))
        db.session.flush()
        raise RuntimeError("unexpected")

    yield failing
    with failing.app_context():
        db.engine.dispose()


def test_unexpected_error_shows_500_page_and_stores_nothing(failing_app):
    response = failing_app.test_client().get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Something went wrong" in body
    assert "Traceback" not in body and "RuntimeError" not in body
    with failing_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(JourneyMap)) == 0


def test_unexpected_error_answers_json_clients_with_json(failing_app):
    response = failing_app.test_client().get("/boom", headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert response.get_json() == {
        "error": "Something went wrong",
        "message": "We could not finish your request. Nothing was saved; please try again.",
        "status": 500,
    }


def test_error_page_follows_browser_language(client):
    response = client.get("/no/such/page", headers={"Accept-Language": "pl-PL,pl;q=0.9"})
    assert response.status_code == 404
    assert 'lang="pl"' in response.get_data(as_text=True)
