"""Building journey maps: the map itself, its ordered stages, their touchpoints and the personas.

Survey questions and stored answers point at stages and touchpoints (RESTRICT), and invitations and
responses at personas; whatever they use cannot be removed, so that nothing already stored is lost.
Every function here adds and flushes; the request or command that called it commits.
"""
from collections.abc import Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from webapp.extensions import db
from webapp.invitations.models import Invitation
from webapp.maps.models import JourneyMap, MapKind, Persona, Stage, Touchpoint
from webapp.responses.models import Answer, Response
from webapp.surveys.models import Question, Survey

MAP_NAME_LENGTH = JourneyMap.__table__.c.name.type.length
STAGE_NAME_LENGTH = Stage.__table__.c.name.type.length
TOUCHPOINT_NAME_LENGTH = Touchpoint.__table__.c.name.type.length
PERSONA_NAME_LENGTH = Persona.__table__.c.name.type.length
# Descriptions are TEXT columns; these limits keep them readable on a map.
DESCRIPTION_LENGTH = 2000
PERSONA_DESCRIPTION_LENGTH = 500

CHANNELS = {
    "website": _l("Website"),
    "cart": _l("Cart"),
    "e-mail": _l("E-mail"),
    "phone": _l("Phone"),
    "chat": _l("Chat"),
    "store": _l("Store"),
    "app": _l("App"),
    "social": _l("Social media"),
    "other": _l("Other"),
}

# Stored in English as the marketer's own data: they rename them like anything they typed.
DEFAULT_STAGES = (
    ("Awareness", (("Website", "website"), ("Social media", "social"), ("Advertising", "other"))),
    ("Evaluation", (("Website", "website"), ("Chat", "chat"), ("Reviews", "other"))),
    ("Purchase", (("Cart", "cart"), ("Checkout", "cart"), ("Payment", "website"))),
    ("Post-purchase service", (("E-mail", "e-mail"), ("Phone", "phone"), ("Chat", "chat"))),
    ("Loyalty", (("E-mail", "e-mail"), ("Store", "store"), ("App", "app"))),
)

UP, DOWN = "up", "down"

STAGE_TAKEN = _l("This map already has a stage called %(name)s.")
TOUCHPOINT_TAKEN = _l("This stage already has a touchpoint called %(name)s.")
PERSONA_TAKEN = _l("This map already has a persona called %(name)s.")


