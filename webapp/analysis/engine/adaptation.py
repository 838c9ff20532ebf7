"""Teaching the learned part of the classifier what support staff taught it, without forgetting the rest.

Staff confirm or correct the emotions and blockers of complaints; each such item is an example with every
label judged. `adapt` returns a new model: the shipped one, plus

- the words, bigrams and character n-grams that recur in the examples but were never seen in training
  (a company's product names, its own jargon), as new columns;
- for every output, a correction of its weights fitted to the examples, with the shipped model's own
  decision as a fixed offset and an L2 penalty on the correction, so that a handful of examples moves what
  they are about (the words they share) and leaves what they do not touch as it was;
- outputs for labels the shipped model never learned (suspicion, approval_needed… rest on the lexicon
  alone), in the languages where staff gave examples of them.

Nothing here needs scikit-learn: the fit is a small L-BFGS problem per output (scipy), so it runs in the
job process of any deployment. The training data never leaves the database; the new model is a `Model`
like the shipped one, saved with `model_bytes` and read back with `model_from_bytes`.
"""
import io
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy import optimize, sparse

from webapp.analysis.engine.classifier import LABELS, Analysed, Classifier, analyse
from webapp.analysis.engine.features import Featuriser, feature_names
from webapp.analysis.engine.labels import BLOCKERS, EMOTIONS, SUPPORTED_LANGUAGES
from webapp.analysis.engine.model import Model, load_model, save_model

# A feature new to the model must recur in this many examples: a typo seen once teaches nothing.
MIN_DOCUMENT_FREQUENCY = 2
MAX_NEW_FEATURES = 20_000
# Strength of the L2 penalty on corrections of new columns (per unit of weight, against the sum of the
# examples' losses): low enough that a handful of examples of a new kind move their label past its threshold
# (tests/support/test_learning.py).
PENALTY = 0.05
# Columns the shipped model knows were weighed on tens of thousands of texts: a handful of examples may
# nudge them, not overturn them. New columns (product names, jargon) have only the examples to go by.
# With tests/support/test_learning.py's eight examples, 10 still moved two decisions of the check set, 30 to
# 100 none, while the examples' new kind was learned just as well.
KNOWN_PENALTY = 100.0
# A label the shipped model never learned gets an output that predicts it only where its new words are.
NEW_OUTPUT_INTERCEPT = -4.0
MIN_POSITIVES_FOR_NEW_OUTPUT = 2


@dataclass(frozen=True)
class Example:
    """A text with every emotion and blocker judged by a person: those listed apply, the others do not."""

    text: str
    lang: str | None
    emotions: frozenset[str]
    blockers: frozenset[str]

    def as_record(self) -> dict:
        """The example as a record of ../shared/data/ shape, every label in scope."""
        return {"text": self.text, "lang": self.lang, "emotions": sorted(self.emotions),
                "emotion_scope": list(EMOTIONS), "blockers": sorted(self.blockers), "blocker_scope": list(BLOCKERS)}


def output_of(label: str) -> str:
    return ("emotion:" if label in EMOTIONS else "blocker:") + label


def _logit(probability: float) -> float:
    probability = min(max(probability, 1e-6), 1 - 1e-6)
    return math.log(probability / (1 - probability))


def _new_vocabulary(analysed: list[Analysed], known: set[str]) -> list[str]:
    frequency: Counter = Counter()
    for item in analysed:
        frequency.update({name for name in feature_names(item.prepared, item.lang, item.negators)
                          if name not in known})
    common = [name for name, count in frequency.most_common() if count >= MIN_DOCUMENT_FREQUENCY]
    return sorted(common[:MAX_NEW_FEATURES])


def _fit_correction(x: sparse.csr_matrix, offsets: np.ndarray, targets: np.ndarray,
                    penalty: np.ndarray) -> np.ndarray:
    """Weights w minimising sum(log(1 + exp(-s * (offset + x w)))) + sum(penalty * w^2) / 2, s = +1/-1."""
    signs = np.where(targets, 1.0, -1.0)
    x_t = x.T.tocsr()

    def loss_and_gradient(weights: np.ndarray) -> tuple[float, np.ndarray]:
        margins = signs * (offsets + x @ weights)
        loss = np.logaddexp(0.0, -margins).sum() + 0.5 * (penalty * weights) @ weights
        pull = -signs / (1.0 + np.exp(np.clip(margins, -30, 30)))
        return float(loss), x_t @ pull + penalty * weights

    solution = optimize.minimize(loss_and_gradient, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B",
                                 options={"maxiter": 500})
    return solution.x.astype(np.float32)


