"""What the lexicon makes the engine see in realistic customer sentences, in English, Polish and Romanian.

Labels no public data set covers (suspicion, confidence, approval_needed, value_uncertainty,
budget_constraint, timing) rest on the lexicon alone; so do e-commerce blockers and the modifiers.
"""
import pytest

from webapp.analysis.engine import Classifier, load_classifier


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return load_classifier()


def labels_of(result: dict) -> set[str]:
    return set(result["emotions"]) | set(result["blockers"])


def evidence_texts(result: dict, label: str) -> list[str]:
    return [item["text"].lower() for item in result["evidence"] if item["label"] == label]


def assert_label_with_evidence(result: dict, label: str, words: str) -> None:
    assert label in labels_of(result), (label, result["emotions"], result["blockers"])
    texts = evidence_texts(result, label)
    assert any(words in text for text in texts), (label, words, texts)


# -- labels no public data set covers -----------------------------------------------------------------

UNCOVERED_LABELS = [
    ("en", "This offer looks too good to be true, what's the catch?", "suspicion", "too good to be true"),
    ("en", "I'm suspicious of these reviews, they seem fake.", "suspicion", "suspicious"),
    ("pl", "Brzmi zbyt pięknie, żeby było prawdziwe. Gdzie jest haczyk?", "suspicion", "gdzie jest haczyk"),
    ("pl", "Coś tu nie gra, te opinie wyglądają na fałszywe.", "suspicion", "coś tu nie gra"),
    ("ro", "Oferta pare prea frumoasă ca să fie adevărată, sună dubios.", "suspicion", "dubios"),
    ("ro", "Sunt sceptic, recenziile par false.", "suspicion", "sceptic"),
    ("en", "I'm confident this is the right choice, ready to order.", "confidence", "confident"),
    ("en", "No doubt about it, this is exactly what we need.", "confidence", "no doubt"),
    ("pl", "Jestem pewien, że to dobry wybór, zamawiam.", "confidence", "jestem pewien"),
    ("pl", "Bez wahania biorę wersję premium.", "confidence", "bez wahania"),
    ("ro", "Sunt sigur că e alegerea potrivită, comand imediat.", "confidence", "sunt sigur"),
    ("ro", "Fără ezitare, cumpăr varianta completă.", "confidence", "fără ezitare"),
    ("en", "I need to ask my boss before we sign anything.", "approval_needed", "need to ask"),
    ("en", "I have to check with my wife first.", "approval_needed", "check with"),
    ("pl", "Muszę zapytać szefa, sam o tym nie decyduję.", "approval_needed", "muszę zapytać"),
    ("pl", "Potrzebuję zgody żony na taki wydatek.", "approval_needed", "potrzebuję zgody"),
    ("ro", "Trebuie să întreb șeful înainte să semnăm.", "approval_needed", "trebuie să întreb"),
    ("ro", "Trebuie să vorbesc cu soția mea mai întâi.", "approval_needed", "vorbesc cu soția"),
    ("en", "Not sure it's worth the money for a team our size.", "value_uncertainty", "not sure it's worth"),
    ("en", "What would it change for us compared to what we have now?", "value_uncertainty", "what would it change"),
    ("pl", "Nie jestem przekonany, czy warto za to płacić.", "value_uncertainty", "czy warto"),
    ("pl", "Co by to zmieniło w naszej firmie?", "value_uncertainty", "co by to zmieniło"),
    ("ro", "Nu sunt convins că merită să plătim pentru asta.", "value_uncertainty", "nu sunt convins"),
    ("ro", "Ce ar schimba pentru noi?", "value_uncertainty", "ce ar schimba"),
    ("en", "It's too expensive for us, we have no budget this quarter.", "budget_constraint", "no budget"),
    ("en", "Honestly, I can't afford it right now.", "budget_constraint", "can't afford"),
    ("pl", "Za drogie, nie stać nas na to w tym roku.", "budget_constraint", "nie stać nas"),
    ("pl", "Nie mamy budżetu na ten kwartał.", "budget_constraint", "nie mamy budżetu"),
    ("ro", "E prea scump pentru noi, nu avem buget luna asta.", "budget_constraint", "nu avem buget"),
    ("ro", "Nu-mi permit acum.", "budget_constraint", "nu-mi permit"),
    ("en", "Not now, maybe next year.", "timing", "not now"),
    ("en", "Let's talk again after the holidays.", "timing", "after the holidays"),
    ("pl", "Nie teraz, może w przyszłym roku.", "timing", "nie teraz"),
    ("pl", "Wrócę do tematu po świętach.", "timing", "po świętach"),
    ("ro", "Nu acum, poate anul viitor.", "timing", "nu acum"),
    ("ro", "Revin după sărbători.", "timing", "după sărbători"),
]


