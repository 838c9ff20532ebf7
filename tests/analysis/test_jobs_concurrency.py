"""Several worker processes on one database: a worker killed mid-batch, two more at once; every answer
is labelled exactly once. Real processes, the real classifier, on PostgreSQL (and SQLite)."""
import multiprocessing
import os
import signal
import time

from sqlalchemy import func, select

from tests.analysis.test_labelling import add_text_answers, writes_per_answer
from webapp import create_app
from webapp.analysis.engine import load_classifier
from webapp.analysis.models import AnswerLabel, LabelClaim, LabelWrite
from webapp.analysis.services import label_counts, label_pending
from webapp.extensions import db

ANSWER_COUNT = 300
KILLED_LEASE_SECONDS = 3
SENTENCES = (
    "The courier was late and nobody answered the phone.",
    "Checkout was quick and the price was clear.",
    "Nie polecam, zwrot trwał trzy tygodnie.",
    "Bardzo miła obsługa, wszystko zgodnie z opisem.",
    "Aplicația se blochează la plată, foarte frustrant.",
    "Livrare rapidă, produs excelent, recomand!",
)


class PacedClassifier:
    """The real classifier, taking a little longer per batch, as on bigger batches or a busier machine.

    Without it one worker can finish every batch before a second gets SQLite's write lock even once.
    """

    def __init__(self):
        self.classifier = load_classifier()
        self.version = self.classifier.version

    def classify_many(self, items):
        time.sleep(0.02)
        return self.classifier.classify_many(items)


class HangingClassifier:
    """The real classifier's version, but it stops dead in the middle of its first batch."""

    def __init__(self, mid_batch):
        self.version = load_classifier().version
        self.mid_batch = mid_batch

    def classify_many(self, items):
        self.mid_batch.set()
        time.sleep(3600)


def label_until_done(database_url: str, worker_id: str, batch_size: int, lease_seconds: float,
                     mid_batch=None, go=None) -> None:
    """A worker process: label batches until no answer is pending (as `flask jobs run` would, faster)."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url})
    classifier = HangingClassifier(mid_batch) if mid_batch is not None else PacedClassifier()
    if go is not None:
        go.wait(60)
    with app.app_context():
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            label_pending(classifier, batch_size=batch_size, worker_id=worker_id, lease_seconds=lease_seconds)
            if label_counts(classifier.version).pending == 0:
                return
            time.sleep(0.1)
    raise SystemExit("answers still pending after 90 s")


def test_two_workers_and_one_killed_mid_batch_label_every_answer_exactly_once(app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        ids = add_text_answers([f"{SENTENCES[i % len(SENTENCES)]} ({i})" for i in range(ANSWER_COUNT)])
    processes = multiprocessing.get_context("spawn")

    mid_batch, go = processes.Event(), processes.Event()
    doomed = processes.Process(target=label_until_done, args=(url, "doomed", 25, KILLED_LEASE_SECONDS, mid_batch))
    doomed.start()
    # The two workers start up meanwhile, and begin together once the doomed worker is dead.
    workers = [processes.Process(target=label_until_done, args=(url, f"worker-{n}", 10, 60, None, go))
               for n in (1, 2)]
    for worker in workers:
        worker.start()
    try:
        assert mid_batch.wait(60), "the doomed worker never claimed a batch"
        with app.app_context():
            held = db.session.scalars(select(LabelClaim.answer_id).where(LabelClaim.worker_id == "doomed")).all()
            db.session.rollback()
        os.kill(doomed.pid, signal.SIGKILL)
        doomed.join(10)
        assert doomed.exitcode == -signal.SIGKILL
        assert len(held) == 25
        go.set()
        for worker in workers:
            worker.join(120)
        assert [worker.exitcode for worker in workers] == [0, 0]
    finally:
        for process in (doomed, *workers):
            process.kill()

    with app.app_context():
        assert writes_per_answer() == {answer_id: 1 for answer_id in ids}
        labelled = db.session.scalars(select(AnswerLabel.answer_id)).all()
        assert sorted(labelled) == sorted(ids)
        writers = dict(db.session.execute(
            select(LabelWrite.worker_id, func.count()).group_by(LabelWrite.worker_id)).all())
        # Both worked at once; the killed worker stored nothing, so its batch was taken over by them.
        assert set(writers) == {"worker-1", "worker-2"}
        assert db.session.scalar(select(func.count()).select_from(LabelClaim)) == 0
