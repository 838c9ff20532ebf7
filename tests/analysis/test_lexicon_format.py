"""The lexicon files (webapp/analysis/lexicon/*.tsv) are well formed, unambiguous and cover every label."""
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from webapp.analysis.engine.labels import BLOCKERS, EMOTIONS
from webapp.analysis.engine.lexicon import LEXICON_DIR, parse_lexicon
from webapp.analysis.engine.text import FOLD_TABLE, prepare

LANGUAGES = ("en", "pl", "ro")
# Single whole words that are no cue: modifiers, and function words (never evidence on their own).
WORD_CLASSES = ("negator", "intensifier", "diminisher", "contrast", "function")
CUE_LABELS = set(EMOTIONS) | set(BLOCKERS) | {"positive", "negative", "complaint"}
# A problem word that only makes a topic next to it a problem ("stuck", "czekam").
TROUBLE = "trouble"
# A pattern of this many distinct phrases per language at least; blockers and emotions each need a few dozen
# and a dozen ways of being said, so that held-out text in other words still finds them.
MIN_PATTERNS = 1000
MIN_PATTERNS_PER_BLOCKER = 20
MIN_PATTERNS_PER_EMOTION = 10


@dataclass(frozen=True)
class Line:
    number: int
    pattern: str
    label: str
    weight: float

    @property
    def words(self) -> tuple[str, ...]:
        """The pattern as the engine splits it: folded, on spaces and hyphens."""
        return tuple(word for word in re.split(r"[\s\-]+", self.pattern.translate(FOLD_TABLE).lower()) if word)


def read_lines(lang: str) -> list[Line]:
    lines = []
    path = LEXICON_DIR / f"{lang}.tsv"
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        columns = raw.split("\t")
        assert 2 <= len(columns) <= 3, f"{lang}.tsv:{number}: expected pattern<TAB>label[<TAB>weight]: {raw!r}"
        weight = float(columns[2]) if len(columns) == 3 else 1.0
        lines.append(Line(number, columns[0], columns[1], weight))
    return lines


@pytest.fixture(scope="module", params=LANGUAGES)
def lexicon(request) -> tuple[str, list[Line]]:
    return request.param, read_lines(request.param)


def test_there_is_one_file_per_supported_language():
    assert sorted(path.stem for path in Path(LEXICON_DIR).glob("*.tsv")) == sorted(LANGUAGES)


def test_patterns_are_lower_case_words_separated_by_single_spaces(lexicon):
    lang, lines = lexicon
    bad = [line for line in lines
           if line.pattern != line.pattern.strip() or "  " in line.pattern or line.pattern != line.pattern.lower()]
    assert not bad, f"{lang}: {bad[:5]}"


def test_every_label_is_known(lexicon):
    lang, lines = lexicon
    unknown = [line for line in lines
               if line.label not in CUE_LABELS and line.label not in WORD_CLASSES and line.label != TROUBLE]
    assert not unknown, f"{lang}: {unknown[:5]}"


@pytest.mark.parametrize("kind, low, high", [
    ("cue", 0.1, 2.0), ("polarity", 0.0, 1.5), ("intensifier", 1.05, 2.0), ("diminisher", 0.3, 0.95),
])
def test_weights_are_in_range(lexicon, kind, low, high):
    lang, lines = lexicon
    labels = {"cue": set(EMOTIONS) | set(BLOCKERS) | {"complaint"}, "polarity": {"positive", "negative"},
              "intensifier": {"intensifier"}, "diminisher": {"diminisher"}}[kind]
    bad = [line for line in lines if line.label in labels and not low <= line.weight <= high]
    assert not bad, f"{lang}: {bad[:5]}"


def test_negators_and_contrast_words_carry_no_weight(lexicon):
    lang, lines = lexicon
    assert all(line.weight == 1.0 for line in lines if line.label in ("negator", "contrast")), lang


def test_the_engine_reads_every_line(lexicon):
    lang, lines = lexicon
    compiled = parse_lexicon((LEXICON_DIR / f"{lang}.tsv").read_text(encoding="utf-8").splitlines(), lang)
    assert compiled.size == len(lines)


