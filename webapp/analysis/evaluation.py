"""Measuring the classifier on labelled files shaped like ../shared/data/*.jsonl.

A record says something about an emotion only when its `emotion_scope` lists it (likewise blockers);
`null` emotions or scope say nothing, so such records count for no emotion label.
"""
from collections.abc import Iterable

from webapp.analysis.engine.labels import BLOCKERS, EMOTIONS

BATCH_SIZE = 512


def _f1(true_positive: int, false_positive: int, false_negative: int) -> dict:
    precision = true_positive / (true_positive + false_positive) if true_positive + false_positive else 0.0
    recall = true_positive / (true_positive + false_negative) if true_positive + false_negative else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "support": true_positive + false_negative}


def _label_table(pairs: list[tuple[set[str], set[str], set[str]]], labels: tuple[str, ...]) -> dict:
    """Per-label precision/recall/F1 over (gold, predicted, scope) triples, and macro-F1."""
    counts = {label: [0, 0, 0] for label in labels}
    judged = {label: 0 for label in labels}
    for gold, predicted, scope in pairs:
        for label in scope:
            if label not in counts:
                continue
            judged[label] += 1
            if label in gold and label in predicted:
                counts[label][0] += 1
            elif label in predicted:
                counts[label][1] += 1
            elif label in gold:
                counts[label][2] += 1
    per_label = {label: _f1(*counts[label]) for label in labels if judged[label]}
    with_positives = [scores["f1"] for scores in per_label.values() if scores["support"]]
    macro = round(sum(with_positives) / len(with_positives), 4) if with_positives else None
    totals = [sum(label_counts[i] for label_counts in counts.values()) for i in range(3)]
    return {"labels": per_label, "macro_f1": macro, "records": sum(1 for _g, _p, scope in pairs if scope),
            "totals": totals}


def _batches(records: list[dict]):
    for start in range(0, len(records), BATCH_SIZE):
        yield records[start:start + BATCH_SIZE]


def evaluate_records(records: Iterable[dict], classifier) -> dict:
    """Emotion and blocker tables, valence accuracy and complaint F1 of a classifier on labelled records."""
    records = [record for record in records if isinstance(record.get("text"), str)]
    emotion_pairs: list[tuple[set[str], set[str], set[str]]] = []
    blocker_pairs: list[tuple[set[str], set[str], set[str]]] = []
    valence_right = valence_total = 0
    complaint_counts = [0, 0, 0]
    complaint_records = 0
    for batch in _batches(records):
        lang_of = [record.get("lang") if isinstance(record.get("lang"), str) else None for record in batch]
        results = classifier.classify_many([(record["text"], lang) for record, lang in zip(batch, lang_of)])
        for record, result in zip(batch, results):
            if isinstance(record.get("emotions"), list) and isinstance(record.get("emotion_scope"), list):
                emotion_pairs.append((set(record["emotions"]), set(result["emotions"]), set(record["emotion_scope"])))
            if isinstance(record.get("blockers"), list) and isinstance(record.get("blocker_scope"), list):
                blocker_pairs.append((set(record["blockers"]), set(result["blockers"]), set(record["blocker_scope"])))
            gold_valence = record.get("valence")
            if gold_valence in ("positive", "negative"):
                valence_total += 1
                sign = 1 if gold_valence == "positive" else -1
                valence_right += result["valence"] * sign > 0
            if isinstance(record.get("complaint"), bool):
                complaint_records += 1
                gold, predicted = record["complaint"], bool(result["complaint"])
                if gold and predicted:
                    complaint_counts[0] += 1
                elif predicted:
                    complaint_counts[1] += 1
                elif gold:
                    complaint_counts[2] += 1
    report: dict = {
        "records": len(records),
        "emotions": _label_table(emotion_pairs, EMOTIONS),
        "blockers": _label_table(blocker_pairs, BLOCKERS),
        "valence": {"accuracy": round(valence_right / valence_total, 4) if valence_total else None,
                    "records": valence_total},
    }
    if complaint_records:
        report["complaint"] = {**_f1(*complaint_counts), "records": complaint_records}
    return report


def micro_f1(records: Iterable[dict], classifier) -> float | None:
    """Micro-averaged F1 over every emotion and blocker the records judge (None when they judge none)."""
    report = evaluate_records(records, classifier)
    true_positive, false_positive, false_negative = (
        a + b for a, b in zip(report["emotions"]["totals"], report["blockers"]["totals"]))
    judged = 2 * true_positive + false_positive + false_negative
    return round(2 * true_positive / judged, 4) if judged else None


def format_report(report: dict) -> str:
    """The report as a plain-text table."""
    lines = [f"records: {report['records']}"]
    for group in ("emotions", "blockers"):
        table = report[group]
        if not table["labels"]:
            continue
        lines.append(f"{group} ({table['records']} records judged)")
        lines.append(f"  {'label':<20} {'precision':>9} {'recall':>7} {'f1':>7} {'support':>8}")
        for label, scores in table["labels"].items():
            lines.append(f"  {label:<20} {scores['precision']:>9.3f} {scores['recall']:>7.3f} "
                         f"{scores['f1']:>7.3f} {scores['support']:>8}")
        if table["macro_f1"] is not None:
            lines.append(f"  {'macro-F1':<20} {'':>9} {'':>7} {table['macro_f1']:>7.3f}")
    valence = report["valence"]
    if valence["accuracy"] is not None:
        lines.append(f"valence accuracy (positive vs negative): {valence['accuracy']:.3f} "
                     f"over {valence['records']} records")
    if "complaint" in report:
        complaint = report["complaint"]
        lines.append(f"complaint: precision {complaint['precision']:.3f} recall {complaint['recall']:.3f} "
                     f"f1 {complaint['f1']:.3f} over {complaint['records']} records")
    return "\n".join(lines)
