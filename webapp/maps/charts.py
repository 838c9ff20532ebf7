"""Charts of a journey map, drawn with matplotlib's `Figure` API (never pyplot: the web process keeps no state).

Every chart draws from one `MapFigures`, the same values as the page's table and CSV. `render` turns a
figure into SVG (inlined in the page), PNG or PDF bytes; `ChartCache` keeps rendered bytes per app,
keyed by the figures' cache key, so a chart is drawn once per change of its numbers.

Text is set in DejaVu Sans, which matplotlib ships and which has every Polish and Romanian letter, so a
chart never depends on the fonts of the server or reaches out for one.
"""
import io
import re
import textwrap
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, MultipleLocator

from webapp.labels import BLOCKERS, COMPANY_BLOCKERS, EMOTIONS, NEUTRAL_EMOTIONS, POSITIVE_EMOTIONS
from webapp.maps.figures import LabelShare, MapFigures, StageFigures

FONT = "DejaVu Sans"
INK = "#1f2937"
MUTED = "#6b7280"
GRID = "#e5e7eb"
ACCENT = "#4f46e5"
POSITIVE = "#047857"
NEGATIVE = "#b91c1c"
PREVIOUS = "#6b7280"
TARGET = "#047857"
COMPANY_BLOCKER = "#b45309"
CUSTOMER_BLOCKER = "#f59e0b"
NEGATIVE_ZONE = "#fef2f2"
POSITIVE_ZONE = "#ecfdf5"

# Negative emotions in reds, oranges and purples, surprise in grey, positive ones in greens and blues:
# the families of app.css, with hues far enough apart to tell neighbouring segments apart.
EMOTION_COLOURS = {
    "anger": "#7f1d1d",
    "frustration": "#dc2626",
    "disappointment": "#f87171",
    "disgust": "#9d174d",
    "shame": "#db2777",
    "fear": "#7c2d12",
    "anxiety": "#ea580c",
    "uncertainty": "#fdba74",
    "suspicion": "#7e22ce",
    "surprise": "#9ca3af",
    "pride": "#65a30d",
    "joy": "#16a34a",
    "relief": "#86efac",
    "confidence": "#0d9488",
    "trust": "#0369a1",
}
# Stacked from the bottom: negative first, then neutral, then positive, so the green share reads on top.
EMOTION_ORDER = [e for e in EMOTION_COLOURS if e not in POSITIVE_EMOTIONS and e not in NEUTRAL_EMOTIONS] + [
    e for e in EMOTION_COLOURS if e in NEUTRAL_EMOTIONS] + [e for e in EMOTION_COLOURS if e in POSITIVE_EMOTIONS]

FORMATS = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf"}
# Landscape paper in inches, for the poster.
PAPER_SIZES = {"a4": (11.69, 8.27), "a3": (16.54, 11.69)}
RASTER_DPI = 150


def label_text(label: str) -> str:
    """The translated name of an emotion or blocker id."""
    return str(EMOTIONS.get(label) or BLOCKERS.get(label) or label)


def signed(value: float) -> str:
    """A valence as people read it: +0.30, -0.41, 0.00."""
    return "0.00" if round(value, 2) == 0 else f"{value:+.2f}".replace("-", "\u2212")


def _wrapped(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=True)) or text


def _style_axes(ax, scale: float = 1.0) -> None:
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(GRID)
    ax.tick_params(colors=MUTED, labelcolor=INK, length=0, labelsize=9 * scale)


def _new_figure(width: float, height: float, left: float, right: float, top: float, bottom: float) -> Figure:
    """A figure whose plot area leaves these margins, in inches.

    Fixed margins rather than a layout engine: constrained layout draws every chart twice, which
    doubles the time the first view of new numbers waits for its charts.
    """
    figure = Figure(figsize=(width, height), facecolor="white")
    figure.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height)
    return figure


# The emotion curve ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CurveOptions:
    """Which comparison lines the curve carries besides this period's valence."""

    previous: bool = False
    targets: bool = False


def curve_options(figures: MapFigures) -> CurveOptions:
    """Draw the previous period or targets when the figures carry them."""
    return CurveOptions(
        previous=any(stage.previous is not None and stage.previous.mean is not None for stage in figures.stages),
        targets=any(stage.target_valence is not None for stage in figures.stages),
    )


