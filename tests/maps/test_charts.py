"""Charts of a map drawn from hand-made figures: what each chart shows, the formats, the poster, the cache."""
import io
import re
import subprocess
import sys
import warnings
from datetime import UTC, datetime

import pytest
from matplotlib.lines import Line2D
from matplotlib.text import Text
from PIL import Image

from webapp.maps import charts
from webapp.maps.figures import LabelShare, MapFigures, MapFilters, RatingSummary, StageFigures, ValencePoint


def stage(position: int, name: str, count: int, mean: float | None, *, uncertain: bool = False,
          emotions=(("frustration", 0.3), ("relief", 0.2)), company=(("checkout_friction", 0.2),),
          customer=(("budget_constraint", 0.1),), previous: float | None = None,
          target: float | None = None) -> StageFigures:
    half = None if mean is None else 1.96 * 0.5 / max(count, 1) ** 0.5

    def shares(pairs):
        return [LabelShare(label, round(count * share), share) for label, share in pairs if count]

    return StageFigures(
        stage_id=position + 1, name=name, position=position, touchpoints=["Website", "Chat"],
        valence=ValencePoint(count, mean, None if mean is None else mean - half,
                             None if mean is None else mean + half, uncertain or count < 5),
        emotion_mix=shares(emotions), company_blockers=shares(company), customer_blockers=shares(customer),
        complaints=count // 10, ratings=[RatingSummary("csat", count, 3.9)] if count else [],
        picked_emotions=[], agreement=None, agreement_count=0,
        previous=None if previous is None else ValencePoint(count, previous, previous - 0.1, previous + 0.1, False),
        target_valence=target,
    )


def figures_of(*stages: StageFigures, gaps=()) -> MapFigures:
    return MapFigures(map_id=1, filters=MapFilters(), stages=list(stages),
                      labelled_answers=sum(s.valence.count for s in stages), gaps=list(gaps),
                      computed_at=datetime(2026, 6, 1, tzinfo=UTC))


@pytest.fixture
def shop_figures() -> MapFigures:
    return figures_of(
        stage(0, "Awareness", 120, 0.32),
        stage(1, "Evaluation", 80, 0.05),
        stage(2, "Purchase", 240, -0.41, company=(("checkout_friction", 0.3), ("pricing_unclear", 0.05))),
        stage(3, "Post-purchase service", 3, -0.12),
        stage(4, "Loyalty", 0, None),
        gaps=["Purchase: valence -0.41 vs target +0.30"],
    )


def markers_at(figure, x: float) -> list[Line2D]:
    """The point markers drawn at stage `x` of the curve."""
    ax = figure.axes[0]
    return [line for line in ax.get_lines() if line.get_marker() == "o" and list(line.get_xdata()) == [x]]


def texts_of(figure) -> list[str]:
    return [text.get_text() for text in figure.findobj(Text)]


# --- The emotion curve --------------------------------------------------------------------------------------------

def test_confident_points_are_filled_and_a_point_on_too_few_answers_is_hollow(shop_figures):
    figure = charts.emotion_curve_chart(shop_figures)
    (confident,) = markers_at(figure, 2)
    (uncertain,) = markers_at(figure, 3)
    assert confident.get_markerfacecolor() == charts.ACCENT
    assert uncertain.get_markerfacecolor() == "white"
    assert markers_at(figure, 4) == []  # no answers: no point at all


def test_the_segment_to_an_uncertain_point_is_dashed(shop_figures):
    figure = charts.emotion_curve_chart(shop_figures)
    segments = {tuple(line.get_xdata()): line.get_linestyle() for line in figure.axes[0].get_lines()
                if len(line.get_xdata()) == 2 and line.get_color() == charts.ACCENT and line.get_linewidth() > 2}
    assert segments[(0, 1)] == "-"
    assert segments[(2, 3)] == "--"
    assert (3, 4) not in segments  # nothing to join to a stage without answers


