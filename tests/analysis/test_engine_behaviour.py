"""What the labels say: negation, intensifiers, contrast and the lexicon-only labels, in en, pl and ro."""
import pytest

from webapp.analysis.engine import load_classifier
from webapp.analysis.engine.lexicon import LexiconError, find_hits, parse_lexicon, resolve
from webapp.analysis.engine.text import prepare


@pytest.fixture(scope="module")
def clf():
    return load_classifier()


def evidence_of(result: dict, label: str) -> list[str]:
    return [item["text"].lower() for item in result["evidence"] if item["label"] == label]


@pytest.mark.parametrize("positive, negated, lang", [
    ("The support team was helpful.", "The support team was not helpful.", "en"),
    ("Polecam ten sklep.", "Nie polecam tego sklepu.", "pl"),
    ("Recomand acest magazin.", "Nu recomand acest magazin.", "ro"),
    ("Obsługa była pomocna.", "Obsługa nie była pomocna.", "pl"),
    ("Produsul funcționează bine.", "Produsul nu funcționează bine.", "ro"),
])
def test_negation_turns_praise_into_criticism(clf, positive, negated, lang):
    praised, criticised = clf.classify(positive, lang), clf.classify(negated, lang)
    assert praised["valence"] > 0.2
    assert criticised["valence"] < -0.2
    # The evidence of the negative reading covers the negator too ("not helpful", "nie polecam").
    assert any(text.split()[0] in ("not", "nie", "nu") for text in evidence_of(criticised, "negative"))


@pytest.mark.parametrize("plain, intensified, lang", [
    ("The staff were friendly.", "The staff were extremely friendly.", "en"),
    ("Obsługa była miła.", "Obsługa była bardzo miła.", "pl"),
    ("Personalul a fost amabil.", "Personalul a fost foarte amabil.", "ro"),
])
def test_intensifiers_strengthen_valence(clf, plain, intensified, lang):
    assert clf.classify(intensified, lang)["valence"] > clf.classify(plain, lang)["valence"] > 0


@pytest.mark.parametrize("text, lang, praised, blamed", [
    ("Fast delivery but the app keeps crashing", "en", "fast", "crashing"),
    ("Szybka dostawa, ale aplikacja ciągle się zawiesza.", "pl", "szybka", "zawiesza"),
    ("Livrare rapidă, dar aplicația se blochează mereu.", "ro", "rapidă", "blochează"),
])
def test_contrast_keeps_both_sides_and_leans_to_what_follows_but(clf, text, lang, praised, blamed):
    result = clf.classify(text, lang)
    assert any(praised in span for span in evidence_of(result, "positive"))
    assert any(blamed in span for span in evidence_of(result, "negative"))
    assert result["valence"] < 0
    assert "website_usability" in result["blockers"]


@pytest.mark.parametrize("text, lang, blocker", [
    ("I need to ask my wife before I buy it.", "en", "approval_needed"),
    ("Muszę zapytać żonę, zanim kupię.", "pl", "approval_needed"),
    ("Trebuie să vorbesc cu soția înainte să cumpăr.", "ro", "approval_needed"),
    ("I am not sure it is worth the money.", "en", "value_uncertainty"),
    ("Nie wiem, czy warto tyle płacić.", "pl", "value_uncertainty"),
    ("Nu știu dacă merită banii.", "ro", "value_uncertainty"),
    ("I cannot afford it right now, money is tight.", "en", "budget_constraint"),
    ("Nie stać mnie na to w tym miesiącu.", "pl", "budget_constraint"),
    ("Nu îmi permit acum, e prea scump.", "ro", "budget_constraint"),
    ("Maybe later, now is not the right time for us.", "en", "timing"),
    ("Nie teraz, może w przyszłym miesiącu.", "pl", "timing"),
    ("Nu acum, poate luna viitoare.", "ro", "timing"),
    ("Nobody answers the phone and my emails get no reply.", "en", "contact_difficulty"),
    ("Nikt nie odbiera telefonu.", "pl", "contact_difficulty"),
    ("Nimeni nu răspunde la telefon.", "ro", "contact_difficulty"),
    ("The blender stopped working after two days.", "en", "product_defect"),
    ("Blender przestał działać po dwóch dniach.", "pl", "product_defect"),
    ("Blenderul s-a stricat după două zile.", "ro", "product_defect"),
])
def test_customer_side_and_lexicon_only_blockers(clf, text, lang, blocker):
    result = clf.classify(text, lang)
    assert blocker in result["blockers"]
    assert result["blocker_scores"][blocker] >= 0.5
    assert evidence_of(result, blocker)


