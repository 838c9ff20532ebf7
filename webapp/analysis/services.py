"""Labelling free-text answers in batches claimed with a lease, safe to run in many processes at once.

How work is shared (the same code on SQLite and PostgreSQL):

1. Claim, in one short transaction: pick the answers that need a label (unlabelled ones newest first,
   then those labelled by an older model version, newest first), then insert a `label_claim` row for
   each with a fresh claim id and an expiry. The insert is an upsert that replaces only an *expired*
   claim, and it returns the rows it actually wrote: that set, and nothing else, is this worker's batch.
   On PostgreSQL the upsert on the primary key is atomic even when two workers race (the loser finds the
   winner's unexpired row and gets nothing back); picking candidates with FOR NO KEY UPDATE SKIP LOCKED
   only keeps racing workers from picking the same candidates in the first place. On SQLite every
   transaction here begins with BEGIN IMMEDIATE, so claims are serialised outright.
2. Classify with no transaction open (SQLite's write lock is not held while the classifier works).
3. Store, in one transaction: delete this worker's claim rows that still carry its claim id and an
   unexpired lease (the fence; a worker whose lease expired, or was taken over, gets nothing back and
   stores nothing), then upsert the labels of exactly those answers, skipping any answer that already
   carries a label of this model version, and log each label stored in `label_write`.

"Older" model versions are those that first appeared (`label_model`) before this worker's own, so that
during a rolling upgrade old and new workers never label the same answers back and forth.

A worker that dies mid-batch leaves its claims behind; they expire after the lease and another worker
takes them over. Time comes from the database on PostgreSQL, so machines with skewed clocks agree.
"""
import json
import logging
import os
import socket
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import delete, func, select

from webapp.analysis.models import UNLABELABLE_REASON_LENGTH, AnswerLabel, LabelClaim, LabelModel, LabelWrite
from webapp.database import utcnow
from webapp.extensions import db
from webapp.transactions import job_transaction, upsert
from webapp.responses.models import Answer

log = logging.getLogger(__name__)

# Workers that died on the same answer this many times in a row: it is marked unlabelable, not retried.
MAX_ATTEMPTS = 3


class Classifier(Protocol):
    version: str

    def classify_many(self, items: Sequence[tuple[str, str | None]]) -> list[dict]: ...


@dataclass(frozen=True)
class ClaimedAnswer:
    answer_id: int
    text: str
    attempts: int


@dataclass(frozen=True)
class Claim:
    """A batch of answers this worker holds a lease on."""

    claim_id: str
    worker_id: str
    model_version: str
    answers: list[ClaimedAnswer]


@dataclass(frozen=True)
class LabelCounts:
    """Where labelling stands, for one model version."""

    answers: int  # free-text answers
    current: int  # labelled by this model version (unlabelable ones included)
    outdated: int  # labelled by an older model version, waiting to be re-labelled
    unlabelled: int
    unlabelable: int
    in_flight: int  # held by an unexpired claim

    @property
    def pending(self) -> int:
        return self.unlabelled + self.outdated