def test_the_answers_behind_each_point_are_written_under_it(shop_figures):
    texts = texts_of(charts.emotion_curve_chart(shop_figures))
    assert {"n = 120", "n = 240", "n = 3, too few", "no answers"} <= set(texts)
    assert "−0.41" in texts and "+0.32" in texts


def test_the_band_spans_each_confident_interval(shop_figures):
    figure = charts.emotion_curve_chart(shop_figures)
    bands = [collection for collection in figure.axes[0].collections if collection.get_paths()]
    purchase = shop_figures.stages[2].valence
    tops = {round(vertex[1], 6) for band in bands for path in band.get_paths() for vertex in path.vertices}
    assert round(purchase.low, 6) in tops and round(purchase.high, 6) in tops


def test_targets_and_the_previous_period_are_drawn_only_when_the_figures_carry_them(shop_figures):
    plain = charts.emotion_curve_chart(shop_figures)
    assert not {"Target (ideal map)", "Previous period"} & set(texts_of(plain))
    compared = figures_of(stage(0, "Awareness", 50, 0.1, previous=-0.2, target=0.4),
                          stage(1, "Purchase", 50, -0.3, previous=-0.1, target=0.3))
    figure = charts.emotion_curve_chart(compared)
    assert {"Target (ideal map)", "Previous period"} <= set(texts_of(figure))
    diamonds = [line for line in figure.axes[0].get_lines() if line.get_marker() == "D"]
    assert [float(line.get_ydata()[0]) for line in diamonds] == [0.4, 0.3]


def test_the_curve_zooms_to_its_values_but_always_shows_zero_and_a_span_of_one():
    low, high = charts.valence_range([stage(0, "A", 50, 0.2), stage(1, "B", 50, 0.25)], charts.CurveOptions())
    assert low < 0 < high and high - low >= 1
    low, high = charts.valence_range([stage(0, "A", 50, -0.95), stage(1, "B", 50, 0.95)], charts.CurveOptions())
    assert low <= -1 and high >= 1


# --- Emotion mix and blockers -------------------------------------------------------------------------------------

def test_each_stage_column_of_the_mix_adds_up_to_the_whole(shop_figures):
    figure = charts.emotion_mix_chart(shop_figures)
    heights = {}
    for bar in figure.axes[0].patches:
        heights.setdefault(round(bar.get_x() + bar.get_width() / 2), []).append(bar.get_height())
    assert sum(heights[2]) == pytest.approx(1.0)
    assert charts.emotion_composition(shop_figures.stages[2]) == pytest.approx({"frustration": 0.6, "relief": 0.4})
    assert "no emotions\nfound yet" in texts_of(figure)  # the stage without answers says so


def test_negative_emotions_stack_below_positive_ones():
    order = charts.EMOTION_ORDER
    assert order.index("frustration") < order.index("surprise") < order.index("relief")


def test_top_blockers_rank_every_stage_together_most_answers_first(shop_figures):
    ranked = charts.top_blockers(shop_figures, limit=3)
    assert [(item.stage, item.blocker.label) for item in ranked] == [
        ("Purchase", "checkout_friction"), ("Awareness", "checkout_friction"), ("Purchase", "budget_constraint")]
    assert ranked[0].company_side and not ranked[2].company_side
    figure = charts.top_blockers_chart(shop_figures)
    colours = [bar.get_facecolor() for bar in figure.axes[0].patches]
    assert len(set(colours)) == 2  # company and customer side in two ambers


def test_a_map_without_blockers_says_so():
    figure = charts.top_blockers_chart(figures_of(stage(0, "Awareness", 10, 0.2, company=(), customer=())))
    assert "No blockers found in these answers." in texts_of(figure)


# --- Output -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("fmt", "magic"), [("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF")])
def test_charts_render_as_svg_png_and_pdf(shop_figures, fmt, magic):
    assert charts.render(charts.emotion_curve_chart(shop_figures), fmt).startswith(magic)