def test_no_label_is_given_twice_to_one_pattern(lexicon):
    lang, lines = lexicon
    seen: dict[tuple, Line] = {}
    twice = []
    for line in lines:
        key = (line.words, line.label)
        if key in seen:
            twice.append((seen[key], line))
        seen[key] = line
    assert not twice, f"{lang}: the same pattern (after folding diacritics) twice: {twice[:5]}"


def test_the_lines_of_one_pattern_are_kept_together(lexicon):
    lang, lines = lexicon
    blocks: dict[tuple, list[int]] = defaultdict(list)
    previous = None
    for index, line in enumerate(lines):
        if line.words != previous:
            blocks[line.words].append(index)
        previous = line.words
    scattered = [words for words, starts in blocks.items() if len(starts) > 1]
    assert not scattered, f"{lang}: {scattered[:5]}"


def _covers(general: tuple[str, ...], specific: tuple[str, ...]) -> bool:
    """Whether every text the specific pattern matches is matched by the general one too."""
    for word, other in zip(general, specific):
        if word.endswith("*"):
            if not other.rstrip("*").startswith(word[:-1]):
                return False
        elif word != other:
            return False
    return True


def test_no_two_patterns_of_one_length_cover_the_same_words(lexicon):
    """The engine keeps only one of two same-length patterns that match the same words: keep one in the file."""
    lang, lines = lexicon
    by_length: dict[int, set[tuple[str, ...]]] = defaultdict(set)
    for line in lines:
        if line.label not in WORD_CLASSES:
            by_length[len(line.words)].add(line.words)
    clashes = []
    for patterns in by_length.values():
        stems = [pattern for pattern in patterns if any(word.endswith("*") for word in pattern)]
        for general in stems:
            for specific in patterns:
                if specific != general and _covers(general, specific):
                    clashes.append((" ".join(general), " ".join(specific)))
    assert not clashes, f"{lang}: {sorted(clashes)[:10]}"


def test_modifiers_and_function_words_are_single_whole_words(lexicon):
    lang, lines = lexicon
    bad = [line for line in lines if line.label in WORD_CLASSES and (len(line.words) != 1 or "*" in line.pattern)]
    assert not bad, f"{lang}: {bad[:5]}"


def test_a_modifier_or_function_word_is_not_also_a_one_word_cue(lexicon):
    """A modifier that is also a cue would never act as a modifier (the cue wins); a function word that is a cue
    is no function word."""
    lang, lines = lexicon
    modifiers = {line.words for line in lines if line.label in WORD_CLASSES}
    cues = {line.words for line in lines if line.label not in WORD_CLASSES}
    assert not modifiers & cues, f"{lang}: {sorted(modifiers & cues)[:5]}"


def test_one_word_stems_keep_at_least_four_letters(lexicon):
    lang, lines = lexicon
    short = {line.pattern for line in lines
             if len(line.words) == 1 and line.words[0].endswith("*") and len(line.words[0]) - 1 < 4}
    assert not short, f"{lang}: {sorted(short)}"


def test_every_pattern_is_made_of_words_the_tokeniser_produces(lexicon):
    """Digits, gaps and emoji with variation selectors can never match: the tokeniser drops or splits them."""
    lang, lines = lexicon
    unmatchable = []
    for line in lines:
        words = tuple(word.rstrip("*") for word in line.words)
        if tuple(prepare(" ".join(words)).tokens) != words:
            unmatchable.append(line.pattern)
    assert not unmatchable, f"{lang}: {sorted(set(unmatchable))[:10]}"


def test_every_label_and_modifier_kind_is_present(lexicon):
    lang, lines = lexicon
    present = {line.label for line in lines}
    assert CUE_LABELS | set(WORD_CLASSES) <= present, f"{lang} lacks {sorted(CUE_LABELS | set(WORD_CLASSES) - present)}"


def test_each_language_has_a_broad_vocabulary(lexicon):
    lang, lines = lexicon
    assert len({line.words for line in lines if line.label not in WORD_CLASSES}) >= MIN_PATTERNS, lang


@pytest.mark.parametrize("label, minimum", [(b, MIN_PATTERNS_PER_BLOCKER) for b in BLOCKERS]
                         + [(e, MIN_PATTERNS_PER_EMOTION) for e in EMOTIONS])
def test_each_blocker_and_emotion_is_said_in_many_ways(lexicon, label, minimum):
    lang, lines = lexicon
    assert len({line.words for line in lines if line.label == label}) >= minimum, f"{lang}: {label}"
