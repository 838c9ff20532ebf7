"""What a map page shows, read from the folded cells (webapp/maps/aggregates.py), never from the answers.

- `parse_map_filters` turns a page's URL arguments into `MapFilters`, refusing unknown values by name.
- `map_figures` sums the cells the filters select into `MapFigures`: the emotion curve with its 95 %
  confidence band, the emotion mix, blockers, complaints, ratings, picked emotions and how often they agree
  with the classifier, and, to compare, the previous period or the ideal map's targets, with the largest
  gaps in words.
- `blocker_quotes` pages through the answers behind one blocker of one stage, newest first.
- `figures_version` is a cheap key that changes whenever anything a map's charts show changes.
- `set_stage_targets` sets the target valence and emotions of a stage of an ideal map.

Periods are whole months (the cells are monthly): a `from` date counts from the first day of its month,
a `to` date up to the end of the month before it unless it is the first of a month (`to` is excluded).
Stages of an as-is map and of its ideal map are matched by name (ignoring case) where an ideal stage has
the same name; the stages left over pair up in order of position.
"""
import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from webapp.database import utcnow
from webapp.extensions import db
from webapp.labels import BLOCKERS, COMPANY_BLOCKERS, CUSTOMER_BLOCKERS, EMOTIONS
from webapp.maps.aggregates import effective_labels
from webapp.maps.figures import (
    LabelShare, MapFigures, MapFilters, RatingSummary, StageFigures, ValencePoint,
)
from webapp.maps.models import (
    BLOCKER_COUNTERS, COUNTERS, EMOTION_COUNTERS, PICKED_COUNTERS, VALENCE_SCALE, BlockerQuote, JourneyMap,
    MapFiguresVersion, MapKind, Persona, Stage, Touchpoint, map_cell_table,
)
from webapp.maps.services import MapError
from webapp.responses.models import Answer, Response
from webapp.surveys.models import Survey

# A stage with fewer labelled answers than this is drawn as uncertain, not as a confident point.
MIN_CONFIDENT_ANSWERS = 5
DEFAULT_PERIOD_MONTHS = 12
Z_95 = 1.959964
COMPARISONS = ("target", "previous")
# What counts as a gap worth saying in words, and how many are said.
MIN_VALENCE_GAP = 0.1
MIN_BLOCKER_SHIFT_POINTS = 5
MIN_TARGET_EMOTION_SHARE = 0.25
MAX_GAPS = 5
MAX_TARGET_EMOTIONS = 5
MAX_QUOTES_PER_PAGE = 100


class MapFilterError(ValueError):
    """A map view cannot be shown as asked; `filter` names the URL argument at fault."""

    def __init__(self, message: str, filter_name: str):
        super().__init__(message)
        self.filter = filter_name


# --- Filters and periods ----------------------------------------------------------------------------------

