"""Responses: one customer's submission of a survey version, holding one answer per question."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.database import UTCDateTime, utcnow
from webapp.extensions import db
from webapp.invitations.models import Invitation
from webapp.maps.models import Persona, Stage, Touchpoint
from webapp.surveys.models import Question, Survey, SurveyVersion


class Response(db.Model):
    __tablename__ = "response"
    __table_args__ = (Index("ix_response_survey_submitted", "survey_id", "submitted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="RESTRICT"))
    version_id: Mapped[int] = mapped_column(ForeignKey("survey_version.id", ondelete="RESTRICT"), index=True)
    # Unique: a personal link stores exactly one response, however often it is submitted.
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitation.id", ondelete="SET NULL"), unique=True
    )
    # Unique per rendered form: a double click or a network retry on an open link stores one response.
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(5))
    persona_id: Mapped[int | None] = mapped_column(ForeignKey("persona.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    survey: Mapped[Survey] = relationship()
    version: Mapped[SurveyVersion] = relationship()
    invitation: Mapped[Invitation | None] = relationship()
    persona: Mapped[Persona | None] = relationship()
    answers: Mapped[list["Answer"]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="Answer.id"
    )

    def __repr__(self) -> str:
        return f"<Response {self.id} survey={self.survey_id}>"


class Answer(db.Model):
    """The reply to one question. Stage, touchpoint and language are copied from the question and
    response so that maps can aggregate answers per stage without joining through versions."""

    __tablename__ = "answer"
    __table_args__ = (Index("ix_answer_stage_submitted", "stage_id", "submitted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="RESTRICT"), index=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="RESTRICT"))
    touchpoint_id: Mapped[int | None] = mapped_column(ForeignKey("touchpoint.id", ondelete="RESTRICT"))
    language: Mapped[str] = mapped_column(String(5))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    text: Mapped[str | None] = mapped_column(Text)  # free text
    number: Mapped[int | None] = mapped_column()  # CSAT, NPS, CES
    choices: Mapped[list[str] | None] = mapped_column(JSON)  # single/multiple choice values, emotion ids

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()
    stage: Mapped[Stage] = relationship()
    touchpoint: Mapped[Touchpoint | None] = relationship()

    def __repr__(self) -> str:
        return f"<Answer {self.id} question={self.question_id}>"
