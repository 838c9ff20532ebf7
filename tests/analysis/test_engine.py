"""The classification engine's API and contract shape, bad input, languages and spans."""
import pytest

from webapp.analysis.engine import Classifier, load_classifier
from webapp.analysis.engine.labels import BLOCKERS, EMOTIONS
from webapp.analysis.engine.text import MAX_CHARS


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return load_classifier()


def assert_contract_shape(result: dict, text: str) -> None:
    assert {"lang", "supported", "valence", "emotions", "scores", "blockers", "blocker_scores", "complaint",
            "evidence", "model"} <= set(result)
    assert list(result["scores"]) == list(EMOTIONS)
    assert list(result["blocker_scores"]) == list(BLOCKERS)
    assert all(0.0 <= score <= 1.0 and round(score, 3) == score for score in result["scores"].values())
    assert all(round(score, 3) == score for score in result["blocker_scores"].values())
    assert all(0.0 <= score <= 1.0 for score in result["blocker_scores"].values())
    assert -1.0 <= result["valence"] <= 1.0
    assert set(result["emotions"]) <= set(EMOTIONS)
    assert set(result["blockers"]) <= set(BLOCKERS)
    assert isinstance(result["complaint"], bool)
    for item in result["evidence"]:
        assert text[item["start"]:item["end"]] == item["text"]
        assert item["label"] in set(EMOTIONS) | set(BLOCKERS) | {"complaint", "positive", "negative"}


def test_loaded_once_per_process_with_a_version(clf):
    assert load_classifier() is clf
    assert clf.version.startswith("2026.") and len(clf.version.split("-")[1]) == 8


@pytest.mark.parametrize("text, lang", [
    ("The checkout kept failing and nobody answered my emails, I am furious.", None),
    ("Obsługa była bardzo miła, polecam!", None),
    ("Produsul a ajuns rapid, sunt foarte mulțumit.", None),
    ("Great app 😍👍", "en"),
])
def test_results_follow_the_contract(clf, text, lang):
    result = clf.classify(text, lang)
    assert_contract_shape(result, text)
    assert result["supported"] is True
    assert result["model"] == clf.version


def test_classify_many_gives_the_same_results_as_classify(clf):
    items = [("I love it, thank you!", None), ("Nie polecam tego sklepu.", "pl"), ("", None),
             ("Das ist nicht gut.", None), ("Livrarea a durat prea mult.", None)]
    assert clf.classify_many(items) == [clf.classify(text, lang) for text, lang in items]


def test_scores_from_words_equal_the_trained_feature_matrix(clf):
    """The run-time scores (summed weights per word) are exactly what the models were trained on (the matrix)."""
    import numpy as np

    from webapp.analysis.engine.classifier import analyse

    texts = ["Nie polecam, paczka nie dotarła, ale obsługa miła.", "The app keeps crashing and crashing!",
             "Nu recomand, nu a venit nimic.", "ok", "😡😡 never again", "Bardzo dobry produkt, bardzo dobry."]
    batch = [analyse(text, None, clf.lexicons, clf.model.language_words) for text in texts]
    matrix = clf.featuriser.matrix((a.prepared, a.lang, a.hits, a.negators) for a in batch)
    assert np.allclose(clf._logits(batch), matrix @ clf.weights + clf.intercepts, atol=1e-4)


@pytest.mark.parametrize("text, reason_word", [
    ("", "empty"), ("   \n\t ", "empty"), ("12345 !!! ---", "words"), ("\x00\x01\x02\x03\ufffd\x04garbage", "binary"),
])
def test_unlabelable_texts_say_why_and_carry_no_labels(clf, text, reason_word):
    result = clf.classify(text)
    assert reason_word in result["unlabelable"]
    assert result["lang"] == "und" and result["supported"] is False
    assert result["emotions"] == [] and result["blockers"] == [] and result["evidence"] == []
    assert result["valence"] == 0.0 and result["complaint"] is False
    assert_contract_shape(result, text)


@pytest.mark.parametrize("text, lang", [
    ("Der Versand war sehr langsam und der Kundendienst hat nicht geantwortet.", "de"),
    ("La livraison était très lente et le service client ne répond pas.", "fr"),
    ("El envío fue muy lento y el servicio al cliente no responde.", "es"),
    ("Доставка была очень медленной, и никто не ответил.", "ru"),
])
def test_unsupported_languages_are_reported_never_labelled(clf, text, lang):
    result = clf.classify(text)
    assert result["lang"] == lang and result["supported"] is False
    assert result["emotions"] == [] and result["blockers"] == [] and result["evidence"] == []
    assert result["valence"] == 0.0


def test_a_supported_language_given_by_the_caller_is_trusted(clf):
    assert clf.classify("ok", "pl")["lang"] == "pl"
    assert clf.classify("Sehr gut", "de")["lang"] == "de"


@pytest.mark.parametrize("text, lang", [
    ("The delivery was late again and support never replied.", "en"),
    ("Przesyłka przyszła uszkodzona, a obsługa nie odpisuje.", "pl"),
    ("Coletul a ajuns deteriorat si nimeni nu raspunde la telefon.", "ro"),
    ("Przesylka przyszla uszkodzona, a obsluga nie odpisuje.", "pl"),
    ("Nu recomand, calitate foarte slaba.", "ro"),
])
def test_languages_are_detected_with_or_without_diacritics(clf, text, lang):
    assert clf.classify(text)["lang"] == lang


def test_html_is_ignored_but_spans_point_into_the_original(clf):
    text = "<p>The app <b>keeps crashing</b> and I am <i>really angry</i>.</p>"
    result = clf.classify(text)
    assert_contract_shape(result, text)
    assert result["valence"] < 0
    assert all("<" not in item["text"] and ">" not in item["text"] for item in result["evidence"])


def test_anonymisation_placeholders_are_no_words(clf):
    """Exports with names taken out ("[NAME]", "<|PERSON|>") must not teach or trigger anything by the mask."""
    from webapp.analysis.engine.text import prepare

    assert prepare("[NAME] loved it, thanks <|PERSON|> and <|URL|>").tokens == ["loved", "it", "thanks", "and"]
    text = "<|PERSON|> the courier was rude to me, [NAME] saw it"
    result = clf.classify(text)
    assert_contract_shape(result, text)
    assert all(item["start"] >= len("<|PERSON|>") and "NAME" not in item["text"] for item in result["evidence"])


def test_a_very_long_text_is_truncated_with_valid_spans(clf):
    text = "The courier lost my parcel and I am angry. " * 3000
    result = clf.classify(text)
    assert result["truncated"] is True
    assert_contract_shape(result, text)
    assert all(item["end"] <= MAX_CHARS for item in result["evidence"])


def test_emoji_and_mixed_language_text_do_not_break_anything(clf):
    for text in ["😡😡😡", "👍", "Super produkt, very good quality, polecam 😍", "Mulțumesc! Thanks 🙏🏽 ❤️"]:
        result = clf.classify(text)
        assert_contract_shape(result, text)
