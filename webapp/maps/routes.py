"""Staff pages for journey maps: the list, the map page, and the marketer's editing pages.

The edit page holds one small form per map part. A sub-route that refuses its input renders the
whole edit page again with that form's errors in place (422), or with the reason a removal was
refused (409); either way the request is rolled back.
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import Form

from webapp.auth.access import role_required
from webapp.auth.models import Role
from webapp.extensions import db
from webapp.maps import services
from webapp.maps.forms import (
    MAX_NEW_PERSONAS,
    ConfirmForm,
    MapForm,
    MoveForm,
    NewMapForm,
    PersonaForm,
    StageForm,
    TouchpointForm,
    chosen_map_id,
    improves_on_choices,
)
from webapp.maps.models import JourneyMap, MapKind, Persona, Stage, Touchpoint
from webapp.maps.services import CHANNELS, MapError

bp = Blueprint("maps", __name__, template_folder="templates")

INVALID, REFUSED = 422, 409


def _add_error(form: Form, error: MapError) -> None:
    """Show a service's refusal next to the field it concerns, or above the form."""
    if error.field and error.field in form:
        form[error.field].errors.append(str(error))
    else:
        form.form_errors.append(str(error))


def _part_of_map(model, part_id: int, map_id: int, map_of=lambda part: part.map_id):
    """A stage, touchpoint or persona of this map, or 404."""
    part = db.get_or_404(model, part_id)
    if map_of(part) != map_id:
        abort(404)
    return part


@bp.route("/")
@role_required(Role.MARKETER, Role.SUPPORT)
def index():
    """List journey maps with their kind, stages and personas."""
    journey_maps = db.session.scalars(
        select(JourneyMap)
        .options(selectinload(JourneyMap.stages), selectinload(JourneyMap.personas))
        .order_by(JourneyMap.name, JourneyMap.id)
    ).all()
    return render_template("maps/index.html", journey_maps=journey_maps)


@bp.route("/maps/new", methods=["GET", "POST"])
@role_required(Role.MARKETER)
def new_map():
    """Create a journey map with its personas and the five default stages."""
    form = NewMapForm()
    if request.method == "GET":
        form.kind.data = request.args.get("kind", MapKind.AS_IS.value)
        form.improves_on.data = request.args.get("improves_on", "")
    form.improves_on.choices = improves_on_choices(services.as_is_maps())
    if "add_persona" in request.form:
        # Without JavaScript, another persona row is one more round trip that keeps what was typed.
        if len(form.personas) < MAX_NEW_PERSONAS:
            form.personas.append_entry()
        return render_template("maps/new.html", form=form)
    if form.validate_on_submit():
        try:
            journey_map = services.create_map(
                form.name.data,
                form.description.data,
                form.kind.data,
                form.persona_rows(),
                improves_on_id=chosen_map_id(form.improves_on),
            )
        except MapError as error:
            _add_error(form, error)
        else:
            flash(_("Map %(name)s created with five stages. Rename or change them below.", name=journey_map.name),
                  "success")
            return redirect(url_for("maps.edit_map", map_id=journey_map.id))
    return render_template("maps/new.html", form=form), 200 if request.method == "GET" else INVALID


@bp.route("/maps/<int:map_id>")
@role_required(Role.MARKETER, Role.SUPPORT)
def show_map(map_id: int):
    """Show a map: its stages in order with their touchpoints, its personas and related maps."""
    journey_map = db.get_or_404(JourneyMap, map_id)
    return render_template(
        "maps/show.html", journey_map=journey_map, ideal_maps=services.ideal_maps_of(journey_map), channels=CHANNELS
    )


def _edit_page(journey_map: JourneyMap, submitted: tuple[str, Form] | None = None, problem: str | None = None):
    """The edit page with a fresh form for every part, except the one just submitted, shown as sent."""
    forms = {"map": _map_form(journey_map, formdata=None, obj=journey_map)}
    if "improves_on" in forms["map"]:
        forms["map"].improves_on.data = str(journey_map.improves_on_id or "")
    forms["new-stage"] = StageForm(formdata=None, prefix="new-stage")
    forms["new-persona"] = PersonaForm(formdata=None, prefix="new-persona")
    for stage in journey_map.stages:
        forms[f"stage-{stage.id}"] = StageForm(formdata=None, obj=stage, prefix=f"stage-{stage.id}")
        forms[f"new-touchpoint-{stage.id}"] = TouchpointForm(formdata=None, prefix=f"new-touchpoint-{stage.id}")
        for touchpoint in stage.touchpoints:
            forms[f"touchpoint-{touchpoint.id}"] = TouchpointForm(
                formdata=None, obj=touchpoint, prefix=f"touchpoint-{touchpoint.id}"
            )
    for persona in journey_map.personas:
        forms[f"persona-{persona.id}"] = PersonaForm(formdata=None, obj=persona, prefix=f"persona-{persona.id}")
    invalid_part = None
    if submitted is not None:
        invalid_part, form = submitted
        forms[invalid_part] = form
    status = REFUSED if problem else INVALID if invalid_part else 200
    page = render_template(
        "maps/edit.html", journey_map=journey_map, forms=forms, problem=problem, invalid_part=invalid_part
    )
    return page, status