@pytest.mark.parametrize("lang, text, label, words", UNCOVERED_LABELS)
def test_labels_no_data_set_covers_are_found_with_their_words(clf, lang, text, label, words):
    assert_label_with_evidence(clf.classify(text, lang), label, words)


@pytest.mark.parametrize("text, label", [
    ("Nie stac mnie na to, za drogie", "budget_constraint"),
    ("Nu imi permit, e prea scump", "budget_constraint"),
    ("Trebuie sa intreb seful", "approval_needed"),
    ("Paczka nie dotarla, nikt nie odpowiada", "contact_difficulty"),
])
def test_text_typed_without_diacritics_is_understood(clf, text, label):
    assert label in labels_of(clf.classify(text))


# -- negation, intensifiers, diminishers, contrast --------------------------------------------------

@pytest.mark.parametrize("lang, praise, negated", [
    ("en", "The staff were helpful.", "The staff were not helpful."),
    ("pl", "Polecam ten sklep.", "Nie polecam tego sklepu."),
    ("ro", "Recomand acest magazin.", "Nu recomand acest magazin."),
    ("pl", "Lekarz był miły i kompetentny.", "Lekarz nie był miły."),
    ("ro", "Sunt mulțumit de produs.", "Nu sunt mulțumit de produs."),
])
def test_negated_praise_reads_as_criticism(clf, lang, praise, negated):
    assert clf.classify(praise, lang)["valence"] > 0
    assert clf.classify(negated, lang)["valence"] < 0


# The shipped model's banking-trained blockers read "PayPal ... discount" in a neutral sentence as a problem: learned
# behaviour, not lexicon data (the lexicon gives such topic words only a faint weight).
ENGINE_BANKING_BIAS = pytest.mark.xfail(strict=True, reason="learned banking blocker model fires on topic words")


@pytest.mark.parametrize("lang, text", [
    ("en", "No problems with the delivery, it came on time."),
    ("pl", "Nie było żadnych problemów z dostawą."),
    ("ro", "Nu am avut nicio problemă cu livrarea."),
])
def test_a_negated_problem_is_not_a_complaint(clf, lang, text):
    result = clf.classify(text, lang)
    assert result["valence"] > 0
    assert "delivery_problem" not in result["blockers"]
    assert result["complaint"] is False


@pytest.mark.parametrize("lang, text, valence_sign", [
    # Polish and Romanian stack negators: "nie ... żadnych", "nu ... nicio" is one negation, not two.
    ("pl", "Nie było z nimi żadnych problemów.", 1),
    ("pl", "Nie miałam żadnego kłopotu z zamówieniem.", 1),
    ("ro", "Nu a fost cu ei nicio problemă.", 1),
    ("pl", "Nie ma żadnego kontaktu ze sklepem.", -1),
    ("pl", "Nie było żadnej informacji o opóźnieniu.", -1),
    ("ro", "Nu am primit nicio informație despre comandă.", -1),
])
def test_stacked_negators_negate_once(clf, lang, text, valence_sign):
    assert clf.classify(text, lang)["valence"] * valence_sign > 0


@pytest.mark.parametrize("lang, plain, stronger", [
    ("en", "The support was good.", "The support was very good."),
    ("pl", "Obsługa była miła.", "Obsługa była bardzo miła."),
    ("ro", "Produsul este bun.", "Produsul este foarte bun."),
])
def test_an_intensifier_makes_praise_stronger(clf, lang, plain, stronger):
    assert clf.classify(stronger, lang)["valence"] > clf.classify(plain, lang)["valence"] > 0


