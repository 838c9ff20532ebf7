"""The classification engine: pure Python (numpy, scipy), no Flask, no database.

    from webapp.analysis.engine import load_classifier
    clf = load_classifier()
    clf.classify("Fast delivery but the app keeps crashing", lang=None)
"""
import hashlib
import threading

from webapp.analysis.engine.classifier import Classifier
from webapp.analysis.engine.lexicon import LEXICON_DIR, load_lexicons
from webapp.analysis.engine.model import MODEL_PATH, load_model

_cache: dict[str, Classifier] = {}
_lock = threading.Lock()


def lexicon_digest() -> str:
    """A digest of every lexicon file, so that the version changes when a lexicon does."""
    digest = hashlib.sha256()
    for path in sorted(LEXICON_DIR.glob("*.tsv")) if LEXICON_DIR.is_dir() else []:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_classifier() -> Classifier:
    """The classifier of the shipped model and lexicons, loaded once per process."""
    with _lock:
        classifier = _cache.get("shipped")
        if classifier is None:
            classifier = Classifier(load_model(MODEL_PATH), load_lexicons(LEXICON_DIR), lexicon_digest())
            _cache["shipped"] = classifier
        return classifier


__all__ = ["Classifier", "load_classifier"]
