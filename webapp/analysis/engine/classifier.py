"""The classifier: language, valence, emotions, blockers, complaint and evidence for each text."""
import hashlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from webapp.analysis.engine.features import Featuriser
from webapp.analysis.engine.labels import (
    BLOCKERS, COMPANY_BLOCKERS, CUSTOMER_BLOCKERS, EMOTIONS, NEGATIVE_EMOTIONS, POSITIVE_EMOTIONS,
    SUPPORTED_LANGUAGES,
)
from webapp.analysis.engine.language import detect_language
from webapp.analysis.engine.lexicon import Hit, LanguageLexicon, resolve, squash
from webapp.analysis.engine.model import Model
from webapp.analysis.engine.text import PreparedText, clause_numbers, prepare, unlabelable_reason

# How many top-weighted words explain a learned label that no lexicon cue supports.
EVIDENCE_WORDS = 2
LABELS = EMOTIONS + BLOCKERS
LABEL_INDEX = {label: i for i, label in enumerate(LABELS)}
# Distinct words whose summed weights are remembered (as for the featuriser's token cache, Zipf's law makes a
# modest cache serve nearly every word; ~190 bytes a word).
WORD_CACHE_SIZE = 100_000
# A problem (company-side blocker or trust concern) below this share of the text's strongest one is not shown
# (see Classifier._hold_back_minor_problems).
PROBLEM_RATIO = 0.9
# A learned company-side blocker this sure (rescaled: 0.5 is its threshold, so: predicted) holds back the
# lexicon's second reading of the same text (banking dev: flat from 0.5 to 0.6, lower from 0.7).
LEARNED_PROBLEM = 0.5
# Valence above which a learned company-side blocker needs a lexicon cue to be shown: higher than for
# emotions, since a polite banking question ("thanks, how do I...") reads mildly positive (dev: at 0.3 banking
# blockers lose 0.013 of macro-F1, at 0.5 one record).
PROBLEM_CONTRADICTION = 0.5
# The customer's own reasons to wait, which are no complaint against the company (see Classifier._complaint).
DECISION_BLOCKERS = tuple(b for b in CUSTOMER_BLOCKERS if b != "trust_concern")
# Emotions aimed at someone, which a customer's own reason to wait does not show without a word for them.
HOSTILE_EMOTIONS = ("anger", "disgust")
# Positive cue strength that makes a positive statement praise (one "quick", "friendly", "helpful").
PRAISE_CUE = 0.3
# A text addressed to someone ("@Chase my card got declined") leans to a complaint unless it reads as praise:
# a faintly positive learned valence (up to this) is no praise.
ADDRESSED_PRAISE = 0.2
# Valence above which a learned negative emotion needs a lexicon cue to be shown.
CONTRADICTION = 0.3
# A learned positive emotion needs a text that reads positive at all: Polish review sentences, the learned
# model's data, are mostly praise, so it read joy into "Płaciłem kartą" (valence -0.17). Dev: CLARIN
# sentences 0.5937 -> 0.5922, reviews 0.5233 -> 0.5250, RED v2 0.5470 -> 0.5491, GoEmotions unchanged
# (at -0.3, as for the other contradictions, the neutral sentences kept their joy).
POSITIVE_EMOTION_VALENCE = 0.0
_EMPTY_LEXICON = LanguageLexicon()


@dataclass(slots=True)
class Analysed:
    """A text after the language-level steps, before the learned models."""

    prepared: PreparedText
    lang: str
    hits: list[Hit]
    negators: frozenset[str]


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

    return Analysed(prepared, lang, find_hits(lexicon, prepared), lexicon.negators)


