"""Features for the learned models: words, word bigrams, character n-grams, negation-marked words, lexicon.

The same code builds the training matrix (scripts/build_model.py) and the run-time matrix, so the two
cannot drift apart. Strings become column indices through a vocabulary pruned at build time.
"""
import math
from array import array
from collections.abc import Iterable, Iterator

import numpy as np
from scipy import sparse

from webapp.analysis.engine.lexicon import CUE_LABELS, Hit, resolve, squash
from webapp.analysis.engine.text import PreparedText

CHAR_NGRAM_SIZES = (3, 4, 5)
# Lexicon features are language-independent, so what the model learns of them in one language
# (say, Polish trust words) carries over to another (Romanian), where no data teaches it.
LEXICON_FEATURES = tuple(f"lex:{label}" for label in CUE_LABELS) + ("lex:negated",)
NEGATION_WINDOW = 3
# Distinct tokens whose columns are remembered; words follow Zipf's law, so a modest cache serves
# nearly every token of a batch from one dictionary look-up.
TOKEN_CACHE_SIZE = 200_000


def word_features(token: str) -> list[str]:
    """The features a single token gives on its own: itself and its character n-grams."""
    names = [token]
    if len(token) > 2 and token[0].isalpha():
        # Character 3-5-grams of the padded word: inflected Polish and Romanian forms share them.
        padded = f" {token} "
        last = len(padded)
        for size in CHAR_NGRAM_SIZES:
            names.extend(["#" + padded[begin:begin + size] for begin in range(last - size + 1)])
    return names


def context_features(tokens: list[str], negators: frozenset[str]) -> list[str]:
    """Features that depend on neighbours: bigrams and negation-marked words ("!" + word), in text order."""
    names: list[str] = []
    negated_until = -1
    previous = ""
    for position, token in enumerate(tokens):
        if position <= negated_until:
            names.append("!" + token)
        if token in negators:
            negated_until = position + NEGATION_WINDOW
        elif token in "!?":
            negated_until = -1
        if position:
            names.append(previous + " " + token)
        previous = token
    return names


def feature_names(prepared: PreparedText, lang: str, negators: frozenset[str]) -> Iterator[str]:
    """Every feature string of a text (for building the vocabulary)."""
    for token in prepared.tokens:
        yield from word_features(token)
    yield from context_features(prepared.tokens, negators)
    yield "lang=" + lang


def lexicon_vector(hits: list[Hit]) -> dict[str, float]:
    """Summed, squashed cue strengths per label (after negation), keyed like LEXICON_FEATURES."""
    totals: dict[str, float] = {}
    negated = 0
    for hit in hits:
        resolved = resolve(hit)
        negated += hit.negated
        if resolved is None:
            continue
        label, weight = resolved
        totals[label] = totals.get(label, 0.0) + weight
    features = {f"lex:{label}": squash(total) for label, total in totals.items() if total > 0}
    if negated:
        features["lex:negated"] = squash(negated)
    return features


