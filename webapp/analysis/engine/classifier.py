"""The classifier: language, valence, emotions, blockers, complaint and evidence for each text."""
import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from webapp.analysis.engine.features import Featuriser
from webapp.analysis.engine.labels import (
    BLOCKERS, COMPANY_BLOCKERS, EMOTIONS, NEGATIVE_EMOTIONS, POSITIVE_EMOTIONS, SUPPORTED_LANGUAGES,
)
from webapp.analysis.engine.language import detect_language
from webapp.analysis.engine.lexicon import Hit, LanguageLexicon, resolve, squash
from webapp.analysis.engine.model import Model
from webapp.analysis.engine.text import PreparedText, prepare, unlabelable_reason

# How many top-weighted words explain a learned label that no lexicon cue supports.
EVIDENCE_WORDS = 2
_EMPTY_LEXICON = LanguageLexicon()


@dataclass(slots=True)
class Analysed:
    """A text after the language-level steps, before the learned models."""

    prepared: PreparedText
    lang: str
    hits: list[Hit]
    negators: frozenset[str]


def negators_of(lexicon: LanguageLexicon) -> frozenset[str]:
    """The negation words of a language's lexicon."""
    return frozenset(word for word, (kind, _factor) in lexicon.modifiers.items() if kind == "negator")


def analyse(text: str, lang: str | None, lexicons: dict[str, LanguageLexicon],
            language_words: dict[str, dict[str, float]] | None = None) -> Analysed | None:
    """Prepare, detect the language of and find lexicon cues in a labelable text (None if unsupported)."""
    prepared = prepare(text)
    if lang not in SUPPORTED_LANGUAGES:
        lang = detect_language(prepared.folded, prepared.tokens, lang, language_words)
    if lang not in SUPPORTED_LANGUAGES:
        return Analysed(prepared, lang, [], frozenset())
    lexicon = lexicons.get(lang, _EMPTY_LEXICON)
    from webapp.analysis.engine.lexicon import find_hits

    return Analysed(prepared, lang, find_hits(lexicon, prepared), negators_of(lexicon))


def _rescale(probability: float, threshold: float) -> float:
    """Map a probability so that the label's threshold lands on 0.5: scores read alike for every label."""
    if probability < threshold:
        return 0.5 * probability / threshold
    return 0.5 + 0.5 * (probability - threshold) / (1.0 - threshold)


