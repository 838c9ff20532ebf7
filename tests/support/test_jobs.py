"""The enqueue job is scheduled with the others and queues labelled answers through `flask jobs run --once`."""
from sqlalchemy import select

from tests.builders import build_map, build_response, build_survey
from tests.maps.test_aggregates import label_all
from webapp.extensions import db
from webapp.jobs import registered_jobs
from webapp.support.models import SupportItem
from webapp.surveys.models import QuestionKind


def test_the_enqueue_job_is_registered(app):
    assert "support-enqueue-flagged" in {job.id for job in registered_jobs()}


def test_the_enqueue_job_queues_a_labelled_complaint(app, app_context):
    from webapp.support.jobs import enqueue_flagged

    build_response(build_survey(build_map()), {QuestionKind.TEXT: "v=-0.9 e=anger c=1"})
    db.session.commit()
    label_all()
    assert enqueue_flagged() == "queued or refreshed 1 answers"
    assert enqueue_flagged() is None
    assert db.session.scalar(select(SupportItem.complaint)) is True
