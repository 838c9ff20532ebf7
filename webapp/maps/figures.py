"""The numbers a map page draws: per stage, the emotion curve, the emotion mix, blockers and ratings.

These are plain values built by the services from the kept-up-to-date aggregates; charts, the HTML table,
the CSV, the poster and the share page all draw from one `MapFigures`, so they always agree.
"""
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class MapFilters:
    """What a map view is narrowed to; every field comes from (and goes back into) the page's URL."""

    persona_id: int | None = None
    survey_id: int | None = None
    touchpoint_id: int | None = None
    language: str | None = None
    period_start: date | None = None  # first day included
    period_end: date | None = None  # first day NOT included

    def query_args(self) -> dict[str, str]:
        """The filters as URL query arguments (only those set), so a view can be shared."""
        args = {"persona": self.persona_id, "survey": self.survey_id, "touchpoint": self.touchpoint_id,
                "language": self.language, "from": self.period_start, "to": self.period_end}
        return {name: str(value) for name, value in args.items() if value is not None}


@dataclass(frozen=True)
class ValencePoint:
    """Mean valence of a stage's labelled answers with its 95 % confidence interval.

    `uncertain` is set when too few answers stand behind the point to draw it as a confident one.
    """

    count: int
    mean: float | None
    low: float | None
    high: float | None
    uncertain: bool


@dataclass(frozen=True)
class LabelShare:
    """How many of a stage's labelled answers carry a label, and their share of them (0-1)."""

    label: str
    count: int
    share: float


@dataclass(frozen=True)
class RatingSummary:
    """A rating question's figure for a stage: NPS (-100..100), or the mean of CSAT (1-5) or effort (1-7)."""

    kind: str  # "nps", "csat" or "ces"
    count: int
    value: float


@dataclass(frozen=True)
class StageFigures:
    stage_id: int
    name: str
    position: int
    touchpoints: list[str]
    valence: ValencePoint
    emotion_mix: list[LabelShare]  # every emotion with a count, largest share first
    company_blockers: list[LabelShare]  # largest first
    customer_blockers: list[LabelShare]
    complaints: int
    ratings: list[RatingSummary]  # only the kinds a survey asked at this stage
    picked_emotions: list[LabelShare]  # what customers picked themselves in emotion questions
    agreement: float | None  # share of answers whose picked emotions meet a classified one (0-1)
    agreement_count: int  # answers behind `agreement`
    previous: ValencePoint | None = None  # the same stage in the previous period of equal length
    target_valence: float | None = None  # set on the ideal map this map is compared with
    target_emotions: list[str] = field(default_factory=list)
    unclassified: int = 0  # free-text answers in unsupported languages or unlabelable: in no share above


@dataclass(frozen=True)
class MapFigures:
    map_id: int
    filters: MapFilters
    stages: list[StageFigures]
    labelled_answers: int
    gaps: list[str]  # the largest gaps, in words: "Purchase: valence -0.41 vs target +0.30; ..."
    computed_at: datetime
    # The months shown [start, end): the filters' period, or by default the last 12 months.
    period_start: date | None = None
    period_end: date | None = None
    # Set when compared ("target" or "previous"): the period of equal length just before.
    previous_period_start: date | None = None
    previous_period_end: date | None = None
    compare: str | None = None  # "target", "previous" or None
    ideal_map_id: int | None = None  # where the targets come from, when compared with them
