"""The support queue: complaints to work (survey answers and outside complaints), their audit trail, the
labels staff confirm or correct, and the API tokens help-desk systems post complaints with."""
from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from sqlalchemy import JSON, Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User
from webapp.database import UTCDateTime, utcnow
from webapp.extensions import db
from webapp.responses.models import Answer

CHANNEL_LENGTH, ORDER_ID_LENGTH, CUSTOMER_REFERENCE_LENGTH, TAG_LENGTH = 40, 120, 200, 40
LABEL_IDS_LENGTH = 400  # every emotion and blocker id at once fits


class ItemStatus(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"


class ItemOrigin(StrEnum):
    SURVEY = "survey"  # a survey answer the job found to be a complaint, negative or blocked
    MANUAL = "manual"
    CSV = "csv"
    API = "api"


def _enum(enum_class) -> Enum:
    return Enum(enum_class, native_enum=False, length=20, values_callable=lambda members: [m.value for m in members])


class SupportItem(db.Model):
    """One complaint in the support queue.

    A survey answer's item points at the answer (its text, stage and labels live there); an outside
    complaint carries its own text and machine label. The `machine_*` columns copy the machine label so
    the queue sorts and filters without reading labels: the enqueue job refreshes them on re-labelling.
    `version` is bumped by every staff change; an update made against an older version is refused
    (SQLAlchemy's version counter puts it in the UPDATE's WHERE, so two racing requests cannot both win).
    """

    __tablename__ = "support_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    origin: Mapped[ItemOrigin] = mapped_column(_enum(ItemOrigin))
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), unique=True)
    channel: Mapped[str | None] = mapped_column(String(CHANNEL_LENGTH))
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stage.id", ondelete="SET NULL"), index=True)
    touchpoint_id: Mapped[int | None] = mapped_column(ForeignKey("touchpoint.id", ondelete="SET NULL"))
    order_id: Mapped[str | None] = mapped_column(String(ORDER_ID_LENGTH))
    customer_reference: Mapped[str | None] = mapped_column(String(CUSTOMER_REFERENCE_LENGTH))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8), index=True)
    # The machine label: copied from answer_label for survey answers, the classifier's result for others.
    machine_model: Mapped[str | None] = mapped_column(String(100))
    machine_label: Mapped[dict | None] = mapped_column(JSON)
    # The label that counts (staff's when given, else the machine's), in columns the queue sorts and filters
    # on: label ids space-separated with a space at each end, so " anger " finds one with LIKE on any database.
    valence: Mapped[float | None]
    complaint: Mapped[bool] = mapped_column(default=False)
    emotion_ids: Mapped[str] = mapped_column(String(LABEL_IDS_LENGTH), default=" ")
    blocker_ids: Mapped[str] = mapped_column(String(LABEL_IDS_LENGTH), default=" ")
    status: Mapped[ItemStatus] = mapped_column(_enum(ItemStatus), default=ItemStatus.NEW, index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __mapper_args__: ClassVar[dict] = {"version_id_col": version}

    answer: Mapped[Answer | None] = relationship()
    assignee: Mapped[User | None] = relationship()
    audit: Mapped[list["AuditEntry"]] = relationship(
        back_populates="item", order_by="AuditEntry.id", cascade="all, delete-orphan", passive_deletes=True)
    human_label: Mapped["HumanLabel | None"] = relationship(
        back_populates="item", cascade="all, delete-orphan", passive_deletes=True)

    def __repr__(self) -> str:
        return f"<SupportItem {self.id} {self.origin} v{self.version}>"


class AuditEntry(db.Model):
    """One change of one field of an item: who, when, before, after, and the item version it made."""

    __tablename__ = "support_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("support_item.id", ondelete="CASCADE"), index=True)
    item_version: Mapped[int]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(120))  # kept when the account goes: "Ann Smith", "api:helpdesk"
    field: Mapped[str] = mapped_column(String(40))
    before: Mapped[object | None] = mapped_column(JSON)
    after: Mapped[object | None] = mapped_column(JSON)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    item: Mapped[SupportItem] = relationship(back_populates="audit")

    def __repr__(self) -> str:
        return f"<AuditEntry item={self.item_id} {self.field}>"


class HumanLabel(db.Model):
    """The emotions and blockers support staff confirmed or corrected for an item; wins over the machine's.

    `answer_id` repeats the item's answer so that map figures find human labels by answer. The machine
    label it was judged against is kept (`machine_*`), to measure how often staff agree with the machine.
    """

    __tablename__ = "human_label"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("support_item.id", ondelete="CASCADE"), unique=True)
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), unique=True)
    valence: Mapped[float | None]
    emotions: Mapped[list[str]] = mapped_column(JSON)
    blockers: Mapped[list[str]] = mapped_column(JSON)
    complaint: Mapped[bool]
    confirmed: Mapped[bool]  # True: the machine's labels were right; False: corrected
    machine_model: Mapped[str | None] = mapped_column(String(100))
    machine_emotions: Mapped[list[str]] = mapped_column(JSON)
    machine_blockers: Mapped[list[str]] = mapped_column(JSON)
    labelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    labelled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revision: Mapped[int] = mapped_column(default=1)

    item: Mapped[SupportItem] = relationship(back_populates="human_label")

    def __repr__(self) -> str:
        return f"<HumanLabel item={self.item_id} r{self.revision}>"


class HumanLabelWrite(db.Model):
    """One row per human label stored for a survey answer: the change log the map fold reads (LABEL_LOGS)."""

    __tablename__ = "human_label_write"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), index=True)
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)



class EnqueueWatermark(db.Model):
    """How far the enqueue job has read the machine label log (`label_write`): one row, locked per batch."""

    __tablename__ = "support_enqueue_watermark"

    source: Mapped[str] = mapped_column(String(40), primary_key=True)
    read_up_to: Mapped[int] = mapped_column(default=0)


class ApiToken(db.Model):
    """A token a help-desk system posts complaints with. Only its SHA-256 is stored; it is shown once."""

    __tablename__ = "support_api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<ApiToken {self.name}>"
