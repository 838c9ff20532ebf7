"""Staff pages for journey maps: the list, the map page with its downloads and quotes, and the editing pages;
and the read-only pages a share link opens without an account.

The edit page holds one small form per map part. A sub-route that refuses its input renders the
whole edit page again with that form's errors in place (422), or with the reason a removal was
refused (409); either way the request is rolled back.
"""
import hashlib
from dataclasses import dataclass

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import Form

from webapp.auth.access import role_required
from webapp.auth.models import Role, User
from webapp.csv_export import csv_download
from webapp.database import utcnow
from webapp.extensions import db
from webapp.labels import BLOCKERS
from webapp.maps import charts, insights, services, sharing
from webapp.maps import page as map_page
from webapp.maps.forms import (
    MAX_NEW_PERSONAS,
    ConfirmForm,
    MapForm,
    MoveForm,
    NewMapForm,
    PersonaForm,
    StageForm,
    StageTargetForm,
    TouchpointForm,
    chosen_map_id,
    improves_on_choices,
)
from webapp.maps.figures import MapFigures, MapFilters
from webapp.maps.insights import MapFilterError
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
    """The map page: stages as columns with their curve, mix, blockers and ratings, narrowed by the URL's filters."""
    journey_map = db.get_or_404(JourneyMap, map_id)
    return _map_page(journey_map, MapLinks(journey_map.id))


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


# --- The map page, its charts, numbers, quotes, targets and share links ------------------------------------

QUOTES_PER_PAGE = 10


@dataclass(frozen=True)
class MapLinks:
    """Where a map page's links lead: the staff pages, or with a token the read-only shared ones."""

    map_id: int
    token: str | None = None

    @property
    def shared(self) -> bool:
        return self.token is not None

    def _url(self, staff: str, shared: str, **args) -> str:
        if self.shared:
            return url_for(f"maps.{shared}", token=self.token, **args)
        return url_for(f"maps.{staff}", map_id=self.map_id, **args)

    def page(self, **args) -> str:
        return self._url("show_map", "shared_map", **args)

    def chart(self, chart: str, fmt: str, **args) -> str:
        return self._url("map_chart", "shared_chart", chart=chart, fmt=fmt, **args)

    def csv(self, **args) -> str:
        return self._url("map_csv", "shared_csv", **args)

    def quotes(self, stage_id: int, blocker: str, **args) -> str | None:
        """Quotes are real customers' words: staff only, never behind a share link."""
        if self.shared:
            return None
        return url_for("maps.blocker_quotes", map_id=self.map_id, stage_id=stage_id, blocker=blocker, **args)


def _parsed_view(journey_map: JourneyMap) -> tuple[MapFilters, str | None]:
    """The filters and comparison of the request's URL; MapFilterError names a bad one."""
    return insights.parse_map_filters(journey_map, request.args), insights.parse_comparison(request.args.get("compare"))


def _map_page(journey_map: JourneyMap, links: MapLinks, target_forms: dict[int, StageTargetForm] | None = None,
              status: int = 200):
    """Render the map page, or the same page with the filter's error (400) when the URL asks for the impossible."""
    ideal_map = insights.ideal_map_for(journey_map)
    choices = map_page.filter_choices(journey_map, has_ideal_map=ideal_map is not None)
    context = {
        "journey_map": journey_map, "links": links, "choices": choices, "channels": CHANNELS,
        "ideal_maps": services.ideal_maps_of(journey_map), "ideal_map": ideal_map, "filter_error": None,
        "figures": None, "charts": {}, "view_args": {}, "summary": [], "share_links": [],
        "target_forms": {}, "has_answers": False,
        "emotion_colours": charts.EMOTION_COLOURS, "stage_models": {stage.id: stage for stage in journey_map.stages},
    }
    if not links.shared and current_user.has_role(Role.MARKETER):
        context["share_links"] = sharing.active_share_links(journey_map)
        if journey_map.kind == MapKind.IDEAL:
            context["target_forms"] = {
                stage.id: (target_forms or {}).get(stage.id) or _target_form(stage) for stage in journey_map.stages
            }
    if journey_map.kind == MapKind.IDEAL:
        # An ideal map holds targets, not answers: its page is where they are set.
        return _page_response(render_template("maps/show.html", **context), status, links)
    try:
        filters, compare = _parsed_view(journey_map)
    except MapFilterError as error:
        context.update(filter_error=error, form_values=request.args)
        return _page_response(render_template("maps/show.html", **context), 400, links)
    figures = _view_figures(journey_map, filters, compare, ideal_map)
    context.update(
        figures=figures, form_values=request.args, view_args=map_page.view_args(filters, compare),
        has_answers=any(stage.valence.count or stage.ratings or stage.picked_emotions for stage in figures.stages),
        summary=map_page.filter_summary(filters, compare, choices, (figures.period_start, figures.period_end)),
        period_presets=map_page.period_presets(utcnow().date()),
    )
    if figures.labelled_answers:
        context["charts"] = map_page.inline_charts(journey_map, insights.figures_version(journey_map), figures)
    return _page_response(render_template("maps/show.html", **context), status, links)