def _map_form(journey_map: JourneyMap, **kwargs) -> MapForm:
    """The map details form; only an ideal map picks the as-is map it improves on."""
    form = MapForm(prefix="map", **kwargs)
    if journey_map.kind == MapKind.IDEAL:
        form.improves_on.choices = improves_on_choices(services.as_is_maps())
    else:
        del form.improves_on
    return form


@bp.route("/maps/<int:map_id>/edit", methods=["GET", "POST"])
@role_required(Role.MARKETER)
def edit_map(map_id: int):
    """Show every editing form of a map; on POST, rename and describe the map."""
    journey_map = db.get_or_404(JourneyMap, map_id)
    if request.method == "GET":
        return _edit_page(journey_map)
    form = _map_form(journey_map)
    if form.validate_on_submit():
        improves_on_id = chosen_map_id(form.improves_on) if "improves_on" in form else None
        try:
            services.update_map(journey_map, form.name.data, form.description.data, improves_on_id)
        except MapError as error:
            _add_error(form, error)
        else:
            flash(_("Map details saved."), "success")
            return redirect(url_for("maps.edit_map", map_id=map_id))
    return _edit_page(journey_map, ("map", form))


def _saved(journey_map: JourneyMap, message: str, anchor: str):
    flash(message, "success")
    return redirect(url_for("maps.edit_map", map_id=journey_map.id, _anchor=anchor))


def _apply(journey_map: JourneyMap, key: str, form: Form, change, message: str, anchor: str):
    """Validate a part's form, make the change, and go back to the edit page; or show what was wrong."""
    if form.validate_on_submit():
        try:
            change()
        except MapError as error:
            _add_error(form, error)
        else:
            return _saved(journey_map, message, anchor)
    return _edit_page(journey_map, (key, form))


