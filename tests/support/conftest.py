import pytest


@pytest.fixture(autouse=True)
def one_staff_label_in_eight_held_out(monkeypatch):
    """Staff labels are held out for checking by a hash of their item's id, and PostgreSQL's id sequences do
    not restart per test: eight corrections could lose four to the check set one day and none the next, and a
    retraining then finds too few to learn from. Here exactly one in eight consecutive items is held out."""
    monkeypatch.setattr("webapp.support.learning.held_out_for_checking", lambda item_id: item_id % 8 == 0)