def valence_range(stages: Sequence[StageFigures], options: CurveOptions) -> tuple[float, float]:
    """The part of −1..+1 the curve needs: every point, band and comparison, zero, and room for the labels.

    Zoomed in rather than always −1..+1, so that a difference of 0.1 between stages shows; at least a span
    of 1 so that small noise does not look like a cliff.
    """
    values = [0.0]
    for stage in stages:
        values += [v for v in (stage.valence.mean, stage.valence.low, stage.valence.high) if v is not None]
        if options.previous and stage.previous is not None and stage.previous.mean is not None:
            values.append(stage.previous.mean)
        if options.targets and stage.target_valence is not None:
            values.append(stage.target_valence)
    low, high = max(-1.0, min(values) - 0.1), min(1.0, max(values) + 0.1)
    missing = 1.0 - (high - low)
    if missing > 0:
        low, high = low - missing / 2, high + missing / 2
        if low < -1.0:
            low, high = -1.0, high + (-1.0 - low)
        if high > 1.0:
            low, high = low - (high - 1.0), 1.0
    span = high - low
    # Room at the bottom for the answer counts and at the top for the value labels.
    return low - 0.16 * span, high + 0.1 * span


def draw_curve(ax, stages: Sequence[StageFigures], options: CurveOptions, compact: bool = False,
               scale: float = 1.0) -> list:
    """Draw mean valence per stage with its 95 % band on `ax`; return the legend handles.

    `compact` leaves the stage names out (the poster prints them above); `scale` sizes the text.
    """
    xs = list(range(len(stages)))
    ax.set_xlim(-0.5, len(stages) - 0.5)
    low, high = valence_range(stages, options)
    ax.set_ylim(low, high)
    ax.axhspan(0, high, color=POSITIVE_ZONE, zorder=0, linewidth=0)
    ax.axhspan(low, 0, color=NEGATIVE_ZONE, zorder=0, linewidth=0)
    ax.axhline(0, color="#cbd5e1", linewidth=1, zorder=1)
    step = 0.25 if high - low <= 1.3 else 0.5
    ax.yaxis.set_major_locator(MultipleLocator(step))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: signed(value)))
    ax.grid(axis="y", color="white", linewidth=1)
    _style_axes(ax, scale)
    ax.set_xticks(xs, [_wrapped(stage.name, 12 if compact else 16) for stage in stages],
                  fontsize=(9 if compact else 10) * scale, fontweight="bold")
    if compact:
        ax.tick_params(axis="x", labelbottom=False)
    ax.set_ylabel(_("Mean valence"), color=MUTED, fontsize=9 * scale)
    for text, colour, offset, align in (("▲ " + _("positive"), POSITIVE, 3, "bottom"),
                                        ("▼ " + _("negative"), NEGATIVE, -3, "top")):
        ax.annotate(text, (-0.48, 0), xytext=(0, offset), textcoords="offset points", color=colour,
                    fontsize=7.5 * scale, va=align, zorder=2)

    points = [stage.valence for stage in stages]
    for x, (left, right) in enumerate(zip(points, points[1:])):
        if None in (left.mean, right.mean, left.low, right.low, left.high, right.high):
            continue
        uncertain = left.uncertain or right.uncertain
        ax.fill_between([x, x + 1], [left.low, right.low], [left.high, right.high], color=ACCENT,
                        alpha=0.07 if uncertain else 0.16, linewidth=0, zorder=2)
        ax.plot([x, x + 1], [left.mean, right.mean], color=ACCENT, linewidth=2.4,
                linestyle=(0, (4, 3)) if uncertain else "-", zorder=4, solid_capstyle="round")
    for x, point in zip(xs, points):
        if point.mean is None:
            continue
        if point.low is not None and point.high is not None:
            # A lone point (neighbours without answers) still shows its interval, as an error bar.
            ax.plot([x, x], [point.low, point.high], color=ACCENT, alpha=0.35 if point.uncertain else 0.6,
                    linewidth=1.2, linestyle=(0, (2, 2)) if point.uncertain else "-", zorder=3)
        ax.plot([x], [point.mean], marker="o", markersize=9 * scale, zorder=6, linestyle="none",
                markerfacecolor="white" if point.uncertain else ACCENT,
                markeredgecolor=ACCENT, markeredgewidth=2 if point.uncertain else 1.5)
        tone = POSITIVE if point.mean > 0.05 else NEGATIVE if point.mean < -0.05 else INK
        ax.annotate(signed(point.mean), (x, point.mean), xytext=(0, 9), textcoords="offset points",
                    ha="center", va="bottom", fontsize=(9 if compact else 10) * scale, fontweight="bold", color=tone, zorder=7,
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.8})
    # The answers behind each point sit in one row along the bottom, clear of every line.
    for x, point in zip(xs, points):
        count = _("n = %(count)d", count=point.count) if point.count else _("no answers")
        if point.uncertain and point.count:
            count = _("n = %(count)d, too few", count=point.count)
        ax.text(x, 0.04, count, transform=ax.get_xaxis_transform(), ha="center", va="bottom", fontsize=(7.5 if compact else 8.5) * scale, zorder=7,
                color=ACCENT if point.uncertain and point.count else MUTED,
                fontstyle="italic" if point.uncertain else "normal")

    handles = [
        Line2D([], [], color=ACCENT, linewidth=2.4, marker="o", markerfacecolor=ACCENT, markeredgecolor=ACCENT,
               label=_("This period")),
        Patch(facecolor=ACCENT, alpha=0.16, label=_("%(level)s confidence band", level="95%")),
        Line2D([], [], color=ACCENT, linewidth=2, linestyle=(0, (4, 3)), marker="o", markerfacecolor="white",
               markeredgecolor=ACCENT, label=_("Too few answers to be sure")),
    ]
    if options.previous:
        _comparison_line(ax, xs, [s.previous.mean if s.previous else None for s in stages], PREVIOUS, "s",
                         [bool(s.previous and s.previous.uncertain) for s in stages])
        handles.append(Line2D([], [], color=PREVIOUS, linewidth=1.6, linestyle=(0, (1, 2)), marker="s",
                              markersize=5, label=_("Previous period")))
    if options.targets:
        _comparison_line(ax, xs, [s.target_valence for s in stages], TARGET, "D")
        handles.append(Line2D([], [], color=TARGET, linewidth=1.6, linestyle=(0, (1, 2)), marker="D",
                              markersize=5, label=_("Target (ideal map)")))
    return handles