@pytest.mark.parametrize("lang, plain, stronger", [
    ("en", "I was disappointed.", "I was extremely disappointed."),
    ("pl", "Jestem rozczarowana.", "Jestem bardzo rozczarowana."),
    ("ro", "Sunt dezamăgit.", "Sunt foarte dezamăgit."),
])
def test_an_intensifier_makes_criticism_stronger(clf, lang, plain, stronger):
    assert clf.classify(stronger, lang)["valence"] < clf.classify(plain, lang)["valence"] < 0


@pytest.mark.parametrize("lang, plain, weaker", [
    ("en", "I was disappointed.", "I was slightly disappointed."),
    ("pl", "Jestem rozczarowana.", "Jestem trochę rozczarowana."),
    ("ro", "Sunt dezamăgit.", "Sunt puțin dezamăgit."),
])
def test_a_diminisher_softens_criticism(clf, lang, plain, weaker):
    assert clf.classify(plain, lang)["valence"] < clf.classify(weaker, lang)["valence"]


CONTRAST = [
    ("en", "Fast delivery but the app keeps crashing.", "fast delivery", "keeps crashing",
     "The app keeps crashing but the delivery was fast."),
    ("pl", "Szybka dostawa, ale aplikacja ciągle się zawiesza.", "szybka", "się zawiesza",
     "Aplikacja ciągle się zawiesza, ale dostawa była szybka."),
    ("ro", "Livrare rapidă, dar aplicația se blochează mereu.", "livrare rapidă", "se blochează",
     "Aplicația se blochează mereu, dar livrarea a fost rapidă."),
]


@pytest.mark.parametrize("lang, text, praise, problem, _reversed", CONTRAST)
def test_contrast_keeps_both_sides_as_evidence_and_leans_to_the_problem(clf, lang, text, praise, problem, _reversed):
    result = clf.classify(text, lang)
    assert any(praise in span for span in evidence_texts(result, "positive"))
    assert_label_with_evidence(result, "website_usability", problem)
    assert result["valence"] < 0
    # The problem after "but" does not make the praised delivery a problem too.
    assert "delivery_problem" not in result["blockers"]


@pytest.mark.parametrize("lang, text, _praise, _problem, reversed_text", CONTRAST)
def test_the_clause_after_but_weighs_more(clf, lang, text, _praise, _problem, reversed_text):
    assert clf.classify(text, lang)["valence"] < clf.classify(reversed_text, lang)["valence"]


# -- blockers as e-commerce, bank and telecom customers write them -------------------------------------

