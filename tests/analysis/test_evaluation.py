"""evaluate_records / format_report on a tiny hand-made file, with a classifier whose answers we choose."""
import json

import pytest

from webapp.analysis.engine.labels import BLOCKERS, EMOTIONS
from webapp.analysis.evaluation import evaluate_records, format_report

RECORDS = """\
{"id": "1", "text": "a", "lang": "en", "emotions": ["joy"], "emotion_scope": ["joy", "anger"], "valence": "positive", "blockers": null, "blocker_scope": null}
{"id": "2", "text": "b", "lang": "en", "emotions": [], "emotion_scope": ["joy", "anger"], "valence": "negative", "blockers": null, "blocker_scope": null}
{"id": "3", "text": "c", "lang": "en", "emotions": ["anger"], "emotion_scope": ["joy", "anger"], "valence": "negative", "blockers": null, "blocker_scope": null}
{"id": "4", "text": "d", "lang": "en", "emotions": ["joy"], "emotion_scope": null, "valence": "neutral", "blockers": null, "blocker_scope": null}
{"id": "5", "text": "e", "lang": "en", "emotions": null, "emotion_scope": null, "valence": "positive", "blockers": ["delivery_problem"], "blocker_scope": ["delivery_problem", "pricing_unclear"], "complaint": true}
{"id": "6", "text": "f", "lang": "en", "emotions": null, "emotion_scope": null, "valence": null, "blockers": [], "blocker_scope": ["delivery_problem", "pricing_unclear"], "complaint": false}
"""

# What the fake classifier answers per text: emotions, valence, blockers, complaint.
ANSWERS = {
    "a": (["joy"], 0.8, [], False),
    "b": (["joy"], -0.5, [], False),          # joy is a false positive; valence right
    "c": ([], 0.0, [], False),                # anger missed; valence 0 counts as wrong
    "d": (["anger"], 0.3, [], False),         # scope null: says nothing about emotions
    "e": ([], -0.2, ["delivery_problem"], True),
    "f": ([], 0.1, ["pricing_unclear"], True),
}


class FakeClassifier:
    def __init__(self):
        self.calls = []

    def classify_many(self, items):
        items = list(items)
        self.calls.append(items)
        results = []
        for text, _lang in items:
            emotions, valence, blockers, complaint = ANSWERS[text]
            results.append({
                "lang": "en", "supported": True, "valence": valence, "emotions": emotions,
                "scores": dict.fromkeys(EMOTIONS, 0.0), "blockers": blockers,
                "blocker_scores": dict.fromkeys(BLOCKERS, 0.0), "complaint": complaint, "evidence": [], "model": "x",
            })
        return results


@pytest.fixture
def report():
    records = [json.loads(line) for line in RECORDS.splitlines()]
    return evaluate_records(records, FakeClassifier())


def test_emotions_are_judged_only_within_each_records_scope(report):
    joy, anger = report["emotions"]["labels"]["joy"], report["emotions"]["labels"]["anger"]
    assert (joy["precision"], joy["recall"], joy["f1"], joy["support"]) == (0.5, 1.0, 0.6667, 1)
    assert (anger["precision"], anger["recall"], anger["f1"], anger["support"]) == (0.0, 0.0, 0.0, 1)
    assert set(report["emotions"]["labels"]) == {"joy", "anger"}
    assert report["emotions"]["macro_f1"] == pytest.approx((0.6667 + 0.0) / 2, abs=1e-4)
    assert report["emotions"]["records"] == 3


def test_blockers_macro_f1_counts_only_labels_with_gold_positives(report):
    labels = report["blockers"]["labels"]
    assert labels["delivery_problem"]["f1"] == 1.0
    assert labels["pricing_unclear"]["support"] == 0 and labels["pricing_unclear"]["precision"] == 0.0
    assert report["blockers"]["macro_f1"] == 1.0


def test_valence_accuracy_uses_the_predicted_sign_and_zero_is_wrong(report):
    # a right, b right, c wrong (0.0), e wrong (negative for a positive record); d neutral and f null skipped.
    assert report["valence"] == {"accuracy": 0.5, "records": 4}


def test_complaint_f1_when_records_carry_the_key(report):
    assert report["complaint"]["precision"] == 0.5
    assert report["complaint"]["recall"] == 1.0
    assert report["complaint"]["records"] == 2


def test_the_records_language_is_passed_to_the_classifier():
    classifier = FakeClassifier()
    evaluate_records([json.loads(RECORDS.splitlines()[0])], classifier)
    assert classifier.calls == [[("a", "en")]]


def test_format_report_prints_a_readable_table(report):
    text = format_report(report)
    assert "joy" in text and "macro-F1" in text
    assert "valence accuracy (positive vs negative): 0.500 over 4 records" in text
    assert "complaint: precision 0.500 recall 1.000" in text


def test_a_file_without_complaint_keys_has_no_complaint_figure():
    records = [json.loads(line) for line in RECORDS.splitlines()[:3]]
    report = evaluate_records(records, FakeClassifier())
    assert "complaint" not in report
    assert "complaint" not in format_report(report)
