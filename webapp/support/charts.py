"""The agreement chart: how often staff agree with the machine, month by month, with model releases marked."""
from collections.abc import Sequence
from datetime import datetime

from flask_babel import gettext as _
from matplotlib.ticker import FixedLocator, PercentFormatter

from webapp.maps.charts import (
    ACCENT,
    FONT,
    GRID,
    INK,
    MUTED,
    POSITIVE,
    _new_figure,
    _style_axes,
    inline_svg,
    render,
)
from webapp.support.services import MonthAgreement


def agreement_chart_svg(months: Sequence[MonthAgreement], releases: Sequence[tuple[datetime, str]]) -> str:
    """Inline SVG: per month, the share of label judgements staff agreed with and of items confirmed as they
    were; each published release a dashed line at the month it was made, so a change can be read against it."""
    figure = _new_figure(8.0, 3.0, left=0.6, right=0.2, top=0.6, bottom=0.45)
    ax = figure.add_subplot()
    _style_axes(ax)
    xs = list(range(len(months)))
    ax.set_ylim(0, 1.04)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.grid(axis="y", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    for share, colour, marker, label in (
        ([m.label_share for m in months], ACCENT, "o", _("Label judgements agreed")),
        ([m.share for m in months], POSITIVE, "s", _("Items confirmed unchanged")),
    ):
        points = [(x, value) for x, value in zip(xs, share) if value is not None]
        ax.plot([x for x, _v in points], [v for _x, v in points], color=colour, marker=marker, linewidth=2,
                markersize=5, label=label)
    ax.xaxis.set_major_locator(FixedLocator(xs))
    ax.set_xticklabels([m.month for m in months], fontname=FONT)
    ax.set_xlim(-0.5, len(months) - 0.5)
    index = {m.month: x for x, m in enumerate(months)}
    for made_at, name in releases:
        x = index.get(f"{made_at:%Y-%m}")
        if x is not None:
            ax.axvline(x, color=MUTED, linestyle="--", linewidth=1)
            ax.annotate(name, (x, 1.02), xytext=(3, 0), textcoords="offset points", fontsize=8, color=MUTED,
                        va="bottom")
    # Above the plot, clear of the lines and of the release names.
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.06), frameon=False, fontsize=9, labelcolor=INK, ncols=2,
              borderaxespad=0)
    return inline_svg(render(figure, "svg"), "agreement-chart")