def adapt(classifier: Classifier, examples: Sequence[Example], penalty: float = PENALTY,
          known_penalty: float = KNOWN_PENALTY) -> Model:
    """The classifier's model corrected by `examples` (see the module's docstring)."""
    base = classifier.model
    analysed = [analyse(example.text, example.lang, classifier.lexicons, base.language_words)
                for example in examples]
    usable = [(example, item) for example, item in zip(examples, analysed)
              if item is not None and item.lang in SUPPORTED_LANGUAGES and item.prepared.tokens]
    if not usable:
        return base
    examples, analysed = [example for example, _item in usable], [item for _example, item in usable]

    token_columns = len(base.vocabulary)
    added = _new_vocabulary(analysed, set(base.vocabulary))
    vocabulary = base.vocabulary + added
    featuriser = Featuriser({name: i for i, name in enumerate(vocabulary)})
    x = featuriser.matrix((a.prepared, a.lang, a.hits, a.negators) for a in analysed)
    # The shipped weights, with zero rows for the new columns (they sit between token and lexicon columns).
    lexicon_rows = base.weights[token_columns:]
    outputs = list(base.outputs)
    weights = np.vstack([base.weights[:token_columns], np.zeros((len(added), len(outputs)), np.float32),
                         lexicon_rows])
    intercepts = base.intercepts.astype(np.float32)
    thresholds = {output: dict(by_lang) for output, by_lang in base.thresholds.items()}
    trained_languages = {output: list(langs) for output, langs in base.trained_languages.items()}
    full_cues: dict[str, list[str]] = {output: list(langs)
                                       for output, langs in base.meta.get("full_cues", {}).items()}
    langs = [item.lang for item in analysed]
    language_columns = [featuriser.vocabulary[name] for name in (f"lang={lang}" for lang in SUPPORTED_LANGUAGES)
                        if name in featuriser.vocabulary]
    label_sets = [example.emotions | example.blockers for example in examples]

    for label in LABELS:
        output = output_of(label)
        targets = np.array([label in labels for labels in label_sets])
        positive_langs = sorted({lang for lang, target in zip(langs, targets) if target})
        if output not in outputs:
            if targets.sum() < MIN_POSITIVES_FOR_NEW_OUTPUT:
                continue
            outputs.append(output)
            weights = np.hstack([weights, np.zeros((weights.shape[0], 1), np.float32)])
            intercepts = np.append(intercepts, np.float32(NEW_OUTPUT_INTERCEPT))
            thresholds[output], trained_languages[output] = {}, []
        column = outputs.index(output)
        # Languages the output now learns in, which the lexicon alone served until now, keep its full say.
        for lang in positive_langs:
            if lang not in trained_languages[output]:
                trained_languages[output].append(lang)
                thresholds[output][lang] = 0.5
                full_cues.setdefault(output, []).append(lang)
        learned_langs = set(trained_languages[output])
        rows = np.array([lang in learned_langs for lang in langs])
        if not rows.any():
            continue
        logits = x[rows] @ weights[:, column] + intercepts[column]
        # Offsets put the decision boundary at zero: the label is shown where logit > logit(threshold).
        offsets = logits - np.array([_logit(thresholds[output].get(lang, 0.5))
                                     for lang, row in zip(langs, rows) if row])
        # Only word columns learn: a language's bias column or a lexicon column would move every text.
        used = np.unique(x[rows].indices)
        used = used[(used < featuriser.token_columns) & ~np.isin(used, language_columns)]
        penalties = np.where(used < token_columns, known_penalty, penalty)
        correction = _fit_correction(x[rows][:, used], offsets, targets[rows], penalties)
        weights[used, column] += correction

    meta = {**base.meta, "full_cues": {output: sorted(set(langs)) for output, langs in full_cues.items()},
            "adapted": {"examples": len(examples), "new_features": len(added)}}
    return replace(base, vocabulary=vocabulary, outputs=outputs, weights=weights, intercepts=intercepts,
                   thresholds=thresholds, trained_languages={o: sorted(ls) for o, ls in trained_languages.items()},
                   meta=meta, digest="")


def model_bytes(model: Model) -> bytes:
    """The model as the bytes of a compressed npz (what save_model writes)."""
    stream = io.BytesIO()
    save_model(model, stream)
    return stream.getvalue()


def model_from_bytes(data: bytes) -> Model:
    return load_model(io.BytesIO(data))