def _view_figures(journey_map: JourneyMap, filters: MapFilters, compare: str | None,
                  ideal_map: JourneyMap | None = None) -> MapFigures:
    """The figures of one view; the ideal map is looked up only when its targets are compared with."""
    if compare == "target" and ideal_map is None:
        ideal_map = insights.ideal_map_for(journey_map)
    return insights.map_figures(journey_map, filters, compare, ideal_map=ideal_map if compare == "target" else None)


def _page_response(body, status: int, links: "MapLinks"):
    """A response that, on a shared page, keeps the token private: its URL is the credential, so it is never
    sent on as a referrer and never indexed."""
    response = make_response(body, status)
    if links.shared:
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _target_form(stage: Stage) -> StageTargetForm:
    form = StageTargetForm(formdata=None, prefix=f"targets-{stage.id}")
    form.target_valence.data = stage.target_valence
    form.target_emotions.data = list(stage.target_emotions or [])
    return form


def _filter_problem(journey_map: JourneyMap, error: MapFilterError, links: MapLinks):
    """A download or quotes page asked with a bad filter: the error page, with what was wrong (400)."""
    return _page_response(
        render_template("maps/filter_error.html", journey_map=journey_map, error=error, links=links), 400, links)


def _chart(journey_map: JourneyMap, chart: str, fmt: str, links: MapLinks):
    """A chart of the map as SVG, PNG or PDF, drawn once per change of its numbers."""
    if chart not in map_page.CHART_NAMES or fmt not in charts.FORMATS:
        abort(404)
    try:
        filters, compare = _parsed_view(journey_map)
    except MapFilterError as error:
        return _filter_problem(journey_map, error, links)
    paper = request.args.get("paper", "a4")
    if chart == map_page.POSTER and paper not in charts.PAPER_SIZES:
        return _filter_problem(journey_map, MapFilterError(_("Posters come in A4 or A3."), "paper"), links)
    version = insights.figures_version(journey_map)

    def figures() -> MapFigures:
        return _view_figures(journey_map, filters, compare)

    if chart == map_page.POSTER:
        choices = map_page.filter_choices(journey_map, has_ideal_map=compare == "target")
        summary = map_page.filter_summary(filters, compare, choices, insights.resolve_period(filters))
        subtitle = map_page.poster_subtitle(summary, utcnow().date())
        key = map_page.chart_key(journey_map, version, chart, fmt, filters, compare, paper, subtitle)
        data = map_page.cached_chart(key, lambda: charts.map_poster(figures(), journey_map.name, subtitle, paper), fmt)
    else:
        key = map_page.chart_key(journey_map, version, chart, fmt, filters, compare)
        data = map_page.cached_chart(key, lambda: map_page.PAGE_CHARTS[chart](figures()), fmt)
    response = _page_response(data, 200, links)
    response.mimetype = charts.FORMATS[fmt]
    name = f"{map_page.file_slug(journey_map.name)}-{chart}{'-' + paper if chart == map_page.POSTER else ''}.{fmt}"
    response.headers["Content-Disposition"] = f'{"inline" if fmt == "svg" else "attachment"}; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-cache"
    response.set_etag(hashlib.sha1(repr(key).encode()).hexdigest())
    return response.make_conditional(request)


def _csv(journey_map: JourneyMap, links: MapLinks):
    """The numbers of the page as CSV, one row per number, for the same filters."""
    try:
        filters, compare = _parsed_view(journey_map)
    except MapFilterError as error:
        return _filter_problem(journey_map, error, links)
    figures = _view_figures(journey_map, filters, compare)
    response = csv_download(f"{map_page.file_slug(journey_map.name)}-figures-{utcnow().date():%Y-%m-%d}.csv",
                            map_page.CSV_HEADER, map_page.csv_rows(figures), byte_order_mark=True)
    return _page_response(response, 200, links)


@bp.route("/maps/<int:map_id>/charts/<chart>.<fmt>")
@role_required(Role.MARKETER, Role.SUPPORT)
def map_chart(map_id: int, chart: str, fmt: str):
    """Download a chart (curve, mix, blockers, or the one-page poster) as SVG, PNG or PDF."""
    journey_map = db.get_or_404(JourneyMap, map_id)
    return _chart(journey_map, chart, fmt, MapLinks(map_id))


