"""Surveys, their frozen versions and their stage-tagged questions."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.database import UTCDateTime, utcnow
from webapp.extensions import db
from webapp.maps.models import JourneyMap, Stage, Touchpoint


class QuestionKind(StrEnum):
    TEXT = "text"
    CSAT = "csat"  # 1-5
    NPS = "nps"  # 0-10
    CES = "ces"  # customer effort, 1-7
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    EMOTION = "emotion"  # the customer picks emotions from webapp.labels.EMOTIONS


# Inclusive score range of each rating kind.
RATING_SCALES = {QuestionKind.CSAT: (1, 5), QuestionKind.NPS: (0, 10), QuestionKind.CES: (1, 7)}


class Survey(db.Model):
    """A survey about one journey map. Its content lives in versions: at most one draft, any number frozen."""

    __tablename__ = "survey"

    id: Mapped[int] = mapped_column(primary_key=True)
    map_id: Mapped[int] = mapped_column(ForeignKey("journey_map.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(200))  # internal name, staff only
    # Anonymous answers through a shared link; None until the marketer turns it on.
    open_link_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    open_link_enabled: Mapped[bool] = mapped_column(default=False)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    journey_map: Mapped[JourneyMap] = relationship()
    versions: Mapped[list["SurveyVersion"]] = relationship(
        back_populates="survey", order_by="SurveyVersion.number", cascade="all, delete-orphan"
    )

    @property
    def live_version(self) -> "SurveyVersion | None":
        """The newest published version: what customers answer now."""
        published = [version for version in self.versions if version.published_at is not None]
        return published[-1] if published else None

    @property
    def draft_version(self) -> "SurveyVersion | None":
        """The version being edited, if any."""
        drafts = [version for version in self.versions if version.published_at is None]
        return drafts[-1] if drafts else None

    @property
    def is_open(self) -> bool:
        """Whether customers can answer now."""
        return self.closed_at is None and self.live_version is not None

    def __repr__(self) -> str:
        return f"<Survey {self.id} {self.name!r}>"


class SurveyVersion(db.Model):
    """The survey's texts and questions. Once published it is frozen: answers point at it forever."""

    __tablename__ = "survey_version"
    __table_args__ = (UniqueConstraint("survey_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(default=1)
    default_language: Mapped[str] = mapped_column(String(5), default="en")
    languages: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["en"])
    # {"en": {"title": "...", "intro": "...", "thanks": "..."}, "pl": {...}}
    texts: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    survey: Mapped[Survey] = relationship(back_populates="versions")
    questions: Mapped[list["Question"]] = relationship(
        back_populates="version", order_by="Question.position", cascade="all, delete-orphan"
    )

    @property
    def is_frozen(self) -> bool:
        return self.published_at is not None

    def text(self, field: str, language: str) -> str:
        """A survey text in this language, falling back to the default language."""
        return (self.texts.get(language) or {}).get(field) or (self.texts.get(self.default_language) or {}).get(
            field, ""
        )

    def __repr__(self) -> str:
        return f"<SurveyVersion {self.survey_id}v{self.number}{'' if self.is_frozen else ' draft'}>"


class Question(db.Model):
    __tablename__ = "question"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("survey_version.id", ondelete="CASCADE"), index=True)
    # The same question keeps its key across versions, so answers to v1 and v2 line up in exports.
    key: Mapped[str] = mapped_column(String(36))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[QuestionKind] = mapped_column(
        Enum(QuestionKind, native_enum=False, length=20, values_callable=lambda kinds: [k.value for k in kinds])
    )
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="RESTRICT"), index=True)
    touchpoint_id: Mapped[int | None] = mapped_column(ForeignKey("touchpoint.id", ondelete="RESTRICT"))
    required: Mapped[bool] = mapped_column(default=False)
    # {"en": {"prompt": "...", "help": "..."}, "pl": {...}}
    texts: Mapped[dict] = mapped_column(JSON, default=dict)
    # Choice questions: [{"value": "price", "labels": {"en": "Price", "pl": "Cena"}}, ...]
    options: Mapped[list] = mapped_column(JSON, default=list)
    max_length: Mapped[int] = mapped_column(default=2000)  # free-text answers

    version: Mapped[SurveyVersion] = relationship(back_populates="questions")
    stage: Mapped[Stage] = relationship()
    touchpoint: Mapped[Touchpoint | None] = relationship()

    def text(self, field: str, language: str) -> str:
        """A question text in this language, falling back to the survey's default language."""
        default = self.version.default_language
        return (self.texts.get(language) or {}).get(field) or (self.texts.get(default) or {}).get(field, "")

    def option_label(self, value: str, language: str) -> str:
        for option in self.options:
            if option["value"] == value:
                labels = option.get("labels", {})
                return labels.get(language) or labels.get(self.version.default_language) or value
        return value

    def __repr__(self) -> str:
        return f"<Question {self.id} {self.kind} stage={self.stage_id}>"
