"""Scheduled jobs: each feature declares its periodic work as data, and `flask jobs run` runs all of it.

The jobs run in a process of their own (`flask jobs run`, started beside the web server by
scripts/run.sh), never inside web workers and never from create_app. Every job must be safe to run in
several such processes at once, on one machine or many.
"""
import importlib
import logging
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import click
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask, current_app
from flask.cli import AppGroup

log = logging.getLogger(__name__)

# The modules whose JOBS lists are scheduled. Imported by name when the scheduler is built, so that
# they may import Job from here without a cycle.
FEATURE_JOB_MODULES = ("webapp.analysis.jobs", "webapp.maps.jobs", "webapp.support.jobs")


@dataclass(frozen=True)
class Job:
    """Periodic work: `run()` is called in an app context every `app.config[interval_setting]` seconds.

    It returns a short account of what it did, or None when there was nothing to do.
    """

    id: str
    run: Callable[[], str | None]
    interval_setting: str


def registered_jobs() -> list[Job]:
    """Every feature's jobs."""
    return [job for module in FEATURE_JOB_MODULES for job in importlib.import_module(module).JOBS]


def run_job(app: Flask, job: Job) -> str | None:
    """Run one job once in its own app context; log and return what it did."""
    with app.app_context():
        outcome = job.run()
    if outcome:
        log.info("%s: %s", job.id, outcome)
    return outcome


def build_scheduler(app: Flask, jobs: list[Job]) -> BlockingScheduler:
    """A scheduler that runs each job now and then every interval, never two runs of one job at once."""
    scheduler = BlockingScheduler(timezone=UTC)
    for job in jobs:
        scheduler.add_job(
            run_job, "interval", args=(app, job), id=job.id, name=job.id,
            seconds=float(app.config[job.interval_setting]), next_run_time=datetime.now(UTC),
            max_instances=1, coalesce=True,
        )
    return scheduler


jobs_cli = AppGroup("jobs", help="Run the scheduled jobs (in a process of their own).")


@jobs_cli.command("list")
def list_command() -> None:
    """Show each job and how often it runs."""
    for job in registered_jobs():
        click.echo(f"{job.id}  every {current_app.config[job.interval_setting]} s  ({job.interval_setting})")


@jobs_cli.command("run")
@click.option("--once", is_flag=True, help="Run every job once, then exit (for cron, or to catch up).")
def run_command(once: bool) -> None:
    """Run the scheduled jobs until stopped (Ctrl+C or SIGTERM lets running jobs finish first)."""
    app = current_app._get_current_object()
    jobs = registered_jobs()
    if once:
        _run_each_once(app, jobs)
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    log.setLevel(logging.INFO)
    # APScheduler reports every run at INFO; its warnings and job errors are what matter.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    scheduler = build_scheduler(app, jobs)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    log.info("running jobs: %s", ", ".join(f"{job.id} every {app.config[job.interval_setting]} s" for job in jobs))
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        log.info("stopping: letting running jobs finish")
        scheduler.shutdown(wait=True)
    log.info("stopped")


def _run_each_once(app: Flask, jobs: list[Job]) -> None:
    """Run every job once, in order, echoing what each did; exit 1 if one failed (the others still run)."""
    failed = False
    for job in jobs:
        try:
            outcome = run_job(app, job)
        except Exception as error:
            log.exception("job %s failed", job.id)
            click.echo(f"{job.id}: failed: {type(error).__name__}: {error}", err=True)
            failed = True
            continue
        click.echo(f"{job.id}: {outcome or 'nothing to do'}")
    if failed:
        raise click.exceptions.Exit(1)
