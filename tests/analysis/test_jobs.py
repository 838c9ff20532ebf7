"""The labelling job end to end: `flask jobs run`, with the real classifier, on both databases."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from tests.analysis.test_labelling import BAD_TEXTS, add_text_answers, stored_label, writes_per_answer
from webapp.analysis.engine import load_classifier
from webapp.analysis.models import AnswerLabel
from webapp.analysis.services import label_counts
from webapp.extensions import db

REPOSITORY = Path(__file__).resolve().parents[2]
ANSWERS = {
    "en": "Fast delivery, but the app keeps crashing at checkout. Really frustrating.",
    "pl": "Kurier się spóźnił dwa dni i nikt nie odbierał telefonu. Nie polecam.",
    "ro": "Livrare rapidă și produsul este exact ca în descriere. Mulțumesc!",
}


def labelled_count() -> int:
    count = db.session.scalar(select(func.count()).select_from(AnswerLabel))
    db.session.rollback()
    return count


def test_jobs_run_once_labels_every_answer_with_the_real_classifier(app, runner):
    with app.app_context():
        ids = add_text_answers(list(ANSWERS.values()) + list(BAD_TEXTS.values()))
    result = runner.invoke(args=["jobs", "run", "--once"])
    assert result.exit_code == 0, result.output
    assert f"label-pending-answers: labelled {len(ids)} answers" in result.output.splitlines()
    with app.app_context():
        version = load_classifier().version
        labels = {answer_id: stored_label(answer_id) for answer_id in ids}
        assert {label.model_version for label in labels.values()} == {version}
        english, polish, romanian = (labels[answer_id] for answer_id in ids[:3])
        assert (english.lang, polish.lang, romanian.lang) == ("en", "pl", "ro")
        assert english.valence < 0 and polish.valence < 0 < romanian.valence
        assert polish.complaint and not romanian.complaint
        bad = dict(zip(BAD_TEXTS, (labels[answer_id] for answer_id in ids[3:])))
        assert bad["empty"].unlabelable and bad["whitespace"].unlabelable and bad["binary garbage"].unlabelable
        assert bad["empty"].valence is None
        assert bad["100 KB"].unlabelable is None and bad["100 KB"].valence < 0
        assert bad["html"].unlabelable is None
        assert writes_per_answer() == {answer_id: 1 for answer_id in ids}
        assert label_counts(version).pending == 0
    again = runner.invoke(args=["jobs", "run", "--once"])
    assert "label-pending-answers: nothing to do" in again.output.splitlines()


def test_jobs_run_once_reports_a_failed_job_and_exits_1(app, runner, monkeypatch):
    def database_gone(**settings):
        raise RuntimeError("database is gone")

    monkeypatch.setattr("webapp.analysis.jobs.label_pending", database_gone)
    result = runner.invoke(args=["jobs", "run", "--once"])
    assert result.exit_code == 1
    assert "label-pending-answers: failed: RuntimeError: database is gone" in result.output


def test_jobs_list_shows_each_job_and_its_interval(app, runner):
    result = runner.invoke(args=["jobs", "list"])
    assert result.exit_code == 0
    assert "label-pending-answers  every 5 s  (LABEL_INTERVAL_SECONDS)" in result.output.splitlines()


def test_the_job_process_labels_new_answers_and_stops_on_sigterm(app):
    """What scripts/run.sh starts: answers get labelled within seconds, and SIGTERM stops it cleanly."""
    environment = {**os.environ, "FLASK_APP": "webapp", "SECRET_KEY": "test secret key",
                   "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"]}
    process = subprocess.Popen([sys.executable, "-m", "flask", "jobs", "run"], cwd=REPOSITORY, env=environment,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        with app.app_context():
            ids = add_text_answers(list(ANSWERS.values()))
            deadline = time.monotonic() + 60
            while labelled_count() < len(ids) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert labelled_count() == len(ids)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, output
    assert "running jobs: label-pending-answers every 5 s" in output
    assert f"label-pending-answers: labelled {len(ids)} answers" in output
    assert output.rstrip().endswith("stopped")
    with app.app_context():
        assert writes_per_answer() == {answer_id: 1 for answer_id in ids}