def default_worker_id() -> str:
    """This process on this machine, as written in claims and in the label log."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def database_now() -> datetime:
    """The time leases are measured by: the database server's clock, or this machine's for SQLite."""
    if db.session.get_bind().dialect.name == "postgresql":
        return db.session.scalar(select(func.now()))
    return utcnow()


def register_model_version(version: str, now: datetime) -> datetime:
    """Record when this classifier version first appeared here (once); return that time."""
    db.session.execute(
        upsert(LabelModel).values(version=version, first_seen_at=now).on_conflict_do_nothing()
    )
    return db.session.scalar(select(LabelModel.first_seen_at).where(LabelModel.version == version))


def _older_versions(first_seen_at: datetime):
    return select(LabelModel.version).where(LabelModel.first_seen_at < first_seen_at)


def _candidates(now: datetime, limit: int, older_versions=None) -> list[int]:
    """Ids of free-text answers with no live claim, newest first: unlabelled ones, or with `older_versions`,
    those labelled by one of them."""
    needing_label = (
        select(Answer.id)
        .outerjoin(LabelClaim, LabelClaim.answer_id == Answer.id)
        .where(Answer.text.is_not(None), (LabelClaim.answer_id.is_(None)) | (LabelClaim.expires_at <= now))
        .order_by(Answer.submitted_at.desc(), Answer.id.desc())
        # A few more than needed, for those that other claimers hold locks on right now. Locking is left
        # to the outer query: locking rows here would make the database sort every candidate.
        .limit(limit * 4)
    )
    if older_versions is None:
        needing_label = needing_label.where(
            ~select(AnswerLabel.id).where(AnswerLabel.answer_id == Answer.id).exists()
        )
    else:
        needing_label = needing_label.join(AnswerLabel, AnswerLabel.answer_id == Answer.id).where(
            AnswerLabel.model_version.in_(older_versions)
        )
    query = (
        select(Answer.id)
        .where(Answer.id.in_(needing_label.scalar_subquery()))
        .order_by(Answer.submitted_at.desc(), Answer.id.desc())
        .limit(limit)
        # Rows another claimer is looking at right now are skipped rather than waited for. NO KEY keeps
        # inserts that reference the answer (claims, labels) from waiting on this lock.
        .with_for_update(of=Answer, skip_locked=True, key_share=True)
    )
    return list(db.session.scalars(query))


def claim_batch(model_version: str, worker_id: str, batch_size: int, lease_seconds: float) -> Claim:
    """Lease up to `batch_size` answers that need a label of `model_version`, most urgent first."""
    claim_id = uuid.uuid4().hex
    with job_transaction():
        now = database_now()
        first_seen_at = register_model_version(model_version, now)
        candidates = _candidates(now, batch_size)
        if len(candidates) < batch_size:
            candidates += _candidates(now, batch_size - len(candidates), _older_versions(first_seen_at))
        claimed: dict[int, int] = {}
        if candidates:
            expires_at = now + timedelta(seconds=lease_seconds)
            # Rows in id order: two transactions locking some of the same rows take them in the same
            # order, so they wait for each other instead of deadlocking.
            rows = [{"answer_id": answer_id, "claim_id": claim_id, "worker_id": worker_id,
                     "expires_at": expires_at, "attempts": 1} for answer_id in sorted(candidates)]
            statement = upsert(LabelClaim)
            statement = statement.on_conflict_do_update(
                index_elements=[LabelClaim.answer_id],
                set_={"claim_id": statement.excluded.claim_id, "worker_id": statement.excluded.worker_id,
                      "expires_at": statement.excluded.expires_at, "attempts": LabelClaim.attempts + 1},
                where=LabelClaim.expires_at <= now,
            ).returning(LabelClaim.answer_id, LabelClaim.attempts)
            claimed = dict(db.session.execute(statement, rows).all())
        texts = {}
        if claimed:
            texts = dict(db.session.execute(select(Answer.id, Answer.text).where(Answer.id.in_(claimed))).all())
    answers = [ClaimedAnswer(answer_id, texts[answer_id], claimed[answer_id])
               for answer_id in candidates if answer_id in claimed and answer_id in texts]
    return Claim(claim_id, worker_id, model_version, answers)


def _unlabelable(reason: str) -> dict:
    return {"lang": None, "supported": False, "valence": None, "emotions": [], "scores": {}, "blockers": [],
            "blocker_scores": {}, "complaint": False, "evidence": [], "unlabelable": reason}


def _failure(error: Exception) -> dict:
    return _unlabelable(f"classifier failed: {type(error).__name__}: {error}")


def classify_answers(classifier: Classifier, answers: Sequence[ClaimedAnswer]) -> list[dict]:
    """One result per answer. A text the classifier fails on becomes unlabelable; the others are labelled."""
    to_classify = [answer for answer in answers if answer.attempts <= MAX_ATTEMPTS]
    results: dict[int, dict] = {
        answer.answer_id: _unlabelable(f"a worker stopped while labelling it, {answer.attempts - 1} times")
        for answer in answers if answer.attempts > MAX_ATTEMPTS
    }
    # The survey's language is no hint: the classifier takes a given language as certain, and customers
    # do write in other languages than the form's. Let it detect the language of each text.
    items = [(answer.text, None) for answer in to_classify]
    try:
        batch = classifier.classify_many(items) if items else []
        if len(batch) != len(items):
            raise ValueError(f"{len(batch)} results for {len(items)} texts")
    except Exception:
        # Find the text that failed by classifying one at a time; the others still get their labels.
        log.warning("classifying a batch of %d failed; classifying its texts one by one", len(items),
                    exc_info=True)
        batch = []
        for item in items:
            try:
                batch.append(classifier.classify_many([item])[0])
            except Exception as error:
                batch.append(_failure(error))
    results.update((answer.answer_id, result) for answer, result in zip(to_classify, batch))
    return [results[answer.answer_id] for answer in answers]


def _label_row(answer_id: int, result: dict, model_version: str, now: datetime) -> dict:
    """The columns of one stored label, from one classifier result."""
    try:
        unlabelable = result.get("unlabelable")
        row = {
            "lang": result.get("lang"),
            "supported": bool(result.get("supported", False)),
            "valence": None if unlabelable else float(result["valence"]),
            "emotions": list(result.get("emotions", [])),
            "scores": dict(result.get("scores", {})),
            "blockers": list(result.get("blockers", [])),
            "blocker_scores": dict(result.get("blocker_scores", {})),
            "complaint": bool(result.get("complaint", False)),
            "evidence": list(result.get("evidence", [])),
            "unlabelable": unlabelable,
        }
        # A value the database cannot store (NaN, a numpy number) would fail the whole batch's write.
        json.dumps(row, allow_nan=False)
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        row = _failure(error)
    if row["unlabelable"] is not None:
        row["unlabelable"] = str(row["unlabelable"])[:UNLABELABLE_REASON_LENGTH]
    if row["lang"] is not None:
        row["lang"] = str(row["lang"])[:8]
    return {"answer_id": answer_id, "model_version": model_version, "labelled_at": now, **row}


def store_labels(claim: Claim, results: Sequence[dict]) -> int:
    """Store the labels of the answers this claim still holds; return how many were stored."""
    if not claim.answers:
        return 0
    with job_transaction():
        now = database_now()
        answer_ids = [answer.answer_id for answer in claim.answers]
        # Lock the answers first, as a deletion of a response does (answer, then its claims and labels):
        # taking them in the same order cannot deadlock, and an answer deleted meanwhile drops out here.
        present = set(db.session.scalars(
            select(Answer.id).where(Answer.id.in_(answer_ids)).with_for_update(read=True, key_share=True)
        ))
        fenced = set(db.session.execute(
            delete(LabelClaim)
            .where(LabelClaim.answer_id.in_(present), LabelClaim.claim_id == claim.claim_id,
                   LabelClaim.expires_at > now)
            .returning(LabelClaim.answer_id)
        ).scalars())
        rows = sorted((_label_row(answer.answer_id, result, claim.model_version, now)
                       for answer, result in zip(claim.answers, results) if answer.answer_id in fenced),
                      key=lambda row: row["answer_id"])
        stored: list[int] = []
        if rows:
            statement = upsert(AnswerLabel)
            columns = [column for column in rows[0] if column != "answer_id"]
            statement = statement.on_conflict_do_update(
                index_elements=[AnswerLabel.answer_id],
                set_={column: statement.excluded[column] for column in columns},
                # Another claim may have stored this version's label already (it claimed the answer
                # between our claim ending and our commit); never store it twice.
                where=AnswerLabel.model_version != claim.model_version,
            ).returning(AnswerLabel.answer_id)
            stored = db.session.execute(statement, rows).scalars().all()
        if stored:
            db.session.execute(upsert(LabelWrite), [
                {"answer_id": answer_id, "model_version": claim.model_version, "claim_id": claim.claim_id,
                 "worker_id": claim.worker_id, "written_at": now} for answer_id in stored
            ])
    lost = len(present) - len(fenced)  # answers deleted meanwhile are not lost, just gone
    if lost:
        log.warning("claim %s lost its lease on %d answers; their labels were not stored", claim.claim_id, lost)
    return len(stored)


def label_batch(classifier: Classifier, claim: Claim) -> int:
    """Classify a claimed batch and store its labels; return how many were stored."""
    return store_labels(claim, classify_answers(classifier, claim.answers))


def label_pending(classifier: Classifier | None = None, batch_size: int = 200, worker_id: str | None = None,
                  lease_seconds: float = 120, max_seconds: float | None = None) -> int:
    """Label batches until no answer needs a label or `max_seconds` have passed; return how many were stored."""
    if classifier is None:
        from webapp.analysis.releases import current_classifier  # the model loads only where labelling runs

        classifier = current_classifier()  # a newly published release is taken up at the next run
        db.session.rollback()  # a read: end it, so SQLite's write lock is not held
    worker_id = worker_id or default_worker_id()
    deadline = None if max_seconds is None else time.monotonic() + max_seconds
    stored = 0
    while deadline is None or time.monotonic() < deadline:
        claim = claim_batch(classifier.version, worker_id, batch_size, lease_seconds)
        if not claim.answers:
            break
        stored += label_batch(classifier, claim)
    return stored


def label_counts(model_version: str) -> LabelCounts:
    """How many free-text answers are labelled by this version, by an older one, not yet, or cannot be."""
    now = database_now()
    answers = db.session.scalar(select(func.count()).select_from(Answer).where(Answer.text.is_not(None)))
    first_seen_at = db.session.scalar(select(LabelModel.first_seen_at).where(LabelModel.version == model_version))
    by_version = select(func.count()).select_from(AnswerLabel)
    current = db.session.scalar(by_version.where(AnswerLabel.model_version == model_version))
    labelled = db.session.scalar(by_version)
    if first_seen_at is None:  # a version not seen yet will be the newest when it starts labelling
        outdated = labelled - current
    else:
        outdated = db.session.scalar(by_version.where(AnswerLabel.model_version.in_(_older_versions(first_seen_at))))
    unlabelable = db.session.scalar(
        by_version.where(AnswerLabel.model_version == model_version, AnswerLabel.unlabelable.is_not(None))
    )
    in_flight = db.session.scalar(select(func.count()).select_from(LabelClaim).where(LabelClaim.expires_at > now))
    db.session.rollback()  # a read: end it, so SQLite's write lock is not held
    return LabelCounts(answers=answers, current=current, outdated=outdated, unlabelled=answers - labelled,
                       unlabelable=unlabelable, in_flight=in_flight)