BLOCKER_SENTENCES = [
    ("en", "How much does the premium plan cost per month?", "pricing_unclear"),
    ("en", "There were hidden fees I only saw on the invoice.", "pricing_unclear"),
    ("pl", "Ile kosztuje dostawa do paczkomatu?", "pricing_unclear"),
    ("pl", "W koszyku pojawiły się ukryte opłaty.", "pricing_unclear"),
    ("ro", "Cât costă livrarea în easybox?", "pricing_unclear"),
    ("ro", "Am găsit taxe ascunse la finalizarea comenzii.", "pricing_unclear"),
    ("en", "My card was declined at checkout three times.", "checkout_friction"),
    ("en", "I couldn't pay, the payment page keeps failing.", "checkout_friction"),
    ("pl", "Nie mogę zapłacić kartą, płatność jest odrzucana.", "checkout_friction"),
    ("pl", "Karta została odrzucona przy płatności.", "checkout_friction"),
    ("ro", "Nu pot plăti cu cardul, tranzacția a eșuat.", "checkout_friction"),
    ("ro", "Cardul a fost respins de două ori.", "checkout_friction"),
    ("en", "There is no information about the size of this jacket.", "information_gap"),
    ("en", "The description doesn't say whether batteries are included.", "information_gap"),
    ("pl", "Brak informacji o składzie produktu.", "information_gap"),
    ("pl", "Nikt mnie nie poinformował o zmianie terminu.", "information_gap"),
    ("ro", "Nu există informații despre mărime.", "information_gap"),
    ("ro", "Nu am fost informat că livrarea se amână.", "information_gap"),
    ("en", "Nobody answers the phone, I was on hold for an hour.", "contact_difficulty"),
    ("en", "I emailed support twice and never got a reply.", "contact_difficulty"),
    ("pl", "Nikt nie odbiera telefonu na infolinii.", "contact_difficulty"),
    ("pl", "Piszę trzeci raz i brak odpowiedzi.", "contact_difficulty"),
    ("ro", "Nu răspunde nimeni la telefon.", "contact_difficulty"),
    ("ro", "Am scris de trei ori și nu am primit niciun răspuns.", "contact_difficulty"),
    ("en", "Where is my parcel? It still hasn't arrived.", "delivery_problem"),
    ("en", "The order was marked as delivered but I never received it.", "delivery_problem"),
    ("pl", "Paczka nie dotarła, a minęły dwa tygodnie.", "delivery_problem"),
    ("pl", "Gdzie jest moja przesyłka? Kurier nie przyjechał.", "delivery_problem"),
    ("ro", "Nu am primit coletul nici acum.", "delivery_problem"),
    ("ro", "Unde este comanda mea? A trecut o săptămână.", "delivery_problem"),
    ("en", "The kettle stopped working after a week.", "product_defect"),
    ("en", "The screen arrived cracked.", "product_defect"),
    ("pl", "Czajnik przestał działać po tygodniu.", "product_defect"),
    ("pl", "Telefon przyszedł z pękniętym ekranem.", "product_defect"),
    ("ro", "Fierbătorul s-a stricat după o săptămână.", "product_defect"),
    ("ro", "Telefonul a venit cu ecranul crăpat.", "product_defect"),
    ("en", "How do I return these shoes?", "returns_friction"),
    ("en", "I sent the item back a month ago and my refund still not received.", "returns_friction"),
    ("pl", "Jak zwrócić buty, które nie pasują?", "returns_friction"),
    ("pl", "Czekam na zwrot pieniędzy od miesiąca.", "returns_friction"),
    ("ro", "Cum returnez produsul?", "returns_friction"),
    ("ro", "Încă aștept banii înapoi pentru retur.", "returns_friction"),
    ("en", "The website keeps crashing when I try to log in.", "website_usability"),
    ("en", "I can't log in to the app, it says my password is wrong.", "website_usability"),
    ("pl", "Strona ciągle się zawiesza i nie mogę się zalogować.", "website_usability"),
    ("pl", "Aplikacja wyrzuca błąd przy logowaniu.", "website_usability"),
    ("ro", "Site-ul se blochează mereu la logare.", "website_usability"),
    ("ro", "Nu mă pot loga în aplicație.", "website_usability"),
    ("en", "Is this a scam? I don't recognise this transaction.", "trust_concern"),
    ("pl", "Czy to nie oszustwo? Nie ufam temu sklepowi.", "trust_concern"),
    ("ro", "E o țeapă, nu am încredere în site-ul ăsta.", "trust_concern"),
]


# -- customer-side decisions in words the lexicon was not written for ----------------------------------
# Held out: written together with a larger probe, before the approval, value, budget and timing entries were
# extended, and run only afterwards, so they check that the entries reach beyond the sentences they were
# written from. Held-out sentences that failed were answered in the lexicon and replaced by fresh ones; fresh
# ones that failed too are kept as strict xfails (gaps to close, then move up).

LEXICON_GAP = pytest.mark.xfail(strict=True, reason="held-out phrasing the lexicon does not cover yet")

HELD_OUT_DECISIONS = [
    ("en", "It's a bit beyond what we can spend this year.", "budget_constraint"),
    ("en", "We're in the middle of moving offices, so maybe later.", "timing"),
    ("en", "I'm not convinced the upgrade would change much for us.", "value_uncertainty"),
    ("en", "Is the premium plan really worth it for a small team?", "value_uncertainty"),
    ("en", "Maybe once the busy season is over.", "timing"),
    pytest.param("en", "We can't buy anything without the CFO saying yes.", "approval_needed", marks=LEXICON_GAP),
    pytest.param("en", "My partner and I decide these things together, I'll ask her tonight.", "approval_needed",
                 marks=LEXICON_GAP),
    ("pl", "Zanim coś zamówimy, musi to zatwierdzić dyrektor.", "approval_needed"),
    ("pl", "Szczerze mówiąc, nie wiem, czy to się zwróci.", "value_uncertainty"),
    ("pl", "Niestety, na razie nie mamy na to budżetu.", "budget_constraint"),
    ("pl", "Na razie nie mamy środków na takie wydatki.", "budget_constraint"),
    ("pl", "Odezwę się po sezonie urlopowym.", "timing"),
    ("pl", "Teraz to nie jest odpowiedni moment, mamy remont.", "timing"),
    pytest.param("pl", "Szczerze, nie wiem, jaki to ma sens dla nas.", "value_uncertainty", marks=LEXICON_GAP),
    ("ro", "Trebuie să obțin aprobarea directorului mai întâi.", "approval_needed"),
    ("ro", "Nu știu dacă ne-ar ajuta cu ceva.", "value_uncertainty"),
    ("ro", "Sincer, nu sunt sigură că merită banii.", "value_uncertainty"),
    ("ro", "Din păcate nu avem bani alocați pentru asta anul acesta.", "budget_constraint"),
    ("ro", "Nu ne permitem o asemenea cheltuială acum.", "budget_constraint"),
    ("ro", "Acum nu e momentul, ne mutăm în altă casă.", "timing"),
    pytest.param("ro", "Ne auzim după ce trece perioada aglomerată.", "timing", marks=LEXICON_GAP),
]


