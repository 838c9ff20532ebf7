"""What a map page shows, from folded cells: filters, the curve and its band, comparisons, gaps, quotes."""
import math
import statistics
from datetime import UTC, date, datetime

import pytest
from werkzeug.datastructures import MultiDict

from tests.builders import build_map, build_response, build_survey, stage_named
from tests.maps.test_aggregates import label_all
from webapp.extensions import db
from webapp.maps.aggregates import fold_pending
from webapp.maps.figures import MapFilters
from webapp.maps.insights import (
    MIN_CONFIDENT_ANSWERS, MapFilterError, blocker_quotes, figures_version, map_figures, matched_stages,
    parse_comparison, parse_map_filters, previous_period, resolve_period, set_stage_targets, valence_point,
)
from webapp.maps.models import VALENCE_SCALE, MapKind
from webapp.maps.services import MapError, create_map, update_stage
from webapp.surveys.models import QuestionKind

TODAY = date(2026, 6, 15)


def at(year: int, month: int, day: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, 12, minute, tzinfo=UTC)


def answer(survey, text: str, when: datetime, persona=None, language: str = "en", **ratings):
    answers = {QuestionKind.TEXT: text, **{QuestionKind(kind.lower()): value for kind, value in ratings.items()}}
    return build_response(survey, answers, language=language, persona=persona, submitted_at=when)


def fold_all() -> None:
    db.session.commit()
    label_all()
    fold_pending()


def purchase_of(figures):
    return next(stage for stage in figures.stages if stage.name == "Purchase")


@pytest.fixture
def shop(app_context):
    journey_map = build_map()
    return journey_map, build_survey(journey_map)


# --- The curve ----------------------------------------------------------------------------------------------

def test_the_confidence_band_is_the_normal_approximation_of_the_answers():
    values = [0.5, -0.2, 0.1, 0.9, -0.4, 0.3, 0.25]
    units = [round(value * VALENCE_SCALE) for value in values]
    point = valence_point(len(units), sum(units), sum(unit * unit for unit in units))
    half_width = 1.959964 * statistics.stdev(values) / math.sqrt(len(values))
    assert point.mean == pytest.approx(statistics.mean(values))
    assert (point.low, point.high) == pytest.approx((point.mean - half_width, point.mean + half_width))
    assert point.count == 7 and not point.uncertain


def test_a_point_behind_too_few_answers_is_uncertain_and_a_stage_without_any_has_none():
    assert valence_point(MIN_CONFIDENT_ANSWERS - 1, 4000, 4_000_000).uncertain
    assert valence_point(1, 5000, 25_000_000) == valence_point(1, 5000, 25_000_000)
    lone = valence_point(1, 5000, 25_000_000)
    assert (lone.mean, lone.low, lone.high, lone.uncertain) == (0.5, None, None, True)
    empty = valence_point(0, 0, 0)
    assert (empty.count, empty.mean, empty.uncertain) == (0, None, True)
    narrow = valence_point(2, 19_000, 2 * 9_500 ** 2)  # two equal answers near the top: band kept in [-1, 1]
    assert narrow.low == narrow.high == pytest.approx(0.95)


def test_a_map_without_answers_has_empty_stages_not_an_error(shop):
    journey_map, _survey = shop
    figures = map_figures(journey_map, compare="target", today=TODAY)
    assert [stage.name for stage in figures.stages] == [stage.name for stage in journey_map.stages]
    assert all(stage.valence.count == 0 and stage.valence.mean is None for stage in figures.stages)
    assert figures.labelled_answers == 0 and figures.gaps == []


def test_the_curve_follows_the_persona_filter(shop):
    journey_map, survey = shop
    first, regular = journey_map.personas
    for minute in range(3):
        answer(survey, f"v=-0.6 e=anger n={minute}", at(2026, 5, minute=minute), persona=first)
        answer(survey, f"v=0.8 e=joy n={minute}", at(2026, 5, minute=minute), persona=regular)
    fold_all()
    everyone = purchase_of(map_figures(journey_map, today=TODAY))
    firsts = purchase_of(map_figures(journey_map, MapFilters(persona_id=first.id), today=TODAY))
    regulars = purchase_of(map_figures(journey_map, MapFilters(persona_id=regular.id), today=TODAY))
    assert everyone.valence.count == 6 and everyone.valence.mean == pytest.approx(0.1)
    assert (firsts.valence.mean, regulars.valence.mean) == pytest.approx((-0.6, 0.8))
    assert [share.label for share in firsts.emotion_mix] == ["anger"]


