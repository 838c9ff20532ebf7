"""Journey maps: the stages, touchpoints and personas that everything else is tagged with."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.database import UTCDateTime, utcnow
from webapp.extensions import db


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
