"""Journey map rules, tested without HTTP."""
import pytest
from sqlalchemy import select

from tests.builders import build_invitation, build_map, build_response, build_survey, stage_named
from webapp.extensions import db
from webapp.maps.models import JourneyMap, MapKind, Persona, Stage, Touchpoint
from webapp.maps.services import (
    MapError,
    add_persona,
    add_stage,
    add_touchpoint,
    create_map,
    delete_map,
    ideal_maps_of,
    move_stage,
    remove_persona,
    remove_stage,
    remove_touchpoint,
    update_map,
    update_persona,
    update_stage,
    update_touchpoint,
)
from webapp.surveys.models import QuestionKind


@pytest.fixture(autouse=True)
def request_context(app):
    """Services phrase refusals in the interface language, which webapp.i18n reads from a request."""
    with app.test_request_context():
        yield


def stage_names(journey_map: JourneyMap) -> list[str]:
    db.session.expire(journey_map, ["stages"])
    return [stage.name for stage in journey_map.stages]


def positions(items) -> list[int]:
    return [item.position for item in items]


# Creating maps


def test_create_map_starts_with_the_five_default_stages_in_order():
    journey_map = create_map("Online shop", "", "as-is", [("Anna", "Buys for her team")])
    assert stage_names(journey_map) == ["Awareness", "Evaluation", "Purchase", "Post-purchase service", "Loyalty"]
    assert positions(journey_map.stages) == [0, 1, 2, 3, 4]


def test_create_map_gives_each_default_stage_its_touchpoints_and_channels():
    journey_map = create_map("Online shop", "", "as-is", ["Anna"])
    purchase = stage_named(journey_map, "Purchase")
    assert [(touchpoint.name, touchpoint.channel) for touchpoint in purchase.touchpoints] == [
        ("Cart", "cart"),
        ("Checkout", "cart"),
        ("Payment", "website"),
    ]
    loyalty = stage_named(journey_map, "Loyalty")
    assert [touchpoint.channel for touchpoint in loyalty.touchpoints] == ["e-mail", "store", "app"]


def test_create_map_stores_trimmed_names_and_personas():
    journey_map = create_map("  Online shop  ", " Our web shop ", MapKind.AS_IS, [(" Anna ", " Office manager ")])
    stored = db.session.get(JourneyMap, journey_map.id)
    assert (stored.name, stored.description) == ("Online shop", "Our web shop")
    assert [(persona.name, persona.description) for persona in stored.personas] == [("Anna", "Office manager")]


def test_create_map_uses_the_stages_given_instead_of_the_defaults():
    journey_map = create_map(
        "Support line", "", "as-is", ["Anna"], stages=[("Call", [("Hotline", "phone")]), "Follow-up"]
    )
    assert stage_names(journey_map) == ["Call", "Follow-up"]
    assert [touchpoint.name for touchpoint in journey_map.stages[0].touchpoints] == ["Hotline"]


def test_create_map_requires_a_persona():
    with pytest.raises(MapError, match="at least one persona") as error:
        create_map("Online shop", "", "as-is", [])
    assert error.value.field == "personas"
    assert db.session.scalars(select(JourneyMap)).all() == []


def test_create_map_refuses_a_blank_persona_name():
    with pytest.raises(MapError, match="enter a name") as error:
        create_map("Online shop", "", "as-is", ["Anna", "   "])
    assert error.value.field == "personas"


def test_create_map_refuses_a_name_longer_than_the_column():
    with pytest.raises(MapError, match="200 characters") as error:
        create_map("x" * 201, "", "as-is", ["Anna"])
    assert error.value.field == "name"


def test_create_map_refuses_an_unknown_kind():
    with pytest.raises(MapError, match="as-is or ideal"):
        create_map("Online shop", "", "future", ["Anna"])


def test_create_ideal_map_links_to_the_as_is_map_it_improves_on():
    as_is = build_map()
    ideal = create_map("Online shop, improved", "", "ideal", ["Anna"], improves_on_id=as_is.id)
    assert ideal.improves_on == as_is
    assert ideal_maps_of(as_is) == [ideal]


def test_create_ideal_map_requires_the_map_it_improves_on():
    with pytest.raises(MapError, match="as-is map this ideal map improves on"):
        create_map("Improved", "", "ideal", ["Anna"])


def test_create_ideal_map_cannot_improve_on_another_ideal_map():
    as_is = build_map()
    ideal = create_map("Improved", "", "ideal", ["Anna"], improves_on_id=as_is.id)
    with pytest.raises(MapError, match="only improve on an as-is map"):
        create_map("Improved again", "", "ideal", ["Anna"], improves_on_id=ideal.id)


def test_create_as_is_map_cannot_point_at_another_map():
    as_is = build_map()
    with pytest.raises(MapError, match="as-is map cannot improve"):
        create_map("Copy", "", "as-is", ["Anna"], improves_on_id=as_is.id)


