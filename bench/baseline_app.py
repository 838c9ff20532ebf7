"""The benchmark's yardstick: the least a Flask + Flask-SQLAlchemy app must do to store a survey answer.

GET /r/<token> returns a bare form with a submission key; POST /r/<token> looks the invitation up,
stores one response with its answers and marks the invitation answered, in one transaction, then
redirects, like the real app. It writes the same tables of the same kind of SQLite database (made by
the real app's migration), with the SQLite settings any multi-process deployment needs (WAL, a busy
timeout, the write lock taken at BEGIN). No CSRF, sessions, forms, templates or translations: that
is the overhead the real app is measured against.

Run by bench/submit.py as `gunicorn --pythonpath bench baseline_app:app` with DATABASE_URL set.
"""
import os
import uuid
from datetime import UTC, datetime

from flask import Flask, abort, redirect, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, String, Text, event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Invitation(db.Model):
    __tablename__ = "invitation"
    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int]
    token: Mapped[str] = mapped_column(String(64))
    persona_id: Mapped[int | None]
    opened_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]


class SurveyVersion(db.Model):
    __tablename__ = "survey_version"
    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int]
    published_at: Mapped[datetime | None]


class Question(db.Model):
    __tablename__ = "question"
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    stage_id: Mapped[int]
    touchpoint_id: Mapped[int | None]


class Response(db.Model):
    __tablename__ = "response"
    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int]
    version_id: Mapped[int]
    invitation_id: Mapped[int | None]
    submission_key: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(5))
    persona_id: Mapped[int | None]
    submitted_at: Mapped[datetime]


class Answer(db.Model):
    __tablename__ = "answer"
    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int]
    question_id: Mapped[int]
    stage_id: Mapped[int]
    touchpoint_id: Mapped[int | None]
    language: Mapped[str] = mapped_column(String(5))
    submitted_at: Mapped[datetime]
    text: Mapped[str | None] = mapped_column(Text)
    number: Mapped[int | None]
    choices: Mapped[list | None] = mapped_column(JSON)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record):
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=10000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


@event.listens_for(Engine, "begin")
def _begin_immediate(connection):
    connection.exec_driver_sql("BEGIN IMMEDIATE")


app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
db.init_app(app)

FORM = '<form method="post"><input type="hidden" name="submission_key" value="{key}"></form>'


@app.get("/r/<token>")
def show_form(token: str):
    """A form carrying a fresh submission key."""
    return FORM.format(key=uuid.uuid4().hex)


@app.post("/r/<token>")
def submit(token: str):
    """Store one response with an answer per answered question, and mark the invitation answered."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token == token))
    if invitation is None:
        abort(404)
    if invitation.answered_at is None:
        now = datetime.now(UTC).replace(tzinfo=None)
        version_id = db.session.scalar(
            select(func.max(SurveyVersion.id))
            .where(SurveyVersion.survey_id == invitation.survey_id, SurveyVersion.published_at.is_not(None))
        )
        questions = db.session.scalars(select(Question).where(Question.version_id == version_id)).all()
        response = Response(survey_id=invitation.survey_id, version_id=version_id,
                            invitation_id=invitation.id, submission_key=request.form["submission_key"],
                            language="en", persona_id=invitation.persona_id, submitted_at=now)
        db.session.add(response)
        db.session.flush()
        for question in questions:
            value = request.form.get(f"q{question.id}")
            if not value:
                continue
            answer = Answer(response_id=response.id, question_id=question.id, stage_id=question.stage_id,
                            touchpoint_id=question.touchpoint_id, language="en", submitted_at=now)
            if question.kind in ("csat", "nps", "ces"):
                answer.number = int(value)
            elif question.kind == "text":
                answer.text = value
            else:
                answer.choices = [value]
            db.session.add(answer)
        invitation.answered_at = now
        db.session.commit()
    return redirect(f"/r/{token}/thanks")