@pytest.mark.parametrize("text, lang, emotion", [
    ("This offer looks suspicious, it is too good to be true.", "en", "suspicion"),
    ("Ta oferta wygląda podejrzanie.", "pl", "suspicion"),
    ("Oferta pare dubioasă.", "ro", "suspicion"),
    ("I am confident this is the right choice.", "en", "confidence"),
    ("Jestem pewien, że to dobry wybór.", "pl", "confidence"),
    ("Sunt sigur că e alegerea bună.", "ro", "confidence"),
])
def test_emotions_no_dataset_covers(clf, text, lang, emotion):
    result = clf.classify(text, lang)
    assert emotion in result["emotions"]
    assert evidence_of(result, emotion)


@pytest.mark.parametrize("text, complaint", [
    ("@AcmeShop my order still has not arrived after two weeks", True),
    ("@AcmeBank worst customer service ever, on hold for an hour", True),
    ("Paczka nie dotarła, a obsługa nie odpisuje od tygodnia.", True),
    ("Produsul a venit spart si nimeni nu raspunde", True),
    ("@AcmeShop love the new collection!", False),
    ("@AcmeShop when does the sale start?", False),
    ("Thanks, the parcel arrived early!", False),
    # The customer's own reasons to wait are decisions, not grievances.
    ("Trebuie să mă consult cu soțul.", False),
    ("Teraz nas na to nie stać.", False),
    ("Nie jestem pewien, co nam to da.", False),
    ("@AcmeShop I cannot afford it and your site keeps crashing", True),
])
def test_complaints_are_negative_texts_naming_a_problem(clf, text, complaint):
    result = clf.classify(text)
    assert result["complaint"] is complaint
    if complaint:
        assert result["valence"] < 0


@pytest.mark.parametrize("text, complaint", [
    ("@Hermes driver threw my parcel over the fence", True),
    ("@ATT no signal at home for two days now and support keeps giving me the runaround", True),
    ("@Etsy seller never shipped and you closed my case", True),
    ("@Chase my card got declined at the store even though I have money in the account", True),
    ("@Expedia hotel had no record of my booking, had to pay again at the desk", True),
    ("@InPost kurier przerzucił paczkę przez płot", True),
    ("@PlayPolska od rana brak zasięgu w całym mieście", True),
    ("@Orange_RO nu am semnal de ieri", True),
    ("@Argos is the Xbox bundle still available for click and collect?", False),
    ("@Chase how do I set up a travel notice?", False),
    ("@Sony thinking of buying the XM5, are they worth it?", False),
    ("@Allegro czy mogę zmienić adres dostawy?", False),
    ("@eMAG aveți în stoc iPhone 15?", False),
])
def test_complaints_posted_to_a_brand_are_found(clf, text, complaint):
    """What customers post to a brand's account: often no angry word at all, just what went wrong."""
    assert clf.classify(text)["complaint"] is complaint


@pytest.mark.parametrize("text, emotion", [("😡😡 never again", "anger"), ("Love it 😍", "joy")])
def test_emoji_carry_emotion(clf, text, emotion):
    assert emotion in clf.classify(text, "en")["emotions"]


def test_thumbs_up_alone_is_positive(clf):
    assert clf.classify("👍", "en")["valence"] > 0


