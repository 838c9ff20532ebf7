"""Text preparation: length-preserving folding, HTML and placeholder masking, truncation and tokenisation with spans.

Every transformation here keeps the text's length, so a character offset found in the prepared text
is an offset into the original text and evidence spans stay valid.
"""
import re
import unicodedata
from dataclasses import dataclass, field

# Long answers are cut to this many characters: labels of a 100 KB paste are decided by its start,
# and a bounded length keeps one pathological answer from slowing the whole batch.
MAX_CHARS = 6000


def _folding_table() -> dict[int, str]:
    """Map each upper-case or accented letter to its lower-case base letter, one character to one."""
    table: dict[int, str] = {}
    ranges = [(0x41, 0x5A), (0xC0, 0x24F), (0x370, 0x3FF), (0x400, 0x52F), (0x1E00, 0x1EFF)]
    for low, high in ranges:
        for code in range(low, high + 1):
            char = chr(code)
            base = "".join(c for c in unicodedata.normalize("NFKD", char.lower())
                           if not unicodedata.combining(c))
            if len(base) == 1 and base != char:
                table[code] = base
    # Letters whose stroke is not a combining mark in Unicode.
    for char, base in {"ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "ı": "i"}.items():
        table[ord(char)] = base
    for char in "’‘`´ʼ":
        table[ord(char)] = "'"
    return table


FOLD_TABLE = _folding_table()

_TAG_RE = re.compile(r"<!--.*?-->|<(?:script|style)\b.*?</(?:script|style)\s*>|</?[a-zA-Z][^<>]{0,500}>|&#?\w{1,8};",
                     re.S | re.I)
# Placeholders that anonymised exports put where a name or link was ("[NAME]", "<|PERSON|>", "<|URL|>"): not the
# customer's words, and a model that read them would learn which data set a text came from.
_PLACEHOLDER_RE = re.compile(r"<\|[A-Z_]{1,20}\|>|\[[A-Z_]{2,20}\]")

# Emoji and pictographs are tokens of their own: they carry emotion (😡, 😍, 👍).
_EMOJI = "\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\u2B55\u2764"
TOKEN_RE = re.compile(
    rf"[^\W\d_]+(?:'[^\W\d_]+)*"  # words; apostrophes inside (don't, it's) stay
    rf"|[{_EMOJI}]"
    r"|(?<![\w:;])[:;=]-?[()\[\]dp/|*]+(?!\w)|<3"  # emoticons (after folding, so ':D' reads ':d')
    r"|[!?]"
)
_LETTER_RE = re.compile(r"[^\W\d_]")
_EMOJI_RE = re.compile(rf"[{_EMOJI}]")
_GARBAGE_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffd\ue000-\uf8ff]")


@dataclass(slots=True)
class PreparedText:
    """A text ready for labelling: folded copy (same length as the original) and its tokens."""

    original: str
    folded: str
    tokens: list[str]
    starts: list[int]
    ends: list[int]
    truncated: bool
    # Filled by clause_numbers() the first time it is asked (several rules read them; most texts need none).
    clauses: list[int] | None = field(default=None, repr=False, compare=False)


def _spaces(match: re.Match) -> str:
    return " " * len(match.group())


def mask_markup(text: str) -> str:
    """Replace HTML tags, entities and anonymisation placeholders by spaces of equal length, so offsets still
    point into the original."""
    if "<" in text or "&" in text:
        text = _TAG_RE.sub(_spaces, text)
    if "[" in text or "<" in text:
        text = _PLACEHOLDER_RE.sub(_spaces, text)
    return text


def unlabelable_reason(text: str) -> str | None:
    """Why a text cannot be labelled (in English), or None when it can."""
    if not text or text.isspace():
        return "empty text"
    sample = text[:MAX_CHARS]
    garbage = len(_GARBAGE_RE.findall(sample))
    if garbage and garbage * 10 >= len(sample.strip()):
        return "looks like binary data, not text"
    if not _LETTER_RE.search(sample) and not _EMOJI_RE.search(sample):
        return "no words to label"
    return None


def prepare(text: str) -> PreparedText:
    """Truncate, mask HTML, fold and tokenise a text."""
    truncated = len(text) > MAX_CHARS
    if truncated:
        cut = text.rfind(" ", MAX_CHARS - 200, MAX_CHARS)
        text = text[: cut if cut > 0 else MAX_CHARS]
    folded = mask_markup(text).translate(FOLD_TABLE)
    tokens: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for match in TOKEN_RE.finditer(folded):
        tokens.append(match.group())
        start, end = match.span()
        starts.append(start)
        ends.append(end)
    return PreparedText(text, folded, tokens, starts, ends, truncated)


_CLAUSE_BREAK = frozenset(".,;:!?\n")
# Conjunctions that join clauses, folded (en, pl, ro): "the price was unclear and the parcel came late".
_CLAUSE_CONJUNCTIONS = frozenset({"and", "but", "also", "plus", "i", "a", "ale", "oraz", "takze", "si", "dar", "iar"})


def clause_numbers(prepared: PreparedText) -> list[int]:
    """For each token, the number of the clause it is in: a clause ends at . , ; : ! ? or a line break, and
    a conjunction such as "and", "ale", "dar" begins a new one. ("!" and "?" are tokens of their own.)"""
    if prepared.clauses is not None:
        return prepared.clauses
    numbers, clause = [], 0
    tokens = prepared.tokens
    for position, start in enumerate(prepared.starts):
        if position and (tokens[position] in _CLAUSE_CONJUNCTIONS or tokens[position - 1] in ("!", "?") or any(
                char in _CLAUSE_BREAK for char in prepared.folded[prepared.ends[position - 1]:start])):
            clause += 1
        numbers.append(clause)
    prepared.clauses = numbers
    return numbers