def test_update_map_renames_and_describes_it():
    journey_map = build_map()
    update_map(journey_map, " Web shop ", " All online orders ")
    stored = db.session.get(JourneyMap, journey_map.id)
    assert (stored.name, stored.description) == ("Web shop", "All online orders")


def test_update_map_keeps_the_old_name_when_the_new_one_is_refused():
    journey_map = build_map(name="Online shop")
    with pytest.raises(MapError):
        update_map(journey_map, "", "new description")
    assert (journey_map.name, journey_map.description) == ("Online shop", "Test map")


# Deleting maps


def test_delete_map_removes_it_with_its_stages_touchpoints_and_personas():
    journey_map = build_map()
    delete_map(journey_map)
    assert db.session.scalars(select(JourneyMap)).all() == []
    assert db.session.scalars(select(Stage)).all() == []
    assert db.session.scalars(select(Touchpoint)).all() == []
    assert db.session.scalars(select(Persona)).all() == []


def test_delete_map_is_refused_while_a_survey_uses_it():
    journey_map = build_map()
    build_survey(journey_map)
    with pytest.raises(MapError, match=r"Surveys use this map \(After purchase\)"):
        delete_map(journey_map)
    assert db.session.get(JourneyMap, journey_map.id) is not None


def test_delete_map_is_refused_while_an_ideal_map_improves_on_it():
    as_is = build_map(name="Today")
    create_map("Tomorrow", "", "ideal", ["Anna"], improves_on_id=as_is.id)
    with pytest.raises(MapError, match="Tomorrow"):
        delete_map(as_is)


# Stages


def test_add_stage_appends_it_at_the_end():
    journey_map = build_map()
    stage = add_stage(journey_map, "  Renewal ", "Second order")
    assert stage_names(journey_map)[-1] == "Renewal"
    assert stage.position == 5


def test_add_stage_refuses_a_name_the_map_already_has_ignoring_case():
    journey_map = build_map()
    with pytest.raises(MapError, match="already has a stage called purchase"):
        add_stage(journey_map, "purchase")
    assert len(stage_names(journey_map)) == 5


def test_update_stage_renames_it():
    journey_map = build_map()
    update_stage(stage_named(journey_map, "Loyalty"), "Coming back", "Second and later orders")
    assert stage_names(journey_map)[-1] == "Coming back"


def test_update_stage_may_keep_its_own_name():
    journey_map = build_map()
    stage = stage_named(journey_map, "Loyalty")
    update_stage(stage, "Loyalty", "Now described")
    assert stage.description == "Now described"


def test_update_stage_refuses_another_stage_name():
    journey_map = build_map()
    with pytest.raises(MapError, match="already has a stage"):
        update_stage(stage_named(journey_map, "Loyalty"), "Awareness")
    assert stage_names(journey_map)[-1] == "Loyalty"


def test_move_stage_up_swaps_it_with_the_one_before():
    journey_map = build_map()
    move_stage(stage_named(journey_map, "Purchase"), "up")
    assert stage_names(journey_map) == ["Awareness", "Purchase", "Evaluation", "Post-purchase service", "Loyalty"]
    assert positions(journey_map.stages) == [0, 1, 2, 3, 4]


def test_move_stage_down_swaps_it_with_the_one_after():
    journey_map = build_map()
    move_stage(stage_named(journey_map, "Awareness"), "down")
    assert stage_names(journey_map)[:2] == ["Evaluation", "Awareness"]


def test_move_first_stage_up_leaves_the_order_alone():
    journey_map = build_map()
    move_stage(stage_named(journey_map, "Awareness"), "up")
    assert stage_names(journey_map)[0] == "Awareness"
    assert positions(journey_map.stages) == [0, 1, 2, 3, 4]


def test_move_stage_refuses_an_unknown_direction():
    journey_map = build_map()
    with pytest.raises(MapError):
        move_stage(stage_named(journey_map, "Purchase"), "sideways")


def test_move_stage_repairs_positions_with_gaps():
    journey_map = build_map()
    for stage, position in zip(journey_map.stages, [0, 3, 7, 8, 20], strict=True):
        stage.position = position
    db.session.flush()
    move_stage(stage_named(journey_map, "Loyalty"), "up")
    assert positions(journey_map.stages) == [0, 1, 2, 3, 4]
    assert stage_names(journey_map)[-2:] == ["Loyalty", "Post-purchase service"]


def test_remove_stage_removes_its_touchpoints_and_keeps_positions_contiguous():
    journey_map = build_map()
    evaluation = stage_named(journey_map, "Evaluation")
    touchpoint_ids = [touchpoint.id for touchpoint in evaluation.touchpoints]
    remove_stage(evaluation)
    assert stage_names(journey_map) == ["Awareness", "Purchase", "Post-purchase service", "Loyalty"]
    assert positions(journey_map.stages) == [0, 1, 2, 3]
    assert all(db.session.get(Touchpoint, touchpoint_id) is None for touchpoint_id in touchpoint_ids)


