"""Folding while labels land: two fold processes at once never count an answer twice, and a label committed
out of id order (PostgreSQL) is never skipped. Real processes on a real database."""
import multiprocessing
import time

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from tests.builders import build_response, build_survey
from tests.maps.test_aggregates import (
    ScriptedClassifier, add_random_responses, cells_from_scratch, folded_cells, shop_survey,
)
from webapp import create_app
from webapp.analysis.models import AnswerLabel, LabelWrite
from webapp.analysis.services import label_pending
from webapp.database import utcnow
from webapp.extensions import db
from webapp.maps.aggregates import fold_pending
from webapp.maps.models import FoldedLabel
from webapp.surveys.models import QuestionKind


def _app(database_url: str):
    return create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url})


def label_in_small_batches(database_url: str, worker_id: str, start) -> None:
    """A labelling process: small batches, so its label log rows interleave with the other one's."""
    app = _app(database_url)
    start.wait(60)
    with app.app_context():
        while label_pending(ScriptedClassifier(), batch_size=5, worker_id=worker_id, lease_seconds=60):
            pass


def fold_until_done(database_url: str, labelling_done, start, batches) -> None:
    """A fold process, as `flask jobs run` would run it, only without pauses; reports its batches."""
    app = _app(database_url)
    start.wait(60)
    committed = 0
    with app.app_context():
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            done = labelling_done.is_set()
            committed += fold_pending(batch_size=13).batches
            if done:
                break
    batches.put(committed)


def test_two_folders_while_two_labellers_write_count_every_label_exactly_once(app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        add_random_responses(shop_survey(), 120, seed=11)
    processes = multiprocessing.get_context("spawn")
    start, labelling_done, batches = processes.Barrier(4), processes.Event(), processes.Queue()
    labellers = [processes.Process(target=label_in_small_batches, args=(url, f"labeller-{n}", start))
                 for n in (1, 2)]
    folders = [processes.Process(target=fold_until_done, args=(url, labelling_done, start, batches))
               for _ in (1, 2)]
    for process in labellers + folders:
        process.start()
    for labeller in labellers:
        labeller.join(120)
    labelling_done.set()
    for folder in folders:
        folder.join(150)
    assert [process.exitcode for process in labellers + folders] == [0, 0, 0, 0]
    committed = [batches.get(timeout=5), batches.get(timeout=5)]
    assert sum(committed) > 0
    if url.startswith("postgresql"):
        # Both folded at the same time, taking turns on the watermark rows' lock. (SQLite's busy handler
        # may let one process have every turn.)
        assert all(count > 0 for count in committed), committed

    with app.app_context():
        fold_pending()  # what the folders' last runs may have left to the next run
        labelled = db.session.scalar(select(func.count()).select_from(AnswerLabel))
        assert labelled > 100
        assert db.session.scalar(select(func.count()).select_from(FoldedLabel)) == labelled
        assert folded_cells() == cells_from_scratch()


def test_a_label_committed_after_a_later_one_is_still_folded(app):
    """Ids come from a sequence: label log row N may commit after row N+1. The fold must not pass N."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite writers take turns, so ids commit in order")
    with app.app_context():
        survey = build_survey()
        first, second = (next(a.id for a in build_response(survey, {QuestionKind.TEXT: text}).answers)
                         for text in ("v=-0.5 e=anger", "v=0.5 e=joy"))
        db.session.commit()
        slow = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        with slow.connect() as connection:
            now = utcnow()
            # A labelling transaction that takes the next label log id, then stalls before committing.
            connection.execute(AnswerLabel.__table__.insert().values(
                answer_id=first, model_version="scripted-1", lang="en", supported=True, valence=-0.5,
                emotions=["anger"], scores={}, blockers=[], blocker_scores={}, complaint=False, evidence=[],
                labelled_at=now))
            slow_id = connection.execute(sa.text(
                "INSERT INTO label_write (answer_id, model_version, claim_id, worker_id, written_at) "
                "VALUES (:answer, 'scripted-1', 'slow', 'slow', now()) RETURNING id"), {"answer": first}).scalar()
            # The other answer's label is stored and committed with a later id.
            db.session.add(AnswerLabel(
                answer_id=second, model_version="scripted-1", lang="en", supported=True, valence=0.5,
                emotions=["joy"], scores={}, blockers=[], blocker_scores={}, complaint=False, evidence=[],
                labelled_at=now))
            db.session.add(LabelWrite(answer_id=second, model_version="scripted-1", claim_id="fast",
                                      worker_id="fast", written_at=now))
            db.session.commit()
            assert db.session.scalar(select(LabelWrite.id).where(LabelWrite.answer_id == second)) > slow_id

            fold_pending()
            assert sum(cell["labelled"] for cell in folded_cells().values()) == 0  # waits for the gap
            connection.commit()
        slow.dispose()
        fold_pending()
        assert sum(cell["labelled"] for cell in folded_cells().values()) == 2
        assert folded_cells() == cells_from_scratch()
        assert set(db.session.scalars(select(FoldedLabel.answer_id))) == {first, second}
