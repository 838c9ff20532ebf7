"""Labelling answers in leased batches: priorities, leases, fencing and bad texts, on both databases.

These tests drive the services with a small deterministic classifier, so that what is stored can be
predicted exactly; tests/analysis/test_jobs.py runs the real one end to end.
"""
import os
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select

from tests.builders import build_response, build_survey
from webapp.analysis.models import AnswerLabel, LabelClaim, LabelWrite
from webapp.analysis.services import (
    MAX_ATTEMPTS, Claim, claim_batch, label_batch, label_counts, label_pending, store_labels,
)
from webapp.database import utcnow
from webapp.extensions import db
from webapp.responses.models import Answer, Response
from webapp.surveys.models import QuestionKind


class FakeClassifier:
    """Labels a text by its words: "bad" makes it negative; a text containing `fail_on` raises."""

    def __init__(self, version: str = "fake-1", fail_on: str | None = None):
        self.version = version
        self.fail_on = fail_on
        self.texts_seen: list[str] = []

    def classify_many(self, items):
        results = []
        for text, lang in items:
            self.texts_seen.append(text)
            if self.fail_on is not None and self.fail_on in text:
                raise ValueError("this text breaks the classifier")
            negative = "bad" in text
            results.append({
                "lang": lang or "en", "supported": True, "valence": -0.5 if negative else 0.5,
                "emotions": ["frustration"] if negative else ["joy"],
                "scores": {"frustration": 0.8 if negative else 0.0, "joy": 0.0 if negative else 0.8},
                "blockers": [], "blocker_scores": {}, "complaint": negative,
                "evidence": [{"label": "joy", "start": 0, "end": 1, "text": text[:1]}], "model": self.version,
            })
        return results


def add_text_answers(texts: list[str], minutes_ago: list[int] | None = None) -> list[int]:
    """Commit one response per text, submitted `minutes_ago` (default: in order, the last one newest)."""
    survey = build_survey()
    minutes_ago = minutes_ago or list(range(len(texts), 0, -1))
    ids = []
    for text, minutes in zip(texts, minutes_ago):
        response = build_response(survey, {QuestionKind.TEXT: text, QuestionKind.CSAT: 4},
                                  submitted_at=utcnow() - timedelta(minutes=minutes))
        ids.append(next(answer.id for answer in response.answers if answer.text is not None))
    db.session.commit()
    return ids


def claimed_ids(claim) -> list[int]:
    return [answer.answer_id for answer in claim.answers]


def stored_label(answer_id: int) -> AnswerLabel | None:
    db.session.expire_all()
    return db.session.scalar(select(AnswerLabel).where(AnswerLabel.answer_id == answer_id))


def writes_per_answer() -> dict[int, int]:
    query = select(LabelWrite.answer_id, func.count()).group_by(LabelWrite.answer_id)
    return dict(db.session.execute(query).all())


def test_every_free_text_answer_gets_one_label(app_context):
    ids = add_text_answers(["Great shop", "bad checkout, it kept failing", "ok"])
    classifier = FakeClassifier()
    assert label_pending(classifier, batch_size=2, worker_id="worker-a") == 3
    assert db.session.scalar(select(func.count()).select_from(AnswerLabel)) == 3  # ratings get no label
    label = stored_label(ids[1])
    assert (label.model_version, label.lang, label.supported, label.valence) == ("fake-1", "en", True, -0.5)
    assert (label.emotions, label.complaint, label.unlabelable) == (["frustration"], True, None)
    assert label.scores["frustration"] == 0.8
    assert label.evidence == [{"label": "joy", "start": 0, "end": 1, "text": "b"}]
    assert label.answer.text == "bad checkout, it kept failing"
    assert writes_per_answer() == {answer_id: 1 for answer_id in ids}
    assert db.session.scalar(select(func.count()).select_from(LabelClaim)) == 0
    assert label_pending(classifier, worker_id="worker-a") == 0


def test_unlabelled_answers_are_claimed_newest_first(app_context):
    oldest, middle, newest = add_text_answers(["one", "two", "three"], minutes_ago=[30, 20, 10])
    first = claim_batch("fake-1", "worker-a", batch_size=2, lease_seconds=60)
    assert claimed_ids(first) == [newest, middle]
    assert [answer.text for answer in first.answers] == ["three", "two"]
    assert claimed_ids(claim_batch("fake-1", "worker-b", batch_size=2, lease_seconds=60)) == [oldest]


def test_answers_under_a_live_lease_are_not_claimed_again(app_context):
    add_text_answers(["one", "two"])
    assert len(claim_batch("fake-1", "worker-a", batch_size=10, lease_seconds=60).answers) == 2
    assert claim_batch("fake-1", "worker-b", batch_size=10, lease_seconds=60).answers == []
    assert label_pending(FakeClassifier(), worker_id="worker-b") == 0
    counts = label_counts("fake-1")
    assert (counts.unlabelled, counts.in_flight, counts.pending) == (2, 2, 2)


