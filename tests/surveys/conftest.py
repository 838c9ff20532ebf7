"""Fixtures for the survey builder's tests."""
import pytest


@pytest.fixture
def request_context(app):
    """A request context: services word their refusals in the request's language."""
    with app.test_request_context():
        yield