def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after (or before) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _parse_int(args: Mapping[str, str], name: str, message: str) -> int | None:
    value = (args.get(name) or "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise MapFilterError(message, name) from None


def _parse_month(value: str, name: str, is_end: bool) -> date:
    """A `from` or `to` argument (YYYY-MM or YYYY-MM-DD) as the first day of a month."""
    try:
        if len(value) == 7:
            day = datetime.strptime(value, "%Y-%m").date()
            return add_months(day, 1) if is_end else day  # `to=2024-06` means up to the end of June
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise MapFilterError(
            _("Please give the %(name)s date as YYYY-MM or YYYY-MM-DD.", name=name), name) from None
    if is_end and day.day != 1:
        return add_months(day, 1)
    return day.replace(day=1)


def parse_map_filters(journey_map: JourneyMap, args: Mapping[str, str]) -> MapFilters:
    """The filters of a map page from its URL arguments (persona, survey, touchpoint, language, from, to).

    Empty arguments mean "all"; anything that does not belong to this map raises MapFilterError.
    """
    persona_id = _parse_int(args, "persona", _("This map has no such persona."))
    if persona_id is not None and persona_id not in {persona.id for persona in journey_map.personas}:
        raise MapFilterError(_("This map has no such persona."), "persona")
    survey_id = _parse_int(args, "survey", _("No survey of this map has that id."))
    if survey_id is not None and db.session.scalar(
            select(Survey.id).where(Survey.id == survey_id, Survey.map_id == journey_map.id)) is None:
        raise MapFilterError(_("No survey of this map has that id."), "survey")
    touchpoint_id = _parse_int(args, "touchpoint", _("No stage of this map has that touchpoint."))
    if touchpoint_id is not None and touchpoint_id not in {
            touchpoint.id for stage in journey_map.stages for touchpoint in stage.touchpoints}:
        raise MapFilterError(_("No stage of this map has that touchpoint."), "touchpoint")
    language = (args.get("language") or "").strip() or None
    if language is not None and language not in current_app.config["LANGUAGES"]:
        raise MapFilterError(_("Answers come in %(languages)s only.",
                               languages=", ".join(current_app.config["LANGUAGES"])), "language")
    start_text, end_text = (args.get("from") or "").strip(), (args.get("to") or "").strip()
    period_start = _parse_month(start_text, "from", is_end=False) if start_text else None
    period_end = _parse_month(end_text, "to", is_end=True) if end_text else None
    if period_start and period_end and period_start >= period_end:
        raise MapFilterError(_("The period must end after it starts."), "to")
    return MapFilters(persona_id=persona_id, survey_id=survey_id, touchpoint_id=touchpoint_id, language=language,
                      period_start=period_start, period_end=period_end)


def parse_comparison(value: str | None) -> str | None:
    """The `compare` URL argument: "target", "previous", or nothing."""
    value = (value or "").strip() or None
    if value is not None and value not in COMPARISONS:
        raise MapFilterError(_("Compare with the target or the previous period."), "compare")
    return value


def resolve_period(filters: MapFilters, today: date | None = None) -> tuple[date, date]:
    """The months a view covers [start, end): the filters' period, by default the last 12 months
    (this one included); a period given on one side only runs 12 months from or to it."""
    end = filters.period_end
    if end is None:
        if filters.period_start is not None:
            end = add_months(filters.period_start, DEFAULT_PERIOD_MONTHS)
        else:
            end = add_months(today or utcnow().date(), 1)
    start = filters.period_start or add_months(end, -DEFAULT_PERIOD_MONTHS)
    return start, end


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same number of months just before [start, end)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return add_months(start, -months), start


def _as_datetime(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


# --- Figures ----------------------------------------------------------------------------------------------

def _cell_conditions(map_id: int, filters: MapFilters, start: date, end: date) -> list:
    cells = map_cell_table.c
    conditions = [cells.map_id == map_id, cells.month >= start, cells.month < end]
    for column, value in ((cells.persona_id, filters.persona_id), (cells.survey_id, filters.survey_id),
                          (cells.touchpoint_id, filters.touchpoint_id), (cells.language, filters.language)):
        if value is not None:
            conditions.append(column == value)
    return conditions


def stage_sums(map_id: int, filters: MapFilters, start: date, end: date) -> dict[int, dict[str, int]]:
    """Every counter summed over the cells of each stage that the filters and period select."""
    cells = map_cell_table.c
    rows = db.session.execute(
        select(cells.stage_id, *(func.sum(cells[name]).label(name) for name in COUNTERS))
        .where(*_cell_conditions(map_id, filters, start, end)).group_by(cells.stage_id)
    )
    return {row.stage_id: {name: int(row._mapping[name] or 0) for name in COUNTERS} for row in rows}


def valence_point(count: int, total: int, total_of_squares: int) -> ValencePoint:
    """Mean valence with its 95 % confidence interval (normal approximation) from sums in VALENCE_SCALE units.

    With fewer than MIN_CONFIDENT_ANSWERS answers the point is uncertain; with one, it has no interval.
    """
    if count == 0:
        return ValencePoint(count=0, mean=None, low=None, high=None, uncertain=True)
    mean = total / count / VALENCE_SCALE
    if count == 1:
        return ValencePoint(count=1, mean=mean, low=None, high=None, uncertain=True)
    # Sample variance from integer sums: exact up to the final division.
    variance = max(0, count * total_of_squares - total * total) / (count * (count - 1)) / VALENCE_SCALE ** 2
    half_width = Z_95 * math.sqrt(variance / count)
    return ValencePoint(count=count, mean=mean, low=max(-1.0, mean - half_width), high=min(1.0, mean + half_width),
                        uncertain=count < MIN_CONFIDENT_ANSWERS)


def _shares(counts: Mapping[str, int], names: Iterable[str], counters: Mapping[str, str], base: int) -> list[LabelShare]:
    shares = [LabelShare(name, counts[counters[name]], counts[counters[name]] / base if base else 0.0)
              for name in names if counts[counters[name]]]
    return sorted(shares, key=lambda share: (-share.count, share.label))


def _ratings(counts: Mapping[str, int]) -> list[RatingSummary]:
    ratings = []
    nps_count = counts["nps_promoters"] + counts["nps_passives"] + counts["nps_detractors"]
    if nps_count:
        ratings.append(RatingSummary("nps", nps_count, 100 * (counts["nps_promoters"] - counts["nps_detractors"])
                                     / nps_count))
    for kind in ("csat", "ces"):
        if counts[f"{kind}_n"]:
            ratings.append(RatingSummary(kind, counts[f"{kind}_n"], counts[f"{kind}_sum"] / counts[f"{kind}_n"]))
    return ratings


EMPTY_COUNTS = dict.fromkeys(COUNTERS, 0)


def ideal_map_for(journey_map: JourneyMap) -> JourneyMap | None:
    """Where a map's targets come from: an ideal map itself, or the first (by name) ideal map improving on it."""
    if journey_map.kind == MapKind.IDEAL:
        return journey_map
    return db.session.scalar(
        select(JourneyMap).where(JourneyMap.improves_on_id == journey_map.id).order_by(JourneyMap.name, JourneyMap.id)
        .options(selectinload(JourneyMap.stages)).limit(1)
    )


def matched_stages(as_is_map: JourneyMap, ideal_map: JourneyMap) -> dict[int, Stage]:
    """The ideal stage of each as-is stage: the one of the same name (ignoring case) where there is one;
    the stages left over on both sides pair up in order of position."""
    if as_is_map is ideal_map:
        return {stage.id: stage for stage in as_is_map.stages}
    ideal_by_name = {stage.name.casefold(): stage for stage in ideal_map.stages}
    matches = {stage.id: ideal_by_name[stage.name.casefold()]
               for stage in as_is_map.stages if stage.name.casefold() in ideal_by_name}
    matched = {stage.id for stage in matches.values()}
    left_over = [stage for stage in ideal_map.stages if stage.id not in matched]
    for stage, ideal_stage in zip([stage for stage in as_is_map.stages if stage.id not in matches], left_over):
        matches[stage.id] = ideal_stage
    return matches


def _stage_figures(stage: Stage, counts: Mapping[str, int], previous: Mapping[str, int] | None,
                   target: Stage | None) -> StageFigures:
    labelled = counts["labelled"]
    return StageFigures(
        stage_id=stage.id, name=stage.name, position=stage.position,
        touchpoints=[touchpoint.name for touchpoint in stage.touchpoints],
        valence=valence_point(counts["valence_n"], counts["valence_sum"], counts["valence_sumsq"]),
        emotion_mix=_shares(counts, EMOTIONS, EMOTION_COUNTERS, labelled),
        company_blockers=_shares(counts, COMPANY_BLOCKERS, BLOCKER_COUNTERS, labelled),
        customer_blockers=_shares(counts, CUSTOMER_BLOCKERS, BLOCKER_COUNTERS, labelled),
        complaints=counts["complaints"],
        ratings=_ratings(counts),
        picked_emotions=_shares(counts, EMOTIONS, PICKED_COUNTERS, counts["pickers"]),
        agreement=counts["agreement_agree"] / counts["agreement_n"] if counts["agreement_n"] else None,
        agreement_count=counts["agreement_n"],
        previous=None if previous is None else valence_point(
            previous["valence_n"], previous["valence_sum"], previous["valence_sumsq"]),
        target_valence=None if target is None else target.target_valence,
        target_emotions=[] if target is None else list(target.target_emotions or []),
        unclassified=counts["unclassified"],
    )


def map_figures(journey_map: JourneyMap, filters: MapFilters | None = None, compare: str | None = None,
                today: date | None = None, ideal_map: JourneyMap | None = None) -> MapFigures:
    """The figures of a map's page from its cells: per stage, and compared with the ideal map's targets
    (`compare="target"`; `ideal_map` or the one `ideal_map_for` finds) or the previous period."""
    filters = filters or MapFilters()
    compare = parse_comparison(compare)
    start, end = resolve_period(filters, today)
    before_start, before_end = previous_period(start, end)
    stages = list(db.session.scalars(
        select(Stage).where(Stage.map_id == journey_map.id).order_by(Stage.position)
        .options(selectinload(Stage.touchpoints))
    ))
    sums = stage_sums(journey_map.id, filters, start, end)
    # The previous period is read for "target" too: blockers that grew are part of the gaps said in words.
    before = stage_sums(journey_map.id, filters, before_start, before_end) if compare else {}
    targets: dict[int, Stage] = {}
    if compare == "target":
        ideal_map = ideal_map or ideal_map_for(journey_map)
        if ideal_map is not None:
            targets = matched_stages(journey_map, ideal_map)
    figures = [
        _stage_figures(stage, sums.get(stage.id, EMPTY_COUNTS),
                       before.get(stage.id, EMPTY_COUNTS) if compare == "previous" else None, targets.get(stage.id))
        for stage in stages
    ]
    return MapFigures(
        map_id=journey_map.id, filters=filters, stages=figures,
        labelled_answers=sum(stage.valence.count for stage in figures),
        gaps=_gaps(figures, sums, before, compare) if compare else [],
        computed_at=utcnow(), period_start=start, period_end=end,
        previous_period_start=before_start if compare else None, previous_period_end=before_end if compare else None,
        compare=compare, ideal_map_id=ideal_map.id if compare == "target" and ideal_map is not None else None,
    )


# --- Gaps in words ----------------------------------------------------------------------------------------

def _signed(value: float) -> str:
    return f"{value:+.2f}"


def _blocker_shift(now: Mapping[str, int], before: Mapping[str, int]) -> tuple[str, float] | None:
    """The blocker whose share of labelled answers moved most between two periods, in percentage points."""
    if now["labelled"] < MIN_CONFIDENT_ANSWERS or before["labelled"] < MIN_CONFIDENT_ANSWERS:
        return None
    shifts = [(blocker, 100 * (now[counter] / now["labelled"] - before[counter] / before["labelled"]))
              for blocker, counter in BLOCKER_COUNTERS.items()]
    blocker, points = max(shifts, key=lambda shift: (abs(shift[1]), shift[0]))
    return (blocker, points) if abs(points) >= MIN_BLOCKER_SHIFT_POINTS else None


def _stage_gaps(stage: StageFigures, now: Mapping[str, int], before: Mapping[str, int],
                compare: str) -> tuple[float, list[str]]:
    """How large the stage's gaps are (for ranking) and each in words."""
    size, parts = 0.0, []
    confident = stage.valence.mean is not None and not stage.valence.uncertain
    if compare == "target" and confident and stage.target_valence is not None:
        gap = stage.valence.mean - stage.target_valence
        if abs(gap) >= MIN_VALENCE_GAP:
            size = max(size, abs(gap))
            parts.append(_("valence %(value)s vs target %(target)s", value=_signed(stage.valence.mean),
                           target=_signed(stage.target_valence)))
    if compare == "target" and stage.target_emotions and now["labelled"] >= MIN_CONFIDENT_ANSWERS:
        shares = {emotion: now[EMOTION_COUNTERS[emotion]] / now["labelled"]
                  for emotion in stage.target_emotions if emotion in EMOTION_COUNTERS}
        if shares:
            emotion, share = min(shares.items(), key=lambda item: (item[1], item[0]))
            if share < MIN_TARGET_EMOTION_SHARE:
                size = max(size, MIN_TARGET_EMOTION_SHARE - share)
                parts.append(_("target emotion %(emotion)s in %(share)d%% of answers",
                               emotion=str(EMOTIONS[emotion]), share=round(100 * share)))
    if compare == "previous" and confident and stage.previous is not None and stage.previous.mean is not None \
            and not stage.previous.uncertain:
        change = stage.valence.mean - stage.previous.mean
        if abs(change) >= MIN_VALENCE_GAP:
            size = max(size, abs(change))
            parts.append(_("valence %(value)s vs %(previous)s the period before",
                           value=_signed(stage.valence.mean), previous=_signed(stage.previous.mean)))
    shift = _blocker_shift(now, before)
    if shift is not None:
        blocker, points = shift
        size = max(size, abs(points) / 100)
        name = str(BLOCKERS[blocker])
        parts.append(_("%(blocker)s up %(points)d points", blocker=name, points=round(points)) if points > 0
                     else _("%(blocker)s down %(points)d points", blocker=name, points=round(-points)))
    return size, parts


def _gaps(stages: list[StageFigures], sums: Mapping[int, Mapping[str, int]],
          before: Mapping[int, Mapping[str, int]], compare: str) -> list[str]:
    """The largest gaps, a sentence per stage, largest first: "Purchase: valence -0.41 vs target +0.30; ..."."""
    ranked = []
    for stage in stages:
        size, parts = _stage_gaps(stage, sums.get(stage.stage_id, EMPTY_COUNTS),
                                  before.get(stage.stage_id, EMPTY_COUNTS), compare)
        if parts:
            ranked.append((-size, stage.position, _("%(stage)s: %(gaps)s", stage=stage.name, gaps="; ".join(parts))))
    return [sentence for _size, _position, sentence in sorted(ranked)[:MAX_GAPS]]


# --- Targets ----------------------------------------------------------------------------------------------

def set_stage_targets(stage: Stage, valence: float | str | None, emotions: Iterable[str] = ()) -> None:
    """Set the target valence (-1..1, or None) and target emotions of a stage of an ideal map."""
    if stage.journey_map.kind != MapKind.IDEAL:
        raise MapError(_("Targets are set on the stages of an ideal map."), field="target_valence")
    if isinstance(valence, str):
        valence = valence.strip() or None
    if valence is not None:
        try:
            valence = float(valence)
        except (TypeError, ValueError):
            valence = math.nan
        if not -1 <= valence <= 1:  # NaN fails this too
            raise MapError(_("Please enter the target valence as a number from -1 to 1."), field="target_valence")
    chosen = list(dict.fromkeys(emotion.strip() for emotion in emotions if emotion and emotion.strip()))
    unknown = [emotion for emotion in chosen if emotion not in EMOTIONS]
    if unknown:
        raise MapError(_("Unknown emotion: %(names)s.", names=", ".join(unknown)), field="target_emotions")
    if len(chosen) > MAX_TARGET_EMOTIONS:
        raise MapError(_("Please choose at most %(count)d target emotions.", count=MAX_TARGET_EMOTIONS),
                       field="target_emotions")
    stage.target_valence = valence
    stage.target_emotions = [emotion for emotion in EMOTIONS if emotion in chosen] or None
    db.session.flush()


# --- Cache key --------------------------------------------------------------------------------------------

def figures_version(journey_map: JourneyMap, today: date | None = None) -> str:
    """A key that changes whenever anything this map's charts show may have changed: its cells (counted by
    the fold), its names, stages, touchpoints, personas and targets, and the month (the default period)."""
    fold_count = db.session.scalar(
        select(MapFiguresVersion.version).where(MapFiguresVersion.map_id == journey_map.id)) or 0
    map_ids = {journey_map.id, *db.session.scalars(
        select(JourneyMap.id).where(JourneyMap.improves_on_id == journey_map.id))}
    structure = [
        journey_map.name,
        db.session.execute(select(Stage.id, Stage.map_id, Stage.name, Stage.position, Stage.target_valence,
                                  Stage.target_emotions).where(Stage.map_id.in_(map_ids))
                           .order_by(Stage.map_id, Stage.position, Stage.id)).all(),
        db.session.execute(select(Touchpoint.id, Touchpoint.stage_id, Touchpoint.name, Touchpoint.position)
                           .join(Stage).where(Stage.map_id == journey_map.id).order_by(Touchpoint.id)).all(),
        db.session.execute(select(Persona.id, Persona.name).where(Persona.map_id == journey_map.id)
                           .order_by(Persona.id)).all(),
    ]
    digest = hashlib.sha1(repr(structure).encode()).hexdigest()[:12]
    return f"{fold_count}-{digest}-{today or utcnow().date():%Y%m}"


# --- Quotes -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Quote:
    """A real answer behind a figure, with the evidence spans to highlight in it."""

    answer_id: int
    text: str
    evidence: list[dict]
    submitted_at: datetime
    language: str
    persona: str | None


@dataclass(frozen=True)
class QuotePage:
    stage_id: int
    blocker: str
    quotes: list[Quote]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def blocker_quotes(journey_map: JourneyMap, stage_id: int, blocker: str, filters: MapFilters | None = None,
                   page: int = 1, per_page: int = 20, today: date | None = None) -> QuotePage:
    """The answers whose effective label carries `blocker` at this stage of the map, newest first, paged."""
    filters = filters or MapFilters()
    if stage_id not in {stage.id for stage in journey_map.stages}:
        raise MapFilterError(_("This map has no such stage."), "stage")
    if blocker not in BLOCKERS:
        raise MapFilterError(_("There is no blocker called %(name)s.", name=blocker), "blocker")
    if page < 1:
        raise MapFilterError(_("Pages are counted from 1."), "page")
    per_page = max(1, min(per_page, MAX_QUOTES_PER_PAGE))
    start, end = resolve_period(filters, today)
    quotes = BlockerQuote.__table__.c
    conditions = [quotes.stage_id == stage_id, quotes.blocker == blocker,
                  quotes.submitted_at >= _as_datetime(start), quotes.submitted_at < _as_datetime(end)]
    for column, value in ((quotes.persona_id, filters.persona_id), (quotes.survey_id, filters.survey_id),
                          (quotes.touchpoint_id, filters.touchpoint_id), (quotes.language, filters.language)):
        if value is not None:
            conditions.append(column == value)
    # Newest first along ix_map_blocker_quote_stage_blocker_submitted.
    answer_ids = list(db.session.scalars(
        select(quotes.answer_id).where(*conditions)
        .order_by(quotes.submitted_at.desc(), quotes.answer_id.desc())
        .offset((page - 1) * per_page).limit(per_page)
    ))
    # The total is the blocker's count in the same cells the figures show, so the two always agree.
    total = stage_sums(journey_map.id, filters, start, end).get(stage_id, EMPTY_COUNTS)[BLOCKER_COUNTERS[blocker]]
    rows = {row.id: row for row in db.session.execute(
        select(Answer.id, Answer.text, Answer.submitted_at, Answer.language, Persona.name.label("persona"))
        .join(Response, Response.id == Answer.response_id).outerjoin(Persona, Persona.id == Response.persona_id)
        .where(Answer.id.in_(answer_ids))
    )}
    labels = effective_labels(answer_ids, with_evidence=True)
    items = [
        Quote(answer_id=answer_id, text=rows[answer_id].text or "",
              evidence=list(labels[answer_id].evidence) if answer_id in labels else [],
              submitted_at=rows[answer_id].submitted_at, language=rows[answer_id].language,
              persona=rows[answer_id].persona)
        for answer_id in answer_ids if answer_id in rows
    ]
    return QuotePage(stage_id=stage_id, blocker=blocker, quotes=items, page=page, per_page=per_page, total=total)
