"""Journey maps: the stages, touchpoints and personas that everything else is tagged with."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    JSON, BigInteger, Boolean, Column, Date, Enum, ForeignKey, Index, Integer, String, Table, Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.database import UTCDateTime, utcnow
from webapp.extensions import db
from webapp.labels import BLOCKERS, EMOTIONS


class MapKind(StrEnum):
    AS_IS = "as-is"
    IDEAL = "ideal"


class JourneyMap(db.Model):
    __tablename__ = "journey_map"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[MapKind] = mapped_column(
        Enum(MapKind, native_enum=False, length=10, values_callable=lambda kinds: [k.value for k in kinds]),
        default=MapKind.AS_IS,
    )
    # An ideal map points at the as-is map it improves on.
    improves_on_id: Mapped[int | None] = mapped_column(ForeignKey("journey_map.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    improves_on: Mapped["JourneyMap | None"] = relationship(remote_side=[id])
    stages: Mapped[list["Stage"]] = relationship(
        back_populates="journey_map", order_by="Stage.position", cascade="all, delete-orphan"
    )
    personas: Mapped[list["Persona"]] = relationship(
        back_populates="journey_map", order_by="Persona.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<JourneyMap {self.id} {self.name!r} {self.kind}>"


class Stage(db.Model):
    __tablename__ = "stage"

    id: Mapped[int] = mapped_column(primary_key=True)
    map_id: Mapped[int] = mapped_column(ForeignKey("journey_map.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    # Set on the stages of an ideal map: the mean valence and the emotions the as-is stage should reach.
    target_valence: Mapped[float | None]
    target_emotions: Mapped[list[str] | None] = mapped_column(JSON)

    journey_map: Mapped[JourneyMap] = relationship(back_populates="stages")
    touchpoints: Mapped[list["Touchpoint"]] = relationship(
        back_populates="stage", order_by="Touchpoint.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Stage {self.id} {self.name!r}>"


class Touchpoint(db.Model):
    __tablename__ = "touchpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # What kind of place it is (website, cart, e-mail, phone, chat, store…); name is free text.
    channel: Mapped[str] = mapped_column(String(40), default="")
    position: Mapped[int] = mapped_column(default=0)

    stage: Mapped[Stage] = relationship(back_populates="touchpoints")

    def __repr__(self) -> str:
        return f"<Touchpoint {self.id} {self.name!r}>"


class Persona(db.Model):
    __tablename__ = "persona"

    id: Mapped[int] = mapped_column(primary_key=True)
    map_id: Mapped[int] = mapped_column(ForeignKey("journey_map.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    journey_map: Mapped[JourneyMap] = relationship(back_populates="personas")

    def __repr__(self) -> str:
        return f"<Persona {self.id} {self.name!r}>"


# ---------------------------------------------------------------------------------------------------------
# Map figures kept up to date incrementally (webapp/maps/aggregates.py folds answers and labels into these).

# Valence is summed in integer units of 1/VALENCE_SCALE, so that adding and taking back a label leaves the
# sums exactly as a count from scratch would (floats would drift with every re-label).
VALENCE_SCALE = 10_000
EMOTION_COUNTERS = {emotion: f"emotion_{emotion}" for emotion in EMOTIONS}
BLOCKER_COUNTERS = {blocker: f"blocker_{blocker}" for blocker in BLOCKERS}
PICKED_COUNTERS = {emotion: f"picked_{emotion}" for emotion in EMOTIONS}
COUNTERS = (
    "labelled",  # free-text answers classified in a supported language: the base of every share
    "unclassified",  # free-text answers labelled unsupported-language or unlabelable
    "valence_n", "valence_sum", "valence_sumsq",  # sums in VALENCE_SCALE units (sumsq in its square)
    "complaints",
    *EMOTION_COUNTERS.values(),
    *BLOCKER_COUNTERS.values(),
    "nps_promoters", "nps_passives", "nps_detractors",
    "csat_n", "csat_sum",
    "ces_n", "ces_sum",
    "pickers",  # emotion-picker answers with at least one emotion picked
    *PICKED_COUNTERS.values(),
    "agreement_n", "agreement_agree",  # see aggregates.desired_agreement
)
BIG_COUNTERS = frozenset({"valence_sum", "valence_sumsq"})

map_cell_table = Table(
    "map_cell",
    db.metadata,
    # "stage.persona.survey.touchpoint.language.YYYYMM": the cell's identity, computed from its dimensions.
    Column("key", String(80), primary_key=True),
    Column("map_id", ForeignKey("journey_map.id", ondelete="CASCADE"), nullable=False),
    Column("stage_id", ForeignKey("stage.id", ondelete="CASCADE"), nullable=False),
    # 0 where the response has no persona / the question no touchpoint (a key column cannot be NULL).
    Column("persona_id", Integer, nullable=False),
    Column("survey_id", ForeignKey("survey.id", ondelete="CASCADE"), nullable=False),
    Column("touchpoint_id", Integer, nullable=False),
    Column("language", String(5), nullable=False),
    Column("month", Date, nullable=False),  # the first day of the month the answers were submitted in
    *(Column(name, BigInteger if name in BIG_COUNTERS else Integer, nullable=False) for name in COUNTERS),
    Index("ix_map_cell_map_month", "map_id", "month"),
)


class MapCell(db.Model):
    """Sums and counts of the answers of one stage, persona, survey, touchpoint, language and month.

    A map page sums the cells its filters select, never the answers. The counter columns are listed in
    COUNTERS; the table is declared as a Table because they are generated from the label ids.
    """

    __table__ = map_cell_table

    def __repr__(self) -> str:
        return f"<MapCell {self.key}>"


class FoldedLabel(db.Model):
    """What one free-text answer's label added to its cell, so a new label can take exactly that back.

    RESTRICT: an answer cannot be deleted while its label is counted in the map figures.
    """

    __tablename__ = "map_folded_label"

    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="RESTRICT"), primary_key=True)
    cell_key: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(20))  # "machine" (issue 5 adds "human")
    label_version: Mapped[str] = mapped_column(String(100))
    supported: Mapped[bool] = mapped_column(Boolean)
    valence: Mapped[int | None]  # VALENCE_SCALE units
    emotions: Mapped[list[str]] = mapped_column(JSON)
    blockers: Mapped[list[str]] = mapped_column(JSON)
    complaint: Mapped[bool] = mapped_column(Boolean)

    def __repr__(self) -> str:
        return f"<FoldedLabel answer={self.answer_id} {self.source} {self.label_version}>"


class FoldedAgreement(db.Model):
    """Whether one response's picked emotions at one stage agree with its classified answers there, as counted."""

    __tablename__ = "map_folded_agreement"

    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="RESTRICT"), primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="RESTRICT"), primary_key=True)
    cell_key: Mapped[str] = mapped_column(String(80))
    agree: Mapped[bool] = mapped_column(Boolean)

    def __repr__(self) -> str:
        return f"<FoldedAgreement response={self.response_id} stage={self.stage_id} agree={self.agree}>"


