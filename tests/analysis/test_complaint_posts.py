"""Complaint detection on posts addressed to companies, a set written by a helper who saw neither the engine,
the lexicons nor any other test set (tests/analysis/data/complaint_posts_<lang>.tsv, 2026-12-05): half are
complaints, half questions, praise, banter and grumbles about things that are not the company's fault.

It was measured before it landed here; the misses of half the English posts were read once (to weigh how much
a company-side problem counts), no lexicon entry came from them, so its figures are close to honest ones
(`pytest -s` prints them). The issue's goal is F1 >= 0.80 on complaint tweets; before this day's changes the
set gave en 0.60, pl 0.63, ro 0.73.

complaint_posts2_<lang>.tsv (60 English, 40 Polish, 40 Romanian posts) was written the same way after the
day's changes and measured once before landing: en 0.68, pl 0.78, ro 0.75, against en 0.57, pl 0.74, ro 0.72
for the morning's engine. Floors sit a little under the
figures of 2026-12-05 (en 0.60, pl 0.70, ro 0.76), so that a regression fails.
"""
from pathlib import Path

import pytest

from webapp.analysis.engine import load_classifier
from webapp.analysis.evaluation import evaluate_records

DATA = Path(__file__).parent / "data"
FLOORS = {"complaint_posts": {"en": 0.55, "pl": 0.65, "ro": 0.7},
          "complaint_posts2": {"en": 0.63, "pl": 0.72, "ro": 0.7}}


def read_posts(name: str, lang: str) -> list[dict]:
    records = []
    for number, line in enumerate((DATA / f"{name}_{lang}.tsv").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        answer, text = line.split("\t")
        assert answer in ("yes", "no"), f"{lang}:{number}"
        records.append({"id": f"{lang}-{number}", "lang": lang, "text": text, "complaint": answer == "yes",
                        "emotions": None, "emotion_scope": None, "blockers": None, "blocker_scope": None})
    return records


@pytest.fixture(scope="module")
def clf():
    return load_classifier()


@pytest.mark.parametrize("lang", ["en", "pl", "ro"])
@pytest.mark.parametrize("name", list(FLOORS))
def test_complaints_in_posts_to_companies_are_found(clf, name, lang):
    records = read_posts(name, lang)
    assert len(records) >= 40 and sum(r["complaint"] for r in records) >= 20
    complaint = evaluate_records(records, clf)["complaint"]
    print(f"{name} {lang}: precision {complaint['precision']:.2f} recall {complaint['recall']:.2f} "
          f"F1 {complaint['f1']:.3f} over {complaint['records']} posts")
    assert complaint["f1"] >= FLOORS[name][lang]
