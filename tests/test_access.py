"""Every staff page checks sign-in and role; only the customer's pages and sign-in are public."""
import re

import pytest

from webapp.auth.models import Role

PUBLIC_ENDPOINTS = {
    "static", "auth.sign_in",
    "responses.open_link", "responses.open_thanks", "responses.personal_link", "responses.personal_thanks",
    "maps.shared_map", "maps.shared_chart", "maps.shared_csv",  # a share link's token is its access check
    "support_api.post_complaint",  # an API token is its access check (tests/support/test_api.py)
}
def allowed(role: Role, endpoint: str) -> bool:
    """Support staff read maps and work the support queue; marketers do everything but staff accounts and
    support; anyone signs out."""
    if endpoint == "auth.sign_out":
        return True
    if role == Role.SUPPORT:
        return endpoint in {"maps.index", "maps.show_map", "maps.map_chart", "maps.map_csv", "maps.blocker_quotes"} \
            or endpoint.startswith("support.")
    return not endpoint.startswith(("auth.", "support.")) or endpoint == "support.agreement"


def staff_routes(app):
    """(endpoint, method, url) for every staff route, with 1 for each id in the URL."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        url = re.sub(r"<(?:int:)?(\w+)>", "1", rule.rule)
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield rule.endpoint, method, url


def test_there_are_staff_routes_to_check(app):
    assert len(list(staff_routes(app))) > 30


def test_signed_out_visitors_are_sent_to_sign_in_everywhere(app, client):
    for endpoint, method, url in staff_routes(app):
        response = client.open(url, method=method)
        assert response.status_code == 302, (endpoint, method, response.status_code)
        assert "/sign-in" in response.headers["Location"], endpoint


@pytest.mark.parametrize("role", [Role.SUPPORT, Role.MARKETER])
def test_staff_cannot_open_pages_of_other_roles(app, client, sign_in, role):
    sign_in(role)
    for endpoint, method, url in staff_routes(app):
        if allowed(role, endpoint):
            continue
        response = client.open(url, method=method)
        assert response.status_code == 403, (role, endpoint, method, response.status_code)
