"""Lexicon loading and matching: words and phrases behind each label, with negation, intensity and contrast.

File format (`webapp/analysis/lexicon/<lang>.tsv`, UTF-8): one entry a line, `#` starts a comment,
columns separated by a tab:

    pattern <TAB> label [<TAB> weight]

- pattern: one or more words separated by spaces, matched case- and diacritic-insensitively on whole
  tokens; a word ending in `*` matches any token starting with it (`polec*`, `defect*`).
- label: an emotion or blocker id of CONTRACTS.md, `positive` / `negative` (polarity), `complaint`,
  or a modifier: `negator` (flips what follows within three tokens), `intensifier` / `diminisher`
  (scale the next hit; weight is the factor), `contrast` ("but": what follows outweighs what precedes),
  or `function`: a word that says nothing on its own ("the", "się", "să"), never shown as evidence,
  or `trouble`: a word that says something is going wrong without a feeling or a topic of its own
  ("stuck", "czekam", "nimeni"): it makes a topic next to it a problem and counts for nothing else.
- weight: strength of the cue, default 1.0 (for polarity, how positive or negative).
"""
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from webapp.analysis.engine.labels import BLOCKERS, COMPANY_BLOCKERS, EMOTIONS, NEGATIVE_EMOTIONS, POSITIVE_EMOTIONS
from webapp.analysis.engine.text import FOLD_TABLE, PreparedText, clause_numbers

LEXICON_DIR = Path(__file__).resolve().parent.parent / "lexicon"
MODIFIERS = ("negator", "intensifier", "diminisher", "contrast")
FUNCTION_WORD = "function"
TROUBLE = "trouble"
# How negative a trouble word counts once it names a topic's problem (a hint, like "refund"'s 0.3).
TROUBLE_NEGATIVE = 0.4
CUE_LABELS = EMOTIONS + BLOCKERS + ("positive", "negative", "complaint")
NEGATION_SCOPE = 3
CANDIDATE_CACHE_SIZE = 100_000
# A topic is a problem when a problem word stands at most this many content words away (function words
# between them do not count: "stuck in the chat queue").
TOPIC_WINDOW = 3
# Blocker cues below this weight are topics ("parcel", "app", "dimensions"); a troubled topic is raised to
# at least TROUBLED_TOPIC_WEIGHT, which predicts its blocker on its own.
TOPIC_WEIGHT = 0.5
TROUBLED_TOPIC_WEIGHT = 1.3
BLOCKER_SET = frozenset(BLOCKERS)
COMPANY_BLOCKER_SET = frozenset(COMPANY_BLOCKERS)
# Shortest stem a `*` pattern may have: shorter ones would match half the dictionary.
MIN_STEM = 3
# Sarcastic praise closes a text in at most this many tokens ("brilliant timing as always", "mulțumesc frumos"),
# in a text with none of these (folded) words, which make the praise a true verdict ("otherwise great", "în rest
# totul ok", "generalnie polecam") or concede the problem ("despite the damage, the operation went well").
SARCASM_TAIL = 4
# A company-side blocker cue this strong names the problem (a usual cue, or a troubled topic): a topic alone
# ("parcel") is no problem for praise to be sarcastic about.
NAMED_PROBLEM_WEIGHT = 1.0
SARCASM_GUARDS = frozenset({
    "otherwise", "overall", "still", "anyway", "apart", "besides", "generally", "despite", "although",
    "ogolnie", "generalnie", "poza", "mimo", "pomimo", "chociaz", "zreszta",
    "rest", "altfel", "oricum", "total", "general", "desi"})
# Clause boundaries stop negation ("not cheap, but good": "good" is not negated).
_BOUNDARY_RE = re.compile(r"[.,;:!?()\n]")


@dataclass(slots=True)
class Entry:
    """One lexicon line, compiled."""

    words: tuple[str, ...]
    prefix: tuple[bool, ...]
    label: str
    weight: float


@dataclass(slots=True)
class Hit:
    """A cue found in a text: its label, signed strength after modifiers, and its character span."""

    label: str
    weight: float
    start: int
    end: int
    negated: bool = False
    first_token: int = 0
    last_token: int = 0