def _comparison_line(ax, xs: list[int], values: list[float | None], colour: str, marker: str,
                     uncertain: list[bool] | None = None) -> None:
    """A dotted line through comparison values; points resting on too few answers are hollow."""
    uncertain = uncertain or [False] * len(values)
    for x, (left, right) in enumerate(zip(values, values[1:])):
        if left is not None and right is not None:
            ax.plot([x, x + 1], [left, right], color=colour, linewidth=1.6, linestyle=(0, (1, 2)), zorder=3)
    for x, value, hollow in zip(xs, values, uncertain):
        if value is not None:
            ax.plot([x], [value], linestyle="none", marker=marker, markersize=6, zorder=5,
                    markerfacecolor="white" if hollow else colour, markeredgecolor=colour if hollow else "white",
                    markeredgewidth=1.2)


def emotion_curve_chart(figures: MapFigures, options: CurveOptions | None = None) -> Figure:
    """Mean valence per stage, its 95 % band, the answers behind each point; comparison lines if asked."""
    figure = _new_figure(max(7.5, 1.7 * len(figures.stages)), 3.9, left=0.85, right=0.15, top=0.45, bottom=0.55)
    ax = figure.add_subplot()
    handles = draw_curve(ax, figures.stages, options or curve_options(figures))
    figure.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, 1), ncols=len(handles), frameon=False,
                  fontsize=8.5,
                  labelcolor=INK, handlelength=2.4)
    return figure


# The emotion mix --------------------------------------------------------------------------------------------------

def emotion_composition(stage: StageFigures) -> dict[str, float]:
    """Each emotion's part of all emotions found in a stage's answers (sums to 1; empty without emotions)."""
    total = sum(share.count for share in stage.emotion_mix)
    return {share.label: share.count / total for share in stage.emotion_mix if share.count} if total else {}