@pytest.mark.parametrize("lang, text, blocker", BLOCKER_SENTENCES + HELD_OUT_DECISIONS)
def test_blockers_customers_write_to_support_are_found(clf, lang, text, blocker):
    result = clf.classify(text, lang)
    assert blocker in result["blockers"], result["blockers"]
    assert evidence_texts(result, blocker)


@pytest.mark.parametrize("lang, text", [
    ("en", "I ordered a blue sweater for my daughter."),
    ("en", "We use the app every morning to plan the day."),
    pytest.param("en", "I paid with PayPal and used a discount code.", marks=ENGINE_BANKING_BIAS),
    ("pl", "Zamówiłam niebieski sweter dla córki."),
    ("pl", "Korzystamy z aplikacji codziennie rano."),
    ("pl", "Kurier przywiózł paczkę na czas, śledzenie przesyłki działało."),
    ("ro", "Am comandat un pulover albastru pentru fiica mea."),
    ("ro", "Folosim aplicația în fiecare dimineață."),
    ("ro", "Curierul a adus coletul la timp."),
    # Praise of a topic is no problem with it, though the banking-trained model reads its topic words.
    ("en", "The delivery was quick and the courier was friendly."),
    ("en", "Checkout was easy and the payment went through at once."),
    ("pl", "Dostawa była szybka, a kurier bardzo miły."),
    ("ro", "Livrarea a fost rapidă, iar curierul foarte amabil."),
    # Held out with HELD_OUT_DECISIONS.
    ("en", "Our manager ordered three licences for the new hires."),
    ("en", "The parcel came on Monday and everything was there."),
    ("pl", "Księgowa dostała fakturę od razu."),
    ("pl", "Kupiłam to mamie na urodziny i bardzo się jej podoba."),
    ("ro", "Managerul nostru a comandat trei licențe noi."),
    ("ro", "Am primit coletul luni și totul era în regulă."),
])
def test_neutral_sentences_name_no_blocker(clf, lang, text):
    assert clf.classify(text, lang)["blockers"] == []


@pytest.mark.parametrize("lang, text", [
    ("pl", "Zamówiłam niebieski sweter dla córki."),
    ("pl", "Płaciłem kartą."),
    ("ro", "Am plătit cu cardul."),
    ("en", "I paid by card."),
])
def test_a_plain_statement_shows_no_positive_emotion(clf, lang, text):
    """Polish review sentences, which the learned model learned from, are mostly praise: it read joy into these."""
    from webapp.analysis.engine.labels import POSITIVE_EMOTIONS

    assert not set(clf.classify(text, lang)["emotions"]) & set(POSITIVE_EMOTIONS)


# -- emotions, emoji and complaints ---------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "pl", "ro"])
@pytest.mark.parametrize("emoji, emotion", [("😡", "anger"), ("😍", "joy"), ("😢", "disappointment"),
                                            ("🙏", "relief"), ("🤔", "uncertainty"), ("😱", "fear")])
def test_emoji_carry_their_emotion_in_every_language(clf, lang, emoji, emotion):
    assert emotion in clf.classify(emoji, lang)["emotions"]


