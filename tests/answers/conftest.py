"""Fixtures for the answer reading tests."""
import pytest


@pytest.fixture
def request_context(app):
    """A request context: services word their messages in the request's language."""
    with app.test_request_context():
        yield