def emotions_present(stages: Sequence[StageFigures]) -> list[str]:
    """The emotions found in any stage, in stacking order."""
    found = {share.label for stage in stages for share in stage.emotion_mix if share.count}
    return [e for e in EMOTION_ORDER if e in found] + sorted(found - set(EMOTION_ORDER))


def draw_mix(ax, stages: Sequence[StageFigures], compact: bool = False, scale: float = 1.0) -> list[str]:
    """Draw one 100 % column per stage, split by emotion; return the emotions drawn, in stacking order."""
    compositions = [emotion_composition(stage) for stage in stages]
    present = emotions_present(stages)
    xs = list(range(len(stages)))
    ax.set_xlim(-0.5, len(stages) - 0.5)
    ax.set_ylim(0, 1)
    _style_axes(ax, scale)
    ax.yaxis.set_major_locator(FixedLocator([0, 0.25, 0.5, 0.75, 1]))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:.0%}"))
    ax.grid(axis="y", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    ax.set_xticks(xs, [_wrapped(stage.name, 16) for stage in stages], fontsize=10 * scale, fontweight="bold")
    if compact:
        ax.tick_params(axis="x", labelbottom=False)
    width = 0.7
    fontsize = (7 if compact else 8) * scale
    bar_points = ax.figure.get_figwidth() * 72 * 0.85 / max(len(stages), 1) * width / scale
    bottoms = [0.0] * len(stages)
    for emotion in present:
        heights = [parts.get(emotion, 0.0) for parts in compositions]
        colour = EMOTION_COLOURS.get(emotion, MUTED)
        ax.bar(xs, heights, width=width, bottom=bottoms, color=colour, edgecolor="white", linewidth=0.8, zorder=2)
        for x, (bottom, height) in enumerate(zip(bottoms, heights)):
            label = _segment_label(label_text(emotion), height, bar_points, fontsize)
            if label:
                ax.text(x, bottom + height / 2, label, ha="center", va="center", fontsize=fontsize,
                        color=_text_colour_on(colour), zorder=3)
        bottoms = [b + h for b, h in zip(bottoms, heights)]
    for x, parts in enumerate(compositions):
        if not parts:
            ax.text(x, 0.5, _("no emotions\nfound yet"), ha="center", va="center", fontsize=8 * scale, color=MUTED)
    return present


def _segment_label(name: str, height: float, bar_points: float, fontsize: float) -> str:
    """The name and share of a segment where both fit in the bar, the share alone, or nothing."""
    if height < 0.06:
        return ""
    share = f"{height:.0%}"
    average_glyph = 0.6 * fontsize  # DejaVu Sans averages a little over half an em per character
    if height >= 0.1 and len(f"{name} {share}") * average_glyph < bar_points - 6:
        return f"{name} {share}"
    return share if len(share) * average_glyph < bar_points - 4 else ""


def _text_colour_on(colour: str) -> str:
    red, green, blue = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return INK if 0.299 * red + 0.587 * green + 0.114 * blue > 0.6 else "white"


def emotion_legend_handles(emotions: Sequence[str]) -> list[Patch]:
    return [Patch(facecolor=EMOTION_COLOURS.get(e, MUTED), label=label_text(e)) for e in emotions]


def emotion_mix_chart(figures: MapFigures) -> Figure:
    """Per stage, a 100 % column of the emotions found in its answers."""
    columns = 5
    legend_rows = -(-len(emotions_present(figures.stages)) // columns)
    figure = _new_figure(max(6.0, 1.2 * len(figures.stages)), 4.0 + 0.2 * legend_rows, left=0.55, right=0.1,
                         top=0.12, bottom=0.55 + 0.2 * legend_rows)
    ax = figure.add_subplot()
    present = draw_mix(ax, figures.stages)
    if present:
        figure.legend(handles=emotion_legend_handles(present), loc="lower center", bbox_to_anchor=(0.5, 0),
                      frameon=False,
                      fontsize=8.5, labelcolor=INK, ncols=min(len(present), columns), handlelength=1, columnspacing=1)
    return figure


# Top blockers -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RankedBlocker:
    stage: str
    blocker: LabelShare
    company_side: bool


def top_blockers(figures: MapFigures, limit: int = 8) -> list[RankedBlocker]:
    """The blockers with the most answers across the map, each with its stage, most first."""
    ranked = [
        RankedBlocker(stage.name, share, share.label in COMPANY_BLOCKERS)
        for stage in figures.stages
        for share in (*stage.company_blockers, *stage.customer_blockers)
        if share.count
    ]
    ranked.sort(key=lambda item: (-item.blocker.count, -item.blocker.share, item.stage, item.blocker.label))
    return ranked[:limit]


def answers_share(share: LabelShare) -> str:
    """“22% · 52 answers”."""
    return ngettext("%(share)s · %(num)d answer", "%(share)s · %(num)d answers", share.count,
                    share=f"{share.share:.0%}")


def blocker_legend_handles() -> list[Patch]:
    return [Patch(facecolor=COMPANY_BLOCKER, label=_("Company side")),
            Patch(facecolor=CUSTOMER_BLOCKER, label=_("Customer side"))]


def blocker_row_label(item: RankedBlocker) -> str:
    return _fitting(f"{label_text(item.blocker.label)} · {item.stage}", 48)


def draw_blockers(ax, ranked: Sequence[RankedBlocker], fontsize: float = 9) -> None:
    """Horizontal bars: each blocker's share of its stage's answers, count at the end."""
    _style_axes(ax)
    ax.spines["bottom"].set_visible(False)
    if not ranked:
        ax.set_axis_off()
        ax.text(0.5, 0.5, _("No blockers found in these answers."), ha="center", va="center", color=MUTED,
                fontsize=fontsize, transform=ax.transAxes)
        return
    ys = list(range(len(ranked)))[::-1]
    shares = [item.blocker.share for item in ranked]
    ax.barh(ys, shares, height=0.62, color=[COMPANY_BLOCKER if i.company_side else CUSTOMER_BLOCKER for i in ranked],
            zorder=2)
    ax.set_yticks(ys, [blocker_row_label(item) for item in ranked], fontsize=fontsize)
    ax.set_xlim(0, max(shares) * 1.6 or 1)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:.0%}"))
    ax.tick_params(axis="x", labelsize=fontsize - 1, labelcolor=MUTED)
    ax.grid(axis="x", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    for y, item in zip(ys, ranked):
        ax.text(item.blocker.share, y, "  " + answers_share(item.blocker),
                va="center", ha="left", fontsize=fontsize - 1, color=INK)


def top_blockers_chart(figures: MapFigures) -> Figure:
    """The map's most frequent blockers, company side in dark amber and customer side in light amber."""
    ranked = top_blockers(figures)
    width = 6.4
    longest = max((len(blocker_row_label(item)) for item in ranked), default=10)
    left = min(0.2 + longest * 0.6 * 9 / 72, width * 0.5)  # room for the longest label at 9 pt
    figure = _new_figure(width, 1.2 + 0.38 * max(len(ranked), 2), left=left, right=0.15, top=0.4, bottom=0.55)
    ax = figure.add_subplot()
    draw_blockers(ax, ranked)
    ax.set_xlabel(_("Share of the stage's answers"), color=MUTED, fontsize=8.5)
    figure.legend(handles=blocker_legend_handles(), loc="upper left", bbox_to_anchor=(0, 1), ncols=2, frameon=False,
                  fontsize=8.5)
    return figure


# The poster -------------------------------------------------------------------------------------------------------

def _fitting(text: str, characters: int) -> str:
    return text if len(text) <= characters else text[:max(characters - 1, 1)].rstrip() + "…"


def map_poster(figures: MapFigures, title: str, subtitle: str, paper: str = "a4",
               options: CurveOptions | None = None) -> Figure:
    """One landscape page for a workshop wall: stages as columns, the curve, the mix and the top blockers."""
    width, height = PAPER_SIZES[paper]
    scale = width / PAPER_SIZES["a4"][0]
    stages = figures.stages
    columns = max(len(stages), 1)
    left, right = 0.075, 0.975
    column_points = width * (right - left) / columns * 72

    def characters(fontsize: float) -> int:
        """How many characters of this size fit on one line of a stage's column."""
        return max(int(column_points * 0.9 / (0.62 * fontsize * scale)), 8)

    figure = Figure(figsize=(width, height), facecolor="white")
    # Rows: gaps, stage headers, curve, mix, the mix's legend, blockers.
    grid = figure.add_gridspec(
        6, 1, height_ratios=[0.4, 1.0, 2.3, 1.9, 0.45, 1.3], left=left, right=right, top=0.9, bottom=0.05,
        hspace=0.38,
    )
    figure.text(left, 0.965, title, fontsize=20 * scale, fontweight="bold", color=INK, va="top")
    figure.text(right, 0.962, subtitle, fontsize=8.5 * scale, color=MUTED, va="top", ha="right", linespacing=1.5)

    gaps_ax = figure.add_subplot(grid[0])
    gaps_ax.set_axis_off()
    if figures.gaps:
        gaps_ax.text(0, 1, _("Largest gaps"), fontsize=9 * scale, fontweight="bold", color=NEGATIVE, va="top",
                     transform=gaps_ax.transAxes)
        gaps_ax.text(0, 0.45, "   ·   ".join(figures.gaps[:3]), fontsize=8.5 * scale, color=INK, va="top",
                     transform=gaps_ax.transAxes)
    gaps_ax.text(1, 1, _("%(count)d labelled answers", count=figures.labelled_answers), fontsize=9 * scale,
                 color=MUTED, va="top", ha="right", transform=gaps_ax.transAxes)

    header = figure.add_subplot(grid[1])
    header.set_xlim(-0.5, columns - 0.5)
    header.set_ylim(0, 1)
    header.set_axis_off()
    for x, stage in enumerate(stages):
        header.add_patch(FancyBboxPatch((x - 0.47, 0.0), 0.94, 1.0, boxstyle="square,pad=0",
                                        facecolor="#eef2ff", edgecolor="none"))
        header.add_patch(FancyBboxPatch((x - 0.47, 0.95), 0.94, 0.05, boxstyle="square,pad=0",
                                        facecolor=ACCENT, edgecolor="none"))
        name = "\n".join(textwrap.wrap(f"{x + 1}  {stage.name}", characters(10.5))[:2])
        header.text(x - 0.43, 0.84, name, fontsize=10.5 * scale, fontweight="bold", color=INK, va="top")
        # Two lines of touchpoints under a one-line name, one under a name that needed two.
        lines = textwrap.wrap(", ".join(stage.touchpoints), characters(7.5))
        room = 1 if "\n" in name else 2
        touchpoints = "\n".join(lines[:room - 1] + [_fitting(" ".join(lines[room - 1:]), characters(7.5))])
        header.text(x - 0.43, 0.1, touchpoints, fontsize=7.5 * scale, color=MUTED, va="bottom", linespacing=1.3)

    curve = figure.add_subplot(grid[2])
    handles = draw_curve(curve, stages, options or curve_options(figures), compact=True, scale=scale)
    curve.set_title(_("Emotion curve"), loc="left", fontsize=11 * scale, fontweight="bold", color=INK)
    curve.legend(handles=handles, loc="lower right", ncols=len(handles), frameon=False, fontsize=7 * scale,
                 bbox_to_anchor=(1, 1), borderaxespad=0.2)

    mix = figure.add_subplot(grid[3])
    present = draw_mix(mix, stages, compact=True, scale=scale)
    mix.set_title(_("Emotion mix"), loc="left", fontsize=11 * scale, fontweight="bold", color=INK)
    legend = figure.add_subplot(grid[4])
    legend.set_axis_off()
    if present:
        legend.legend(handles=emotion_legend_handles(present), loc="upper center", ncols=min(len(present), 8),
                      frameon=False, fontsize=7 * scale, handlelength=1, columnspacing=1.2, borderaxespad=0)

    blockers = figure.add_subplot(grid[5])
    blockers.set_xlim(-0.5, columns - 0.5)
    blockers.set_ylim(0, 1)
    blockers.set_axis_off()
    blockers.set_title(_("Top blockers"), loc="left", fontsize=11 * scale, fontweight="bold", color=INK)
    for x, stage in enumerate(stages):
        ranked = sorted((s for s in (*stage.company_blockers, *stage.customer_blockers) if s.count),
                        key=lambda s: (-s.count, s.label))[:3]
        if not ranked:
            blockers.text(x - 0.43, 0.92, _("none found"), fontsize=8 * scale, color=MUTED, va="top")
        for row, share in enumerate(ranked):
            colour = COMPANY_BLOCKER if share.label in COMPANY_BLOCKERS else CUSTOMER_BLOCKER
            top = 0.95 - row * 0.33
            blockers.add_patch(FancyBboxPatch((x - 0.47, top - 0.25), 0.02, 0.25, boxstyle="square,pad=0",
                                              facecolor=colour, edgecolor="none"))
            blockers.text(x - 0.43, top, _fitting(label_text(share.label), characters(8.5)), fontsize=8.5 * scale,
                          color=INK, va="top", fontweight="bold")
            blockers.text(x - 0.43, top - 0.14, answers_share(share), fontsize=7.5 * scale, color=MUTED, va="top")
    blockers.legend(handles=blocker_legend_handles(), loc="lower right", bbox_to_anchor=(1, 1), ncols=2,
                    frameon=False, fontsize=7 * scale, borderaxespad=0.2)
    figure.text(left, 0.018, _("Valence runs from −1 (negative) to +1 (positive); the band is the %(level)s confidence "
                               "interval; hollow points rest on too few answers to be sure.", level="95%"),
                fontsize=7 * scale, color=MUTED)
    return figure


# Output -----------------------------------------------------------------------------------------------------------

_SVG_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.S)
_SVG_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_SVG_SIZE = re.compile(r'(<svg[^>]*?) width="[^"]*" height="[^"]*"')
_SVG_IDS = re.compile(r'(\bid="|href="#|url\(#)')


def render(figure: Figure, fmt: str, dpi: int = RASTER_DPI) -> bytes:
    """The figure as SVG, PNG or PDF bytes (without a creation date: the file tells nothing of when it was drawn)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}")
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"CreationDate": None} if fmt == "pdf" else {}
    figure.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
    return buffer.getvalue()


def inline_svg(svg: bytes, id_prefix: str) -> str:
    """An SVG document made fit for inlining in HTML: no prologue, fluid width, ids unique on the page, and its
    style rule (matplotlib's `*{stroke-linejoin…}`) kept to itself rather than applied to the whole page."""
    text = svg.decode("utf-8")
    text = _SVG_METADATA.sub("", _SVG_PROLOGUE.sub("", text, count=1))
    text = _SVG_SIZE.sub(r'\1 preserveAspectRatio="xMidYMid meet"', text, count=1)
    text = _SVG_IDS.sub(lambda match: match.group(1) + id_prefix + "-", text)
    text = text.replace("<svg ", f'<svg id="{id_prefix}" ', 1)
    return text.replace("*{stroke-linejoin", f"#{id_prefix} *{{stroke-linejoin", 1)


class ChartCache:
    """Rendered charts in this process, least recently used dropped first once `max_bytes` are held.

    Keys carry the figures' cache key, which changes whenever the numbers behind a map change; a chart
    of old numbers is therefore never served, only left to age out. Kept in memory rather than under
    instance/ because charts are small (tens of kB) and cheap to redraw, and memory needs no clean-up
    of stale files, no atomic writes and no shared disk between servers.
    """

    def __init__(self, max_bytes: int = 32 * 1024 * 1024):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, bytes] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_render(self, key: Hashable, draw: Callable[[], bytes]) -> bytes:
        """The cached bytes for `key`, or draw them now, keep and return them."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key]
            self.misses += 1
        # Drawn outside the lock: two requests may both draw a new chart once, but never wait on each other.
        data = draw()
        with self._lock:
            if key not in self._entries and len(data) <= self.max_bytes:
                self._entries[key] = data
                self._held += len(data)
                while self._held > self.max_bytes:
                    _old_key, old = self._entries.popitem(last=False)
                    self._held -= len(old)
        return data

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._held = 0

    def __len__(self) -> int:
        return len(self._entries)
