"""Which classifier labels answers: the shipped model, or a release retrained from staff labels.

A retrained model is published only if it does at least as well as the model in use on the check set:
the fixed sample of labelled dev records shipped with the model (model/check.jsonl), plus the staff labels
held out of training for checking (the caller chooses them, always the same ones). Every published release
stays in the database, so any earlier one, or the shipped model itself, can be put back: a rollback is a new
release with the old model, hence a new version, and the labelling job re-labels answers with it.

The releases live in the database rather than in files, so that every job process and web worker, on one
machine or many, uses the same model: each asks for the newest release when it starts a batch (one
indexed query) and loads its model once.
"""
import hashlib
import json
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import undefer

from webapp.analysis.engine import Classifier, load_classifier
from webapp.analysis.engine.adaptation import (
    Example,
    adapt,
    model_bytes,
    model_from_bytes,
)
from webapp.analysis.engine.model import CHECK_SET_PATH
from webapp.analysis.evaluation import micro_f1
from webapp.analysis.models import ModelRelease, ReleaseStatus
from webapp.database import utcnow
from webapp.extensions import db
from webapp.transactions import job_transaction

log = logging.getLogger(__name__)

_loaded: dict[tuple[int, str], Classifier] = {}
_lock = threading.Lock()


class ReleaseError(ValueError):
    """A rollback that cannot be made; the message says why."""


@dataclass(frozen=True)
class Retraining:
    """What a retraining did: the release it made (None when another process made one at the same time)."""

    release: ModelRelease | None
    published: bool

    def describe(self) -> str:
        if self.release is None:
            return "another process released a model at the same time; this one was dropped"
        release = self.release
        verdict = "published" if self.published else "rejected"
        return (f"release {release.id} {verdict}: check-set micro-F1 {release.check_score} vs "
                f"{release.previous_score} for the model in use, {release.examples} staff labels learned")


@cache
def check_records() -> tuple[dict, ...]:
    """The shipped check set (empty if the file is missing, as in a checkout that never built it)."""
    if not CHECK_SET_PATH.is_file():
        return ()
    with CHECK_SET_PATH.open(encoding="utf-8") as stream:
        return tuple(json.loads(line) for line in stream if line.strip())


def newest_release() -> ModelRelease | None:
    """The newest release of any status."""
    return db.session.scalars(select(ModelRelease).order_by(ModelRelease.id.desc()).limit(1)).first()


def _no_database_yet() -> bool:
    """An SQLite file that does not exist: no release to read, and reading must not create it (the
    `flask analysis classify` contract works on a machine with no database)."""
    url = db.engine.url
    return url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:") \
        and not Path(url.database).exists()


def release_in_use(shipped: Classifier | None = None) -> ModelRelease | None:
    """The newest published release made for the shipped model of this code, or None (the shipped model)."""
    shipped = shipped or load_classifier()
    if _no_database_yet():
        return None
    try:
        return db.session.scalars(
            select(ModelRelease)
            .where(ModelRelease.status == ReleaseStatus.PUBLISHED, ModelRelease.base_version == shipped.version)
            .order_by(ModelRelease.id.desc()).limit(1)
        ).first()
    except (OperationalError, ProgrammingError):
        # A database without the releases table (not migrated yet), or none reachable: the shipped model.
        db.session.rollback()
        return None


def _release_classifier(release: ModelRelease, shipped: Classifier) -> Classifier:
    # Keyed by creation time too: a database rebuilt from scratch (tests, a new instance) reuses ids.
    key = (release.id, release.created_at.isoformat())
    with _lock:
        classifier = _loaded.get(key)
        if classifier is None:
            data = db.session.scalar(select(ModelRelease.model).where(ModelRelease.id == release.id))
            model = shipped.model if data is None else model_from_bytes(data)
            classifier = Classifier(model, shipped.lexicons, shipped.lexicon_digest, version=release.version)
            _loaded.clear()  # one release in use at a time; an old one is not kept in memory
            _loaded[key] = classifier
        return classifier


def current_classifier() -> Classifier:
    """The classifier that labels answers now: that of the release in use, else the shipped one."""
    shipped = load_classifier()
    release = release_in_use(shipped)
    return shipped if release is None else _release_classifier(release, shipped)


