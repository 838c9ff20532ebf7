"""Blockers in e-commerce customer-service messages, a domain no training set covers: the lexicon carries them.

The messages (tests/analysis/data/ecommerce_blockers_<lang>.tsv) were written for this product in English,
Polish and Romanian. "probe" lines were written first and guided lexicon entries; "heldout" lines were written
after those entries and only measured; "fresh" lines were written after every change of 2026-12-05 (morning).
"fresh2" and "fresh3" (45 messages a language each, all 13 blockers) were written by helpers who saw neither
the engine, the lexicons nor the other sets; fresh3 was only measured before its misses were read, late on
2026-12-05 (en 0.69, pl 0.75, ro 0.72). "fresh4" (the same recipe) was written after the day's changes and
measured once: en 0.48, pl 0.75, ro 0.65, against en 0.43, pl 0.73, ro 0.59 for the morning's engine; its
English misses were read since. All figures are printed with `pytest -s`; sets this small move by 0.02-0.05
for one message, and from one set to the next by far more (English: 0.69 on fresh3, 0.48 on fresh4).
"""
from pathlib import Path

import pytest

from webapp.analysis.engine import load_classifier
from webapp.analysis.engine.labels import BLOCKERS, COMPANY_BLOCKERS
from webapp.analysis.evaluation import evaluate_records

DATA = Path(__file__).parent / "data"
# The blockers these messages judge: the company's problems and doubt about the company (the customer's own
# reasons to wait have tests of their own in test_lexicon_behaviour.py).
SCOPE = list(COMPANY_BLOCKERS) + ["trust_concern"]
# The helpers' sets label every blocker, the customer's own reasons to wait too.
FULL_SCOPE_PARTS = ("fresh2", "fresh3", "fresh4")
# Macro-F1 floors, a little under the figures of 2026-12-05. The probe parts reach the goal (>= 0.85 on
# e-commerce text) because their misses chose the lexicon entries; the held-out parts show how far the lexicon
# really carries (en 0.50, pl 0.29, ro 0.53): far from the goal, and what a regression would lower. (Their misses
# have since been read, and two engine rules of that day were checked on them: new held-out sets should be
# written before trusting these figures again: the "fresh" parts are those.)
FLOORS = {"probe": {"en": 0.85, "pl": 0.85, "ro": 0.85}, "heldout": {"en": 0.45, "pl": 0.25, "ro": 0.48},
          # 2026-12-05: en 0.65, pl 0.57, ro 0.61.
          # 2026-12-05: en 0.65, pl 0.57, ro 0.61; afternoon: en 0.78, pl 0.68, ro 0.67.
          "fresh": {"en": 0.7, "pl": 0.62, "ro": 0.62},
          # 2026-12-05 afternoon (all read since): fresh2 en 0.76, pl 0.68, ro 0.66; fresh3 en 0.74, pl 0.75,
          # ro 0.75; fresh4 en 0.48, pl 0.75, ro 0.65.
          "fresh2": {"en": 0.7, "pl": 0.62, "ro": 0.6}, "fresh3": {"en": 0.69, "pl": 0.7, "ro": 0.7},
          "fresh4": {"en": 0.43, "pl": 0.7, "ro": 0.6}}


def read_messages(lang: str) -> list[dict]:
    records = []
    for number, line in enumerate((DATA / f"ecommerce_blockers_{lang}.tsv").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        part, blockers, text = line.split("\t")
        scope = list(BLOCKERS) if part in FULL_SCOPE_PARTS else SCOPE
        records.append({"id": f"{lang}-{number}", "part": part, "lang": lang, "text": text,
                        "blockers": [b for b in blockers.split(",") if b], "blocker_scope": scope,
                        "emotions": None, "emotion_scope": None, "valence": None})
    return records


@pytest.fixture(scope="module")
def clf():
    return load_classifier()


@pytest.mark.parametrize("lang", ["en", "pl", "ro"])
@pytest.mark.parametrize("part", ["probe", "heldout", "fresh", "fresh2", "fresh3", "fresh4"])
def test_ecommerce_messages_show_their_blockers(clf, lang, part):
    records = [record for record in read_messages(lang) if record["part"] == part]
    assert len(records) >= 20, "too few messages to measure"
    assert all(set(record["blockers"]) <= set(record["blocker_scope"]) for record in records)
    macro_f1 = evaluate_records(records, clf)["blockers"]["macro_f1"]
    print(f"e-commerce blockers {lang} {part}: macro-F1 {macro_f1:.3f} over {len(records)} messages")
    assert macro_f1 >= FLOORS[part][lang]


@pytest.mark.parametrize("lang", ["en", "pl", "ro"])
def test_messages_naming_no_problem_get_no_company_blocker(clf, lang):
    calm = [record for record in read_messages(lang) if not record["blockers"]]
    results = clf.classify_many([(record["text"], lang) for record in calm])
    flagged = [(record["text"], result["blockers"]) for record, result in zip(calm, results)
               if set(result["blockers"]) & set(COMPANY_BLOCKERS)]
    # One in ten may still read as a problem (a question about delivery is close to one).
    assert len(flagged) <= len(calm) // 10, flagged
