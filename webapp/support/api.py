"""POST /api/complaints: help-desk and e-mail systems add outside complaints to the queue with an API token."""
from flask import Blueprint, jsonify, request
from werkzeug.exceptions import BadRequest

from webapp.database import utcnow
from webapp.extensions import csrf, db
from webapp.support.models import ItemOrigin
from webapp.support.services import (
    Actor,
    ComplaintInvalid,
    create_complaints,
    token_for,
)

api_bp = Blueprint("support_api", __name__)


def _problem(status: int, error: str, message: str, fields: dict | None = None):
    body = {"error": error, "message": message, "status": status}
    if fields:
        body["fields"] = fields
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="complaints"'
    return response


def _bearer_secret() -> str | None:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else None


@api_bp.route("/api/complaints", methods=["POST"])
@csrf.exempt  # a machine client with a bearer token, not a browser with a session: CSRF does not apply
def post_complaint():
    """Add one complaint: a JSON object with `text` and optionally channel, stage_id, touchpoint_id,
    order_id, customer_reference and language. Answers 201 with the item's id and machine labels."""
    token = token_for(_bearer_secret())
    if token is None:
        return _problem(401, "Unauthorized", "Send a valid API token as 'Authorization: Bearer <token>'.")
    if not request.is_json:
        return _problem(400, "Bad request", "The body must be JSON (Content-Type: application/json).")
    try:
        data = request.get_json()
    except BadRequest:
        return _problem(400, "Bad request", "The body is not valid JSON.")
    if not isinstance(data, dict):
        return _problem(400, "Bad request", "The body must be a JSON object.")
    try:
        [item] = create_complaints([data], ItemOrigin.API, Actor(name=f"api:{token.name}"))
    except ComplaintInvalid as error:
        if error.too_large:
            return _problem(413, "Too large", "The complaint's text is too long.", error.errors)
        return _problem(422, "Invalid complaint", "Some fields are missing or not valid.", error.errors)
    token.last_used_at = utcnow()
    db.session.flush()
    label = item.machine_label or {}
    return jsonify({
        "id": item.id, "status": item.status.value, "language": item.language,
        "labels": {"model": item.machine_model, "valence": label.get("valence"), "emotions": label.get("emotions"),
                   "blockers": label.get("blockers"), "complaint": label.get("complaint")},
    }), 201
