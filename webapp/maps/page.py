"""What the map page makes of `MapFigures` besides showing them: words for its filters, charts drawn through
the per-app chart cache, and the rows of its CSV. Plain functions, so the staff page and the shared page
(and the tests) use the very same ones.
"""
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from flask import Flask, current_app
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from webapp.extensions import db
from webapp.labels import BLOCKERS, EMOTIONS
from webapp.maps import charts
from webapp.maps.figures import MapFigures, MapFilters, StageFigures
from webapp.maps.insights import add_months
from webapp.maps.models import JourneyMap
from webapp.surveys.models import Survey

PAGE_CHARTS = {"curve": charts.emotion_curve_chart, "mix": charts.emotion_mix_chart,
               "blockers": charts.top_blockers_chart}
POSTER = "poster"
CHART_NAMES = (*PAGE_CHARTS, POSTER)
CHART_CACHE_BYTES = 32 * 1024 * 1024


def chart_cache(app: Flask | None = None) -> charts.ChartCache:
    """This app's cache of rendered charts (one per app: each app has its own database)."""
    app = app or current_app
    return app.extensions.setdefault(
        "map_charts", charts.ChartCache(app.config.get("MAP_CHART_CACHE_BYTES", CHART_CACHE_BYTES)))


@dataclass(frozen=True)
class FilterChoices:
    """What each filter of a map page can be set to."""

    personas: list
    surveys: list
    touchpoints: list  # (stage, touchpoint) pairs in map order
    languages: dict[str, str]
    comparisons: dict[str, str]


def filter_choices(journey_map: JourneyMap, has_ideal_map: bool) -> FilterChoices:
    surveys = list(db.session.scalars(
        select(Survey).where(Survey.map_id == journey_map.id).order_by(Survey.name, Survey.id)))
    comparisons = {"previous": _("The previous period")}
    if has_ideal_map:
        comparisons = {"target": _("Targets of the ideal map"), **comparisons}
    return FilterChoices(
        personas=list(journey_map.personas), surveys=surveys,
        touchpoints=[(stage, touchpoint) for stage in journey_map.stages for touchpoint in stage.touchpoints],
        languages=dict(current_app.config["LANGUAGES"]), comparisons=comparisons,
    )


def view_args(filters: MapFilters, compare: str | None) -> dict[str, str]:
    """The URL arguments that reproduce a view, periods as the months people read: from=2025-07&to=2026-06."""
    args = filters.query_args()
    if filters.period_start is not None:
        args["from"] = f"{filters.period_start:%Y-%m}"
    if filters.period_end is not None:
        args["to"] = f"{add_months(filters.period_end, -1):%Y-%m}"  # the last month included
    if compare:
        args["compare"] = compare
    return args


@dataclass(frozen=True)
class PeriodPreset:
    label: str
    start: date  # first month included
    end: date  # first month not included

    def query_args(self) -> dict[str, str]:
        return {"from": f"{self.start:%Y-%m}", "to": f"{add_months(self.end, -1):%Y-%m}"}


def period_presets(today: date) -> list[PeriodPreset]:
    """Periods a marketer picks most, ending with this month."""
    end = add_months(today, 1)
    return [
        PeriodPreset(_("Last 3 months"), add_months(end, -3), end),
        PeriodPreset(_("Last 6 months"), add_months(end, -6), end),
        PeriodPreset(_("Last 12 months"), add_months(end, -12), end),
        PeriodPreset(_("This year"), date(today.year, 1, 1), end),
    ]


def month_range(start: date | None, end: date | None) -> str:
    """“Jun 2024 – May 2025” for the months [start, end)."""
    if start is None or end is None:
        return ""
    last = add_months(end, -1)
    first_text, last_text = format_date(start, "MMM yyyy"), format_date(last, "MMM yyyy")
    return first_text if first_text == last_text else f"{first_text} – {last_text}"


def filter_summary(filters: MapFilters, compare: str | None, choices: FilterChoices,
                   period: tuple[date, date]) -> list[tuple[str, str]]:
    """The view in words: (what, value) for the period and for each filter that narrows it."""
    parts = [(_("Period"), month_range(*period))]
    persona = next((p for p in choices.personas if p.id == filters.persona_id), None)
    if persona is not None:
        parts.append((_("Persona"), persona.name))
    survey = next((s for s in choices.surveys if s.id == filters.survey_id), None)
    if survey is not None:
        parts.append((_("Survey"), survey.name))
    touchpoint = next(((s, t) for s, t in choices.touchpoints if t.id == filters.touchpoint_id), None)
    if touchpoint is not None:
        parts.append((_("Touchpoint"), f"{touchpoint[0].name} · {touchpoint[1].name}"))
    if filters.language:
        parts.append((_("Language"), choices.languages.get(filters.language, filters.language)))
    if compare:
        parts.append((_("Compared with"), choices.comparisons.get(compare, compare)))
    return parts