class MapError(ValueError):
    """A journey map cannot be changed as asked; the message says why, in words a marketer understands.

    `field` names the form field the problem belongs to, where there is one.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _checked_name(name: str, max_length: int) -> str:
    name = (name or "").strip()
    if not name:
        raise MapError(_("Please enter a name."), field="name")
    if len(name) > max_length:
        raise MapError(_("Please keep the name to %(count)d characters.", count=max_length), field="name")
    return name


def _checked_description(description: str, max_length: int = DESCRIPTION_LENGTH) -> str:
    description = (description or "").strip()
    if len(description) > max_length:
        raise MapError(
            _("Please keep the description to %(count)d characters.", count=max_length), field="description"
        )
    return description


def _checked_channel(channel: str) -> str:
    if channel not in CHANNELS:
        raise MapError(_("Please choose a channel from the list."), field="channel")
    return channel


def _unique_name(name: str, max_length: int, siblings, taken_message) -> str:
    """The trimmed name, refused when one of `siblings` has it already (ignoring case): people pick by name."""
    name = _checked_name(name, max_length)
    if any(sibling.name.casefold() == name.casefold() for sibling in siblings):
        raise MapError(taken_message % {"name": name}, field="name")
    return name


def _renumber(items) -> None:
    """Keep positions contiguous from 0 in the order given."""
    for position, item in enumerate(items):
        item.position = position


def _checked_improves_on(kind: MapKind, improves_on_id: int | None, journey_map: JourneyMap | None = None):
    """The as-is map an ideal map improves on; None for an as-is map."""
    if kind == MapKind.AS_IS:
        if improves_on_id is not None:
            raise MapError(_("An as-is map cannot improve on another map."), field="improves_on")
        return None
    if improves_on_id is None:
        raise MapError(_("Please choose the as-is map this ideal map improves on."), field="improves_on")
    improves_on = db.session.get(JourneyMap, improves_on_id)
    if improves_on is None or improves_on is journey_map or improves_on.kind != MapKind.AS_IS:
        raise MapError(_("An ideal map can only improve on an as-is map."), field="improves_on")
    return improves_on


def as_is_maps() -> list[JourneyMap]:
    """The maps an ideal map may improve on, by name."""
    return list(
        db.session.scalars(select(JourneyMap).where(JourneyMap.kind == MapKind.AS_IS).order_by(JourneyMap.name))
    )


def ideal_maps_of(journey_map: JourneyMap) -> list[JourneyMap]:
    """The ideal maps that improve on this map, by name."""
    return list(
        db.session.scalars(
            select(JourneyMap).where(JourneyMap.improves_on_id == journey_map.id).order_by(JourneyMap.name)
        )
    )


def create_map(
    name: str,
    description: str,
    kind: MapKind | str,
    personas: Sequence[tuple[str, str] | str],
    improves_on_id: int | None = None,
    stages: Sequence[tuple[str, Sequence[tuple[str, str]]] | str] | None = None,
) -> JourneyMap:
    """Add a journey map with its personas and stages (the five default ones unless given).

    `personas` are (name, description) pairs or bare names; `stages` are (name, [(touchpoint, channel), ...])
    pairs or bare names.
    """
    try:
        kind = MapKind(kind)
    except ValueError:
        raise MapError(_("Please choose as-is or ideal."), field="kind") from None
    journey_map = JourneyMap(
        name=_checked_name(name, MAP_NAME_LENGTH),
        description=_checked_description(description),
        kind=kind,
        improves_on=_checked_improves_on(kind, improves_on_id),
    )
    if not personas:
        raise MapError(_("Please describe at least one persona."), field="personas")
    try:
        for persona in personas:
            persona_name, persona_description = (persona, "") if isinstance(persona, str) else persona
            add_persona(journey_map, persona_name, persona_description)
    except MapError as error:
        raise MapError(str(error), field="personas") from None
    stages = DEFAULT_STAGES if stages is None else stages
    if not stages:
        raise MapError(_("A map needs at least one stage."), field="stages")
    try:
        for stage_spec in stages:
            stage_name, touchpoints = (stage_spec, ()) if isinstance(stage_spec, str) else stage_spec
            stage = add_stage(journey_map, stage_name)
            for touchpoint_name, channel in touchpoints:
                add_touchpoint(stage, touchpoint_name, channel)
    except MapError as error:
        raise MapError(str(error), field="stages") from None
    db.session.add(journey_map)
    db.session.flush()
    return journey_map


def update_map(journey_map: JourneyMap, name: str, description: str, improves_on_id: int | None = None) -> None:
    """Rename and describe a map; an ideal map may change the as-is map it improves on."""
    name, description = _checked_name(name, MAP_NAME_LENGTH), _checked_description(description)
    improves_on = _checked_improves_on(journey_map.kind, improves_on_id, journey_map)
    journey_map.name, journey_map.description, journey_map.improves_on = name, description, improves_on
    db.session.flush()


def delete_map(journey_map: JourneyMap) -> None:
    """Delete a map with its stages, touchpoints and personas, unless a survey or an ideal map uses it."""
    surveys = db.session.scalars(select(Survey.name).where(Survey.map_id == journey_map.id).order_by(Survey.name))
    survey_names = ", ".join(surveys)
    if survey_names:
        raise MapError(_("Surveys use this map (%(names)s), so it cannot be deleted.", names=survey_names))
    ideal_maps = ideal_maps_of(journey_map)
    if ideal_maps:
        raise MapError(
            _(
                "Ideal maps improve on this map (%(names)s); delete them first.",
                names=", ".join(ideal_map.name for ideal_map in ideal_maps),
            )
        )
    db.session.delete(journey_map)
    db.session.flush()


def add_stage(journey_map: JourneyMap, name: str, description: str = "") -> Stage:
    """Add a stage at the end of the map."""
    name = _unique_name(name, STAGE_NAME_LENGTH, journey_map.stages, STAGE_TAKEN)
    stage = Stage(name=name, description=_checked_description(description), position=len(journey_map.stages))
    journey_map.stages.append(stage)
    db.session.flush()
    return stage


def update_stage(stage: Stage, name: str, description: str = "") -> None:
    """Rename and describe a stage; its questions and answers follow it."""
    others = [sibling for sibling in stage.journey_map.stages if sibling is not stage]
    name = _unique_name(name, STAGE_NAME_LENGTH, others, STAGE_TAKEN)
    stage.name, stage.description = name, _checked_description(description)
    db.session.flush()


def move_stage(stage: Stage, direction: str) -> None:
    """Swap a stage with its neighbour before (`up`) or after (`down`) it; at either end, nothing moves."""
    if direction not in (UP, DOWN):
        raise MapError(_("A stage moves up or down."))
    stages = list(stage.journey_map.stages)
    index = stages.index(stage)
    neighbour = index - 1 if direction == UP else index + 1
    if 0 <= neighbour < len(stages):
        stages[index], stages[neighbour] = stages[neighbour], stages[index]
    _renumber(stages)
    db.session.flush()
    # The loaded collection keeps its old order until reloaded by position.
    db.session.expire(stage.journey_map, ["stages"])


def _refuse_if_surveys_use(name: str, stage_ids: list[int], touchpoint_ids: list[int]) -> None:
    """Refuse to remove stages or touchpoints that survey questions or stored answers point at."""
    counts = []
    for model in (Question, Answer):
        condition = or_(model.stage_id.in_(stage_ids), model.touchpoint_id.in_(touchpoint_ids))
        counts.append(db.session.scalar(select(func.count(model.id)).where(condition)))
    questions, answers = counts
    if questions or answers:
        raise MapError(
            _(
                "Survey questions and answers point at %(name)s (questions: %(questions)d, answers: %(answers)d), "
                "so it cannot be removed. You can rename it instead.",
                name=name,
                questions=questions,
                answers=answers,
            )
        )


def remove_stage(stage: Stage) -> None:
    """Remove a stage and its touchpoints, unless it is the map's last or surveys use it."""
    journey_map = stage.journey_map
    if len(journey_map.stages) == 1:
        raise MapError(_("A map needs at least one stage, so its last stage cannot be removed."))
    _refuse_if_surveys_use(stage.name, [stage.id], [touchpoint.id for touchpoint in stage.touchpoints])
    journey_map.stages.remove(stage)
    _renumber(journey_map.stages)
    db.session.flush()


