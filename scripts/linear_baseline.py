"""How far plain bag-of-n-grams learning gets on the dev files, next to the shipped classifier.

    .venv/bin/python scripts/linear_baseline.py [--data ../shared/data]

For each bar of the classification issue that a train split can be learned for, fits TF-IDF word 1-2-grams
plus character 2-5-grams and a logistic regression per label on the train split (C from 1, 4, 16, the best
on dev is printed, so the baseline is if anything flattered) and prints its dev figure beside the shipped
classifier's. It shows where the shipped model stands against the usual strong linear recipe, and how much
of a bar's gap no amount of tuning of that recipe closes. Needs the `[train]` extra; takes a few minutes.
"""
import argparse
import json
import sys
from pathlib import Path

import numpy as np
from scipy import sparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402

from webapp.analysis.engine import load_classifier  # noqa: E402
from webapp.analysis.evaluation import evaluate_records  # noqa: E402

CS = (1.0, 4.0, 16.0)
# (what, train files, dev file, kind): kind "valence" is positive-vs-negative accuracy, "emotions" and
# "blockers" macro-F1 over the labels the dev file judges.
TASKS = [
    ("English valence (GoEmotions)", ["emotions_en_goemotions"], "emotions_en_goemotions", "valence"),
    ("Polish valence (PolEmo medicine, eval-only)", ["emotions_pl_clarin_sentences", "emotions_pl_clarin_reviews"],
     "valence_pl_polemo_medicine", "valence"),
    ("Polish emotions (CLARIN sentences)", ["emotions_pl_clarin_sentences"], "emotions_pl_clarin_sentences",
     "emotions"),
    ("English emotions (GoEmotions)", ["emotions_en_goemotions"], "emotions_en_goemotions", "emotions"),
    ("Banking blockers (BANKING77)", ["blockers_en_banking77"], "blockers_en_banking77", "blockers"),
]


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as stream:
        return [json.loads(line) for line in stream if line.strip()]


def targets(records: list[dict], kind: str) -> tuple[list[dict], list[str], np.ndarray]:
    """The records that say something about the task, the label names and a 0/1 matrix of them."""
    if kind == "valence":
        kept = [r for r in records if r.get("valence") in ("positive", "negative")]
        return kept, ["positive"], np.array([[r["valence"] == "positive"] for r in kept], int)
    gold, scope = kind, kind[:-1] + "_scope"
    kept = [r for r in records if isinstance(r.get(gold), list) and isinstance(r.get(scope), list)]
    labels = sorted({label for r in kept for label in r[scope]})
    return kept, labels, np.array([[label in r[gold] for label in labels] for r in kept], int)


def baseline(train: list[dict], dev: list[dict], kind: str) -> float:
    train, labels, y_train = targets(train, kind)
    dev, dev_labels, y_dev = targets(dev, kind)
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2,
                            max_features=300_000)
    x_train = sparse.hstack([words.fit_transform([r["text"] for r in train]),
                             chars.fit_transform([r["text"] for r in train])]).tocsr()
    x_dev = sparse.hstack([words.transform([r["text"] for r in dev]),
                           chars.transform([r["text"] for r in dev])]).tocsr()
    # One predicted column per dev label, in the dev file's order; judged: the labels both files know.
    columns = [labels.index(label) if label in labels else None for label in dev_labels]
    judged = [i for i, column in enumerate(columns) if column is not None and y_dev[:, i].any()]
    best = 0.0
    for c in CS:
        predicted = np.column_stack([
            LogisticRegression(C=c, max_iter=3000).fit(x_train, y_train[:, column]).predict(x_dev)
            if column is not None and y_train[:, column].any() else np.zeros(len(dev), int)
            for column in columns])
        if kind == "valence":
            score = float(np.mean(predicted[:, 0] == y_dev[:, 0]))
        else:
            score = float(f1_score(y_dev[:, judged], predicted[:, judged], average="macro", zero_division=0))
        best = max(best, score)
    return best


def shipped(dev: list[dict], kind: str, classifier) -> float:
    report = evaluate_records(dev, classifier)
    return report["valence"]["accuracy"] if kind == "valence" else report[kind]["macro_f1"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"no data folder at {args.data}", file=sys.stderr)
        return 2
    classifier = load_classifier()
    print(f"{'task':<46} {'linear':>7} {'shipped':>8}")
    for what, train_names, dev_name, kind in TASKS:
        train = [r for name in train_names for r in read(args.data / f"{name}.train.jsonl") if r.get("use") == "train"]
        dev = read(args.data / f"{dev_name}.dev.jsonl")
        print(f"{what:<46} {baseline(train, dev, kind):>7.4f} {shipped(dev, kind, classifier):>8.4f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
