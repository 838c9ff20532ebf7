"""The shipped model file: vocabulary, weights of every learned output, thresholds and settings.

One compressed `.npz` of plain arrays (no pickle), written by scripts/build_model.py.
"""
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np

MODEL_DIR = Path(__file__).resolve().parent.parent / "model"
MODEL_PATH = MODEL_DIR / "classifier.npz"
# Labelled records a model retrained from staff labels must do at least as well on (scripts/build_model.py).
CHECK_SET_PATH = MODEL_DIR / "check.jsonl"


@dataclass
class Model:
    """Learned parts of the classifier.

    `weights` has one row per feature column and one column per output; `outputs` name them
    ("emotion:joy", "blocker:pricing_unclear", "valence:positive", "valence:polar").
    `thresholds[output][lang]` is the probability at which a label is predicted in that language;
    `trained_languages[output]` lists the languages the output saw training data in.
    """

    vocabulary: list[str]
    outputs: list[str]
    weights: np.ndarray
    intercepts: np.ndarray
    thresholds: dict[str, dict[str, float]]
    trained_languages: dict[str, list[str]]
    language_words: dict[str, dict[str, float]] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)
    digest: str = ""


def _text_array(value: str) -> np.ndarray:
    return np.frombuffer(value.encode("utf-8"), dtype=np.uint8)


def _array_text(array: np.ndarray) -> str:
    return array.tobytes().decode("utf-8")


def save_model(model: Model, path: Path | BinaryIO = MODEL_PATH) -> None:
    """Write the model as a compressed npz (float16 weights) to a file, or to a binary stream."""
    settings = {
        "outputs": model.outputs,
        "thresholds": model.thresholds,
        "trained_languages": model.trained_languages,
        "language_words": model.language_words,
        "meta": model.meta,
    }
    arrays = {
        "vocabulary": _text_array("\n".join(model.vocabulary)),
        "weights": model.weights.astype(np.float16),
        "intercepts": model.intercepts.astype(np.float32),
        "settings": _text_array(json.dumps(settings, sort_keys=True, ensure_ascii=False)),
    }
    if not isinstance(path, Path):
        np.savez_compressed(path, **arrays)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as stream:
        np.savez_compressed(stream, **arrays)


def load_model(path: Path | BinaryIO = MODEL_PATH) -> Model:
    """Read a model written by save_model, from a file or a binary stream."""
    raw = path.read_bytes() if isinstance(path, Path) else path.read()
    with np.load(io.BytesIO(raw), allow_pickle=False) as arrays:
        vocabulary = _array_text(arrays["vocabulary"]).split("\n")
        weights = arrays["weights"].astype(np.float32)
        intercepts = arrays["intercepts"].astype(np.float32)
        settings = json.loads(_array_text(arrays["settings"]))
    return Model(vocabulary, settings["outputs"], weights, intercepts, settings["thresholds"],
                 settings["trained_languages"], settings.get("language_words", {}), settings.get("meta", {}),
                 hashlib.sha256(raw).hexdigest())