def test_a_batch_whose_lease_expired_is_taken_over(app_context):
    ids = add_text_answers(["one", "two"])
    crashed = claim_batch("fake-1", "worker-a", batch_size=10, lease_seconds=0)  # its worker died
    taken_over = claim_batch("fake-1", "worker-b", batch_size=10, lease_seconds=60)
    assert claimed_ids(taken_over) == claimed_ids(crashed) == ids[::-1]
    assert [answer.attempts for answer in taken_over.answers] == [2, 2]
    assert label_batch(FakeClassifier(), taken_over) == 2
    assert {write.worker_id for write in db.session.scalars(select(LabelWrite))} == {"worker-b"}


def test_a_stale_worker_cannot_overwrite_the_worker_that_took_over(app_context):
    [answer_id] = add_text_answers(["a bad day"])
    stale = claim_batch("fake-1", "worker-a", batch_size=10, lease_seconds=0)
    fresh = claim_batch("fake-1", "worker-b", batch_size=10, lease_seconds=60)
    assert label_batch(FakeClassifier(), fresh) == 1
    # The stale worker wakes up with a different opinion of the text; it must store nothing.
    assert store_labels(stale, [{"lang": "en", "supported": True, "valence": 0.9}]) == 0
    assert stored_label(answer_id).valence == -0.5
    assert writes_per_answer() == {answer_id: 1}


def test_a_stale_worker_stores_nothing_before_the_takeover_either(app_context):
    [answer_id] = add_text_answers(["one"])
    stale = claim_batch("fake-1", "worker-a", batch_size=10, lease_seconds=0)
    fresh = claim_batch("fake-1", "worker-b", batch_size=10, lease_seconds=60)
    assert label_batch(FakeClassifier(), stale) == 0
    assert stored_label(answer_id) is None
    assert label_batch(FakeClassifier(), fresh) == 1


def test_a_worker_whose_lease_expired_stores_nothing_and_the_answer_is_claimed_again(app_context):
    [answer_id] = add_text_answers(["one"])
    expired = claim_batch("fake-1", "worker-a", batch_size=10, lease_seconds=0)
    assert label_batch(FakeClassifier(), expired) == 0
    assert stored_label(answer_id) is None
    assert label_pending(FakeClassifier(), worker_id="worker-b") == 1


def test_a_label_is_never_stored_twice_for_one_model_version(app_context):
    """Two claims of one answer can exist when one begins just as the other's label commits."""
    [answer_id] = add_text_answers(["one"])
    first = claim_batch("fake-1", "worker-a", batch_size=10, lease_seconds=60)
    assert label_batch(FakeClassifier(), first) == 1
    second = claim_batch("fake-1", "worker-b", batch_size=10, lease_seconds=60)
    assert second.answers == []
    # Force the race: a claim on the labelled answer, as if taken from a snapshot before the label.
    db.session.add(LabelClaim(answer_id=answer_id, claim_id="late", worker_id="worker-b",
                              expires_at=utcnow() + timedelta(minutes=1)))
    db.session.commit()
    late = Claim("late", "worker-b", "fake-1", first.answers)
    assert label_batch(FakeClassifier(), late) == 0
    assert writes_per_answer() == {answer_id: 1}


def test_a_new_model_relabels_newest_first_after_the_unlabelled_answers(app_context):
    labelled = add_text_answers(["a", "b", "c"], minutes_ago=[3, 2, 1])
    label_pending(FakeClassifier("v1"), worker_id="worker-a")
    # Answers without any label come first, even when they are older than every labelled one.
    unlabelled = add_text_answers(["d", "e"], minutes_ago=[20, 10])
    first = claim_batch("v2", "worker-b", batch_size=3, lease_seconds=60)
    assert claimed_ids(first) == [unlabelled[1], unlabelled[0], labelled[2]]
    assert label_batch(FakeClassifier("v2"), first) == 3
    assert claimed_ids(claim_batch("v2", "worker-b", batch_size=3, lease_seconds=60)) == [labelled[1], labelled[0]]


def test_relabelling_replaces_the_label_and_counts_show_progress(app_context):
    ids = add_text_answers(["a bad day", "fine"])
    label_pending(FakeClassifier("v1"), worker_id="worker-a")
    assert label_counts("v1").pending == 0
    counts = label_counts("v2")
    assert (counts.answers, counts.current, counts.outdated, counts.pending) == (2, 0, 2, 2)
    assert label_pending(FakeClassifier("v2"), batch_size=1, worker_id="worker-a") == 2
    assert {stored_label(answer_id).model_version for answer_id in ids} == {"v2"}
    assert writes_per_answer() == {ids[0]: 2, ids[1]: 2}
    assert label_counts("v2").pending == 0


