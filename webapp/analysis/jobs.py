"""Periodic work of the analysis feature, run by `flask jobs run` (see webapp/jobs.py)."""
from flask import current_app

from webapp.analysis.services import label_pending
from webapp.jobs import Job


def label_pending_answers() -> str | None:
    """Label the answers that have no label of the current model version yet, for up to LABEL_RUN_SECONDS."""
    config = current_app.config
    stored = label_pending(
        batch_size=config["LABEL_BATCH_SIZE"],
        lease_seconds=config["LABEL_LEASE_SECONDS"],
        max_seconds=config["LABEL_RUN_SECONDS"],
    )
    return f"labelled {stored} answers" if stored else None


JOBS = [
    Job("label-pending-answers", label_pending_answers, interval_setting="LABEL_INTERVAL_SECONDS"),
]