def test_figures_cover_the_last_twelve_months_by_default_and_the_period_asked_for(shop):
    journey_map, survey = shop
    answer(survey, "v=0.2", at(2025, 6, 30))  # 13 months back: outside the default period
    answer(survey, "v=0.4", at(2025, 7, 1))
    answer(survey, "v=0.6", at(2026, 6, 14), CSAT=4, NPS=10)
    fold_all()
    figures = map_figures(journey_map, today=TODAY)
    assert (figures.period_start, figures.period_end) == (date(2025, 7, 1), date(2026, 7, 1))
    assert purchase_of(figures).valence.count == 2
    june = map_figures(journey_map, MapFilters(period_start=date(2025, 6, 1), period_end=date(2025, 7, 1)))
    assert purchase_of(june).valence.mean == pytest.approx(0.2)
    ratings = {rating.kind: (rating.count, rating.value) for rating in purchase_of(figures).ratings}
    assert ratings == {"csat": (1, 4.0)}  # NPS was asked at another stage
    service = next(stage for stage in figures.stages if stage.name == "Post-purchase service")
    assert [(rating.kind, rating.value) for rating in service.ratings] == [("nps", 100.0)]


def test_filters_by_language_survey_and_touchpoint_select_their_cells(shop):
    journey_map, survey = shop
    other_survey = build_survey(journey_map)
    answer(survey, "v=0.5", at(2026, 5), language="pl")
    answer(other_survey, "v=-0.5", at(2026, 5), language="en")
    fold_all()
    polish = purchase_of(map_figures(journey_map, MapFilters(language="pl"), today=TODAY))
    assert polish.valence.mean == pytest.approx(0.5)
    only_other = purchase_of(map_figures(journey_map, MapFilters(survey_id=other_survey.id), today=TODAY))
    assert only_other.valence.mean == pytest.approx(-0.5)
    elsewhere = stage_named(journey_map, "Awareness").touchpoints[0]
    assert purchase_of(map_figures(journey_map, MapFilters(touchpoint_id=elsewhere.id), today=TODAY)).valence.count == 0


# --- Comparisons and gaps -----------------------------------------------------------------------------------

def test_the_previous_period_is_the_same_length_just_before():
    assert previous_period(date(2025, 7, 1), date(2026, 7, 1)) == (date(2024, 7, 1), date(2025, 7, 1))
    assert previous_period(date(2026, 1, 1), date(2026, 4, 1)) == (date(2025, 10, 1), date(2026, 1, 1))


def test_compared_with_the_previous_period_the_gaps_say_what_moved(shop):
    journey_map, survey = shop
    for n in range(6):
        answer(survey, f"v=0.5 e=joy n={n}", at(2026, 2, minute=n))
        blockers = "b=checkout_friction" if n < 3 else ""
        answer(survey, f"v=-0.3 e=anger {blockers} n={n}", at(2026, 5, minute=n))
    fold_all()
    filters = MapFilters(period_start=date(2026, 4, 1), period_end=date(2026, 7, 1))
    figures = map_figures(journey_map, filters, compare="previous")
    purchase = purchase_of(figures)
    assert purchase.previous.mean == pytest.approx(0.5) and purchase.valence.mean == pytest.approx(-0.3)
    assert (figures.previous_period_start, figures.previous_period_end) == (date(2026, 1, 1), date(2026, 4, 1))
    assert figures.gaps == ["Purchase: valence -0.30 vs +0.50 the period before; Checkout friction up 50 points"]


def test_compared_with_the_ideal_map_the_gaps_say_how_far_each_stage_is_from_its_target(shop):
    journey_map, survey = shop
    ideal = create_map("Shop, ideal", "", MapKind.IDEAL, ["First-time buyer"], improves_on_id=journey_map.id,
                       stages=["Awareness", "Evaluation", "Purchase", "Post-purchase service", "Loyalty"])
    set_stage_targets(stage_named(ideal, "Purchase"), 0.3, ["confidence", "relief"])
    set_stage_targets(stage_named(ideal, "Awareness"), "0.5", [])
    for n in range(5):
        answer(survey, f"v=-0.41 e=frustration,relief b=checkout_friction n={n}", at(2026, 5, minute=n))
        answer(survey, f"v=0.2 e=relief n={n}", at(2025, 3, minute=n))  # the year before: no blocker
    fold_all()
    figures = map_figures(journey_map, compare="target", today=TODAY)
    purchase = purchase_of(figures)
    assert (purchase.target_valence, purchase.target_emotions) == (0.3, ["relief", "confidence"])
    assert figures.ideal_map_id == ideal.id
    assert figures.gaps == [
        "Purchase: valence -0.41 vs target +0.30; target emotion Confidence in 0% of answers; "
        "Checkout friction up 100 points"
    ]


