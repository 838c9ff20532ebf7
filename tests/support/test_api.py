"""POST /api/complaints: a help-desk system adds complaints with an API token; anything wrong is refused
with a JSON error naming the problem, and nothing is stored."""
import pytest
from sqlalchemy import func, select

from tests.builders import build_map, stage_named
from webapp import create_app
from webapp.extensions import db
from webapp.support.models import ApiToken, AuditEntry, ItemOrigin, SupportItem
from webapp.support.services import create_api_token

URL = "/api/complaints"
TEXT = "The checkout keeps failing and nobody answers the phone, I am furious"


@pytest.fixture
def token(app):
    with app.app_context():
        _token, secret = create_api_token("helpdesk")
        db.session.commit()
    return secret


def post(client, body, secret=None, **kwargs):
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    return client.post(URL, json=body, headers=headers, **kwargs)


def stored_items(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(SupportItem.id)))


def test_a_complaint_is_stored_with_machine_labels(app, client, token):
    with app.app_context():
        stage_id = stage_named(build_map(), "Purchase").id
        db.session.commit()
    response = post(client, {"text": TEXT, "channel": "e-mail", "stage_id": stage_id, "order_id": "A-1",
                             "customer_reference": "C-7"}, token)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "new" and body["language"] == "en"
    assert body["labels"]["complaint"] is True and "checkout_friction" in body["labels"]["blockers"]
    with app.app_context():
        item = db.session.get(SupportItem, body["id"])
        assert (item.origin, item.text, item.channel, item.stage_id, item.order_id, item.customer_reference) == (
            ItemOrigin.API, TEXT, "e-mail", stage_id, "A-1", "C-7")
        assert db.session.scalar(select(AuditEntry.actor)) == "api:helpdesk"
        assert db.session.scalar(select(ApiToken.last_used_at)) is not None


@pytest.mark.parametrize("secret", [None, "not-a-token"])
def test_a_missing_or_wrong_token_is_refused(app, client, token, secret):
    response = post(client, {"text": TEXT}, secret)
    assert response.status_code == 401
    assert response.get_json()["error"] == "Unauthorized" and "Bearer" in response.get_json()["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert stored_items(app) == 0


def test_a_revoked_token_is_refused(app, client, token, runner):
    assert runner.invoke(args=["support", "tokens", "revoke", "--name", "helpdesk"]).exit_code == 0
    assert post(client, {"text": TEXT}, token).status_code == 401


@pytest.mark.parametrize("data, message", [
    ("{not json", "not valid JSON"),
    ('["a list"]', "JSON object"),
])
def test_a_malformed_body_is_refused(app, client, token, data, message):
    response = client.post(URL, data=data, content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400 and message in response.get_json()["message"]
    assert stored_items(app) == 0


def test_a_body_that_is_not_json_is_refused(app, client, token):
    response = client.post(URL, data={"text": TEXT}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400 and "JSON" in response.get_json()["message"]


@pytest.mark.parametrize("body, field", [
    ({}, "text"),
    ({"text": "   "}, "text"),
    ({"text": TEXT, "stage_id": 999999}, "stage_id"),
    ({"text": TEXT, "order_id": "x" * 121}, "order_id"),
    ({"text": TEXT, "priority": "high"}, "priority"),
])
def test_bad_fields_are_refused_by_name(app, client, token, body, field):
    response = post(client, body, token)
    assert response.status_code == 422
    assert field in response.get_json()["fields"]
    assert stored_items(app) == 0


def test_an_oversized_text_is_refused(app, client, token):
    response = post(client, {"text": "x" * (app.config["SUPPORT_MAX_TEXT_LENGTH"] + 1)}, token)
    assert response.status_code == 413
    assert response.get_json()["fields"] == {"text": "too long: at most 5000 characters"}
    assert stored_items(app) == 0


def test_an_oversized_body_gets_a_json_error(app, client, token):
    response = post(client, {"text": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)}, token)
    assert response.status_code == 413 and response.get_json()["status"] == 413
    assert stored_items(app) == 0


def test_the_endpoint_needs_no_csrf_token_when_csrf_is_on(app, token):
    """Only this endpoint is exempt: the token, not a session cookie, is what authenticates it."""
    strict = create_app({**{key: app.config[key] for key in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI")},
                         "TESTING": True, "WTF_CSRF_ENABLED": True})
    response = post(strict.test_client(), {"text": TEXT}, token)
    assert response.status_code == 201
    assert strict.test_client().post("/sign-in", data={"email": "a@b.c", "password": "x"}).status_code == 400
    with strict.app_context():
        db.session.remove()
        db.engine.dispose()


def test_tokens_are_created_once_by_name_and_stored_hashed(app, runner):
    result = runner.invoke(args=["support", "tokens", "create", "--name", "helpdesk"])
    assert result.exit_code == 0
    secret = result.output.strip().splitlines()[-1]
    with app.app_context():
        stored = db.session.scalar(select(ApiToken))
        assert stored.name == "helpdesk" and secret not in stored.token_hash and len(stored.token_hash) == 64
    again = runner.invoke(args=["support", "tokens", "create", "--name", "helpdesk"])
    assert again.exit_code == 2 and "exists already" in again.output
    listed = runner.invoke(args=["support", "tokens", "list"])
    assert "helpdesk" in listed.output and "live" in listed.output and secret not in listed.output
