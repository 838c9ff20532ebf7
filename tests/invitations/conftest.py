"""Fixtures for the invitation tests."""
import pytest

from tests.builders import build_survey
from webapp.extensions import db


@pytest.fixture
def survey(request_context):
    """A live survey in en, pl and ro about a map with the personas "First-time buyer" and "Regular"."""
    return build_survey()


@pytest.fixture
def survey_id(app):
    """The id of a committed live survey, for tests that go through the pages."""
    with app.app_context():
        survey = build_survey()
        db.session.commit()
        return survey.id