@pytest.mark.parametrize("lang, text, emotion", [
    ("en", "I'm so frustrated with this process.", "frustration"),
    ("en", "Honestly I'm embarrassed I fell for it.", "shame"),
    # English emotions are the learned model's call (a cue lifts a label to 0.6 of its strength at most: chosen on
    # dev); since the 2026-12-05 model this sentence's relief scores 0.28 against a threshold of 0.29.
    pytest.param("en", "What a relief, the money is back on my account.", "relief",
                 marks=pytest.mark.xfail(strict=True, reason="learned English relief just under its threshold")),
    ("en", "I'm proud I managed to set it up myself.", "pride"),
    ("en", "I'm anxious about whether it will arrive in time.", "anxiety"),
    ("pl", "Jestem sfrustrowany, trzeci raz to samo.", "frustration"),
    ("pl", "Wstyd mi, że dałem się nabrać.", "shame"),
    ("pl", "Odetchnąłem z ulgą, pieniądze wróciły.", "relief"),
    ("pl", "Jestem dumna, że sama to skonfigurowałam.", "pride"),
    ("pl", "Jestem niepewny, który model wybrać.", "uncertainty"),
    ("pl", "Martwię się, czy paczka dojdzie na czas.", "anxiety"),
    ("pl", "Bardzo się rozczarowałam tym produktem.", "disappointment"),
    ("ro", "Sunt frustrat, a treia oară la fel.", "frustration"),
    ("ro", "Mi-e rușine că am crezut oferta.", "shame"),
    ("ro", "Ce ușurare, banii au revenit în cont.", "relief"),
    ("ro", "Sunt mândru că l-am instalat singur.", "pride"),
    ("ro", "Nu sunt sigur ce model să aleg.", "uncertainty"),
    ("ro", "Sunt îngrijorat că nu ajunge la timp.", "anxiety"),
    ("ro", "Sunt foarte dezamăgit de produs.", "disappointment"),
    ("ro", "Mi-e frică să mai plătesc online.", "fear"),
])
def test_emotions_without_learned_data_in_a_language_come_from_the_lexicon(clf, lang, text, emotion):
    assert emotion in clf.classify(text, lang)["emotions"]


@pytest.mark.parametrize("lang, text", [
    ("en", "This is unacceptable, I want to file a complaint."),
    ("pl", "To skandal, składam skargę i żądam zwrotu pieniędzy."),
    ("ro", "Este inadmisibil, fac reclamație la ANPC."),
])
def test_complaint_cues_make_a_complaint(clf, lang, text):
    assert clf.classify(text, lang)["complaint"] is True


@pytest.mark.parametrize("lang, text", [
    ("en", "Great service, thank you so much!"),
    ("pl", "Świetna obsługa, serdecznie dziękuję!"),
    ("ro", "Servicii excelente, vă mulțumesc frumos!"),
])
def test_praise_is_no_complaint(clf, lang, text):
    result = clf.classify(text, lang)
    assert result["complaint"] is False and result["valence"] > 0


@pytest.mark.parametrize("lang, text, blockers", [
    # One problem, read twice: the weaker company-side reading is held back.
    ("en", "The payment page froze and I couldn't place the order.", {"checkout_friction"}),
    ("en", "There is no information about delivery times to my country.", {"information_gap"}),
    # Doubt about the company, read faintly beside a failed payment, is the same problem.
    ("en", "My card payment was unsuccessful again.", {"checkout_friction"}),
    # Two problems in two clauses: both stay.
    ("en", "Checkout kept failing, nobody answers the phone.", {"checkout_friction", "contact_difficulty"}),
    ("pl", "Płatność kartą nie przeszła, a na infolinii nikt nie odbiera.", {"checkout_friction", "contact_difficulty"}),
    ("ro", "Plata nu a mers și nu răspunde nimeni la telefon.", {"checkout_friction", "contact_difficulty"}),
    # A topic in another clause than the problem word is no problem: paying by card is not.
    ("pl", "Zapłaciłem kartą i czekam na paczkę.", {"delivery_problem"}),
    ("ro", "Am plătit cu cardul și aștept coletul.", {"delivery_problem"}),
    # A question mark ends a clause too.
    ("en", "Is VAT included in the price? The product page does not say.", {"pricing_unclear", "information_gap"}),
])
def test_a_weaker_second_reading_of_one_problem_is_held_back_and_two_problems_stay(clf, lang, text, blockers):
    from webapp.analysis.engine.labels import COMPANY_BLOCKERS

    assert set(clf.classify(text, lang)["blockers"]) & (set(COMPANY_BLOCKERS) | {"trust_concern"}) == blockers