@bp.route("/maps/<int:map_id>/figures.csv")
@role_required(Role.MARKETER, Role.SUPPORT)
def map_csv(map_id: int):
    """Download the page's numbers as CSV."""
    journey_map = db.get_or_404(JourneyMap, map_id)
    return _csv(journey_map, MapLinks(map_id))


@bp.route("/maps/<int:map_id>/stages/<int:stage_id>/blockers/<blocker>")
@role_required(Role.MARKETER, Role.SUPPORT)
def blocker_quotes(map_id: int, stage_id: int, blocker: str):
    """The real answers behind a blocker of a stage, evidence marked; a bare fragment for the page's dialog."""
    journey_map = db.get_or_404(JourneyMap, map_id)
    stage = _part_of_map(Stage, stage_id, map_id)
    if blocker not in BLOCKERS:
        abort(404)
    try:
        filters, compare = _parsed_view(journey_map)
        page_number = request.args.get("page", "1")
        if not page_number.isdigit() or int(page_number) < 1:
            raise MapFilterError(_("Pages are counted from 1."), "page")
        quotes = insights.blocker_quotes(journey_map, stage.id, blocker, filters, page=int(page_number),
                                         per_page=QUOTES_PER_PAGE)
    except MapFilterError as error:
        return _filter_problem(journey_map, error, MapLinks(map_id))
    fragment = request.args.get("fragment") == "1"
    return render_template(
        "maps/_quotes.html" if fragment else "maps/quotes.html", journey_map=journey_map, stage=stage,
        blocker=blocker, quotes=quotes, view_args=map_page.view_args(filters, compare), links=MapLinks(map_id),
    )


@bp.route("/maps/<int:map_id>/stages/<int:stage_id>/targets", methods=["POST"])
@role_required(Role.MARKETER)
def set_stage_targets(map_id: int, stage_id: int):
    """Set what a stage of an ideal map should feel like: its target valence and emotions."""
    journey_map = db.get_or_404(JourneyMap, map_id)
    stage = _part_of_map(Stage, stage_id, map_id)
    if journey_map.kind != MapKind.IDEAL:
        abort(404)  # targets belong to the stages of ideal maps; an as-is map has no such form
    form = StageTargetForm(prefix=f"targets-{stage.id}")
    if form.validate_on_submit():
        try:
            insights.set_stage_targets(stage, form.target_valence.data, form.target_emotions.data)
        except MapError as error:
            _add_error(form, error)
        else:
            flash(_("Targets of %(stage)s saved.", stage=stage.name), "success")
            return redirect(url_for("maps.show_map", map_id=map_id, _anchor=f"targets-{stage.id}"))
    return _map_page(journey_map, MapLinks(map_id), target_forms={stage.id: form}, status=INVALID)


@bp.route("/maps/<int:map_id>/share", methods=["POST"])
@role_required(Role.MARKETER)
def share_map(map_id: int):
    """Make a read-only link to the map for people without an account."""
    journey_map = db.get_or_404(JourneyMap, map_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    sharing.create_share_link(journey_map, db.session.get(User, current_user.id))
    flash(_("Share link created. Anyone with it can see this map, read-only, until you revoke it."), "success")
    return redirect(url_for("maps.show_map", map_id=map_id, _anchor="share"))


@bp.route("/maps/<int:map_id>/share/<int:link_id>/revoke", methods=["POST"])
@role_required(Role.MARKETER)
def revoke_share_link(map_id: int, link_id: int):
    """Turn a share link off for good."""
    link = _part_of_map(sharing.MapShareLink, link_id, map_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    sharing.revoke_share_link(link)
    flash(_("Share link revoked: it no longer opens the map."), "success")
    return redirect(url_for("maps.show_map", map_id=map_id, _anchor="share"))


def _shared_link_or_404(token: str) -> sharing.MapShareLink:
    link = sharing.shared_map_link(token)
    if link is None:
        abort(make_response(render_template("maps/share_gone.html"), 404))
    return link


@bp.route("/shared/maps/<token>")
def shared_map(token: str):
    """A map page opened with a share link: read-only, no account needed."""
    link = _shared_link_or_404(token)
    return _map_page(link.journey_map, MapLinks(link.map_id, token))


@bp.route("/shared/maps/<token>/charts/<chart>.<fmt>")
def shared_chart(token: str, chart: str, fmt: str):
    """A chart of a shared map."""
    link = _shared_link_or_404(token)
    return _chart(link.journey_map, chart, fmt, MapLinks(link.map_id, token))


@bp.route("/shared/maps/<token>/figures.csv")
def shared_csv(token: str):
    """The numbers of a shared map as CSV."""
    link = _shared_link_or_404(token)
    return _csv(link.journey_map, MapLinks(link.map_id, token))