def _refusable(journey_map: JourneyMap, change, message: str, anchor: str):
    """Make a change a button asked for, or show why it was refused."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        change()
    except MapError as error:
        return _edit_page(journey_map, problem=str(error))
    return _saved(journey_map, message, anchor)


@bp.route("/maps/<int:map_id>/stages", methods=["POST"])
@role_required(Role.MARKETER)
def add_stage(map_id: int):
    """Add a stage at the end of the map."""
    journey_map = db.get_or_404(JourneyMap, map_id)
    form = StageForm(prefix="new-stage")
    return _apply(
        journey_map,
        "new-stage",
        form,
        lambda: services.add_stage(journey_map, form.name.data, form.description.data),
        _("Stage %(name)s added.", name=form.name.data),
        "stages",
    )


@bp.route("/maps/<int:map_id>/stages/<int:stage_id>", methods=["POST"])
@role_required(Role.MARKETER)
def update_stage(map_id: int, stage_id: int):
    """Rename or describe a stage."""
    journey_map = db.get_or_404(JourneyMap, map_id)
    stage = _part_of_map(Stage, stage_id, map_id)
    form = StageForm(prefix=f"stage-{stage.id}")
    return _apply(
        journey_map,
        f"stage-{stage.id}",
        form,
        lambda: services.update_stage(stage, form.name.data, form.description.data),
        _("Stage %(name)s saved.", name=form.name.data),
        f"stage-{stage.id}",
    )


@bp.route("/maps/<int:map_id>/stages/<int:stage_id>/move", methods=["POST"])
@role_required(Role.MARKETER)
def move_stage(map_id: int, stage_id: int):
    """Move a stage one place earlier or later in the journey."""
    journey_map = db.get_or_404(JourneyMap, map_id)
    stage = _part_of_map(Stage, stage_id, map_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    services.move_stage(stage, form.direction.data)
    return _saved(journey_map, _("Stage %(name)s moved.", name=stage.name), f"stage-{stage.id}")


@bp.route("/maps/<int:map_id>/stages/<int:stage_id>/remove", methods=["POST"])
@role_required(Role.MARKETER)
def remove_stage(map_id: int, stage_id: int):
    """Remove a stage with its touchpoints, unless surveys use it or it is the last."""
    journey_map = db.get_or_404(JourneyMap, map_id)
    stage = _part_of_map(Stage, stage_id, map_id)
    return _refusable(
        journey_map, lambda: services.remove_stage(stage), _("Stage %(name)s removed.", name=stage.name), "stages"
    )


@bp.route("/maps/<int:map_id>/stages/<int:stage_id>/touchpoints", methods=["POST"])
@role_required(Role.MARKETER)
def add_touchpoint(map_id: int, stage_id: int):
    """Add a touchpoint at the end of a stage."""
    journey_map = db.get_or_404(JourneyMap, map_id)
    stage = _part_of_map(Stage, stage_id, map_id)
    key = f"new-touchpoint-{stage.id}"
    form = TouchpointForm(prefix=key)
    return _apply(
        journey_map,
        key,
        form,
        lambda: services.add_touchpoint(stage, form.name.data, form.channel.data),
        _("Touchpoint %(name)s added.", name=form.name.data),
        f"stage-{stage.id}",
    )


def _touchpoint_of_map(touchpoint_id: int, map_id: int) -> Touchpoint:
    return _part_of_map(Touchpoint, touchpoint_id, map_id, map_of=lambda touchpoint: touchpoint.stage.map_id)


@bp.route("/maps/<int:map_id>/touchpoints/<int:touchpoint_id>", methods=["POST"])
@role_required(Role.MARKETER)
def update_touchpoint(map_id: int, touchpoint_id: int):
    """Rename a touchpoint or change its channel."""
    journey_map = db.get_or_404(JourneyMap, map_id)
    touchpoint = _touchpoint_of_map(touchpoint_id, map_id)
    key = f"touchpoint-{touchpoint.id}"
    form = TouchpointForm(prefix=key)
    return _apply(
        journey_map,
        key,
        form,
        lambda: services.update_touchpoint(touchpoint, form.name.data, form.channel.data),
        _("Touchpoint %(name)s saved.", name=form.name.data),
        f"stage-{touchpoint.stage_id}",
    )


@bp.route("/maps/<int:map_id>/touchpoints/<int:touchpoint_id>/remove", methods=["POST"])
@role_required(Role.MARKETER)
def remove_touchpoint(map_id: int, touchpoint_id: int):
    """Remove a touchpoint, unless surveys use it."""
    journey_map = db.get_or_404(JourneyMap, map_id)
    touchpoint = _touchpoint_of_map(touchpoint_id, map_id)
    return _refusable(
        journey_map,
        lambda: services.remove_touchpoint(touchpoint),
        _("Touchpoint %(name)s removed.", name=touchpoint.name),
        f"stage-{touchpoint.stage_id}",
    )


@bp.route("/maps/<int:map_id>/personas", methods=["POST"])
@role_required(Role.MARKETER)
def add_persona(map_id: int):
    """Add a persona to the map."""
    journey_map = db.get_or_404(JourneyMap, map_id)
    form = PersonaForm(prefix="new-persona")
    return _apply(
        journey_map,
        "new-persona",
        form,
        lambda: services.add_persona(journey_map, form.name.data, form.description.data),
        _("Persona %(name)s added.", name=form.name.data),
        "personas",
    )


@bp.route("/maps/<int:map_id>/personas/<int:persona_id>", methods=["POST"])
@role_required(Role.MARKETER)
def update_persona(map_id: int, persona_id: int):
    """Rename or describe a persona."""
    journey_map = db.get_or_404(JourneyMap, map_id)
    persona = _part_of_map(Persona, persona_id, map_id)
    key = f"persona-{persona.id}"
    form = PersonaForm(prefix=key)
    return _apply(
        journey_map,
        key,
        form,
        lambda: services.update_persona(persona, form.name.data, form.description.data),
        _("Persona %(name)s saved.", name=form.name.data),
        key,
    )


@bp.route("/maps/<int:map_id>/personas/<int:persona_id>/remove", methods=["POST"])
@role_required(Role.MARKETER)
def remove_persona(map_id: int, persona_id: int):
    """Remove a persona, unless it is the last or invitations or responses are about it."""
    journey_map = db.get_or_404(JourneyMap, map_id)
    persona = _part_of_map(Persona, persona_id, map_id)
    return _refusable(
        journey_map,
        lambda: services.remove_persona(persona),
        _("Persona %(name)s removed.", name=persona.name),
        "personas",
    )


@bp.route("/maps/<int:map_id>/delete", methods=["GET", "POST"])
@role_required(Role.MARKETER)
def delete_map(map_id: int):
    """Ask before deleting a whole map; delete it only when no survey or ideal map uses it."""
    journey_map = db.get_or_404(JourneyMap, map_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = journey_map.name
        try:
            services.delete_map(journey_map)
        except MapError as error:
            return render_template("maps/delete.html", journey_map=journey_map, form=form, problem=str(error)), REFUSED
        flash(_("Map %(name)s deleted.", name=name), "success")
        return redirect(url_for("maps.index"))
    return render_template("maps/delete.html", journey_map=journey_map, form=form, problem=None)