def test_an_inlined_svg_has_no_prologue_a_fluid_size_and_ids_of_its_own(shop_figures):
    svg = charts.render(charts.emotion_curve_chart(shop_figures), "svg")
    inline = charts.inline_svg(svg, "chart-curve")
    assert inline.startswith("<svg") and "<metadata>" not in inline
    assert 'width="' not in inline.split(">", 1)[0] and "viewBox" in inline.split(">", 1)[0]
    ids = [part.split('"', 1)[0] for part in inline.split(' id="')[1:]]
    assert ids[0] == "chart-curve" and all(identifier.startswith("chart-curve-") for identifier in ids[1:])
    assert "#chart-curve *{stroke-linejoin" in inline and "<style type=\"text/css\">*" not in inline


@pytest.mark.parametrize(("paper", "inches"), [("a4", (11.69, 8.27)), ("a3", (16.54, 11.69))])
def test_the_poster_is_one_landscape_page_of_the_paper_asked(shop_figures, paper, inches):
    poster = charts.map_poster(shop_figures, "Online shop", "Period: Jun 2025 – May 2026", paper)
    image = Image.open(io.BytesIO(charts.render(poster, "png", dpi=50)))
    assert image.size == pytest.approx((inches[0] * 50, inches[1] * 50), abs=1)
    pdf = charts.render(poster, "pdf")
    (media_box,) = re.findall(rb"/MediaBox \[ *0 0 ([\d.]+) ([\d.]+) *\]", pdf)
    assert (float(media_box[0]), float(media_box[1])) == pytest.approx((inches[0] * 72, inches[1] * 72), abs=1)


def test_the_poster_carries_stages_curve_mix_blockers_title_and_filters(shop_figures):
    poster = charts.map_poster(shop_figures, "Online shop", "Persona: Regular · Period: Jun 2025 – May 2026")
    texts = texts_of(poster)
    assert "Online shop" in texts and "Persona: Regular · Period: Jun 2025 – May 2026" in texts
    assert {"Emotion curve", "Emotion mix", "Top blockers", "Largest gaps"} <= set(texts)
    assert any(text.startswith("3  Purchase") for text in texts)
    assert "Checkout friction" in texts


def test_polish_and_romanian_letters_are_drawn_with_the_shipped_font():
    figures = figures_of(stage(0, "Zażółć gęślą jaźń", 30, 0.2), stage(1, "Încredere și siguranță", 30, -0.2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font" for a letter it lacks
        charts.render(charts.map_poster(figures, "Sklep — Zażółć", "Țară, ĂÂÎȘȚ ąćęłńóśźż"), "png", dpi=40)


def test_the_web_process_never_loads_pyplot():
    code = "import sys, webapp.maps.charts, webapp.maps.routes; print('matplotlib.pyplot' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# --- The cache ----------------------------------------------------------------------------------------------------

def test_the_cache_draws_a_chart_once_per_key():
    cache = charts.ChartCache()
    drawn = []

    def draw(value):
        drawn.append(value)
        return value

    assert cache.get_or_render(("map", 1, "v1"), lambda: draw(b"first")) == b"first"
    assert cache.get_or_render(("map", 1, "v1"), lambda: draw(b"again")) == b"first"
    assert cache.get_or_render(("map", 1, "v2"), lambda: draw(b"new numbers")) == b"new numbers"
    assert drawn == [b"first", b"new numbers"]
    assert (cache.hits, cache.misses) == (1, 2)


def test_the_cache_drops_the_least_recently_used_chart_when_full():
    cache = charts.ChartCache(max_bytes=10)
    cache.get_or_render("a", lambda: b"aaaa")
    cache.get_or_render("b", lambda: b"bbbb")
    cache.get_or_render("a", lambda: b"----")  # a is used again: b is now the oldest
    cache.get_or_render("c", lambda: b"cccc")
    assert cache.get_or_render("a", lambda: b"redrawn") == b"aaaa"
    assert cache.get_or_render("b", lambda: b"redrawn") == b"redrawn"
    assert len(cache) <= 2
