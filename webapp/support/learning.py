"""Staff labels as training data: the examples a retraining learns from, and those it is checked on.

Every item staff labelled is an example with every emotion and blocker judged. One in CHECK_FOLD of them,
chosen by a hash of the item id, is never learned from: it joins the shipped check set, so a retrained
model is also judged on this company's own complaints, and always on the same ones.
"""
import hashlib

from flask import current_app
from sqlalchemy import select

from webapp.analysis.engine.adaptation import Example
from webapp.analysis.releases import (
    Retraining,
    needs_retraining,
    retrain,
    training_fingerprint,
)
from webapp.extensions import db
from webapp.support.models import HumanLabel, SupportItem

CHECK_FOLD = 5


def held_out_for_checking(item_id: int) -> bool:
    """Whether an item's label is kept for checking models rather than training them (fixed per item)."""
    return hashlib.sha256(f"support-item:{item_id}".encode()).digest()[0] % CHECK_FOLD == 0


def staff_examples() -> tuple[list[Example], list[dict]]:
    """Staff labels as training examples, and the held-out ones as check records, in item order."""
    rows = db.session.execute(
        select(SupportItem.id, SupportItem.text, SupportItem.language, HumanLabel.emotions, HumanLabel.blockers)
        .join(HumanLabel, HumanLabel.item_id == SupportItem.id)
        .order_by(SupportItem.id)
    )
    training: list[Example] = []
    check: list[dict] = []
    for row in rows:
        example = Example(row.text, row.language, frozenset(row.emotions), frozenset(row.blockers))
        if held_out_for_checking(row.id):
            check.append(example.as_record())
        else:
            training.append(example)
    return training, check


def retrain_from_staff_labels(actor: str = "job", force: bool = False) -> Retraining | None:
    """Retrain from staff labels if there are enough and they changed since the last release (or `force`).

    Returns what the retraining did, or None when it was not needed.
    """
    training, check = staff_examples()
    if len(training) < current_app.config["SUPPORT_RETRAIN_MIN_LABELS"]:
        return None
    if not force and not needs_retraining(training_fingerprint(training, check)):
        return None
    return retrain(training, check, actor)
