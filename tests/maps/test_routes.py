"""Journey map pages: listing, creating, viewing and editing maps through the forms."""
import re

import pytest
from sqlalchemy import select

from tests.builders import build_map, build_survey, stage_named
from webapp.auth.models import Role
from webapp.extensions import db
from webapp.maps.models import JourneyMap, MapKind, Stage


@pytest.fixture
def saved_map(app):
    """Builder: a committed map (five stages, two personas); returns its id."""

    def build(with_survey: bool = False, **kwargs) -> int:
        with app.app_context():
            journey_map = build_map(**kwargs)
            if with_survey:
                build_survey(journey_map)
            db.session.commit()
            return journey_map.id

    return build


def stage_id(app, map_id: int, name: str) -> int:
    with app.app_context():
        return stage_named(db.session.get(JourneyMap, map_id), name).id


def stored_stage_names(app, map_id: int) -> list[str]:
    with app.app_context():
        return [stage.name for stage in db.session.get(JourneyMap, map_id).stages]


def stages_on_page(html: str) -> list[str]:
    """Stage names in the order the map page shows them."""
    journey = html[html.index('<ol class="journey">'):]
    return re.findall(r"<h3>(.*?)</h3>", journey)


NEW_MAP = {
    "name": "Online shop",
    "description": "Orders placed on the web shop",
    "kind": "as-is",
    "improves_on": "",
    "personas-0-name": "Office manager",
    "personas-0-description": "Orders supplies for her team",
    "personas-1-name": "",
    "personas-1-description": "",
}


# Access


def test_signed_out_visitor_is_sent_to_sign_in_from_the_new_map_page(client):
    response = client.get("/maps/new")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_support_staff_may_view_a_map(client, sign_in, saved_map):
    map_id = saved_map()
    sign_in(Role.SUPPORT)
    response = client.get(f"/maps/{map_id}")
    assert response.status_code == 200
    assert "Edit map" not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/maps/new", "/maps/{id}/edit", "/maps/{id}/delete"])
def test_support_staff_get_403_on_editing_pages(client, sign_in, saved_map, path):
    map_id = saved_map()
    sign_in(Role.SUPPORT)
    assert client.get(path.format(id=map_id)).status_code == 403


def test_support_staff_cannot_remove_a_stage(app, client, sign_in, saved_map):
    map_id = saved_map()
    sign_in(Role.SUPPORT)
    response = client.post(f"/maps/{map_id}/stages/{stage_id(app, map_id, 'Loyalty')}/remove")
    assert response.status_code == 403
    assert "Loyalty" in stored_stage_names(app, map_id)


def test_unknown_map_gives_404(client, sign_in):
    sign_in(Role.MARKETER)
    assert client.get("/maps/999999").status_code == 404


def test_a_stage_of_another_map_gives_404(app, client, sign_in, saved_map):
    map_id, other_map_id = saved_map(), saved_map(name="Other")
    sign_in(Role.MARKETER)
    response = client.post(f"/maps/{map_id}/stages/{stage_id(app, other_map_id, 'Loyalty')}/remove")
    assert response.status_code == 404
    assert "Loyalty" in stored_stage_names(app, other_map_id)


# The list


def test_map_list_shows_each_map_with_kind_stage_count_and_personas(client, sign_in, saved_map):
    map_id = saved_map(name="Online shop", personas=("Office manager", "Student"))
    sign_in(Role.MARKETER)
    html = client.get("/").get_data(as_text=True)
    assert f'href="/maps/{map_id}"' in html
    assert "As-is" in html
    assert "5 stages" in html
    assert "Office manager, Student" in html
    assert "New map" in html


def test_map_list_offers_no_new_map_button_to_support_staff(client, sign_in, saved_map):
    saved_map()
    sign_in(Role.SUPPORT)
    assert "New map" not in client.get("/").get_data(as_text=True)


# Creating


def test_marketer_creates_a_map_and_finds_its_default_stages_on_the_map_page(app, client, sign_in):
    sign_in(Role.MARKETER)
    response = client.post("/maps/new", data=NEW_MAP)
    assert response.status_code == 302
    with app.app_context():
        journey_map = db.session.scalar(select(JourneyMap).where(JourneyMap.name == "Online shop"))
        assert [persona.name for persona in journey_map.personas] == ["Office manager"]
        map_id = journey_map.id
    html = client.get(f"/maps/{map_id}").get_data(as_text=True)
    assert stages_on_page(html) == ["Awareness", "Evaluation", "Purchase", "Post-purchase service", "Loyalty"]
    assert "Orders supplies for her team" in html
    assert "Social media" in html


