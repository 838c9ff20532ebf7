"""Read-only share links: a marketer makes one, anyone with it sees the map signed out, until it is revoked."""
import re

import pytest
from sqlalchemy import select

from tests.builders import build_map
from tests.maps.test_map_page import answer, fold_all, page, shop_survey
from webapp.auth.models import Role
from webapp.extensions import db
from webapp.maps.models import JourneyMap
from webapp.maps.sharing import (
    MapShareLink, active_share_links, create_share_link, revoke_share_link, shared_map_link,
)


@pytest.fixture
def shop(app):
    with app.app_context():
        journey_map = build_map()
        survey = shop_survey(journey_map)
        for n in range(5):
            answer(survey, f"v=-0.5 e=anger b=checkout_friction n={n}", persona=journey_map.personas[0], minutes=n)
        fold_all()
        return journey_map.id


def share(client, map_id: int) -> str:
    """Create a share link as the signed-in marketer; return its path."""
    response = client.post(f"/maps/{map_id}/share", follow_redirects=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Share link created." in html
    return re.search(r'value="http://localhost(/shared/maps/[^"]+)" data-share-link', html).group(1)


def test_a_signed_out_visitor_sees_the_shared_map_read_only(app, client, sign_in, shop):
    sign_in(Role.MARKETER)
    path = share(client, shop)
    visitor = app.test_client()
    response = visitor.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Online shop" in html and "Shared map, read-only." in html
    assert "<svg" in html and "Checkout friction" in html and "−0.50" in html
    # Nothing to change, and not the customers' own words.
    for staff_only in ("Edit map", "Share read-only", "Sign out", "/blockers/", 'href="/maps/'):
        assert staff_only not in html, staff_only
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response.headers["X-Robots-Tag"]


def test_the_shared_page_keeps_its_filters_and_downloads_in_the_shared_links(app, client, sign_in, shop):
    sign_in(Role.MARKETER)
    path = share(client, shop)
    visitor = app.test_client()
    with app.app_context():
        persona_id = db.session.scalar(select(MapShareLink)).journey_map.personas[0].id
    html = page(visitor, f"{path}?persona={persona_id}")
    assert f'{path}/charts/poster.pdf?paper=a4&amp;persona={persona_id}' in html
    poster = visitor.get(f"{path}/charts/poster.pdf?persona={persona_id}")
    assert poster.status_code == 200 and poster.data.startswith(b"%PDF")
    figures = visitor.get(f"{path}/figures.csv")
    assert figures.status_code == 200 and "checkout_friction" in figures.get_data(as_text=True)
    assert visitor.get(f"{path}?persona=0").status_code == 400


def test_a_revoked_link_gives_a_friendly_not_found_page_everywhere(app, client, sign_in, shop):
    sign_in(Role.MARKETER)
    path = share(client, shop)
    with app.app_context():
        link_id = db.session.scalar(select(MapShareLink.id))
    revoked = client.post(f"/maps/{shop}/share/{link_id}/revoke", follow_redirects=True)
    assert "Share link revoked" in revoked.get_data(as_text=True)
    assert path not in revoked.get_data(as_text=True)
    visitor = app.test_client()
    for url in (path, f"{path}/charts/curve.png", f"{path}/figures.csv"):
        response = visitor.get(url)
        assert response.status_code == 404
        assert "This shared map is not available" in response.get_data(as_text=True)


def test_an_unknown_token_is_not_found(client):
    response = client.get("/shared/maps/" + "x" * 43)
    assert response.status_code == 404 and "This shared map is not available" in response.get_data(as_text=True)
    assert client.get("/shared/maps/" + "x" * 500).status_code == 404


def test_tokens_are_long_random_and_one_map_may_have_several(app_context):
    journey_map = build_map()
    links = [create_share_link(journey_map, None) for _ in range(3)]
    tokens = {link.token for link in links}
    assert len(tokens) == 3 and all(len(token) >= 43 for token in tokens)  # 32 random bytes
    assert active_share_links(journey_map) == links[::-1]
    revoke_share_link(links[0])
    first_revoked_at = links[0].revoked_at
    revoke_share_link(links[0])
    assert links[0].revoked_at == first_revoked_at
    assert shared_map_link(links[0].token) is None and shared_map_link(links[1].token) is links[1]
    assert links[0] not in active_share_links(journey_map)


def test_only_marketers_share_and_revoke(app, client, sign_in, shop):
    with app.app_context():
        link = create_share_link(db.session.get(JourneyMap, shop), None)
        db.session.commit()
        link_id = link.id
    sign_in(Role.SUPPORT)
    assert client.post(f"/maps/{shop}/share").status_code == 403
    assert client.post(f"/maps/{shop}/share/{link_id}/revoke").status_code == 403


def test_a_link_of_another_map_cannot_be_revoked_through_this_one(app, client, sign_in, shop):
    with app.app_context():
        other = build_map("Other shop")
        link = create_share_link(other, None)
        db.session.commit()
        link_id = link.id
    sign_in(Role.MARKETER)
    assert client.post(f"/maps/{shop}/share/{link_id}/revoke").status_code == 404