def test_stages_of_the_ideal_map_match_by_name_then_by_position(app_context):
    as_is = build_map()
    ideal = create_map("Ideal", "", MapKind.IDEAL, ["Anyone"], improves_on_id=as_is.id,
                       stages=["Discover", "purchase", "Compare", "Service", "Stay"])
    matches = {stage.name: matched_stages(as_is, ideal)[stage.id].name for stage in as_is.stages}
    assert matches == {"Awareness": "Discover", "Evaluation": "Compare", "Purchase": "purchase",
                       "Post-purchase service": "Service", "Loyalty": "Stay"}


def test_targets_are_checked_and_only_set_on_ideal_maps(app_context):
    as_is = build_map()
    ideal = create_map("Ideal", "", MapKind.IDEAL, ["Anyone"], improves_on_id=as_is.id)
    stage = ideal.stages[0]
    with pytest.raises(MapError) as refused:
        set_stage_targets(as_is.stages[0], 0.2, [])
    assert refused.value.field == "target_valence"
    for bad in (1.5, "-2", "high", float("nan")):
        with pytest.raises(MapError, match="from -1 to 1"):
            set_stage_targets(stage, bad, [])
    with pytest.raises(MapError, match="Unknown emotion: delight") as refused:
        set_stage_targets(stage, 0.2, ["joy", "delight"])
    assert refused.value.field == "target_emotions"
    with pytest.raises(MapError, match="at most 5"):
        set_stage_targets(stage, 0.2, ["joy", "trust", "relief", "pride", "confidence", "surprise"])
    set_stage_targets(stage, " ", ["trust", "joy", "trust"])
    assert (stage.target_valence, stage.target_emotions) == (None, ["joy", "trust"])
    set_stage_targets(stage, None, [])
    assert stage.target_emotions is None


# --- Filters from the URL -----------------------------------------------------------------------------------

def test_filters_are_read_from_the_url_and_written_back_the_same(shop):
    journey_map, survey = shop
    touchpoint = journey_map.stages[2].touchpoints[1]
    args = MultiDict({"persona": str(journey_map.personas[1].id), "survey": str(survey.id),
                      "touchpoint": str(touchpoint.id), "language": "ro", "from": "2025-03", "to": "2025-08"})
    filters = parse_map_filters(journey_map, args)
    assert filters == MapFilters(journey_map.personas[1].id, survey.id, touchpoint.id, "ro", date(2025, 3, 1),
                                 date(2025, 9, 1))
    assert parse_map_filters(journey_map, filters.query_args()) == filters
    assert parse_map_filters(journey_map, {"persona": "", "language": " "}) == MapFilters()
    assert parse_map_filters(journey_map, {"from": "2025-03-17", "to": "2025-05-02"}) == MapFilters(
        period_start=date(2025, 3, 1), period_end=date(2025, 6, 1))


@pytest.mark.parametrize("args, name", [
    ({"persona": "999999"}, "persona"), ({"persona": "abc"}, "persona"), ({"survey": "999999"}, "survey"),
    ({"touchpoint": "999999"}, "touchpoint"), ({"language": "de"}, "language"), ({"from": "March"}, "from"),
    ({"to": "2025-02-30"}, "to"), ({"from": "2025-05", "to": "2025-03"}, "to"),
])
def test_unknown_filters_are_refused_by_name(shop, args, name):
    journey_map, _survey = shop
    with pytest.raises(MapFilterError) as refused:
        parse_map_filters(journey_map, args)
    assert refused.value.filter == name and str(refused.value)


def test_a_persona_or_survey_of_another_map_is_unknown_here(shop):
    journey_map, _survey = shop
    other = build_map("Other map")
    other_survey = build_survey(other)
    for args in ({"persona": str(other.personas[0].id)}, {"survey": str(other_survey.id)},
                 {"touchpoint": str(other.stages[0].touchpoints[0].id)}):
        with pytest.raises(MapFilterError):
            parse_map_filters(journey_map, args)


def test_comparisons_are_target_previous_or_none():
    assert [parse_comparison(value) for value in (None, "", "target", "previous")] == [
        None, None, "target", "previous"]
    with pytest.raises(MapFilterError) as refused:
        parse_comparison("yesterday")
    assert refused.value.filter == "compare"