def poster_subtitle(summary: list[tuple[str, str]], today: date) -> str:
    lines = [" · ".join(f"{what}: {value}" for what, value in summary)]
    lines.append(_("Drawn on %(date)s from labelled customer answers", date=format_date(today, "long")))
    return "\n".join(lines)


def chart_key(journey_map: JourneyMap, version: str, chart: str, fmt: str, filters: MapFilters,
              compare: str | None, *extra) -> tuple:
    """Everything a rendered chart depends on. `version` (insights.figures_version) moves with the numbers;
    the map's creation time tells apart maps that reuse a deleted map's id (SQLite does)."""
    return (journey_map.id, journey_map.created_at.isoformat(), version, chart, fmt, str(get_locale()),
            tuple(sorted(filters.query_args().items())), compare, *extra)


def cached_chart(key: tuple, draw: Callable[[], "charts.Figure"], fmt: str, dpi: int = charts.RASTER_DPI) -> bytes:
    """The chart's bytes from the cache, drawn and rendered only when its key is new."""
    return chart_cache().get_or_render(key, lambda: charts.render(draw(), fmt, dpi=dpi))


def inline_charts(journey_map: JourneyMap, version: str, figures: MapFigures) -> dict[str, str]:
    """The page's charts as SVG ready to inline, each under its name."""
    return {
        name: charts.inline_svg(cached_chart(
            chart_key(journey_map, version, name, "svg", figures.filters, figures.compare),
            lambda draw=draw: draw(figures), "svg"), f"chart-{name}")
        for name, draw in PAGE_CHARTS.items()
    }


def file_slug(name: str) -> str:
    """A download's file name part from a map's name: ASCII letters and digits joined by dashes."""
    folded = unicodedata.normalize("NFKD", name.replace("ł", "l").replace("Ł", "L"))
    return "-".join(re.findall(r"[a-z0-9]+", folded.encode("ascii", "ignore").decode().lower()))[:60] or "map"


# --- CSV ----------------------------------------------------------------------------------------------------

CSV_HEADER = ("stage_position", "stage", "measure", "item", "item_name", "answers", "value", "ci_low", "ci_high",
              "uncertain")


def _number(value: float | None, digits: int = 4) -> float | str:
    return "" if value is None else round(value, digits)


def _stage_rows(stage: StageFigures) -> Iterator[tuple]:
    def row(measure, item="", answers="", value=None, low=None, high=None, uncertain=""):
        name = str(EMOTIONS.get(item) or BLOCKERS.get(item) or "") if item else ""
        return (stage.position + 1, stage.name, measure, item, name, answers, _number(value), _number(low),
                _number(high), uncertain)

    valence = stage.valence
    yield row("valence", answers=valence.count, value=valence.mean, low=valence.low, high=valence.high,
              uncertain="yes" if valence.uncertain else "no")
    if stage.previous is not None:
        previous = stage.previous
        yield row("previous_valence", answers=previous.count, value=previous.mean, low=previous.low,
                  high=previous.high, uncertain="yes" if previous.uncertain else "no")
    if stage.target_valence is not None:
        yield row("target_valence", value=stage.target_valence)
    for emotion in stage.target_emotions:
        yield row("target_emotion", emotion)
    for share in stage.emotion_mix:
        yield row("emotion", share.label, share.count, share.share)
    for share in stage.company_blockers:
        yield row("company_blocker", share.label, share.count, share.share)
    for share in stage.customer_blockers:
        yield row("customer_blocker", share.label, share.count, share.share)
    yield row("complaints", answers=stage.complaints)
    for rating in stage.ratings:
        yield row(rating.kind, answers=rating.count, value=rating.value)
    for share in stage.picked_emotions:
        yield row("picked_emotion", share.label, share.count, share.share)
    if stage.agreement is not None:
        yield row("picked_vs_classified_agreement", answers=stage.agreement_count, value=stage.agreement)
    if stage.unclassified:
        yield row("unclassified", answers=stage.unclassified)


def csv_rows(figures: MapFigures) -> Iterator[tuple]:
    """One row per number on the page: a stage's valence, each emotion, blocker and rating, and so on."""
    for stage in figures.stages:
        yield from _stage_rows(stage)