@dataclass
class LanguageLexicon:
    """The compiled entries of one language, indexed by the first word (or the first word's stem)."""

    exact: dict[str, list[Entry]] = field(default_factory=dict)
    stems: dict[str, list[Entry]] = field(default_factory=dict)
    modifiers: dict[str, tuple[str, float]] = field(default_factory=dict)
    size: int = 0
    # Entries that may start at a token, remembered per token (words repeat, stems cost a loop).
    candidate_cache: dict[str, list[Entry]] = field(default_factory=dict)
    negators: frozenset[str] = frozenset()
    # Words never shown alone as the evidence of a learned label: function words and modifiers ("ale", "Nie"
    # say nothing a reader can check, however much the model leans on them).
    function_words: frozenset[str] = frozenset()


class LexiconError(ValueError):
    """A lexicon line that cannot be read."""


def _fold(text: str) -> str:
    return text.translate(FOLD_TABLE).lower()


def parse_lexicon(lines, name: str = "lexicon") -> LanguageLexicon:
    """Compile the lines of one language's lexicon file."""
    lexicon = LanguageLexicon()
    function_words: set[str] = set()
    for number, raw in enumerate(lines, start=1):
        line = raw.split("#", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line.strip():
            continue
        columns = [column.strip() for column in line.split("\t")]
        if len(columns) < 2:
            raise LexiconError(f"{name}, line {number}: expected 'pattern<TAB>label[<TAB>weight]'")
        pattern, label = _fold(columns[0]), columns[1].strip().lower()
        try:
            weight = float(columns[2]) if len(columns) > 2 and columns[2] else 1.0
        except ValueError as exc:
            raise LexiconError(f"{name}, line {number}: weight {columns[2]!r} is not a number") from exc
        if label not in CUE_LABELS and label not in MODIFIERS and label not in (FUNCTION_WORD, TROUBLE):
            raise LexiconError(f"{name}, line {number}: unknown label {label!r}")
        words = tuple(word for word in re.split(r"[\s\-]+", pattern) if word)
        if not words:
            continue
        if label in MODIFIERS or label == FUNCTION_WORD:
            if len(words) != 1 or words[0].endswith("*"):
                raise LexiconError(f"{name}, line {number}: a {label} is one whole word")
            if label == FUNCTION_WORD:
                function_words.add(words[0])
            else:
                lexicon.modifiers[words[0]] = (label, weight)
            lexicon.size += 1
            continue
        prefix = tuple(word.endswith("*") for word in words)
        words = tuple(word.rstrip("*") for word in words)
        if prefix[0] and len(words[0]) < MIN_STEM:
            raise LexiconError(f"{name}, line {number}: stem {words[0]!r} is shorter than {MIN_STEM} letters")
        entry = Entry(words, prefix, label, weight)
        index = lexicon.stems if prefix[0] else lexicon.exact
        index.setdefault(words[0], []).append(entry)
        lexicon.size += 1
    lexicon.negators = frozenset(word for word, (kind, _factor) in lexicon.modifiers.items() if kind == "negator")
    lexicon.function_words = frozenset(function_words | lexicon.modifiers.keys())
    for index in (lexicon.exact, lexicon.stems):
        for entries in index.values():
            entries.sort(key=lambda entry: -len(entry.words))
    return lexicon


def load_lexicons(directory: Path = LEXICON_DIR) -> dict[str, LanguageLexicon]:
    """Every `<lang>.tsv` of the lexicon folder, compiled; a missing folder gives empty lexicons."""
    lexicons: dict[str, LanguageLexicon] = {}
    if directory.is_dir():
        for path in sorted(directory.glob("*.tsv")):
            with path.open(encoding="utf-8") as stream:
                lexicons[path.stem] = parse_lexicon(stream, path.name)
    return lexicons


def _matches_from(entry: Entry, tokens: list[str], position: int, first: int) -> bool:
    """Whether the entry's words from `first` on match the tokens after `position`."""
    words = entry.words
    if position + len(words) > len(tokens):
        return False
    prefix = entry.prefix
    for offset in range(first, len(words)):
        token = tokens[position + offset]
        word = words[offset]
        if not (token.startswith(word) if prefix[offset] else token == word):
            return False
    return True


def _matches(entry: Entry, tokens: list[str], position: int) -> bool:
    return _matches_from(entry, tokens, position, 1)


# Entries that may start at a token: one-word ones; longer ones by their exact second word; longer ones
# whose second word is a stem, by that stem, with their rank so that matches keep the list's order.
_Candidates = tuple[list[Entry], dict[str, list[Entry]], dict[str, list[tuple[int, Entry]]], int]
_NO_CANDIDATES: _Candidates = ([], {}, {}, 0)


def _candidates(lexicon: LanguageLexicon, token: str) -> _Candidates:
    """The entries that may start at a token, remembered per token (most tokens start none)."""
    found = lexicon.candidate_cache.get(token)
    if found is None:
        entries = lexicon.exact.get(token, [])
        stems = lexicon.stems
        if stems:
            for length in range(len(token), MIN_STEM - 1, -1):
                more = stems.get(token[:length])
                if more:
                    entries = entries + more
        if not entries:
            found = _NO_CANDIDATES
        else:
            single = [entry for entry in entries if len(entry.words) == 1]
            by_second: dict[str, list[Entry]] = {}
            by_second_stem: dict[str, list[tuple[int, Entry]]] = {}
            rank = 0
            for entry in entries:
                if len(entry.words) > 1:
                    if entry.prefix[1]:
                        by_second_stem.setdefault(entry.words[1], []).append((rank, entry))
                        rank += 1
                    else:
                        by_second.setdefault(entry.words[1], []).append(entry)
            longest_stem = max(map(len, by_second_stem), default=0)
            found = (single, by_second, by_second_stem, longest_stem)
        if len(lexicon.candidate_cache) >= CANDIDATE_CACHE_SIZE:
            lexicon.candidate_cache.clear()
        lexicon.candidate_cache[token] = found
    return found


def _matching_entries(found: _Candidates, tokens: list[str], position: int, covered_until: int) -> list[Entry]:
    """Entries matching at a position, in the order of the candidate list (multiword ones first)."""
    single, by_second, by_second_stem, longest_stem = found
    if not by_second and not by_second_stem:
        return single if position > covered_until else []
    matching: list[Entry] = []
    if position + 1 < len(tokens):
        following = tokens[position + 1]
        for entry in by_second.get(following, ()):
            if position + len(entry.words) - 1 > covered_until and _matches_from(entry, tokens, position, 2):
                matching.append(entry)
        if by_second_stem:
            ranked = []
            for length in range(min(len(following), longest_stem), -1, -1):
                for rank, entry in by_second_stem.get(following[:length], ()):
                    if position + len(entry.words) - 1 > covered_until and _matches_from(entry, tokens, position, 2):
                        ranked.append((rank, entry))
            if ranked:
                ranked.sort(key=lambda item: item[0])
                matching.extend(entry for _rank, entry in ranked)
    if position > covered_until:
        matching += single
    return matching


_BOUNDARY_CHARS = frozenset(".,;:!?()\n")


def find_hits(lexicon: LanguageLexicon, prepared: PreparedText) -> list[Hit]:
    """Cues of a text with negation, intensifiers and contrast applied to their weights."""
    tokens, starts, ends, folded = prepared.tokens, prepared.starts, prepared.ends, prepared.folded
    hits: list[Hit] = []
    negated_until = -1       # last token index inside the current negation scope
    negator_at = -1
    scale = 1.0              # pending intensifier / diminisher factor
    scale_until = -1
    contrast_at: list[int] = []
    covered_until = -1       # last token of the latest match: what it contains is not matched again
    cache = lexicon.candidate_cache
    modifiers = lexicon.modifiers
    boundary_search = _BOUNDARY_RE.search
    for position, token in enumerate(tokens):
        # A clause boundary only ends a negation or an intensifier in force; look for one only then.
        if position and (position <= negated_until or position <= scale_until):
            gap_start, gap_end = ends[position - 1], starts[position]
            # Most gaps are one space: test it without the regular expression.
            if gap_end - gap_start == 1:
                boundary = folded[gap_start] in _BOUNDARY_CHARS
            else:
                boundary = gap_end > gap_start and boundary_search(folded, gap_start, gap_end) is not None
            if boundary:
                negated_until = -1
                scale_until = -1
        found = cache.get(token)
        if found is None:
            found = _candidates(lexicon, token)
        # The longest pattern matching here wins; patterns of that length all count ("love": joy, positive).
        # A pattern inside an earlier match is skipped ("polecam" in "nie polecam"); one that reaches
        # past it counts ("czy warto" after "nie wiem czy").
        best: list[Entry] = []
        if found is not _NO_CANDIDATES:
            for entry in _matching_entries(found, tokens, position, covered_until):
                if not best or len(entry.words) > len(best[0].words):
                    best = [entry]
                elif len(entry.words) == len(best[0].words) and all(e.label != entry.label for e in best):
                    best.append(entry)
        if not best:
            if position <= covered_until:
                continue
            modifier = modifiers.get(token)
            if modifier:
                kind, factor = modifier
                if kind == "negator":
                    negated_until, negator_at = position + NEGATION_SCOPE, position
                elif kind == "contrast":
                    contrast_at.append(position)
                    negated_until = -1
                else:
                    scale, scale_until = (factor if factor > 0 else (1.5 if kind == "intensifier" else 0.5),
                                          position + 2)
            continue
        last = position + len(best[0].words) - 1
        factor = scale if position <= scale_until else 1.0
        # A phrase that carries its own negation ("żadnych problemów", "nicio problemă", "nobody answers")
        # is not negated again by one before it: Polish and Romanian stack negators ("nie było żadnych
        # problemów" is one negation, not two), and English rarely does.
        opens_with_negator = modifiers.get(token, ("",))[0] == "negator"
        negated = position <= negated_until and negator_at < position and not opens_with_negator
        # The evidence of "not helpful" is the whole phrase.
        start = starts[negator_at] if negated else starts[position]
        for entry in best:
            hits.append(Hit(entry.label, entry.weight * factor, start, ends[last], negated, position, last))
        covered_until = last
    if contrast_at:
        _weigh_contrast(hits, contrast_at)
    if hits:
        _read_missing_information(hits)
        _weigh_troubled_topics(hits, contrast_at, prepared, lexicon.function_words)
        if any(hit.label == TROUBLE for hit in hits):
            hits = [hit for hit in hits if hit.label != TROUBLE]
        _read_sarcastic_praise(hits, contrast_at, prepared)
    return hits


def _read_missing_information(hits: list[Hit]) -> None:
    """What a product page should say, negated, is the information problem itself: "no measurements anywhere",
    "brak wymiarów", "fără dimensiuni" (other blockers negated are no problem: "no problem with the delivery")."""
    for hit in hits:
        if hit.negated and hit.label == "information_gap" and hit.weight < TOPIC_WEIGHT:
            hit.negated = False
            hit.weight = TROUBLED_TOPIC_WEIGHT


def _read_sarcastic_praise(hits: list[Hit], contrast_at: list[int], prepared: PreparedText) -> None:
    """Praise of a few words that closes a text whose earlier sentences name a company's problem, in a text
    with no contrast word, is sarcasm: "The parcel arrived two weeks late. Great.", "Coletul a ajuns cu o
    săptămână întârziere. Bravo!". It counts as negated praise. "Otherwise great", "overall fine" are none."""
    if not any(hit.label == "positive" and not hit.negated for hit in hits):
        return
    tokens = prepared.tokens
    tail_start = _last_sentence_start(prepared)
    tail = [token for token in tokens[tail_start:] if token not in ("!", "?")]
    if not tail_start or len(tail) > SARCASM_TAIL or any(token in SARCASM_GUARDS for token in tokens):
        return
    if contrast_at:
        return
    tail_hits = [hit for hit in hits if hit.first_token >= tail_start]
    if not tail_hits or any((hit.label != "positive" and hit.label not in POSITIVE_EMOTIONS) or hit.negated
                            for hit in tail_hits):
        return
    if not any(hit.first_token < tail_start and not hit.negated and hit.label in COMPANY_BLOCKER_SET
               and hit.weight >= NAMED_PROBLEM_WEIGHT for hit in hits):
        return
    for hit in tail_hits:
        hit.negated = True


def _weigh_troubled_topics(hits: list[Hit], contrast_at: list[int], prepared: PreparedText,
                           function_words: frozenset[str]) -> None:
    """A topic named next to a problem word is the problem: "the checkout kept failing", "app crashes",
    "stuck in the chat queue".

    Not across a contrast word ("fast delivery, but the app keeps crashing": the delivery is praised), nor
    across a clause ("I paid by card and I'm waiting for the parcel": the card is no problem)."""
    problems = [hit for hit in hits if not hit.negated and hit.label in ("negative", TROUBLE)
                or hit.negated and hit.label == "positive"]
    if not problems:
        return
    topics = [hit for hit in hits if hit.label in BLOCKER_SET and not hit.negated]
    if not topics:
        return
    clauses = clause_numbers(prepared)
    # content_before[i]: how many of the first i tokens are content words.
    content_before = [0]
    for token in prepared.tokens:
        content_before.append(content_before[-1] + (token not in function_words))
    troubled: dict[int, Hit] = {}
    for problem in problems:
        # A problem word is about the nearest topic in reach: "the page goes blank" after "I click on a
        # product" is the page's problem, not the product's.
        in_reach = [(_content_words_between(content_before, topic, problem), index)
                    for index, topic in enumerate(topics)
                    if _share_a_clause(clauses, topic, problem)
                    and not any(min(topic.first_token, problem.first_token) < at
                                < max(topic.last_token, problem.last_token) for at in contrast_at)]
        in_reach = [(distance, index) for distance, index in in_reach if distance < TOPIC_WINDOW]
        if in_reach:
            nearest = min(distance for distance, _index in in_reach)
            troubled.update((index, problem) for distance, index in in_reach if distance == nearest)
    for index, problem in troubled.items():
        topic = topics[index]
        topic.weight = max(topic.weight * 3.0, TROUBLED_TOPIC_WEIGHT)
        # The evidence is the topic with its problem ("support email bounces", not "email"), unless markup
        # stands between them: evidence is shown as the customer's words, never as HTML.
        start, end = min(topic.start, problem.start), max(topic.end, problem.end)
        if not _masked_between(prepared, start, end):
            topic.start, topic.end = start, end
    for problem in troubled.values():
        if problem.label == TROUBLE:
            # A trouble word that names a topic's problem is a mild criticism ("the e-mail bounces").
            problem.label, problem.weight = "negative", TROUBLE_NEGATIVE


def _masked_between(prepared: PreparedText, start: int, end: int) -> bool:
    """Whether markup or a placeholder was masked (turned into spaces) between two offsets."""
    return any(folded == " " and original != " "
               for folded, original in zip(prepared.folded[start:end], prepared.original[start:end]))


def _content_words_between(content_before: list[int], first: Hit, second: Hit) -> int:
    """How many content words stand between two hits (0 when they touch or overlap)."""
    if first.last_token < second.first_token:
        return content_before[second.first_token] - content_before[first.last_token + 1]
    if second.last_token < first.first_token:
        return content_before[first.first_token] - content_before[second.last_token + 1]
    return 0


def _share_a_clause(clauses: list[int], first: Hit, second: Hit) -> bool:
    return not (clauses[first.last_token] < clauses[second.first_token]
                or clauses[second.last_token] < clauses[first.first_token])


def _last_sentence_start(prepared: PreparedText) -> int:
    """The index of the first token of the text's last sentence (after its last ".", "!", "?" or line break)."""
    tokens, starts, ends, folded = prepared.tokens, prepared.starts, prepared.ends, prepared.folded
    last = len(tokens) - 1
    while last > 0 and tokens[last] in ("!", "?"):
        last -= 1
    for position in range(last, 0, -1):
        gap = folded[ends[position - 1]:starts[position]]
        if tokens[position - 1] in ("!", "?") or "." in gap or "\n" in gap:
            return position
    return 0


def _weigh_contrast(hits: list[Hit], contrast_at: list[int]) -> None:
    """After "but", the clause that follows is what the writer means most; what precedes counts less."""
    last_contrast = contrast_at[-1]
    for hit in hits:
        if hit.first_token > last_contrast:
            hit.weight *= 1.5
        else:
            hit.weight *= 0.6


def resolve(hit: Hit) -> tuple[str, float] | None:
    """The label and strength a hit stands for once negation is applied; None when negation voids it."""
    if not hit.negated:
        return hit.label, hit.weight
    if hit.label == "positive":
        return "negative", hit.weight * 0.9      # "not good" is bad
    if hit.label == "negative":
        return "positive", hit.weight * 0.4      # "not bad" is only mildly good
    if hit.label in POSITIVE_EMOTIONS:
        return "disappointment", hit.weight * 0.5  # "not happy with it"
    return None                                   # "no problem with delivery", "not angry"


def squash(total: float) -> float:
    """Map a sum of cue weights to a score in [0, 1): one clear cue ~0.6, two ~0.85."""
    return 1.0 - math.exp(-0.9 * total) if total > 0 else 0.0


__all__ = ["Hit", "LanguageLexicon", "LexiconError", "find_hits", "load_lexicons", "parse_lexicon", "resolve",
           "squash", "NEGATIVE_EMOTIONS"]
