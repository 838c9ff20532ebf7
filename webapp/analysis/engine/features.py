"""Features for the learned models: word 1-2-grams, stems and negation-marked words, plus lexicon scores.

The same code builds the training matrix (scripts/build_model.py) and the run-time matrix, so the two
cannot drift apart. Strings become column indices through a vocabulary pruned at build time.
"""
import math
from collections.abc import Iterable, Iterator

import numpy as np
from scipy import sparse

from webapp.analysis.engine.lexicon import CUE_LABELS, Hit, LanguageLexicon, resolve, squash
from webapp.analysis.engine.text import PreparedText

CHAR_NGRAM_SIZES = (3, 4, 5)
# Lexicon features are language-independent, so what the model learns of them in one language
# (say, Polish trust words) carries over to another (Romanian), where no data teaches it.
LEXICON_FEATURES = tuple(f"lex:{label}" for label in CUE_LABELS) + ("lex:negated",)


def token_features(prepared: PreparedText, lang: str, negators: frozenset[str]) -> Iterator[tuple[str, int]]:
    """Feature strings of a text with the index of the token each starts at (for evidence)."""
    tokens = prepared.tokens
    negated_until = -1
    previous = "<s>"
    for position, token in enumerate(tokens):
        yield token, position
        if len(token) > 2 and token[0].isalpha():
            # Character 3-5-grams of the padded word: inflected Polish and Romanian forms share them.
            padded = f" {token} "
            last = len(padded)
            for size in CHAR_NGRAM_SIZES:
                for begin in range(last - size + 1):
                    yield "#" + padded[begin:begin + size], position
        if position <= negated_until:
            yield "!" + token, position
        if token in negators:
            negated_until = position + 3
        elif token in "!?":
            negated_until = -1
        if position:
            yield previous + " " + token, position - 1
        previous = token
    yield "lang=" + lang, -1


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
    """Turns prepared texts into one sparse matrix per batch: token columns, then lexicon columns."""

    def __init__(self, vocabulary: dict[str, int]):
        self.vocabulary = vocabulary
        self.token_columns = len(vocabulary)
        self.lexicon_columns = {name: self.token_columns + i for i, name in enumerate(LEXICON_FEATURES)}
        self.width = self.token_columns + len(LEXICON_FEATURES)

    def matrix(self, texts: Iterable[tuple[PreparedText, str, list[Hit], frozenset[str]]],
               keep_positions: bool = False) -> tuple[sparse.csr_matrix, list[list[tuple[int, int]]]]:
        """CSR matrix for a batch, and per row the (column, token index) pairs of its token features."""
        vocabulary = self.vocabulary
        indptr = [0]
        indices: list[int] = []
        values: list[float] = []
        positions: list[list[tuple[int, int]]] = []
        for prepared, lang, hits, negators in texts:
            seen: dict[int, int] = {}
            names: set[str] = set()
            for name, position in token_features(prepared, lang, negators):
                names.add(name)
                column = vocabulary.get(name)
                if column is not None and column not in seen:
                    seen[column] = position
            bias_column = vocabulary.get("lang=" + lang)
            # Normalised by every feature the text has, known or not, so that pruning the vocabulary
            # after training leaves the values of the kept columns unchanged.
            count = len(names) - 1
            norm = 1.0 / math.sqrt(count) if count > 0 else 0.0
            for column in seen:
                indices.append(column)
                values.append(1.0 if column == bias_column else norm)
            for name, value in lexicon_vector(hits).items():
                indices.append(self.lexicon_columns[name])
                values.append(value)
            indptr.append(len(indices))
            if keep_positions:
                positions.append([(column, position) for column, position in seen.items() if position >= 0])
        matrix = sparse.csr_matrix(
            (np.asarray(values, dtype=np.float32), np.asarray(indices, dtype=np.int32),
             np.asarray(indptr, dtype=np.int64)),
            shape=(len(indptr) - 1, self.width))
        return matrix, positions