class Classifier:
    """Labels texts with the shipped model and lexicons; see `classify` for the result's shape."""

    def __init__(self, model: Model, lexicons: dict[str, LanguageLexicon], lexicon_digest: str = ""):
        self.model = model
        self.lexicons = lexicons
        self.featuriser = Featuriser({name: i for i, name in enumerate(model.vocabulary)})
        # Token columns first, then the lexicon columns of the featuriser, as at build time.
        self.weights = np.ascontiguousarray(model.weights, dtype=np.float32)
        self.intercepts = model.intercepts
        self.output_index = {name: i for i, name in enumerate(model.outputs)}
        release = model.meta.get("release", "0")
        self.version = f"{release}-{hashlib.sha256((model.digest + lexicon_digest).encode()).hexdigest()[:8]}"

    # -- public API -------------------------------------------------------------------------------------

    def classify(self, text: str, lang: str | None = None) -> dict:
        """Labels of one text: the CONTRACTS.md output shape without "id"."""
        return self.classify_many([(text, lang)])[0]

    def classify_many(self, items: Iterable[tuple[str, str | None]]) -> list[dict]:
        """Labels of many texts, computed with one matrix product for the batch."""
        results: list[dict | None] = []
        pending: list[tuple[int, Analysed]] = []
        for text, lang in items:
            text = text if isinstance(text, str) else ""
            lang = lang.strip().lower() if isinstance(lang, str) and lang.strip() else None
            reason = unlabelable_reason(text)
            if reason is not None:
                results.append(self._unlabelable(reason))
                continue
            analysed = analyse(text, lang, self.lexicons, self.model.language_words)
            if analysed.lang not in SUPPORTED_LANGUAGES:
                results.append(self._unsupported(analysed.lang, analysed.prepared.truncated))
                continue
            results.append(None)
            pending.append((len(results) - 1, analysed))
        if pending:
            rows = [(a.prepared, a.lang, a.hits, a.negators) for _i, a in pending]
            matrix, positions = self.featuriser.matrix(rows, keep_positions=True)
            logits = matrix @ self.weights + self.intercepts
            probabilities = 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))
            for row, (index, analysed) in enumerate(pending):
                results[index] = self._labels(analysed, probabilities[row], matrix, row, positions[row])
        return results  # type: ignore[return-value]

    # -- one text -----------------------------------------------------------------------------------------

    def _empty(self) -> dict:
        return {
            "lang": "und", "supported": False, "valence": 0.0, "emotions": [],
            "scores": dict.fromkeys(EMOTIONS, 0.0), "blockers": [], "blocker_scores": dict.fromkeys(BLOCKERS, 0.0),
            "complaint": False, "evidence": [], "model": self.version,
        }

    def _unlabelable(self, reason: str) -> dict:
        return {**self._empty(), "unlabelable": reason}

    def _unsupported(self, lang: str, truncated: bool) -> dict:
        result = {**self._empty(), "lang": lang}
        if truncated:
            result["truncated"] = True
        return result

    def _learned(self, output: str, lang: str, probabilities: np.ndarray) -> float | None:
        """Score in [0, 1] of a learned output, rescaled so 0.5 is its threshold; None if not learned here."""
        column = self.output_index.get(output)
        if column is None or lang not in self.model.trained_languages.get(output, ()):
            return None
        threshold = self.model.thresholds.get(output, {}).get(lang, 0.5)
        return _rescale(float(probabilities[column]), threshold)

    def _labels(self, analysed: Analysed, probabilities: np.ndarray, matrix, row: int,
                positions: list[tuple[int, int]]) -> dict:
        lang, prepared = analysed.lang, analysed.prepared
        cue_totals: dict[str, float] = {}
        cue_hits: dict[str, list[Hit]] = {}
        for hit in analysed.hits:
            resolved = resolve(hit)
            label = resolved[0] if resolved else None
            if resolved:
                cue_totals[label] = cue_totals.get(label, 0.0) + resolved[1]
                cue_hits.setdefault(label, []).append(hit)

        scores: dict[str, float] = {}
        learned_labels: set[str] = set()
        for emotion in EMOTIONS:
            learned = self._learned("emotion:" + emotion, lang, probabilities)
            lexical = squash(cue_totals.get(emotion, 0.0))
            if learned is None:
                scores[emotion] = lexical
            else:
                # The learned model already sees the lexicon; a strong cue still lifts a timid model.
                scores[emotion] = max(learned, 0.8 * lexical)
                learned_labels.add(emotion)
        blocker_scores: dict[str, float] = {}
        for blocker in BLOCKERS:
            learned = self._learned("blocker:" + blocker, lang, probabilities)
            lexical = squash(cue_totals.get(blocker, 0.0))
            blocker_scores[blocker] = lexical if learned is None else max(learned, lexical)
            if learned is not None:
                learned_labels.add(blocker)

        valence = self._valence(lang, probabilities, cue_totals, scores)
        emotions = [e for e in EMOTIONS if scores[e] >= 0.5]
        blockers = [b for b in BLOCKERS if blocker_scores[b] >= 0.5]
        complaint, complaint_hits = self._complaint(analysed, valence, blocker_scores, cue_totals, cue_hits)

        evidence: list[dict] = []
        original = prepared.original

        def add(label: str, start: int, end: int) -> None:
            evidence.append({"label": label, "start": start, "end": end, "text": original[start:end]})

        for label in emotions + blockers:
            if cue_hits.get(label):
                for hit in cue_hits[label]:
                    add(label, hit.start, hit.end)
            elif label in learned_labels:
                for start, end in self._top_words(label, lang, matrix, row, positions, prepared):
                    add(label, start, end)
        for label in ("positive", "negative"):
            for hit in cue_hits.get(label, ()):
                add(label, hit.start, hit.end)
        if complaint:
            for hit in complaint_hits:
                add("complaint", hit.start, hit.end)
        evidence.sort(key=lambda item: (item["start"], item["end"], item["label"]))

        result = {
            "lang": lang, "supported": True, "valence": valence, "emotions": emotions,
            "scores": {e: round(min(max(scores[e], 0.0), 1.0), 3) for e in EMOTIONS},
            "blockers": blockers,
            "blocker_scores": {b: round(min(max(blocker_scores[b], 0.0), 1.0), 3) for b in BLOCKERS},
            "complaint": complaint, "evidence": evidence, "model": self.version,
        }
        if prepared.truncated:
            result["truncated"] = True
        return result

    def _valence(self, lang: str, probabilities: np.ndarray, cue_totals: dict[str, float],
                 scores: dict[str, float]) -> float:
        """Learned polarity blended with the lexicon's, scaled by how likely the text is polar at all."""
        settings = self.model.meta.get("valence", {}).get(lang, {"learned": 1.0, "lexicon": 1.0})
        column = self.output_index.get("valence:positive")
        learned = 0.0
        if column is not None and lang in self.model.trained_languages.get("valence:positive", ()):
            probability = float(probabilities[column])
            learned = math.log(max(probability, 1e-6) / max(1.0 - probability, 1e-6))
        lexical = cue_totals.get("positive", 0.0) - cue_totals.get("negative", 0.0)
        lexical += 0.5 * sum(cue_totals.get(e, 0.0) for e in POSITIVE_EMOTIONS)
        lexical -= 0.5 * sum(cue_totals.get(e, 0.0) for e in NEGATIVE_EMOTIONS)
        logit = settings["learned"] * learned + settings["lexicon"] * lexical + settings.get("bias", 0.0)
        polar_column = self.output_index.get("valence:polar")
        polar = 1.0
        if polar_column is not None and lang in self.model.trained_languages.get("valence:polar", ()):
            polar = 0.4 + 0.6 * float(probabilities[polar_column])
        valence = round(math.tanh(logit / 2.0) * polar, 3)
        if valence == 0.0 and logit != 0.0:
            valence = 0.001 if logit > 0 else -0.001  # the sign is the prediction; rounding must not erase it
        return valence

    def _complaint(self, analysed: Analysed, valence: float, blocker_scores: dict[str, float],
                   cue_totals: dict[str, float], cue_hits: dict[str, list[Hit]]) -> tuple[bool, list[Hit]]:
        """A complaint is negative and names a problem: a company-side blocker or a complaint cue."""
        settings = self.model.meta.get("complaint", {})
        company = max(blocker_scores[b] for b in COMPANY_BLOCKERS)
        cue = squash(cue_totals.get("complaint", 0.0))
        negativity = max(-valence, 0.0)
        addressed = any(token.startswith("@") for token in analysed.prepared.tokens[:3]) or \
            "@" in analysed.prepared.original[:40]
        score = (settings.get("bias", -1.2) + settings.get("negativity", 2.2) * negativity
                 + settings.get("company", 1.4) * company + settings.get("cue", 1.8) * cue
                 + settings.get("addressed", 0.3) * addressed * (valence < 0))
        if score <= 0:
            return False, []
        hits = list(cue_hits.get("complaint", ()))
        if not hits:
            hits = list(cue_hits.get("negative", ()))
        return True, hits

    def _top_words(self, label: str, lang: str, matrix, row: int, positions: list[tuple[int, int]],
                   prepared: PreparedText) -> list[tuple[int, int]]:
        """Spans of the words that pushed a learned label up the most in this text."""
        output = ("emotion:" if label in EMOTIONS else "blocker:") + label
        column = self.output_index[output]
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        values = dict(zip(matrix.indices[start:end].tolist(), matrix.data[start:end].tolist()))
        ranked = sorted(((self.weights[c, column] * values.get(c, 0.0), p) for c, p in positions),
                        reverse=True)
        spans: list[tuple[int, int]] = []
        used: set[int] = set()
        for contribution, position in ranked:
            if contribution <= 0 or len(spans) >= EVIDENCE_WORDS:
                break
            if position in used or prepared.tokens[position] in ("!", "?"):
                continue
            used.add(position)
            spans.append((prepared.starts[position], prepared.ends[position]))
        return spans