@pytest.mark.parametrize("text, blockers", [
    # The banking-trained model reads a refund request; "haven't received" alone would name a delivery problem.
    ("I need my money back, I never received the order.", {"returns_friction"}),
    ("I want a refund, my package never arrived.", {"returns_friction"}),
    # Problems the learned model does not read both stay.
    ("The parcel never arrived and nobody answers the phone.", {"delivery_problem", "contact_difficulty"}),
])
def test_a_problem_the_learned_model_reads_holds_back_the_lexicons_second_reading(clf, text, blockers):
    from webapp.analysis.engine.labels import COMPANY_BLOCKERS

    result = clf.classify(text, "en")
    assert set(result["blockers"]) & (set(COMPANY_BLOCKERS) | {"trust_concern"}) == blockers


@pytest.mark.parametrize("lang, text, blocker", [
    # A contact channel with a word of waiting or failing next to it: no phrase of the lexicon says these.
    ("en", "I've been stuck in the chat queue for 40 minutes.", "contact_difficulty"),
    ("en", "Your support email bounces back every time I write.", "contact_difficulty"),
    ("en", "The chatbot keeps sending me in circles.", "contact_difficulty"),
    ("pl", "Czekam na czacie od godziny.", "contact_difficulty"),
    ("pl", "Piszę maile od tygodnia, nikt z obsługi się nie odezwał.", "contact_difficulty"),
    ("ro", "Nu pot da de nimeni la serviciul clienți.", "contact_difficulty"),
    ("ro", "Aștept pe chat de o oră.", "contact_difficulty"),
    # The problem word belongs to the nearest topic: the page is the problem, not the product.
    ("en", "Every time I click on a product the page just goes blank.", "website_usability"),
])
def test_a_word_of_waiting_or_failing_makes_the_topic_beside_it_a_problem(clf, lang, text, blocker):
    from webapp.analysis.engine.labels import COMPANY_BLOCKERS

    result = clf.classify(text, lang)
    assert set(result["blockers"]) & set(COMPANY_BLOCKERS) == {blocker}
    # The evidence is the topic with the word that makes it a problem.
    assert len(max(evidence_texts(result, blocker), key=len).split()) >= 2


@pytest.mark.parametrize("lang, text", [
    # Banking's "still waiting for my card" taught the learned model that waiting is a delivery problem.
    pytest.param("en", "Waiting for the weekend to try it out.", marks=ENGINE_BANKING_BIAS),
    ("en", "Can't wait for the weekend to try it out."),
    ("en", "The chat was quick, no waiting at all."),
    ("pl", "Czekam na weekend, żeby to przetestować."),
    ("ro", "Aștept weekendul ca să îl încerc."),
])
def test_a_word_of_waiting_with_no_troubled_topic_names_no_problem(clf, lang, text):
    from webapp.analysis.engine.labels import COMPANY_BLOCKERS

    assert not set(clf.classify(text, lang)["blockers"]) & set(COMPANY_BLOCKERS)


# The probe that found the gaps (each named only the emotion, or nothing): the blocker is now there.
@pytest.mark.parametrize("lang, text, blocker", [
    ("en", "Not sure this will change anything for our team.", "value_uncertainty"),
    ("en", "I don't know what difference it would make for us.", "value_uncertainty"),
    ("en", "I can't tell what we would actually gain from it.", "value_uncertainty"),
    ("en", "Will it really improve anything? Hard to say.", "value_uncertainty"),
    ("en", "Not the right moment, we're moving house.", "timing"),
    ("pl", "Nie wiem, czy to coś zmieni.", "value_uncertainty"),
    ("pl", "Nie wiem, czy to się nam opłaci.", "value_uncertainty"),
    ("pl", "Trudno powiedzieć, czy to cokolwiek poprawi.", "value_uncertainty"),
    ("pl", "Księgowość musi wyrazić zgodę.", "approval_needed"),
    ("pl", "To przekracza nasz budżet.", "budget_constraint"),
    ("pl", "To nie jest dobry moment.", "timing"),
    ("ro", "Nu știu dacă va schimba ceva.", "value_uncertainty"),
    ("ro", "Nu știu dacă se merită.", "value_uncertainty"),
])
def test_the_probe_of_decision_phrasings_finds_its_blockers(clf, lang, text, blocker):
    result = clf.classify(text, lang)
    assert blocker in result["blockers"], result["blockers"]
    assert result["complaint"] is False


