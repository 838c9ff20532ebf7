"""Periodic work of the maps feature, run by `flask jobs run` (see webapp/jobs.py)."""
from flask import current_app

from webapp.jobs import Job
from webapp.maps.aggregates import fold_pending


def fold_map_figures() -> str | None:
    """Fold new answers and label changes into the map cells, for up to MAP_FOLD_RUN_SECONDS."""
    config = current_app.config
    outcome = fold_pending(batch_size=config["MAP_FOLD_BATCH_SIZE"], max_seconds=config["MAP_FOLD_RUN_SECONDS"])
    return str(outcome) if outcome.events else None


JOBS = [
    Job("fold-map-figures", fold_map_figures, interval_setting="MAP_FOLD_INTERVAL_SECONDS"),
]