def test_remove_stage_is_refused_while_survey_questions_use_it():
    journey_map = build_map()
    build_survey(journey_map)
    with pytest.raises(MapError, match=r"point at Purchase \(questions: 4, answers: 0\)"):
        remove_stage(stage_named(journey_map, "Purchase"))
    assert "Purchase" in stage_names(journey_map)


def test_remove_stage_counts_the_answers_that_point_at_it():
    journey_map = build_map()
    build_response(build_survey(journey_map), {QuestionKind.CSAT: 4})  # a Purchase question
    with pytest.raises(MapError, match=r"answers: 1\)"):
        remove_stage(stage_named(journey_map, "Purchase"))


def test_remove_stage_is_refused_for_the_last_stage():
    journey_map = create_map("Tiny", "", "as-is", ["Anna"], stages=["Only"])
    with pytest.raises(MapError, match="last stage"):
        remove_stage(journey_map.stages[0])
    assert stage_names(journey_map) == ["Only"]


# Touchpoints


def test_add_touchpoint_appends_it_to_the_stage():
    journey_map = build_map()
    purchase = stage_named(journey_map, "Purchase")
    touchpoint = add_touchpoint(purchase, " Invoice ", "e-mail")
    assert (touchpoint.name, touchpoint.channel, touchpoint.position) == ("Invoice", "e-mail", 2)


def test_add_touchpoint_refuses_an_unknown_channel():
    journey_map = build_map()
    with pytest.raises(MapError, match="channel") as error:
        add_touchpoint(stage_named(journey_map, "Purchase"), "Fax", "fax")
    assert error.value.field == "channel"


def test_add_touchpoint_refuses_a_name_the_stage_already_has():
    journey_map = build_map()
    with pytest.raises(MapError, match="already has a touchpoint called cart"):
        add_touchpoint(stage_named(journey_map, "Purchase"), "cart", "cart")


def test_update_touchpoint_renames_it_and_changes_its_channel():
    journey_map = build_map()
    touchpoint = stage_named(journey_map, "Loyalty").touchpoints[1]
    update_touchpoint(touchpoint, "Flagship store", "store")
    stored = db.session.get(Touchpoint, touchpoint.id)
    assert (stored.name, stored.channel) == ("Flagship store", "store")


def test_remove_touchpoint_keeps_positions_contiguous():
    journey_map = create_map("Shop", "", "as-is", ["Anna"])
    awareness = stage_named(journey_map, "Awareness")
    remove_touchpoint(awareness.touchpoints[0])
    assert [touchpoint.name for touchpoint in awareness.touchpoints] == ["Social media", "Advertising"]
    assert positions(awareness.touchpoints) == [0, 1]


def test_remove_touchpoint_is_refused_while_survey_questions_use_it():
    journey_map = build_map()
    build_survey(journey_map)
    cart = stage_named(journey_map, "Purchase").touchpoints[0]
    with pytest.raises(MapError, match="point at Cart"):
        remove_touchpoint(cart)
    assert db.session.get(Touchpoint, cart.id) is not None


# Personas


def test_add_persona_appends_it_to_the_map():
    journey_map = build_map()
    persona = add_persona(journey_map, " Procurement officer ", " Needs approval ")
    assert (persona.name, persona.description, persona.position) == ("Procurement officer", "Needs approval", 2)


def test_add_persona_refuses_a_description_over_the_limit():
    journey_map = build_map()
    with pytest.raises(MapError, match="500 characters") as error:
        add_persona(journey_map, "Anna", "x" * 501)
    assert error.value.field == "description"


def test_update_persona_renames_it():
    journey_map = build_map()
    update_persona(journey_map.personas[0], "New customer", "First order")
    assert [persona.name for persona in journey_map.personas] == ["New customer", "Regular"]


def test_remove_persona_keeps_positions_contiguous():
    journey_map = build_map(personas=("A", "B", "C"))
    remove_persona(journey_map.personas[0])
    assert [persona.name for persona in journey_map.personas] == ["B", "C"]
    assert positions(journey_map.personas) == [0, 1]


def test_remove_persona_is_refused_for_the_last_persona():
    journey_map = build_map(personas=("Only",))
    with pytest.raises(MapError, match="last persona"):
        remove_persona(journey_map.personas[0])


def test_remove_persona_is_refused_while_invitations_are_about_it():
    journey_map = build_map()
    build_invitation(build_survey(journey_map), persona=journey_map.personas[0])
    with pytest.raises(MapError, match=r"about First-time buyer \(invitations: 1, responses: 0\)"):
        remove_persona(journey_map.personas[0])