@pytest.mark.parametrize("lang, text, blocker", [
    ("en", "We'll come back to it after the holidays.", "timing"),
    ("en", "I can't tell what we would actually gain from it.", "value_uncertainty"),
    ("en", "We simply don't have the money for this.", "budget_constraint"),
])
def test_a_reason_to_wait_brings_no_company_problem_of_the_learned_model(clf, lang, text, blocker):
    from webapp.analysis.engine.labels import COMPANY_BLOCKERS

    blockers = clf.classify(text, lang)["blockers"]
    assert blocker in blockers and not set(blockers) & set(COMPANY_BLOCKERS), blockers


@pytest.mark.parametrize("lang, text", [
    ("pl", "Szef musi to zatwierdzić."),
    ("ro", "Trebuie să mă consult cu soțul."),
    ("ro", "Șeful trebuie să aprobe comanda."),
    ("pl", "Nie wiem, czy to się opłaca."),
])
def test_a_reason_to_wait_is_no_anger(clf, lang, text):
    """The Polish and Romanian models learned anger from reviews and tweets; a customer's own reason to wait,
    with no word of anger and no complaint, shows none (nor disgust)."""
    emotions = clf.classify(text, lang)["emotions"]
    assert not {"anger", "disgust"} & set(emotions), emotions


def test_angry_words_beside_a_reason_to_wait_still_count(clf):
    assert "anger" in clf.classify("I have to ask my boss first and honestly I'm furious about your prices.", "en")["emotions"]


def test_a_company_problem_named_beside_a_reason_to_wait_stays(clf):
    result = clf.classify("I need to ask my boss, and your checkout keeps failing.", "en")
    assert {"approval_needed", "checkout_friction"} <= set(result["blockers"])


@pytest.mark.parametrize("lang, text", [
    ("en", "The parcel arrived two weeks late. Great."),
    ("pl", "Paczka przyszła uszkodzona. Super, dziękuję."),
    ("ro", "Coletul a ajuns cu o săptămână întârziere. Bravo!"),
])
def test_short_praise_after_a_named_problem_is_sarcasm(clf, lang, text):
    result = clf.classify(text, lang)
    assert result["valence"] < 0
    assert result["complaint"]


@pytest.mark.parametrize("lang, text", [
    ("en", "Parcel arrived two weeks late. Otherwise great."),
    ("en", "Fast delivery, friendly courier. Great!"),
    ("pl", "Paczka przyszła szybko. Super, dziękuję."),
])
def test_praise_that_is_a_verdict_stays_praise(clf, lang, text):
    assert clf.classify(text, lang)["valence"] > 0


@pytest.mark.parametrize("lang, text", [
    ("en", "Does this harness fit a dachshund? Sizes just say S M L, no measurements anywhere."),
    ("pl", "Brak wymiarów na stronie."),
    ("ro", "Nu există dimensiuni în descriere."),
])
def test_information_a_page_lacks_is_an_information_gap(clf, lang, text):
    assert "information_gap" in clf.classify(text, lang)["blockers"]


def test_no_problem_with_what_the_page_says_is_no_information_gap(clf):
    assert "information_gap" not in clf.classify("No problem with the dimensions, it fits.", "en")["blockers"]


@pytest.mark.parametrize("lang, text, blocker", [
    ("en", "The size filter doesn't do anything, I tick 42 and it shows everything.", "website_usability"),
    ("ro", "La finalizarea comenzii nu se întâmplă nimic.", "checkout_friction"),
    ("en", "Gonna wait for Black Friday, the air fryers will be cheaper then.", "timing"),
    ("pl", "Poczekam na Black Friday, może będzie taniej.", "timing"),
])
def test_failures_without_a_topic_of_their_own_take_the_topic_beside_them(clf, lang, text, blocker):
    assert blocker in clf.classify(text, lang)["blockers"]