def training_fingerprint(examples: Sequence[Example], check: Sequence[dict]) -> str:
    """A digest of the labels a retraining would use: the same labels, no need to retrain."""
    digest = hashlib.sha256()
    for example in examples:
        digest.update(json.dumps([example.text, example.lang, sorted(example.emotions),
                                  sorted(example.blockers)], ensure_ascii=False).encode())
    digest.update(json.dumps(list(check), sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


def needs_retraining(fingerprint: str) -> bool:
    """Whether these labels are new to the newest release for the shipped model (of any status)."""
    shipped = load_classifier()
    newest = db.session.scalars(
        select(ModelRelease).where(ModelRelease.base_version == shipped.version)
        .order_by(ModelRelease.id.desc()).limit(1)
    ).first()
    return newest is None or newest.fingerprint != fingerprint


def retrain(examples: Sequence[Example], staff_check: Sequence[dict], actor: str) -> Retraining:
    """Retrain the shipped model on staff examples; publish it if it does at least as well as the model in
    use on the check set (shipped check records + `staff_check`), else record it as rejected."""
    shipped = load_classifier()
    in_use = current_classifier()
    follows = newest_release()
    follows_id = follows.id if follows else 0
    db.session.rollback()  # nothing is written while training: no transaction is held open meanwhile
    model = adapt(shipped, examples)
    candidate = Classifier(model, shipped.lexicons, shipped.lexicon_digest, version="candidate")
    check = [*check_records(), *staff_check]
    score, previous_score = micro_f1(check, candidate), micro_f1(check, in_use)
    published = score is not None and (previous_score is None or score >= previous_score)
    release = ModelRelease(
        follows_id=follows_id, base_version=shipped.version,
        status=ReleaseStatus.PUBLISHED if published else ReleaseStatus.REJECTED,
        model=model_bytes(model) if published else None, examples=len(examples),
        fingerprint=training_fingerprint(examples, staff_check), check_records=len(check),
        check_score=score, previous_score=previous_score, created_by=actor[:120], created_at=utcnow(),
        note=f"retrained from {len(examples)} staff labels ({model.meta.get('adapted', {}).get('new_features', 0)} "
             f"new features); {len(staff_check)} held out for checking",
    )
    try:
        with job_transaction():
            db.session.add(release)
    except IntegrityError:
        log.info("a release following %d was made by another process; dropping this one", follows_id)
        return Retraining(None, False)
    log.info("model release %d %s (check micro-F1 %s vs %s)", release.id, release.status, score, previous_score)
    return Retraining(release, published)


def rollback(to_release_id: int | None, actor: str) -> ModelRelease:
    """Put back an earlier published release (None: the shipped model alone) as a new release.

    Raises ReleaseError when the release does not exist, was rejected, or was made for another shipped model.
    """
    shipped = load_classifier()
    target = None
    if to_release_id is not None:
        target = db.session.scalars(
            select(ModelRelease).options(undefer(ModelRelease.model)).where(ModelRelease.id == to_release_id)
        ).first()
        if target is None:
            raise ReleaseError(f"there is no release {to_release_id}")
        if target.status != ReleaseStatus.PUBLISHED:
            raise ReleaseError(f"release {to_release_id} was rejected; only published releases can be put back")
        if target.base_version != shipped.version:
            raise ReleaseError(f"release {to_release_id} was made for shipped model {target.base_version}, "
                               f"not for {shipped.version} of this code")
    follows = newest_release()
    # The rollback keeps the newest release's fingerprint, so that the same staff labels do not bring back
    # at the next retraining what was just rolled back; new labels will.
    release = ModelRelease(
        follows_id=follows.id if follows else 0, base_version=shipped.version, status=ReleaseStatus.PUBLISHED,
        model=target.model if target else None, examples=target.examples if target else 0,
        fingerprint=follows.fingerprint if follows else "", check_records=target.check_records if target else 0,
        check_score=target.check_score if target else None, previous_score=None,
        note=f"rollback to release {target.id}" if target else "rollback to the shipped model",
        created_by=actor[:120], created_at=utcnow(),
    )
    db.session.add(release)
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise ReleaseError("another release was made at the same moment; try again") from error
    return release


def releases(limit: int = 50) -> list[ModelRelease]:
    """The newest releases first."""
    return list(db.session.scalars(select(ModelRelease).order_by(ModelRelease.id.desc()).limit(limit)))