def test_an_older_model_never_labels_back_what_a_newer_one_relabelled(app_context):
    [answer_id] = add_text_answers(["one"])
    label_pending(FakeClassifier("v1"), worker_id="old-machine")
    label_pending(FakeClassifier("v2"), worker_id="new-machine")
    # During a rolling upgrade an old worker is still running.
    assert label_pending(FakeClassifier("v1"), worker_id="old-machine") == 0
    assert stored_label(answer_id).model_version == "v2"
    counts = label_counts("v1")
    assert (counts.current, counts.outdated, counts.unlabelled) == (0, 0, 0)


BAD_TEXTS = {
    "empty": "",
    "whitespace": " \n\t ",
    "100 KB": "The delivery was late again. " * 3500,
    "binary garbage": bytes(range(1, 256)).decode("latin-1") * 8,
    "html": '<div class="x"><script>alert("x")</script><p>Checkout <b>failed</b> twice&nbsp;!</p></div>',
}


def test_a_text_that_breaks_the_classifier_is_marked_unlabelable_and_the_batch_goes_on(app_context):
    ids = add_text_answers(["fine", "<script>alert(1)</script>", "a bad day"])
    assert label_pending(FakeClassifier(fail_on="<script>"), batch_size=10, worker_id="worker-a") == 3
    broken = stored_label(ids[1])
    assert broken.unlabelable == "classifier failed: ValueError: this text breaks the classifier"
    assert (broken.valence, broken.emotions, broken.supported) == (None, [], False)
    assert stored_label(ids[0]).valence == 0.5
    assert stored_label(ids[2]).valence == -0.5
    assert label_counts("fake-1").unlabelable == 1


@pytest.mark.parametrize("kind", BAD_TEXTS)
def test_bad_texts_do_not_stop_a_batch(app_context, kind):
    ids = add_text_answers(["before", BAD_TEXTS[kind], "a bad day"])
    assert label_pending(FakeClassifier(fail_on="\x01"), batch_size=10, worker_id="worker-a") == 3
    assert stored_label(ids[0]).valence == 0.5
    assert stored_label(ids[2]).valence == -0.5
    assert stored_label(ids[1]) is not None


MALFORMED_RESULTS = {
    "no valence": ({"lang": "en"}, "KeyError: 'valence'"),
    "NaN": ({"lang": "en", "valence": float("nan")}, "ValueError: Out of range float values"),
    "not JSON": ({"lang": "en", "valence": 0.1, "scores": {"joy": object()}}, "TypeError: Object of type object"),
    "not a dict": (None, "AttributeError: 'NoneType' object has no attribute 'get'"),
}


@pytest.mark.parametrize("kind", MALFORMED_RESULTS)
def test_a_malformed_classifier_result_is_stored_as_unlabelable_and_the_batch_goes_on(app_context, kind):
    malformed, reason = MALFORMED_RESULTS[kind]

    class Malformed(FakeClassifier):
        def classify_many(self, items):
            return [malformed if text == "odd" else result
                    for (text, _lang), result in zip(items, super().classify_many(items))]

    ids = add_text_answers(["odd", "fine"])
    assert label_pending(Malformed(), worker_id="worker-a") == 2
    assert stored_label(ids[0]).unlabelable.startswith(f"classifier failed: {reason}")
    assert stored_label(ids[1]).valence == 0.5


def test_an_answer_workers_keep_dying_on_is_given_up_as_unlabelable(app_context):
    [answer_id] = add_text_answers(["the text that kills workers"])
    for _ in range(MAX_ATTEMPTS):
        claim_batch("fake-1", "doomed", batch_size=10, lease_seconds=0)
    classifier = FakeClassifier()
    assert label_pending(classifier, worker_id="worker-a") == 1
    assert classifier.texts_seen == []
    assert stored_label(answer_id).unlabelable == f"a worker stopped while labelling it, {MAX_ATTEMPTS} times"


def test_an_answer_deleted_mid_batch_is_skipped(app_context):
    ids = add_text_answers(["one", "two"])
    claim = claim_batch("fake-1", "worker-a", batch_size=10, lease_seconds=60)
    response_id = db.session.get(Answer, ids[0]).response_id
    db.session.execute(delete(Response).where(Response.id == response_id))
    db.session.commit()
    assert label_batch(FakeClassifier(), claim) == 1
    assert [label.answer_id for label in db.session.scalars(select(AnswerLabel))] == [ids[1]]


def test_deleting_an_answer_deletes_its_label(app_context):
    [answer_id] = add_text_answers(["one"])
    label_pending(FakeClassifier(), worker_id="worker-a")
    db.session.delete(db.session.get(Answer, answer_id).response)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(AnswerLabel)) == 0
    assert db.session.scalar(select(func.count()).select_from(LabelWrite)) == 0


def test_the_default_worker_id_names_this_process():
    from webapp.analysis.services import default_worker_id

    assert default_worker_id().endswith(f":{os.getpid()}")
