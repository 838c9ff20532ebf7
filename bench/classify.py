"""How fast the classifier labels answers, next to TextBlob's polarity alone on the same texts.

    .venv/bin/python bench/classify.py [--texts 20000] [--rounds 3]

Builds a corpus of mixed English, Polish and Romanian answers (the texts of ../shared/data, plus a share
of the awkward inputs a survey really gets: empty, emoji-only, HTML, 100 KB pastes, mixed languages), then,
in fresh child processes so that each one's memory is its own, alternately:
- *ours*: loads the shipped model and labels every text through `classify_many`, in the batches the
  scheduled job uses (valence, 15 emotion scores, 13 blocker scores, complaint, evidence);
- *textblob*: computes `TextBlob(text).sentiment.polarity` for every text, one score each.
Throughput is texts per CPU-second of the child (so a noisy neighbour steals wall time, not the figure);
the best round of each counts. The last line is
`RESULT texts_per_cpu_s=<ours> textblob_ratio=<ours/textblob throughput> rss_mb=<our peak memory>`.
"""
import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
SHARE_BY_LANGUAGE = {"en": 0.4, "pl": 0.3, "ro": 0.3}

# Inputs real surveys receive besides ordinary sentences, about 1 % of the corpus.
AWKWARD_TEXTS = [
    "",
    "   \n\t ",
    "👍👍👍",
    "😡😡 never again",
    "<p>The <b>checkout</b> kept failing &amp; nobody answered</p>",
    "Dostawa szybka, but the app keeps crashing, nu recomand",
    "\x00\x01\x02 binary \xff garbage \x7f",
    "Sehr gute Lieferung, ich bin zufrieden",
    "ok",
    "The product is great. " * 4500,  # ~100 KB
]


def build_corpus(size: int, seed: int = 7) -> list[tuple[str, str | None]]:
    """`size` (text, lang) pairs in the language shares above, shuffled. The job lets the classifier detect
    every text's language, so ours ignores the lang; it is kept to report the mix."""
    by_language: dict[str, list[str]] = {language: [] for language in SHARE_BY_LANGUAGE}
    for path in sorted(DATA.glob("*.jsonl")):
        with path.open(encoding="utf-8") as stream:
            for line in stream:
                record = json.loads(line)
                if record["lang"] in by_language:
                    by_language[record["lang"]].append(record["text"])
    rng = random.Random(seed)
    awkward_count = max(len(AWKWARD_TEXTS), size // 100)
    corpus: list[tuple[str, str | None]] = [
        (AWKWARD_TEXTS[i % len(AWKWARD_TEXTS)], None) for i in range(awkward_count)
    ]
    remaining = size - awkward_count
    for language, share in SHARE_BY_LANGUAGE.items():
        texts = by_language[language]
        rng.shuffle(texts)
        wanted = round(remaining * share) if language != "ro" else size - len(corpus)
        for i in range(wanted):
            corpus.append((texts[i % len(texts)], language))
    rng.shuffle(corpus)
    return corpus[:size]


def run_ours(corpus: list[tuple[str, str | None]]) -> dict:
    """Label the corpus as the scheduled job does: `classify_answers` over claimed batches of its size."""
    sys.path.insert(0, str(ROOT))
    from webapp.analysis.engine import load_classifier
    from webapp.analysis.services import ClaimedAnswer, classify_answers
    from webapp.config import DefaultConfig

    load_started = time.process_time()
    classifier = load_classifier()
    load_cpu_s = time.process_time() - load_started
    batch_size = DefaultConfig.LABEL_BATCH_SIZE
    answers = [ClaimedAnswer(answer_id=number, text=text, attempts=1) for number, (text, _) in enumerate(corpus)]
    started = time.process_time()
    labels = 0
    for first in range(0, len(answers), batch_size):
        labels += len(classify_answers(classifier, answers[first:first + batch_size]))
    cpu_s = time.process_time() - started
    assert labels == len(corpus)
    return {"cpu_s": cpu_s, "load_cpu_s": load_cpu_s, "batch_size": batch_size, "model": classifier.version}


def run_textblob(corpus: list[tuple[str, str | None]]) -> dict:
    from textblob import TextBlob

    TextBlob("warm up the lexicon").sentiment.polarity  # loading the lexicon is not scoring
    started = time.process_time()
    for text, _language in corpus:
        TextBlob(text).sentiment.polarity
    return {"cpu_s": time.process_time() - started}


def child_main(which: str, size: int) -> None:
    corpus = build_corpus(size)
    figures = (run_ours if which == "ours" else run_textblob)(corpus)
    figures["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))


def measure(which: str, size: int) -> dict:
    completed = subprocess.run(
        [sys.executable, __file__, "--child", which, "--texts", str(size)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=int, default=20_000, help="corpus size (default 20000)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of each (default 3)")
    parser.add_argument("--child", choices=["ours", "textblob"], help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        child_main(arguments.child, arguments.texts)
        return

    corpus = build_corpus(arguments.texts)
    languages = {language: sum(1 for _, given in corpus if given == language) for language in SHARE_BY_LANGUAGE}
    print(f"corpus: {len(corpus)} texts, {sum(len(text) for text, _ in corpus) / 1e6:.1f} M characters, "
          f"by language: {languages}, awkward inputs: {sum(1 for _, given in corpus if given is None)}")
    best: dict[str, dict] = {}
    peak_rss_mb = 0.0
    for round_number in range(1, arguments.rounds + 1):
        for which in ("ours", "textblob"):
            figures = measure(which, arguments.texts)
            rate = arguments.texts / figures["cpu_s"]
            extra = (f" (model load {figures['load_cpu_s']:.2f} CPU-s, batches of {figures['batch_size']}, "
                     f"model {figures['model']})" if which == "ours" else "")
            print(f"round {round_number} {which:8} {rate:9.0f} texts/CPU-s  peak RSS {figures['rss_mb']:6.0f} MB"
                  + extra)
            if which == "ours":
                peak_rss_mb = max(peak_rss_mb, figures["rss_mb"])
            if which not in best or figures["cpu_s"] < best[which]["cpu_s"]:
                best[which] = figures
    ours_rate = arguments.texts / best["ours"]["cpu_s"]
    textblob_rate = arguments.texts / best["textblob"]["cpu_s"]
    print(f"RESULT texts_per_cpu_s={ours_rate:.0f} textblob_ratio={ours_rate / textblob_rate:.2f} "
          f"rss_mb={peak_rss_mb:.0f}")


if __name__ == "__main__":
    main()