@pytest.mark.parametrize("text, lang", [
    ("Szef musi to zatwierdzić.", "pl"),
    ("Kurier przyjechał o dziesiątej, ale paczka była otwarta.", "pl"),
    ("Nie wiem, czy to się opłaca.", "pl"),
    ("Trebuie să mă consult cu soțul.", "ro"),
    ("Am primit coletul, dar lipsea o piesă.", "ro"),
    ("How long does it take for me to get my pin?", "en"),
    ("My app says that I'm not verified.", "en"),
])
def test_every_label_shows_words_a_reader_can_check(clf, text, lang):
    """Each label has evidence, and a learned label's is content words, never "to", "ale", "să", "that"."""
    result = clf.classify(text, lang)
    function_words = clf.lexicons[lang].function_words
    for label in result["emotions"] + result["blockers"]:
        spans = evidence_of(result, label)
        assert spans, label
        assert not [span for span in spans if span in function_words], (label, spans)


def test_lexicon_matcher_applies_negation_scope_and_stems():
    lexicon = parse_lexicon(["nie\tnegator", "polec*\tpositive\t1.5", "bardzo\tintensifier\t2"], "test")
    prepared = prepare("Bardzo polecam, ale nie polecam dostawy. Polecenie!")
    hits = find_hits(lexicon, prepared)
    assert [(h.label, prepared.original[h.start:h.end], h.negated) for h in hits] == [
        ("positive", "polecam", False), ("positive", "nie polecam", True), ("positive", "Polecenie", False)]
    assert resolve(hits[1])[0] == "negative"
    assert hits[0].weight == pytest.approx(3.0)  # intensified


TOPIC_LINES = ["the\tfunction", "in\tfunction", "not\tnegator", "chat\tcontact_difficulty\t0.17",
               "page\tcontact_difficulty\t0.17", "product\tproduct_defect\t0.17", "stuck\ttrouble",
               "blank\tnegative\t0.5"]


def _topic_weights(text: str) -> dict[str, float]:
    hits = find_hits(parse_lexicon(TOPIC_LINES, "test"), prepare(text))
    assert all(hit.label != "trouble" for hit in hits)  # trouble words are never labels of their own
    return {hit.label: round(hit.weight, 2) for hit in hits if hit.label in ("contact_difficulty", "product_defect")}


@pytest.mark.parametrize("text, weights", [
    # A trouble word makes the topic next to it a problem; function words between them do not count.
    ("stuck in the chat", {"contact_difficulty": 1.3}),
    # Alone, far away, in another clause or negated, it makes nothing a problem.
    ("chat", {"contact_difficulty": 0.17}),
    ("stuck", {}),
    ("chat window looks nice today, stuck", {"contact_difficulty": 0.17}),
    ("chat window looks nice today overall although stuck", {"contact_difficulty": 0.17}),
    ("not stuck in the chat", {"contact_difficulty": 0.17}),
    # A problem word is about the nearest topic in reach.
    ("product page blank", {"product_defect": 0.17, "contact_difficulty": 1.3}),
])
def test_a_problem_or_trouble_word_makes_the_nearest_topic_a_problem(text, weights):
    assert _topic_weights(text) == weights


def test_a_trouble_word_that_names_a_problem_counts_as_mild_criticism():
    hits = find_hits(parse_lexicon(TOPIC_LINES, "test"), prepare("stuck in the chat"))
    assert [(hit.label, hit.weight) for hit in hits if hit.label == "negative"] == [("negative", pytest.approx(0.4))]


@pytest.mark.parametrize("line", ["word\tno_such_label", "a*\tpositive", "not at all\tnegator", "good\tpositive\tx"])
def test_bad_lexicon_lines_are_refused_with_their_line_number(line):
    with pytest.raises(LexiconError, match="line 1"):
        parse_lexicon([line], "test")


@pytest.mark.parametrize("text, lang", [
    ("Every time I click on a product the page just goes blank.", "en"),
    ("The parcel arrived late and the box was crushed.", "en"),
    ("Czekam na czacie od godziny, nikt nie odpisuje.", "pl"),
])
def test_evidence_spans_of_one_label_do_not_overlap(clf, text, lang):
    """A topic shown with its problem word ("page just goes blank") is one span, not that and "goes blank"."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for item in clf.classify(text, lang)["evidence"]:
        spans.setdefault(item["label"], []).append((item["start"], item["end"]))
    for label, label_spans in spans.items():
        label_spans.sort()
        assert all(end <= start for (_s, end), (start, _e) in zip(label_spans, label_spans[1:])), (label, label_spans)
