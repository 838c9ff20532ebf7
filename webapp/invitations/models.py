"""Invitations: one customer's personal, single-use link to a survey."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.database import UTCDateTime, utcnow
from webapp.extensions import db
from webapp.maps.models import Persona
from webapp.surveys.models import Survey


class Invitation(db.Model):
    __tablename__ = "invitation"
    # Importing the same customer list twice must not invite anyone twice.
    __table_args__ = (UniqueConstraint("survey_id", "dedupe_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    # Unguessable: secrets.token_urlsafe; the whole credential of the customer's link.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    external_id: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    name: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str | None] = mapped_column(String(5))  # None: browser's, then the survey default
    order_id: Mapped[str] = mapped_column(String(120), default="")
    persona_id: Mapped[int | None] = mapped_column(ForeignKey("persona.id", ondelete="SET NULL"))
    # Who the invitation is for: external id (or e-mail) plus order id; see invitations.services.
    dedupe_key: Mapped[str] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    survey: Mapped[Survey] = relationship()
    persona: Mapped[Persona | None] = relationship()

    def __repr__(self) -> str:
        return f"<Invitation {self.id} survey={self.survey_id} {self.external_id or self.email}>"