def test_a_period_given_on_one_side_runs_twelve_months_from_it():
    assert resolve_period(MapFilters(period_start=date(2024, 3, 1))) == (date(2024, 3, 1), date(2025, 3, 1))
    assert resolve_period(MapFilters(period_end=date(2024, 3, 1))) == (date(2023, 3, 1), date(2024, 3, 1))
    assert resolve_period(MapFilters(), today=date(2026, 1, 31)) == (date(2025, 2, 1), date(2026, 2, 1))


# --- Quotes -------------------------------------------------------------------------------------------------

def test_blocker_quotes_are_the_real_answers_newest_first_page_by_page(shop):
    journey_map, survey = shop
    first = journey_map.personas[0]
    for n in range(25):
        answer(survey, f"v=-0.5 b=checkout_friction n={n:02d}", at(2026, 5, 1 + n), persona=first)
    answer(survey, "v=-0.5 b=delivery_problem", at(2026, 5, 30))
    answer(survey, "v=-0.5 b=checkout_friction other", at(2026, 5, 30), language="pl")
    fold_all()
    purchase = stage_named(journey_map, "Purchase")
    pages = [blocker_quotes(journey_map, purchase.id, "checkout_friction", MapFilters(persona_id=first.id),
                            page=page, per_page=10, today=TODAY) for page in (1, 2, 3)]
    texts = [quote.text for page in pages for quote in page.quotes]
    assert texts == [f"v=-0.5 b=checkout_friction n={n:02d}" for n in range(24, -1, -1)]
    assert (pages[0].total, pages[0].pages, pages[0].has_next, pages[2].has_next) == (25, 3, True, False)
    quote = pages[0].quotes[0]
    assert (quote.persona, quote.language, quote.submitted_at) == (first.name, "en", at(2026, 5, 25))
    assert quote.evidence == [{"label": "checkout_friction", "start": 0, "end": 1, "text": "v"}]
    everyone = blocker_quotes(journey_map, purchase.id, "checkout_friction", today=TODAY)
    assert everyone.total == 26 == purchase_of(map_figures(journey_map, today=TODAY)).company_blockers[0].count
    assert everyone.quotes[0].persona is None


def test_quotes_of_an_unknown_stage_blocker_or_page_are_refused_by_name(shop):
    journey_map, _survey = shop
    stage_id = journey_map.stages[0].id
    other_stage = build_map("Other map").stages[0].id
    for call, name in ((lambda: blocker_quotes(journey_map, other_stage, "timing"), "stage"),
                       (lambda: blocker_quotes(journey_map, stage_id, "gremlins"), "blocker"),
                       (lambda: blocker_quotes(journey_map, stage_id, "timing", page=0), "page")):
        with pytest.raises(MapFilterError) as refused:
            call()
        assert refused.value.filter == name


# --- Cache key ----------------------------------------------------------------------------------------------

def test_the_figures_version_changes_with_folds_names_and_targets_only(shop):
    journey_map, survey = shop
    ideal = create_map("Ideal", "", MapKind.IDEAL, ["Anyone"], improves_on_id=journey_map.id)
    db.session.commit()
    versions = [figures_version(journey_map, today=TODAY)]
    assert figures_version(journey_map, today=TODAY) == versions[0]
    answer(survey, "v=0.5", at(2026, 5))
    fold_all()
    versions.append(figures_version(journey_map, today=TODAY))
    set_stage_targets(ideal.stages[2], 0.4, ["trust"])
    versions.append(figures_version(journey_map, today=TODAY))
    update_stage(journey_map.stages[0], "Discovery")
    versions.append(figures_version(journey_map, today=TODAY))
    versions.append(figures_version(journey_map, today=date(2026, 7, 1)))  # the default period moved on
    assert len(set(versions)) == len(versions)


def test_the_demo_compares_its_map_with_the_ideal_map_targets(app, runner):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert runner.invoke(args=["jobs", "run", "--once"]).exit_code == 0
    with app.app_context():
        from sqlalchemy import select

        from webapp.demo import MAP_NAME
        from webapp.maps.models import JourneyMap

        journey_map = db.session.scalar(select(JourneyMap).where(JourneyMap.name == MAP_NAME))
        figures = map_figures(journey_map, compare="target")
        assert all(stage.target_valence is not None and stage.target_emotions for stage in figures.stages)
        assert figures.labelled_answers > 300
        assert figures.gaps and all(": " in gap for gap in figures.gaps)
