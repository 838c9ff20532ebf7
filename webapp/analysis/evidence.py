"""Evidence: the words behind each label, marked up wherever an answer's text is shown."""
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from markupsafe import Markup, escape

from webapp.labels import BLOCKERS, COMPANY_BLOCKERS, EMOTIONS, NEUTRAL_EMOTIONS, POSITIVE_EMOTIONS


@dataclass(frozen=True)
class EvidenceSpan:
    start: int
    end: int
    labels: tuple[str, ...]


def label_tone(label: str) -> str:
    """The colour family a label is drawn in: positive, negative, neutral, or blocker."""
    if label in BLOCKERS:
        return "blocker"
    if label in POSITIVE_EMOTIONS or label == "positive":
        return "positive"
    if label in NEUTRAL_EMOTIONS:
        return "neutral"
    return "negative"  # negative emotions, "negative" valence cues and "complaint"


def label_name(label: str) -> str:
    """The translated name of an emotion or blocker id; other evidence labels as they are."""
    from flask_babel import gettext as _

    names = {"positive": _("positive"), "negative": _("negative"), "complaint": _("complaint")}
    return str(EMOTIONS.get(label) or BLOCKERS.get(label) or names.get(label, label))


def evidence_spans(text: str, evidence: Iterable[Mapping]) -> list[EvidenceSpan]:
    """Non-overlapping spans of `text`, each with every label whose evidence covers it.

    Evidence from the classifier may overlap ("not helpful" is evidence of negative valence and
    "helpful" of nothing once negated; a blocker phrase may contain an emotion word), so the text is cut
    at every span boundary and each piece carries the union of labels that cover it. Spans outside the
    text (from a label stored before the text was edited) are ignored rather than trusted.
    """
    valid = [
        (int(item["start"]), int(item["end"]), str(item["label"]))
        for item in evidence
        if isinstance(item.get("start"), int) and isinstance(item.get("end"), int)
        and 0 <= item["start"] < item["end"] <= len(text)
    ]
    boundaries = sorted({position for start, end, _label in valid for position in (start, end)})
    spans: list[EvidenceSpan] = []
    for start, end in zip(boundaries, boundaries[1:]):
        labels = tuple(dict.fromkeys(label for s, e, label in valid if s <= start and end <= e))
        if not labels:
            continue
        previous = spans[-1] if spans else None
        if previous and previous.end == start and previous.labels == labels:
            spans[-1] = EvidenceSpan(previous.start, end, labels)
        else:
            spans.append(EvidenceSpan(start, end, labels))
    return spans


def highlight_evidence(text: str | None, evidence: Iterable[Mapping] | None) -> Markup:
    """The text as HTML, every evidence span in a <mark> that names its labels (for sight and screen readers)."""
    text = text or ""
    pieces: list[str] = []
    position = 0
    for span in evidence_spans(text, evidence or ()):
        pieces.append(escape(text[position:span.start]))
        tones = sorted({label_tone(label) for label in span.labels})
        tone = tones[0] if len(tones) == 1 else "mixed"
        names = ", ".join(label_name(label) for label in span.labels)
        pieces.append(Markup('<mark class="evidence evidence-{}" title="{}" data-labels="{}">{}</mark>').format(
            tone, names, " ".join(span.labels), text[span.start:span.end]))
        position = span.end
    pieces.append(escape(text[position:]))
    return Markup("").join(pieces)


def is_company_blocker(label: str) -> bool:
    """Whether a blocker is on the company's side (the rest are on the customer's)."""
    return label in COMPANY_BLOCKERS
