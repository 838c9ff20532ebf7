"""Greetings open many complaints; they are neither praise nor evidence of it."""
import pytest

from webapp.analysis.engine import load_classifier


@pytest.mark.parametrize("text, lang, greeting", [
    ("Dzień dobry, paczka nie dotarła.", "pl", "Dzień dobry"),
    ("Bună ziua, coletul nu a ajuns.", "ro", "Bună ziua"),
    ("Good morning, my parcel never arrived.", "en", "Good morning"),
])
def test_a_greeting_is_not_positive_evidence(text, lang, greeting):
    result = load_classifier().classify(text, lang)
    assert result["valence"] < 0 and "delivery_problem" in result["blockers"]
    assert not [item for item in result["evidence"]
                if item["label"] == "positive" and item["start"] < len(greeting)]
