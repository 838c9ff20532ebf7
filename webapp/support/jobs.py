"""Periodic work of the support feature, run by `flask jobs run` (see webapp/jobs.py)."""
from flask import current_app

from webapp.jobs import Job
from webapp.support.learning import retrain_from_staff_labels
from webapp.support.services import enqueue_flagged_answers


def enqueue_flagged() -> str | None:
    """Queue labelled survey answers that are complaints, negative or blocked; refresh re-labelled ones."""
    count = enqueue_flagged_answers(batch_size=current_app.config["SUPPORT_ENQUEUE_BATCH_SIZE"])
    return f"queued or refreshed {count} answers" if count else None


def retrain_classifier() -> str | None:
    """Retrain the classifier from staff labels when they changed; publish it only if it checks as well."""
    outcome = retrain_from_staff_labels()
    return outcome.describe() if outcome else None


JOBS = [
    Job("support-enqueue-flagged", enqueue_flagged, interval_setting="SUPPORT_ENQUEUE_INTERVAL_SECONDS"),
    Job("support-retrain-classifier", retrain_classifier, interval_setting="SUPPORT_RETRAIN_INTERVAL_SECONDS"),
]