def test_new_map_without_a_persona_is_refused(app, client, sign_in):
    sign_in(Role.MARKETER)
    response = client.post("/maps/new", data=NEW_MAP | {"personas-0-name": "", "personas-0-description": ""})
    assert response.status_code == 422
    assert "Please describe at least one persona." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(JourneyMap)).all() == []


def test_new_map_persona_description_without_a_name_is_refused(client, sign_in):
    sign_in(Role.MARKETER)
    response = client.post("/maps/new", data=NEW_MAP | {"personas-1-description": "Buys once a year"})
    assert response.status_code == 422
    assert "Please give this persona a name." in response.get_data(as_text=True)


def test_new_map_name_over_the_limit_is_refused(client, sign_in):
    sign_in(Role.MARKETER)
    response = client.post("/maps/new", data=NEW_MAP | {"name": "x" * 201})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_new_map_blank_name_is_refused_after_trimming(client, sign_in):
    sign_in(Role.MARKETER)
    response = client.post("/maps/new", data=NEW_MAP | {"name": "   "})
    assert response.status_code == 422


def test_adding_a_persona_row_keeps_what_was_typed(client, sign_in):
    sign_in(Role.MARKETER)
    response = client.post("/maps/new", data=NEW_MAP | {"add_persona": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Office manager"' in html
    assert 'name="personas-2-name"' in html


def test_ideal_map_without_the_map_it_improves_on_is_refused(client, sign_in, saved_map):
    saved_map()
    sign_in(Role.MARKETER)
    response = client.post("/maps/new", data=NEW_MAP | {"kind": "ideal", "name": "Better shop"})
    assert response.status_code == 422
    assert "Please choose the as-is map this ideal map improves on." in response.get_data(as_text=True)


def test_as_is_map_pointing_at_another_map_is_refused(client, sign_in, saved_map):
    as_is_id = saved_map()
    sign_in(Role.MARKETER)
    response = client.post("/maps/new", data=NEW_MAP | {"improves_on": str(as_is_id)})
    assert response.status_code == 422
    assert "An as-is map cannot improve on another map" in response.get_data(as_text=True)


def test_ideal_map_links_to_its_as_is_map_and_back(app, client, sign_in, saved_map):
    as_is_id = saved_map(name="Shop today")
    sign_in(Role.MARKETER)
    client.post("/maps/new", data=NEW_MAP | {"kind": "ideal", "name": "Shop tomorrow", "improves_on": str(as_is_id)})
    with app.app_context():
        ideal = db.session.scalar(select(JourneyMap).where(JourneyMap.kind == MapKind.IDEAL))
        ideal_id = ideal.id
    ideal_page = client.get(f"/maps/{ideal_id}").get_data(as_text=True)
    assert f'<a href="/maps/{as_is_id}">Shop today</a>' in ideal_page
    as_is_page = client.get(f"/maps/{as_is_id}").get_data(as_text=True)
    assert f'<a href="/maps/{ideal_id}">Shop tomorrow</a>' in as_is_page


def test_ideal_map_cannot_pick_an_ideal_map_to_improve_on(app, client, sign_in, saved_map):
    ideal_id = saved_map(name="Dream", kind=MapKind.IDEAL)
    sign_in(Role.MARKETER)
    response = client.post("/maps/new", data=NEW_MAP | {"kind": "ideal", "improves_on": str(ideal_id)})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(JourneyMap).where(JourneyMap.name == "Online shop")) is None


# Editing the map and its stages


def test_edit_page_shows_every_stage_with_its_touchpoints(client, sign_in, saved_map):
    map_id = saved_map()
    sign_in(Role.MARKETER)
    html = client.get(f"/maps/{map_id}/edit").get_data(as_text=True)
    assert 'value="Post-purchase service"' in html
    assert 'value="Social media"' in html


def test_marketer_renames_the_map(app, client, sign_in, saved_map):
    map_id = saved_map()
    sign_in(Role.MARKETER)
    response = client.post(f"/maps/{map_id}/edit", data={"map-name": " Web shop ", "map-description": "All orders"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(JourneyMap, map_id).name == "Web shop"


def test_renaming_the_map_to_nothing_shows_the_error_on_the_edit_page(app, client, sign_in, saved_map):
    map_id = saved_map(name="Online shop")
    sign_in(Role.MARKETER)
    response = client.post(f"/maps/{map_id}/edit", data={"map-name": "", "map-description": ""})
    assert response.status_code == 422
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="map-name"', response.get_data(as_text=True))
    with app.app_context():
        assert db.session.get(JourneyMap, map_id).name == "Online shop"


def test_moving_a_stage_up_changes_the_order_on_the_map_page(app, client, sign_in, saved_map):
    map_id = saved_map()
    sign_in(Role.MARKETER)
    response = client.post(
        f"/maps/{map_id}/stages/{stage_id(app, map_id, 'Loyalty')}/move", data={"direction": "up"}
    )
    assert response.status_code == 302
    html = client.get(f"/maps/{map_id}").get_data(as_text=True)
    assert stages_on_page(html)[-2:] == ["Loyalty", "Post-purchase service"]


def test_moving_a_stage_needs_a_direction(app, client, sign_in, saved_map):
    map_id = saved_map()
    sign_in(Role.MARKETER)
    response = client.post(f"/maps/{map_id}/stages/{stage_id(app, map_id, 'Loyalty')}/move", data={})
    assert response.status_code == 400
    assert stored_stage_names(app, map_id)[-1] == "Loyalty"


def test_marketer_adds_a_stage_at_the_end(app, client, sign_in, saved_map):
    map_id = saved_map()
    sign_in(Role.MARKETER)
    response = client.post(f"/maps/{map_id}/stages", data={"new-stage-name": "Renewal"})
    assert response.status_code == 302
    assert stored_stage_names(app, map_id)[-1] == "Renewal"


def test_adding_a_stage_with_a_taken_name_is_refused_with_a_message(app, client, sign_in, saved_map):
    map_id = saved_map()
    sign_in(Role.MARKETER)
    response = client.post(f"/maps/{map_id}/stages", data={"new-stage-name": "loyalty"})
    assert response.status_code == 422
    assert "This map already has a stage called loyalty." in response.get_data(as_text=True)
    assert len(stored_stage_names(app, map_id)) == 5


def test_an_invalid_part_form_is_pointed_to_from_the_top_of_the_edit_page(client, sign_in, saved_map):
    map_id = saved_map()
    sign_in(Role.MARKETER)
    html = client.post(f"/maps/{map_id}/stages", data={"new-stage-name": ""}).get_data(as_text=True)
    assert '<a href="#new-stage">Please correct the form marked below.</a>' in html
    assert 'id="new-stage"' in html


def test_marketer_renames_a_stage(app, client, sign_in, saved_map):
    map_id = saved_map()
    stage = stage_id(app, map_id, "Loyalty")
    sign_in(Role.MARKETER)
    response = client.post(
        f"/maps/{map_id}/stages/{stage}", data={f"stage-{stage}-name": "Coming back", f"stage-{stage}-description": ""}
    )
    assert response.status_code == 302
    assert stored_stage_names(app, map_id)[-1] == "Coming back"


def test_removing_a_stage_that_surveys_use_is_refused_with_a_message(app, client, sign_in, saved_map):
    map_id = saved_map(with_survey=True)
    sign_in(Role.MARKETER)
    response = client.post(f"/maps/{map_id}/stages/{stage_id(app, map_id, 'Purchase')}/remove")
    assert response.status_code == 409
    assert "Survey questions and answers point at Purchase" in response.get_data(as_text=True)
    assert "Purchase" in stored_stage_names(app, map_id)


def test_removing_an_unused_stage_keeps_positions_contiguous(app, client, sign_in, saved_map):
    map_id = saved_map()
    sign_in(Role.MARKETER)
    response = client.post(f"/maps/{map_id}/stages/{stage_id(app, map_id, 'Evaluation')}/remove")
    assert response.status_code == 302
    with app.app_context():
        stages = db.session.scalars(select(Stage).where(Stage.map_id == map_id).order_by(Stage.position)).all()
        assert [(stage.position, stage.name) for stage in stages] == [
            (0, "Awareness"), (1, "Purchase"), (2, "Post-purchase service"), (3, "Loyalty")
        ]


# Touchpoints and personas


def test_marketer_adds_a_touchpoint_and_sees_it_with_its_channel(app, client, sign_in, saved_map):
    map_id = saved_map()
    stage = stage_id(app, map_id, "Purchase")
    sign_in(Role.MARKETER)
    response = client.post(
        f"/maps/{map_id}/stages/{stage}/touchpoints",
        data={f"new-touchpoint-{stage}-name": "Invoice", f"new-touchpoint-{stage}-channel": "e-mail"},
    )
    assert response.status_code == 302
    html = client.get(f"/maps/{map_id}").get_data(as_text=True)
    assert re.search(r"<span>Invoice</span>\s*<span class=\"channel\">E-mail</span>", html)


def test_touchpoint_with_an_unknown_channel_is_refused(app, client, sign_in, saved_map):
    map_id = saved_map()
    stage = stage_id(app, map_id, "Purchase")
    sign_in(Role.MARKETER)
    response = client.post(
        f"/maps/{map_id}/stages/{stage}/touchpoints",
        data={f"new-touchpoint-{stage}-name": "Fax", f"new-touchpoint-{stage}-channel": "fax"},
    )
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)


def test_removing_a_touchpoint_that_surveys_use_is_refused(app, client, sign_in, saved_map):
    map_id = saved_map(with_survey=True)
    with app.app_context():
        cart_id = stage_named(db.session.get(JourneyMap, map_id), "Purchase").touchpoints[0].id
    sign_in(Role.MARKETER)
    response = client.post(f"/maps/{map_id}/touchpoints/{cart_id}/remove")
    assert response.status_code == 409
    assert "Survey questions and answers point at Cart" in response.get_data(as_text=True)


def test_marketer_renames_a_touchpoint(app, client, sign_in, saved_map):
    map_id = saved_map()
    with app.app_context():
        store_id = stage_named(db.session.get(JourneyMap, map_id), "Loyalty").touchpoints[1].id
    sign_in(Role.MARKETER)
    prefix = f"touchpoint-{store_id}"
    response = client.post(
        f"/maps/{map_id}/touchpoints/{store_id}", data={f"{prefix}-name": "Flagship store", f"{prefix}-channel": "store"}
    )
    assert response.status_code == 302
    assert "Flagship store" in client.get(f"/maps/{map_id}").get_data(as_text=True)


def test_marketer_adds_a_persona(client, sign_in, saved_map):
    map_id = saved_map()
    sign_in(Role.MARKETER)
    response = client.post(
        f"/maps/{map_id}/personas",
        data={"new-persona-name": "Procurement officer", "new-persona-description": "Needs approval"},
    )
    assert response.status_code == 302
    assert "Procurement officer" in client.get(f"/maps/{map_id}").get_data(as_text=True)


def test_removing_the_last_persona_is_refused(app, client, sign_in, saved_map):
    map_id = saved_map(personas=("Only one",))
    with app.app_context():
        persona_id = db.session.get(JourneyMap, map_id).personas[0].id
    sign_in(Role.MARKETER)
    response = client.post(f"/maps/{map_id}/personas/{persona_id}/remove")
    assert response.status_code == 409
    assert "its last persona cannot be removed" in response.get_data(as_text=True)


# Deleting


def test_marketer_deletes_a_map_no_survey_uses(app, client, sign_in, saved_map):
    map_id = saved_map()
    sign_in(Role.MARKETER)
    response = client.post(f"/maps/{map_id}/delete")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(JourneyMap, map_id) is None


def test_deleting_a_map_a_survey_uses_is_refused(app, client, sign_in, saved_map):
    map_id = saved_map(with_survey=True)
    sign_in(Role.MARKETER)
    response = client.post(f"/maps/{map_id}/delete")
    assert response.status_code == 409
    assert "Surveys use this map (After purchase)" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(JourneyMap, map_id) is not None


# CSRF


def check_csrf(app, monkeypatch) -> None:
    """From now on, check CSRF tokens as production does (the test app turns them off)."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def test_removing_a_stage_without_a_csrf_token_is_refused(app, client, sign_in, saved_map, monkeypatch):
    map_id = saved_map()
    sign_in(Role.MARKETER)
    check_csrf(app, monkeypatch)
    response = client.post(f"/maps/{map_id}/stages/{stage_id(app, map_id, 'Loyalty')}/remove")
    assert response.status_code == 400
    assert "Loyalty" in stored_stage_names(app, map_id)


def test_the_edit_page_buttons_carry_a_working_csrf_token(app, client, sign_in, saved_map, monkeypatch):
    map_id = saved_map()
    sign_in(Role.MARKETER)
    check_csrf(app, monkeypatch)
    remove_path = f"/maps/{map_id}/stages/{stage_id(app, map_id, 'Loyalty')}/remove"
    html = client.get(f"/maps/{map_id}/edit").get_data(as_text=True)
    button_form = re.search(f'action="{remove_path}"[^>]*>(.*?)</form>', html, re.DOTALL).group(1)
    token = re.search(r'name="csrf_token" value="([^"]+)"', button_form).group(1)
    response = client.post(remove_path, data={"csrf_token": token})
    assert response.status_code == 302
    assert "Loyalty" not in stored_stage_names(app, map_id)