class Featuriser:
    """Turns prepared texts into one sparse matrix per batch (`matrix`, for training) or into its two factors
    (`factors`, for scoring): token columns, then lexicon columns.

    Token features are counts (each distinct word's own columns once, so an n-gram two words share counts
    twice; each distinct bigram once) scaled by 1/sqrt(number of features the text emits, known or not), so
    pruning the vocabulary after training leaves the values of the kept columns unchanged.
    """

    def __init__(self, vocabulary: dict[str, int]):
        self.vocabulary = vocabulary
        self.token_columns = len(vocabulary)
        self.lexicon_columns = {name: self.token_columns + i for i, name in enumerate(LEXICON_FEATURES)}
        self.width = self.token_columns + len(LEXICON_FEATURES)
        self._token_cache: dict[str, tuple[tuple[int, ...], int]] = {}

    def _token(self, token: str) -> tuple[tuple[int, ...], int]:
        """Known columns of a token's own features, and how many features it emits in all."""
        cached = self._token_cache.get(token)
        if cached is None:
            names = word_features(token)
            vocabulary = self.vocabulary
            columns = tuple(dict.fromkeys([column for column in map(vocabulary.get, names) if column is not None]))
            cached = (columns, len(names))
            if len(self._token_cache) >= TOKEN_CACHE_SIZE:
                self._token_cache.clear()
            self._token_cache[token] = cached
        return cached

    def token_columns_of(self, token: str) -> tuple[int, ...]:
        """Known columns of a token's own features (itself and its character n-grams)."""
        return self._token(token)[0]

    def _negated_context(self, tokens: list[str], negators: frozenset[str]) -> tuple[list[int], int]:
        """Known columns of a text's bigrams and negation-marked words (as context_features names them, in
        its order), and how many negation-marked words it emits."""
        names = context_features(tokens, negators)
        context = [column for column in map(self.vocabulary.get, names) if column is not None]
        negated = len(names) - max(len(tokens) - 1, 0)  # the names beyond one bigram per pair of neighbours
        return context, negated

    def _parts(self, prepared: PreparedText, lang: str, hits: list[Hit], negators: frozenset[str]
               ) -> tuple[dict[str, tuple[tuple[int, ...], int]], float, list[int], list[tuple[int, float]]]:
        """One text's features in parts: its distinct tokens with their known columns, the norm that its token
        and context columns take, its known context columns, and its other (column, value) entries (the
        language's bias and the lexicon features)."""
        tokens = prepared.tokens
        token_cache = self._token_cache
        per_token = [token_cache.get(token) or self._token(token) for token in tokens]
        # One bigram per pair of neighbours, plus what each token emits.
        emitted = len(tokens) - 1 if tokens else 0
        emitted += sum([count for _columns, count in per_token])
        if negators.isdisjoint(tokens):
            # Most texts have no negator: their context is their bigrams alone.
            context = [column for column in map(self.vocabulary.get, [first + " " + second for first, second
                                                                      in zip(tokens, tokens[1:])])
                       if column is not None]
        else:
            context, negated = self._negated_context(tokens, negators)
            emitted += negated
        others: list[tuple[int, float]] = []
        bias_column = self.vocabulary.get("lang=" + lang)
        if bias_column is not None:
            others.append((bias_column, 1.0))
        if hits:
            others.extend((self.lexicon_columns[name], value) for name, value in lexicon_vector(hits).items())
        # A repeated token counts once, and a repeated bigram; an n-gram two words share counts twice.
        return (dict(zip(tokens, per_token)), 1.0 / math.sqrt(emitted) if emitted else 0.0,
                list(dict.fromkeys(context)), others)

    def matrix(self, texts: Iterable[tuple[PreparedText, str, list[Hit], frozenset[str]]]) -> sparse.csr_matrix:
        """CSR matrix of a batch: one row per text (what the models are trained on)."""
        rows = _SparseRows()
        for text in texts:
            distinct, norm, context, others = self._parts(*text)
            columns: list[int] = []
            for token_columns, _count in distinct.values():
                columns.extend(token_columns)
            rows.add(columns + context, norm, others)
        matrix = rows.matrix(self.width)
        matrix.sum_duplicates()
        return matrix

    def factors(self, texts: Iterable[tuple[PreparedText, str, list[Hit], frozenset[str]]]
                ) -> tuple[list[str], sparse.csr_matrix, sparse.csr_matrix]:
        """The batch's matrix in two factors, for scoring: `matrix @ W == by_token @ V + rest @ W`, where V
        has one row per distinct token of the batch (the first result), its columns' weights summed.

        A word's summed weights serve every text it is in, so each text costs a row of its distinct words,
        not of their dozens of character n-grams."""
        token_ids: dict[str, int] = {}
        by_token = _SparseRows()
        rest = _SparseRows()
        for text in texts:
            distinct, norm, context, others = self._parts(*text)
            by_token.add([token_ids.setdefault(token, len(token_ids)) for token in distinct], norm, [])
            rest.add(context, norm, others)
        return list(token_ids), by_token.matrix(len(token_ids)), rest.matrix(self.width)


class _SparseRows:
    """A CSR matrix built row by row. Values come in runs (a text's token columns all share its norm): one value
    and length per run."""

    def __init__(self):
        self.indptr = [0]
        self.indices = array("i")
        self.run_values: list[float] = []
        self.run_lengths: list[int] = []

    def add(self, columns: list[int], value: float, others: list[tuple[int, float]]) -> None:
        """A row: `columns` at `value`, then each of `others` at its own value."""
        self.indices.extend(columns)
        self.run_values.append(value)
        self.run_lengths.append(len(columns))
        for column, other_value in others:
            self.indices.append(column)
            self.run_values.append(other_value)
            self.run_lengths.append(1)
        self.indptr.append(len(self.indices))

    def matrix(self, width: int) -> sparse.csr_matrix:
        values = np.repeat(np.asarray(self.run_values, dtype=np.float32), self.run_lengths)
        indices = np.frombuffer(self.indices, dtype=np.int32) if self.indices else np.zeros(0, np.int32)
        return sparse.csr_matrix((values, indices, np.asarray(self.indptr, dtype=np.int64)),
                                 shape=(len(self.indptr) - 1, width))