class BlockerQuote(db.Model):
    """One answer carrying one blocker in its effective label: the index behind a blocker's quotes."""

    __tablename__ = "map_blocker_quote"
    __table_args__ = (
        Index("ix_map_blocker_quote_stage_blocker_submitted", "stage_id", "blocker", "submitted_at", "answer_id"),
    )

    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="RESTRICT"), primary_key=True)
    blocker: Mapped[str] = mapped_column(String(40), primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"))
    persona_id: Mapped[int] = mapped_column()  # 0: none, as in map_cell
    survey_id: Mapped[int] = mapped_column()
    touchpoint_id: Mapped[int] = mapped_column()
    language: Mapped[str] = mapped_column(String(5))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<BlockerQuote answer={self.answer_id} {self.blocker}>"


class FoldWatermark(db.Model):
    """How far the fold has read one source of events (new answers, the label log): ids up to
    `folded_up_to` are in the cells. `settled_up_to`: no row with an id up to it can still appear."""

    __tablename__ = "map_fold_watermark"

    source: Mapped[str] = mapped_column(String(40), primary_key=True)
    folded_up_to: Mapped[int] = mapped_column(BigInteger, default=0)
    settled_up_to: Mapped[int] = mapped_column(BigInteger, default=0)
    folded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<FoldWatermark {self.source} {self.folded_up_to}/{self.settled_up_to}>"


class MapFiguresVersion(db.Model):
    """Counts the folds that changed a map's cells: part of the key its rendered charts are cached on."""

    __tablename__ = "map_figures_version"

    map_id: Mapped[int] = mapped_column(ForeignKey("journey_map.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<MapFiguresVersion map={self.map_id} {self.version}>"