class Classifier:
    """Labels texts with the shipped model and lexicons; see `classify` for the result's shape."""

    def __init__(self, model: Model, lexicons: dict[str, LanguageLexicon], lexicon_digest: str = "",
                 version: str | None = None):
        self.model = model
        self.lexicons = lexicons
        self.featuriser = Featuriser({name: i for i, name in enumerate(model.vocabulary)})
        # Token columns first, then the lexicon columns of the featuriser, as at build time.
        self.weights = np.ascontiguousarray(model.weights, dtype=np.float32)
        self.intercepts = model.intercepts
        self.output_index = {name: i for i, name in enumerate(model.outputs)}
        release = model.meta.get("release", "0")
        self.lexicon_digest = lexicon_digest
        self.version = version or \
            f"{release}-{hashlib.sha256((model.digest + lexicon_digest).encode()).hexdigest()[:8]}"
        self._prepare_label_tables()
        self._word_weight_cache: dict[str, array] = {}

    def _prepare_label_tables(self) -> None:
        """Per language: which of the 28 labels a learned output covers, and its threshold."""
        outputs = [("emotion:" if label in EMOTIONS else "blocker:") + label for label in LABELS]
        columns = [self.output_index.get(output, -1) for output in outputs]
        self._label_columns = np.array([max(column, 0) for column in columns])
        self._label_of_column = {column: LABELS[i] for i, column in enumerate(columns) if column >= 0}
        self._learned_mask = np.zeros((len(SUPPORTED_LANGUAGES), len(LABELS)), bool)
        self._thresholds = np.full((len(SUPPORTED_LANGUAGES), len(LABELS)), 0.5, np.float32)
        for row, lang in enumerate(SUPPORTED_LANGUAGES):
            for i, output in enumerate(outputs):
                if columns[i] >= 0 and lang in self.model.trained_languages.get(output, ()):
                    self._learned_mask[row, i] = True
                    self._thresholds[row, i] = self.model.thresholds.get(output, {}).get(lang, 0.5)
        self._company_columns = np.array([LABEL_INDEX[label] for label in COMPANY_BLOCKERS])
        self._problem_labels = tuple(COMPANY_BLOCKERS) + ("trust_concern",)
        self._problem_columns = np.array([LABEL_INDEX[label] for label in self._problem_labels])
        self._decision_columns = np.array([LABEL_INDEX[label] for label in DECISION_BLOCKERS])
        self._positive_label = np.array([label in POSITIVE_EMOTIONS for label in LABELS])
        self._negative_label = np.array([label in NEGATIVE_EMOTIONS for label in LABELS])
        self._company_label = np.array([label in COMPANY_BLOCKERS for label in LABELS])
        self._hostile_label = np.array([label in HOSTILE_EMOTIONS for label in LABELS])
        # Strong lexicon cues may lift a learned label the model scored timidly, by a share per family.
        share = self.model.meta.get("cue_share", {})
        short_share = self.model.meta.get("cue_share_short", {})
        # A text of a few tokens ("😡", "great, thanks") gives the learned model little to read, so its cues
        # may count for more there than in a longer text, where they compete with context the model weighs.
        long_shares = [share.get("emotion", 0.8) if label in EMOTIONS else share.get("blocker", 1.0)
                       for label in LABELS]
        short_shares = [short_share.get("emotion", long) if label in EMOTIONS else short_share.get("blocker", long)
                        for label, long in zip(LABELS, long_shares)]
        self._cue_share = np.tile(np.array(long_shares, np.float32), (len(SUPPORTED_LANGUAGES), 1))
        self._short_cue_share = np.tile(np.array(short_shares, np.float32), (len(SUPPORTED_LANGUAGES), 1))
        # Outputs that staff corrections taught a language the shipped model had no data in keep the
        # lexicon's full say there, as before (see engine/adaptation.py).
        for output, langs in self.model.meta.get("full_cues", {}).items():
            label = output.split(":", 1)[1]
            for lang in langs:
                if label in LABEL_INDEX and lang in SUPPORTED_LANGUAGES:
                    row, column = SUPPORTED_LANGUAGES.index(lang), LABEL_INDEX[label]
                    self._cue_share[row, column] = self._short_cue_share[row, column] = 1.0
        self._short_text_tokens = int(self.model.meta.get("short_text_tokens", 0))

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
            for index, result in zip((i for i, _a in pending), self._label_batch([a for _i, a in pending])):
                results[index] = result
        return results  # type: ignore[return-value]

    # -- a batch of supported texts ---------------------------------------------------------------------

    def _label_batch(self, batch: list[Analysed]) -> list[dict]:
        logits = self._logits(batch)
        probabilities = 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))
        languages = np.array([SUPPORTED_LANGUAGES.index(a.lang) for a in batch])

        cue_totals: list[dict[str, float]] = []
        cue_hits: list[dict[str, list[Hit]]] = []
        cue_matrix = np.zeros((len(batch), len(LABELS)), np.float32)
        for row, analysed in enumerate(batch):
            totals: dict[str, float] = {}
            hits: dict[str, list[Hit]] = {}
            for hit in analysed.hits:
                resolved = resolve(hit)
                if resolved and resolved[1] > 0:  # weight 0: a phrase kept from counting (greetings)
                    totals[resolved[0]] = totals.get(resolved[0], 0.0) + resolved[1]
                    hits.setdefault(resolved[0], []).append(hit)
            for label, total in totals.items():
                column = LABEL_INDEX.get(label)
                if column is not None:
                    cue_matrix[row, column] = total
            cue_totals.append(totals)
            cue_hits.append(hits)
        cues = 1.0 - np.exp(-0.9 * np.maximum(cue_matrix, 0.0))  # lexicon.squash, for the whole batch

        learned = probabilities[:, self._label_columns]
        thresholds = self._thresholds[languages]
        rescaled = np.where(learned < thresholds, 0.5 * learned / thresholds,
                            0.5 + 0.5 * (learned - thresholds) / (1.0 - thresholds))
        learned_mask = self._learned_mask[languages]
        valences = self._valences(probabilities, languages, cue_totals)
        # A learned label that contradicts the text's valence, with no lexicon cue of its own, is held below
        # its threshold: "not bad at all" is no anger, "I must ask my wife" no joy, and "no problems with the
        # delivery, it came on time" no delivery problem (company-side blockers are problems).
        against = np.outer(valences < POSITIVE_EMOTION_VALENCE, self._positive_label) | \
            np.outer(valences > CONTRADICTION, self._negative_label) | \
            np.outer(valences > PROBLEM_CONTRADICTION, self._company_label)
        # A statement that praises and names no problem ("the delivery was quick and the courier friendly")
        # is no company-side problem, however much its topic words look like banking complaints. A question
        # or any negative cue keeps the learned blocker (dev banking: unchanged; valence alone cost 0.02).
        praise = np.array([valence > 0 and totals.get("positive", 0.0) >= PRAISE_CUE
                           and not totals.get("negative") and not totals.get("complaint")
                           and "?" not in analysed.prepared.original
                           for valence, totals, analysed in zip(valences.tolist(), cue_totals, batch)])
        against |= np.outer(praise, self._company_label)
        # A customer who names their own reason to wait ("we'll come back to it after the holidays", "I can't
        # tell what we would gain") names no problem of the company's that no cue of its own shows, and is not
        # angry or disgusted without a word that says so or a complaint ("Szef musi to zatwierdzić" read as anger).
        deciding = (cues[:, self._decision_columns] >= 0.5).any(axis=1)
        against |= np.outer(deciding, self._company_label)
        calm = np.array([not totals.get("negative") and not totals.get("complaint") for totals in cue_totals])
        against |= np.outer(deciding & calm, self._hostile_label)
        rescaled = np.where(against & (cues < 0.3), np.minimum(rescaled, 0.49), rescaled)
        short = np.array([len(a.prepared.tokens) < self._short_text_tokens for a in batch])
        cue_share = np.where(short[:, None], self._short_cue_share[languages], self._cue_share[languages])
        scores = np.where(learned_mask, np.maximum(rescaled, cue_share * cues), cues)
        # Where the learned model reads a problem of its own kind in a text, a second problem of its kind that
        # only the lexicon sees is mostly the same problem told twice ("I haven't received the item, I want a
        # refund" is one refund request, whatever "haven't received" says on its own), so it is held back.
        # Dev: banking blockers' macro-F1 0.9425 -> 0.9596; e-commerce messages: one of 640 lost a second label.
        company_learned = learned_mask & self._company_label
        learned_problem = ((rescaled >= LEARNED_PROBLEM) & company_learned).any(axis=1)
        lexicon_only = company_learned & (rescaled < 0.5) & (scores >= 0.5)
        scores = np.where(lexicon_only & learned_problem[:, None], np.minimum(scores, 0.49), scores)
        scores = self._hold_back_minor_problems(scores, batch, cue_hits)
        scores = np.round(np.clip(scores.astype(np.float64), 0.0, 1.0), 3)  # float64: 0.039, not 0.0390000008

        results = []
        score_rows, valence_list = scores.tolist(), valences.tolist()  # one conversion per batch, not per text
        for row, analysed in enumerate(batch):
            results.append(self._result(analysed, score_rows[row], learned_mask[row], valence_list[row],
                                        cue_totals[row], cue_hits[row]))
        return results

    def _logits(self, batch: list[Analysed]) -> np.ndarray:
        """Every learned output's logit for each text: the feature matrix times the weights, computed as the
        batch's words' summed weights (remembered per word) plus the rest of the features."""
        words, by_word, rest = self.featuriser.factors((a.prepared, a.lang, a.hits, a.negators) for a in batch)
        cache = self._word_weight_cache
        unknown = [word for word in words if word not in cache]
        if unknown:
            self._remember_word_weights(unknown)
        outputs = self.weights.shape[1]
        word_weights = np.frombuffer(b"".join([self._word_weights(word) for word in words]),
                                     np.float32).reshape(len(words), outputs)
        return by_word @ word_weights + rest @ self.weights + self.intercepts

    def _hold_back_minor_problems(self, scores: np.ndarray, batch: list[Analysed],
                                  cue_hits: list[dict[str, list[Hit]]]) -> np.ndarray:
        """A customer names one problem per sentence far more often than two: a company-side blocker or a trust
        concern much weaker than the text's strongest one ("froze" read as a defect in "the payment page froze",
        "delivery" in "no information about delivery times", doubt in "my card payment was not successful") is
        held below the threshold, unless a cue of its own stands in another clause than the strongest one's
        ("Checkout kept failing, nobody answers the phone" is two problems). The customer's own reasons to wait
        (approval, budget...) come on top of a problem and are left alone. Dev: banking blockers' macro-F1
        0.934 -> 0.953 for company-side blockers (flat for ratios 0.85 to 0.95); with trust concern 0.9596 ->
        0.9611, e-commerce messages flat or better."""
        problems = scores[:, self._problem_columns]
        strongest = problems.max(axis=1)
        minor = (problems >= 0.5) & (problems < PROBLEM_RATIO * strongest[:, None])
        for row, column in zip(*np.nonzero(minor)):
            label = self._problem_labels[column]
            top = self._problem_labels[int(np.argmax(problems[row]))]
            clauses = clause_numbers(batch[row].prepared)
            top_clauses = {clauses[hit.first_token] for hit in cue_hits[row].get(top, ())}
            if not any(clauses[hit.first_token] not in top_clauses for hit in cue_hits[row].get(label, ())):
                scores[row, self._problem_columns[column]] = min(problems[row, column], 0.49)
        return scores

    def _valences(self, probabilities: np.ndarray, languages: np.ndarray,
                  cue_totals: list[dict[str, float]]) -> np.ndarray:
        """Learned polarity blended with the lexicon's, scaled by how likely the text is polar at all."""
        settings = self.model.meta.get("valence", {})
        learned_weight = np.array([settings.get(lang, {}).get("learned", 1.0) for lang in SUPPORTED_LANGUAGES])
        lexicon_weight = np.array([settings.get(lang, {}).get("lexicon", 1.0) for lang in SUPPORTED_LANGUAGES])
        bias = np.array([settings.get(lang, {}).get("bias", 0.0) for lang in SUPPORTED_LANGUAGES])
        learned = np.zeros(len(languages))
        column = self.output_index.get("valence:positive")
        if column is not None:
            probability = np.clip(probabilities[:, column], 1e-6, 1 - 1e-6)
            learned = np.log(probability / (1.0 - probability))
        lexical = np.array([
            totals.get("positive", 0.0) - totals.get("negative", 0.0)
            + 0.5 * sum(totals.get(e, 0.0) for e in POSITIVE_EMOTIONS)
            - 0.5 * sum(totals.get(e, 0.0) for e in NEGATIVE_EMOTIONS)
            for totals in cue_totals])
        logit = learned_weight[languages] * learned + lexicon_weight[languages] * lexical + bias[languages]
        polar = np.ones(len(languages))
        polar_column = self.output_index.get("valence:polar")
        if polar_column is not None:
            polar = 0.25 + 0.75 * probabilities[:, polar_column]
        valence = np.round(np.tanh(logit / 2.0) * polar, 3)
        # The sign is the prediction: rounding must not erase it.
        tiny = (valence == 0.0) & (logit != 0.0)
        valence[tiny] = np.where(logit[tiny] > 0, 0.001, -0.001)
        return valence

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

    def _result(self, analysed: Analysed, scores: list[float], learned_mask: np.ndarray, valence: float,
                cue_totals: dict[str, float], cue_hits: dict[str, list[Hit]]) -> dict:
        prepared = analysed.prepared
        emotion_scores = dict(zip(EMOTIONS, scores[:len(EMOTIONS)]))
        blocker_scores = dict(zip(BLOCKERS, scores[len(EMOTIONS):]))
        emotions = [e for e in EMOTIONS if emotion_scores[e] >= 0.5]
        blockers = [b for b in BLOCKERS if blocker_scores[b] >= 0.5]
        complaint, complaint_hits = self._complaint(analysed, valence, blocker_scores, cue_totals, cue_hits)

        original = prepared.original
        spans_of: dict[str, list[tuple[int, int]]] = {}

        def add(label: str, start: int, end: int) -> None:
            spans_of.setdefault(label, []).append((start, end))

        unexplained: list[str] = []
        for label in emotions + blockers:
            if cue_hits.get(label):
                for hit in cue_hits[label]:
                    add(label, hit.start, hit.end)
            elif learned_mask[LABEL_INDEX[label]]:
                unexplained.append(label)
        if unexplained:
            function_words = self.lexicons.get(analysed.lang, _EMPTY_LEXICON).function_words
            for label, spans in self._top_words(unexplained, prepared, function_words).items():
                for start, end in spans:
                    add(label, start, end)
        for label in ("positive", "negative"):
            for hit in cue_hits.get(label, ()):
                add(label, hit.start, hit.end)
        if complaint:
            for hit in complaint_hits:
                add("complaint", hit.start, hit.end)
        # Spans of one label that overlap are shown as one ("page just goes blank", not also "goes blank").
        evidence: list[dict] = []
        for label, label_spans in spans_of.items():
            merged: list[list[int]] = []
            for start, end in sorted(label_spans):
                if merged and start < merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], end)
                else:
                    merged.append([start, end])
            evidence.extend({"label": label, "start": start, "end": end, "text": original[start:end]}
                            for start, end in merged)
        evidence.sort(key=lambda item: (item["start"], item["end"], item["label"]))

        result = {
            "lang": analysed.lang, "supported": True, "valence": valence, "emotions": emotions,
            "scores": emotion_scores, "blockers": blockers, "blocker_scores": blocker_scores,
            "complaint": complaint, "evidence": evidence, "model": self.version,
        }
        if prepared.truncated:
            result["truncated"] = True
        return result

    def _complaint(self, analysed: Analysed, valence: float, blocker_scores: dict[str, float],
                   cue_totals: dict[str, float], cue_hits: dict[str, list[Hit]]) -> tuple[bool, list[Hit]]:
        """A complaint is negative and names a problem: a company-side blocker or a complaint cue."""
        settings = self.model.meta.get("complaint", {})
        company = max(blocker_scores[b] for b in COMPANY_BLOCKERS)
        cue = squash(cue_totals.get("complaint", 0.0))
        negativity = max(-valence - 0.3, 0.0)  # mildly negative texts ("I must ask my wife") are no complaint
        problem_words = squash(cue_totals.get("negative", 0.0))
        addressed = "@" in analysed.prepared.original[:60]
        score = (settings.get("bias", -1.0) + settings.get("negativity", 2.0) * negativity
                 + settings.get("company", 2.0) * max(company - 0.3, 0.0) + settings.get("cue", 1.8) * cue
                 + settings.get("problem_words", 0.8) * problem_words
                 + settings.get("addressed", 0.4) * addressed * (valence < ADDRESSED_PRAISE)
                 - settings.get("positivity", 1.5) * max(valence, 0.0))
        if score <= 0:
            return False, []
        # A customer held back by their own circumstances ("I must ask my boss", "nie stać mnie", "nu știu dacă
        # merită") voices a decision, not a grievance with the company: no complaint without a company-side
        # problem or a complaint cue of its own. Doubt about the company (trust_concern) may still be one.
        if not cue and company < 0.5 and any(blocker_scores[b] >= 0.5 for b in DECISION_BLOCKERS):
            return False, []
        hits = list(cue_hits.get("complaint", ()))
        if not hits:
            hits = list(cue_hits.get("negative", ()))
        return True, hits

    def _word_weights(self, token: str) -> array:
        """How much a word (with its character n-grams) pushes each output, remembered per word."""
        weights = self._word_weight_cache.get(token)
        if weights is None:
            self._remember_word_weights([token])
            weights = self._word_weight_cache[token]
        return weights

    def _remember_word_weights(self, words: list[str]) -> None:
        """Compute the per-output weights of many words with one sparse product, and remember them (as compact
        float arrays: a word cache of Python float lists would take ~1 KB a word)."""
        indices: list[int] = []
        indptr = [0]
        for word in words:
            indices.extend(self.featuriser.token_columns_of(word))
            indptr.append(len(indices))
        words_matrix = sparse.csr_matrix((np.ones(len(indices), np.float32), indices, indptr),
                                         shape=(len(words), self.weights.shape[0]))
        cache = self._word_weight_cache
        if len(cache) + len(words) > WORD_CACHE_SIZE:
            cache.clear()
        block = np.ascontiguousarray(words_matrix @ self.weights, dtype=np.float32).tobytes()
        stride = 4 * self.weights.shape[1]
        for i, word in enumerate(words):
            weights = cache[word] = array("f")
            weights.frombytes(block[i * stride:(i + 1) * stride])

    def _top_words(self, labels: list[str], prepared: PreparedText,
                   function_words: frozenset[str]) -> dict[str, list[tuple[int, int]]]:
        """Per label, spans of the (first occurrences of the) words that pushed it up the most: content words
        where any pushed it ("zatwierdzić", not "to"), function words only where none did."""
        first_positions: dict[str, int] = {}
        for position, token in enumerate(prepared.tokens):
            if token not in first_positions and token not in ("!", "?"):
                first_positions[token] = position
        words = list(first_positions)
        weights = [self._word_weights(word) for word in words]  # remembered when the batch was scored
        content = [word not in function_words for word in words]
        spans: dict[str, list[tuple[int, int]]] = {}
        for label in labels:
            output = self.output_index[("emotion:" if label in EMOTIONS else "blocker:") + label]
            pushing = [(word_weights[output], i) for i, word_weights in enumerate(weights) if word_weights[output] > 0]
            preferred = [item for item in pushing if content[item[1]]]
            # Strongest first; a stable sort keeps the earlier word of two equal ones.
            top = sorted(preferred or pushing, key=lambda item: -item[0])[:EVIDENCE_WORDS]
            chosen = sorted(first_positions[words[i]] for _weight, i in top)
            spans[label] = [(prepared.starts[p], prepared.ends[p]) for p in chosen]
        return spans
