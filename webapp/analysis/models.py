"""Machine labels of free-text answers, and the bookkeeping that lets several workers produce them safely."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Enum, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from webapp.database import UTCDateTime
from webapp.extensions import db
from webapp.responses.models import Answer

UNLABELABLE_REASON_LENGTH = 200


class AnswerLabel(db.Model):
    """The current machine label of one free-text answer (see ../shared/CONTRACTS.md for the fields).

    An answer the classifier could not label keeps a row too, with `unlabelable` saying why and a NULL
    valence, so that averages over valence skip it and the job does not pick it up again.
    """

    __tablename__ = "answer_label"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), unique=True)
    model_version: Mapped[str] = mapped_column(String(100), index=True)
    lang: Mapped[str | None] = mapped_column(String(8))
    supported: Mapped[bool]
    valence: Mapped[float | None]
    emotions: Mapped[list[str]] = mapped_column(JSON)
    scores: Mapped[dict[str, float]] = mapped_column(JSON)
    blockers: Mapped[list[str]] = mapped_column(JSON)
    blocker_scores: Mapped[dict[str, float]] = mapped_column(JSON)
    complaint: Mapped[bool]
    evidence: Mapped[list[dict]] = mapped_column(JSON)
    unlabelable: Mapped[str | None] = mapped_column(String(UNLABELABLE_REASON_LENGTH))
    labelled_at: Mapped[datetime] = mapped_column(UTCDateTime)

    # The backref is declared here because analysis depends on responses, never the reverse.
    answer: Mapped[Answer] = relationship(
        backref=backref("label", uselist=False, cascade="all, delete-orphan", passive_deletes=True)
    )

    def __repr__(self) -> str:
        return f"<AnswerLabel answer={self.answer_id} model={self.model_version}>"


class LabelClaim(db.Model):
    """A lease on one answer being labelled. Rows live only while the work is in flight.

    `claim_id` is the fencing token: a label is stored only by the claim that still holds an unexpired
    lease, so a worker that stalled past its lease cannot overwrite the one that took over.
    `attempts` counts claims in a row that ended without a label (workers that died on this answer).
    """

    __tablename__ = "label_claim"

    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), primary_key=True)
    claim_id: Mapped[str] = mapped_column(String(32))
    worker_id: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=1)

    def __repr__(self) -> str:
        return f"<LabelClaim answer={self.answer_id} worker={self.worker_id}>"


class LabelModel(db.Model):
    """Each classifier version that has labelled answers here, in the order they first appeared.

    Workers re-label only answers of versions that appeared before their own, so that during a rolling
    upgrade an old worker never labels back what a new one has re-labelled.
    """

    __tablename__ = "label_model"

    version: Mapped[str] = mapped_column(String(100), primary_key=True)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<LabelModel {self.version}>"


class LabelWrite(db.Model):
    """One row per label stored, written in the same transaction as the label: who labelled what, when.

    It is what makes "every answer labelled exactly once per model version" something one can count.
    """

    __tablename__ = "label_write"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), index=True)
    model_version: Mapped[str] = mapped_column(String(100))
    claim_id: Mapped[str] = mapped_column(String(32))
    worker_id: Mapped[str] = mapped_column(String(120))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<LabelWrite answer={self.answer_id} worker={self.worker_id}>"


class ReleaseStatus(StrEnum):
    PUBLISHED = "published"  # in use until a newer release is published
    REJECTED = "rejected"  # did worse on the check set than the model in use; kept as a record


class ModelRelease(db.Model):
    """A classifier model retrained from staff labels (or a rollback to an earlier one), published or rejected.

    The model in use is that of the newest published release made for the shipped model of this code
    (`base_version`); with none, the shipped model alone. A release's classifier labels as version
    "<base_version>+r<id>", so every publication, a rollback included, is a version newer than all before
    it, and the labelling job re-labels older answers with it. `model` holds the npz bytes (NULL: the shipped
    model as it is, when a rollback goes back to it; and for rejected releases, which keep only figures).
    `follows_id` is the newest release when this one was made (0 for the first): it is unique, so two job
    processes that retrain at once publish one release, not two.
    """

    __tablename__ = "model_release"

    id: Mapped[int] = mapped_column(primary_key=True)
    follows_id: Mapped[int] = mapped_column(unique=True)
    base_version: Mapped[str] = mapped_column(String(100))
    status: Mapped[ReleaseStatus] = mapped_column(
        Enum(ReleaseStatus, native_enum=False, length=20, values_callable=lambda members: [m.value for m in members]))
    model: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    examples: Mapped[int] = mapped_column(default=0)  # staff labels it learned from
    fingerprint: Mapped[str] = mapped_column(String(64))  # of those labels: unchanged labels, no retraining
    check_records: Mapped[int] = mapped_column(default=0)
    check_score: Mapped[float | None]  # micro-F1 of this release's model on the check set
    previous_score: Mapped[float | None]  # that of the model in use when it was made, on the same set
    note: Mapped[str] = mapped_column(String(300), default="")
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    @property
    def version(self) -> str:
        return f"{self.base_version}+r{self.id}"

    def __repr__(self) -> str:
        return f"<ModelRelease {self.id} {self.status}>"