def add_touchpoint(stage: Stage, name: str, channel: str) -> Touchpoint:
    """Add a touchpoint at the end of a stage."""
    name = _unique_name(name, TOUCHPOINT_NAME_LENGTH, stage.touchpoints, TOUCHPOINT_TAKEN)
    touchpoint = Touchpoint(name=name, channel=_checked_channel(channel), position=len(stage.touchpoints))
    stage.touchpoints.append(touchpoint)
    db.session.flush()
    return touchpoint


def update_touchpoint(touchpoint: Touchpoint, name: str, channel: str) -> None:
    """Rename a touchpoint or change its channel."""
    others = [sibling for sibling in touchpoint.stage.touchpoints if sibling is not touchpoint]
    name = _unique_name(name, TOUCHPOINT_NAME_LENGTH, others, TOUCHPOINT_TAKEN)
    touchpoint.name, touchpoint.channel = name, _checked_channel(channel)
    db.session.flush()


def remove_touchpoint(touchpoint: Touchpoint) -> None:
    """Remove a touchpoint, unless survey questions or answers point at it."""
    _refuse_if_surveys_use(touchpoint.name, [], [touchpoint.id])
    stage = touchpoint.stage
    stage.touchpoints.remove(touchpoint)
    _renumber(stage.touchpoints)
    db.session.flush()


def add_persona(journey_map: JourneyMap, name: str, description: str = "") -> Persona:
    """Add a persona to a map."""
    name = _unique_name(name, PERSONA_NAME_LENGTH, journey_map.personas, PERSONA_TAKEN)
    persona = Persona(
        name=name,
        description=_checked_description(description, PERSONA_DESCRIPTION_LENGTH),
        position=len(journey_map.personas),
    )
    journey_map.personas.append(persona)
    db.session.flush()
    return persona


def update_persona(persona: Persona, name: str, description: str = "") -> None:
    """Rename or describe a persona."""
    others = [sibling for sibling in persona.journey_map.personas if sibling is not persona]
    name = _unique_name(name, PERSONA_NAME_LENGTH, others, PERSONA_TAKEN)
    persona.name, persona.description = name, _checked_description(description, PERSONA_DESCRIPTION_LENGTH)
    db.session.flush()


def remove_persona(persona: Persona) -> None:
    """Remove a persona, unless it is the map's last or invitations or responses are about it."""
    journey_map = persona.journey_map
    if len(journey_map.personas) == 1:
        raise MapError(_("A map needs at least one persona, so its last persona cannot be removed."))
    invitations = db.session.scalar(select(func.count(Invitation.id)).where(Invitation.persona_id == persona.id))
    responses = db.session.scalar(select(func.count(Response.id)).where(Response.persona_id == persona.id))
    if invitations or responses:
        raise MapError(
            _(
                "Invitations and responses are about %(name)s (invitations: %(invitations)d, responses: "
                "%(responses)d), so it cannot be removed. You can rename it instead.",
                name=persona.name,
                invitations=invitations,
                responses=responses,
            )
        )
    journey_map.personas.remove(persona)
    _renumber(journey_map.personas)
    db.session.flush()
