"""What the demo's customers write, in English, Polish and Romanian.

Each topic is one thing a customer of an online electronics shop talks about: the stage whose
question it answers, how they feel about it (mood, -2 to 2), the emotions they would pick, the
personas it happens to most, and a handful of sentences per language. The demo composes answers
from these with a seeded random generator, so every run writes the same varied answers.
"""

EVALUATION, PURCHASE, SERVICE, LOYALTY = "evaluation", "purchase", "service", "loyalty"
FIRST_TIME, BUSINESS = "first_time", "business"

TOPICS = {
    # Evaluation: what held the customer back before deciding.
    "approval_boss": {
        "stage": EVALUATION, "mood": -1, "personas": (BUSINESS,),
        "emotions": ("uncertainty", "frustration"),
        "en": [
            "I had to wait almost two weeks for my boss to approve the order.",
            "Our purchasing department has to sign off on anything over 2,000, so the laptops sat in the cart for days.",
            "My manager wanted a formal offer on paper before approving anything.",
            "I could not buy until the finance director said yes, and she was on holiday.",
            "We need two signatures for hardware; nothing on your site helps with that.",
        ],
        "pl": [
            "Musiałem czekać prawie dwa tygodnie, aż szef zatwierdzi zamówienie.",
            "U nas każdy zakup powyżej 2000 zł musi zatwierdzić dział zakupów, więc laptopy długo leżały w koszyku.",
            "Kierownik chciał najpierw oficjalną ofertę na piśmie.",
            "Nie mogłam kupić, dopóki dyrektor finansowy nie wyraził zgody, a był na urlopie.",
            "Na sprzęt potrzebujemy dwóch podpisów, a wasza strona w niczym tu nie pomaga.",
        ],
        "ro": [
            "A trebuit să aștept aproape două săptămâni aprobarea șefului.",
            "Orice achiziție peste 2.000 de lei trebuie aprobată de departamentul de achiziții, așa că laptopurile au stat zile întregi în coș.",
            "Managerul meu a vrut mai întâi o ofertă oficială pe hârtie.",
            "Nu am putut cumpăra până nu a aprobat directorul financiar, care era în concediu.",
        ],
    },
    "approval_spouse": {
        "stage": EVALUATION, "mood": 0, "personas": (FIRST_TIME,),
        "emotions": ("uncertainty",),
        "en": [
            "I wanted to talk it over with my wife first, it is a big expense for us.",
            "My husband and I argued for a week about whether we really need a new TV.",
            "I saved the cart and waited until my partner had a look at it too.",
            "I asked my parents before buying, they were paying half.",
        ],
        "pl": [
            "Chciałem najpierw porozmawiać z żoną, to dla nas duży wydatek.",
            "Z mężem tydzień się zastanawialiśmy, czy naprawdę potrzebujemy nowego telewizora.",
            "Zapisałam koszyk i poczekałam, aż partner też go obejrzy.",
            "Zapytałem rodziców przed zakupem, bo dokładali połowę.",
        ],
        "ro": [
            "Am vrut să vorbesc mai întâi cu soția, e o cheltuială mare pentru noi.",
            "Eu și soțul meu ne-am gândit o săptămână dacă chiar avem nevoie de un televizor nou.",
            "Am salvat coșul și am așteptat să se uite și partenerul meu.",
            "I-am întrebat pe părinți înainte, pentru că ei plăteau jumătate.",
        ],
    },
    "value_uncertainty": {
        "stage": EVALUATION, "mood": -1, "personas": (FIRST_TIME, BUSINESS),
        "emotions": ("uncertainty", "anxiety"),
        "en": [
            "I was not sure the new router would actually fix our Wi-Fi problems.",
            "Honestly I still don't know if the more expensive model is worth it.",
            "Nobody could tell me what the upgrade would really change for my team.",
            "Hard to tell from the description whether it is better than what I already have.",
        ],
        "pl": [
            "Nie byłem pewien, czy nowy router naprawdę rozwiąże nasze problemy z Wi-Fi.",
            "Szczerze mówiąc, nadal nie wiem, czy droższy model jest wart swojej ceny.",
            "Nikt nie umiał mi powiedzieć, co ta zmiana sprzętu da mojemu zespołowi.",
            "Z opisu trudno ocenić, czy to lepsze od tego, co już mam.",
        ],
        "ro": [
            "Nu eram sigur că noul router chiar va rezolva problemele cu Wi-Fi.",
            "Sincer, încă nu știu dacă modelul mai scump merită banii.",
            "Nimeni nu mi-a putut spune ce va schimba de fapt noul echipament pentru echipa mea.",
            "E greu de spus din descriere dacă e mai bun decât ce am deja.",
        ],
    },
    "no_quote": {
        "stage": EVALUATION, "mood": -2, "personas": (BUSINESS,),
        "emotions": ("frustration", "disappointment"),
        "en": [
            "I asked for a quote for 15 monitors and got an answer only after six days.",
            "There is no way to get a quick quote with VAT for a company, I had to call three times.",
            "The quote form just says 'we will contact you' and then nothing happens.",
            "A competitor sent me a proforma invoice within an hour; you needed a week.",
        ],
        "pl": [
            "Poprosiłem o wycenę 15 monitorów i odpowiedź dostałem dopiero po sześciu dniach.",
            "Nie da się szybko dostać wyceny z VAT dla firmy, musiałam dzwonić trzy razy.",
            "Formularz wyceny mówi tylko „skontaktujemy się” i potem cisza.",
            "Konkurencja przysłała fakturę proforma w godzinę, wam zajęło to tydzień.",
        ],
        "ro": [
            "Am cerut o ofertă pentru 15 monitoare și am primit răspuns abia după șase zile.",
            "Nu există o cale rapidă de a primi o ofertă cu TVA pentru firmă, am sunat de trei ori.",
            "Formularul de ofertă spune doar „vă contactăm” și apoi nimic.",
            "Un concurent mi-a trimis factura proformă într-o oră, voi ați avut nevoie de o săptămână.",
        ],
    },
    "missing_info": {
        "stage": EVALUATION, "mood": -1, "personas": (FIRST_TIME, BUSINESS),
        "emotions": ("uncertainty", "frustration"),
        "en": [
            "The product page did not say whether the charger is included.",
            "I could not find the exact dimensions anywhere, so I measured the shelf twice and still guessed.",
            "No information on which laptops the docking station is compatible with.",
            "The specs tab was empty for half the products I compared.",
            "Warranty terms were impossible to find before buying.",
        ],
        "pl": [
            "Na stronie produktu nie było napisane, czy ładowarka jest w zestawie.",
            "Nigdzie nie znalazłam dokładnych wymiarów, więc zgadywałam.",
            "Brak informacji, z którymi laptopami działa stacja dokująca.",
            "Zakładka ze specyfikacją była pusta w połowie porównywanych produktów.",
            "Przed zakupem nie dało się znaleźć warunków gwarancji.",
        ],
        "ro": [
            "Pe pagina produsului nu scria dacă încărcătorul e inclus.",
            "Nu am găsit nicăieri dimensiunile exacte, așa că am ghicit.",
            "Nicio informație despre laptopurile compatibile cu stația de andocare.",
            "Fila cu specificații era goală la jumătate din produsele comparate.",
            "Condițiile de garanție erau imposibil de găsit înainte de cumpărare.",
        ],
    },
    "price_high": {
        "stage": EVALUATION, "mood": -1, "personas": (FIRST_TIME, BUSINESS),
        "emotions": ("disappointment", "suspicion"),
        "en": [
            "The price is too high compared to other shops, I almost went elsewhere.",
            "Shipping costs only appeared at the very last step, that felt sneaky.",
            "Two days after I ordered, the same headphones were 20% cheaper.",
            "Way too expensive for what it is, to be honest.",
        ],
        "pl": [
            "Cena jest za wysoka w porównaniu z innymi sklepami, prawie kupiłem gdzie indziej.",
            "Koszt dostawy pojawił się dopiero na ostatnim kroku, to nie fair.",
            "Dwa dni po zamówieniu te same słuchawki były tańsze o 20%.",
            "Zdecydowanie za drogo jak na to, co to jest.",
        ],
        "ro": [
            "Prețul e prea mare față de alte magazine, aproape am cumpărat de altundeva.",
            "Costul livrării a apărut abia la ultimul pas, nu e corect.",
            "La două zile după comandă, aceleași căști erau cu 20% mai ieftine.",
            "Mult prea scump pentru ce oferă, sincer.",
        ],
    },
    "evaluation_good": {
        "stage": EVALUATION, "mood": 2, "personas": (FIRST_TIME, BUSINESS),
        "emotions": ("confidence", "trust"),
        "en": [
            "The comparison table made the choice really easy.",
            "The chat advisor explained the difference between the two models in five minutes.",
            "Reviews from real buyers convinced me, thank you for not hiding the bad ones.",
            "Everything I needed to know was on the product page.",
        ],
        "pl": [
            "Tabela porównawcza bardzo ułatwiła wybór.",
            "Konsultant na czacie w pięć minut wyjaśnił różnicę między modelami.",
            "Przekonały mnie opinie prawdziwych kupujących, dzięki, że nie ukrywacie tych złych.",
            "Wszystko, co chciałam wiedzieć, było na stronie produktu.",
        ],
        "ro": [
            "Tabelul de comparație a făcut alegerea foarte ușoară.",
            "Consultantul de pe chat mi-a explicat diferența dintre modele în cinci minute.",
            "Recenziile cumpărătorilor reali m-au convins, mulțumesc că nu le ascundeți pe cele negative.",
            "Tot ce voiam să știu era pe pagina produsului.",
        ],
    },
    # Purchase: cart, checkout and payment.
    "card_declined": {
        "stage": PURCHASE, "mood": -2, "personas": (FIRST_TIME, BUSINESS),
        "emotions": ("frustration", "anxiety"),
        "en": [
            "My card was declined three times although my bank says everything was fine.",
            "Payment failed at the last step and I had no idea whether I had been charged.",
            "The 3-D Secure window never loaded on my phone, so the card payment kept failing.",
            "I was charged twice after the payment page froze. Still waiting for the refund!",
        ],
        "pl": [
            "Karta została odrzucona trzy razy, chociaż bank twierdzi, że wszystko było w porządku.",
            "Płatność nie przeszła na ostatnim kroku i nie wiedziałem, czy pobrano pieniądze.",
            "Okno 3-D Secure nie ładowało się na telefonie, więc płatność kartą ciągle się nie udawała.",
            "Pobrano mi pieniądze dwa razy, gdy strona płatności się zawiesiła. Nadal czekam na zwrot!",
        ],
        "ro": [
            "Cardul mi-a fost respins de trei ori, deși banca spune că totul era în regulă.",
            "Plata a eșuat la ultimul pas și nu știam dacă mi s-au luat banii.",
            "Fereastra 3-D Secure nu s-a încărcat pe telefon, așa că plata cu cardul tot eșua.",
            "Mi s-au luat banii de două ori după ce pagina de plată s-a blocat. Încă aștept rambursarea!",
        ],
    },
    "coupon_failed": {
        "stage": PURCHASE, "mood": -1, "personas": (FIRST_TIME,),
        "emotions": ("frustration", "disappointment"),
        "en": [
            "The discount code from your newsletter said 'invalid' at checkout.",
            "The coupon worked in the cart but disappeared when I went to pay.",
            "I spent twenty minutes trying to apply the Black Friday code, then gave up and paid full price.",
            "Promo code failed, chat told me to try again later. Not great.",
        ],
        "pl": [
            "Kod rabatowy z newslettera przy kasie był „nieprawidłowy”.",
            "Kupon działał w koszyku, ale zniknął przy płatności.",
            "Dwadzieścia minut próbowałam użyć kodu z Black Friday, w końcu zapłaciłam pełną cenę.",
            "Kod promocyjny nie zadziałał, na czacie kazali spróbować później. Słabo.",
        ],
        "ro": [
            "Codul de reducere din newsletter apărea „invalid” la finalizarea comenzii.",
            "Cuponul a mers în coș, dar a dispărut când am trecut la plată.",
            "Am încercat douăzeci de minute să aplic codul de Black Friday, apoi am renunțat și am plătit prețul întreg.",
            "Codul promoțional nu a mers, pe chat mi-au zis să încerc mai târziu. Nu prea bine.",
        ],
    },
    "checkout_usability": {
        "stage": PURCHASE, "mood": -1, "personas": (FIRST_TIME, BUSINESS),
        "emotions": ("frustration", "anger"),
        "en": [
            "The checkout form kept clearing my address every time I changed the delivery option.",
            "There is no field for a company tax number, I had to write it in the comments.",
            "Creating an account just to pay was annoying.",
            "The app crashed twice while I was entering my card details.",
        ],
        "pl": [
            "Formularz zamówienia kasował adres za każdym razem, gdy zmieniałem sposób dostawy.",
            "Nie ma pola na NIP firmy, musiałam wpisać go w uwagach.",
            "Zakładanie konta tylko po to, żeby zapłacić, było irytujące.",
            "Aplikacja dwa razy się wysypała przy wpisywaniu danych karty.",
        ],
        "ro": [
            "Formularul de comandă îmi ștergea adresa de fiecare dată când schimbam modul de livrare.",
            "Nu există câmp pentru CUI-ul firmei, a trebuit să-l scriu la observații.",
            "Să-mi fac cont doar ca să pot plăti a fost enervant.",
            "Aplicația s-a închis de două ori în timp ce introduceam datele cardului.",
        ],
    },
    "checkout_good": {
        "stage": PURCHASE, "mood": 2, "personas": (FIRST_TIME, BUSINESS),
        "emotions": ("joy", "confidence"),
        "en": [
            "Checkout took less than a minute, paid with Apple Pay and done.",
            "Very smooth ordering, the invoice for my company was generated automatically.",
            "Paying in instalments was simple and clearly explained.",
            "Easy and quick, no surprises at the end.",
        ],
        "pl": [
            "Zamówienie zajęło mniej niż minutę, zapłaciłem BLIK-iem i gotowe.",
            "Bardzo sprawne zamawianie, faktura na firmę wygenerowała się sama.",
            "Zakup na raty był prosty i jasno wytłumaczony.",
            "Szybko i łatwo, bez niespodzianek na końcu.",
        ],
        "ro": [
            "Comanda a durat mai puțin de un minut, am plătit cu cardul și gata.",
            "Comandă foarte simplă, factura pe firmă s-a generat automat.",
            "Plata în rate a fost simplă și clar explicată.",
            "Rapid și ușor, fără surprize la final.",
        ],
    },
    # Post-purchase service: delivery, defects, returns, support.
    "late_delivery": {
        "stage": SERVICE, "mood": -2, "personas": (FIRST_TIME, BUSINESS),
        "emotions": ("frustration", "disappointment"),
        "en": [
            "Delivery was promised in 2 days and took 9.",
            "The tracking link said 'delivered' but nothing arrived for three more days.",
            "The courier never called and left a note saying I was not home. I was home.",
            "I needed the laptop for a trip and it arrived the day after I left.",
        ],
        "pl": [
            "Dostawa miała być w 2 dni, a trwała 9.",
            "Śledzenie przesyłki pokazywało „doręczono”, a paczka przyszła dopiero po trzech dniach.",
            "Kurier nie zadzwonił i zostawił awizo, że mnie nie było. Byłam w domu.",
            "Laptop był mi potrzebny na wyjazd, a przyszedł dzień po moim wyjeździe.",
        ],
        "ro": [
            "Livrarea era promisă în 2 zile și a durat 9.",
            "Linkul de urmărire spunea „livrat”, dar coletul a venit abia după încă trei zile.",
            "Curierul nu a sunat și a lăsat un aviz că nu eram acasă. Eram acasă.",
            "Aveam nevoie de laptop pentru o călătorie și a ajuns a doua zi după ce am plecat.",
        ],
    },
    "defect": {
        "stage": SERVICE, "mood": -2, "personas": (FIRST_TIME, BUSINESS),
        "emotions": ("disappointment", "anger"),
        "en": [
            "The screen had a dead pixel right in the middle out of the box.",
            "The headphones stopped charging after one week.",
            "Two of the ten keyboards we ordered had missing keys.",
            "The box was crushed and the tablet inside was scratched.",
        ],
        "pl": [
            "Ekran miał martwy piksel na samym środku zaraz po rozpakowaniu.",
            "Słuchawki przestały się ładować po tygodniu.",
            "Dwie z dziesięciu zamówionych klawiatur nie miały wszystkich klawiszy.",
            "Pudełko było zgniecione, a tablet w środku porysowany.",
        ],
        "ro": [
            "Ecranul avea un pixel mort chiar în mijloc, direct din cutie.",
            "Căștile nu se mai încarcă după o săptămână.",
            "Două din cele zece tastaturi comandate aveau taste lipsă.",
            "Cutia era turtită, iar tableta din ea era zgâriată.",
        ],
    },
    "returns_hassle": {
        "stage": SERVICE, "mood": -2, "personas": (FIRST_TIME, BUSINESS),
        "emotions": ("frustration", "suspicion"),
        "en": [
            "Returning the phone meant printing a label, but I don't own a printer.",
            "Three weeks after sending the return I still have not got my money back.",
            "The return form asks for the order number from an e-mail I never received.",
            "They rejected my return because of 'signs of use' on a sealed box.",
        ],
        "pl": [
            "Żeby zwrócić telefon, trzeba wydrukować etykietę, a nie mam drukarki.",
            "Trzy tygodnie po odesłaniu zwrotu nadal nie dostałem pieniędzy.",
            "Formularz zwrotu wymaga numeru zamówienia z maila, którego nigdy nie dostałam.",
            "Odrzucono mój zwrot z powodu „śladów użytkowania” na zafoliowanym pudełku.",
        ],
        "ro": [
            "Ca să returnez telefonul trebuia să printez o etichetă, dar nu am imprimantă.",
            "La trei săptămâni după ce am trimis returul, tot nu mi-am primit banii.",
            "Formularul de retur cere numărul comenzii dintr-un e-mail pe care nu l-am primit niciodată.",
            "Mi-au respins returul pentru „urme de folosire” pe o cutie sigilată.",
        ],
    },
    "support_unreachable": {
        "stage": SERVICE, "mood": -2, "personas": (FIRST_TIME, BUSINESS),
        "emotions": ("frustration", "anger"),
        "en": [
            "I waited 40 minutes on the phone and then the call dropped.",
            "Nobody answers e-mails, I wrote three times about my invoice.",
            "The chat bot kept sending me the same FAQ link instead of a human.",
            "Impossible to reach anyone at the weekend.",
        ],
        "pl": [
            "Czekałem 40 minut na infolinii, a potem rozmowa się rozłączyła.",
            "Nikt nie odpowiada na maile, pisałam trzy razy w sprawie faktury.",
            "Bot na czacie w kółko wysyłał mi ten sam link do FAQ zamiast połączyć z człowiekiem.",
            "W weekend nie da się do nikogo dodzwonić.",
        ],
        "ro": [
            "Am așteptat 40 de minute la telefon și apoi s-a întrerupt apelul.",
            "Nimeni nu răspunde la e-mailuri, am scris de trei ori despre factură.",
            "Robotul de pe chat îmi trimitea mereu același link de întrebări frecvente în loc de un om.",
            "În weekend e imposibil să dai de cineva.",
        ],
    },
    "staff_praise": {
        "stage": SERVICE, "mood": 2, "personas": (FIRST_TIME, BUSINESS),
        "emotions": ("trust", "relief"),
        "en": [
            "Anna from support sorted out my warranty claim in one call, thank you!",
            "The man on the phone was patient and explained everything twice.",
            "Your store staff in Kraków set up the laptop for me on the spot.",
            "Support replied within an hour and sent a replacement the same day.",
        ],
        "pl": [
            "Pani Anna z obsługi załatwiła reklamację w jednej rozmowie, dziękuję!",
            "Konsultant przez telefon był cierpliwy i wszystko wytłumaczył dwa razy.",
            "Obsługa w sklepie w Krakowie od razu skonfigurowała mi laptopa.",
            "Wsparcie odpisało w godzinę i jeszcze tego dnia wysłało wymianę.",
        ],
        "ro": [
            "Andreea de la suport mi-a rezolvat garanția dintr-un singur apel, mulțumesc!",
            "Domnul de la telefon a fost răbdător și mi-a explicat totul de două ori.",
            "Colegii voștri din magazinul din Cluj mi-au configurat laptopul pe loc.",
            "Suportul mi-a răspuns într-o oră și mi-a trimis un produs nou în aceeași zi.",
        ],
    },
    "delivery_good": {
        "stage": SERVICE, "mood": 2, "personas": (FIRST_TIME, BUSINESS),
        "emotions": ("joy", "relief"),
        "en": [
            "Ordered in the evening, it was at my door the next morning.",
            "Well packed and the courier called half an hour before arriving.",
            "Delivery to the parcel locker was fast and painless.",
            "Everything arrived on time and in perfect condition.",
        ],
        "pl": [
            "Zamówiłem wieczorem, a rano paczka była pod drzwiami.",
            "Dobrze zapakowane, kurier zadzwonił pół godziny przed przyjazdem.",
            "Dostawa do paczkomatu szybka i bezproblemowa.",
            "Wszystko przyszło na czas i w idealnym stanie.",
        ],
        "ro": [
            "Am comandat seara și dimineața coletul era la ușă.",
            "Bine ambalat, iar curierul a sunat cu o jumătate de oră înainte.",
            "Livrarea la easybox a fost rapidă și fără bătăi de cap.",
            "Totul a ajuns la timp și în stare perfectă.",
        ],
    },
    # Loyalty: coming back, recommending, what to improve.
    "loyal": {
        "stage": LOYALTY, "mood": 2, "personas": (FIRST_TIME, BUSINESS),
        "emotions": ("trust", "joy"),
        "en": [
            "I already recommended you to two colleagues.",
            "This was my third order and I will definitely be back.",
            "Keep doing what you do, it is the best electronics shop I know.",
            "The loyalty points actually add up to something, nice.",
        ],
        "pl": [
            "Poleciłem już was dwóm znajomym z pracy.",
            "To moje trzecie zamówienie i na pewno wrócę.",
            "Tak trzymać, to najlepszy sklep z elektroniką, jaki znam.",
            "Punkty lojalnościowe naprawdę się do czegoś przydają, fajnie.",
        ],
        "ro": [
            "V-am recomandat deja la doi colegi.",
            "A fost a treia mea comandă și cu siguranță mă întorc.",
            "Continuați tot așa, e cel mai bun magazin de electronice pe care îl știu.",
            "Punctele de fidelitate chiar contează, frumos.",
        ],
    },
    "churn": {
        "stage": LOYALTY, "mood": -2, "personas": (FIRST_TIME, BUSINESS),
        "emotions": ("disappointment", "anger"),
        "en": [
            "I won't order from you again until the returns process is fixed.",
            "Our company will move its hardware orders to another supplier.",
            "Stop sending me newsletters every day, please.",
            "Sorry, but after this experience I cannot recommend you.",
        ],
        "pl": [
            "Nie zamówię u was ponownie, dopóki nie naprawicie zwrotów.",
            "Nasza firma przeniesie zamówienia sprzętu do innego dostawcy.",
            "Proszę, przestańcie codziennie wysyłać newslettery.",
            "Przykro mi, ale po tym doświadczeniu nie mogę was polecić.",
        ],
        "ro": [
            "Nu mai comand de la voi până nu rezolvați retururile.",
            "Firma noastră își va muta comenzile de echipamente la alt furnizor.",
            "Vă rog, nu-mi mai trimiteți newslettere în fiecare zi.",
            "Îmi pare rău, dar după experiența asta nu vă pot recomanda.",
        ],
    },
    "improve_app": {
        "stage": LOYALTY, "mood": -1, "personas": (FIRST_TIME, BUSINESS),
        "emotions": ("frustration",),
        "en": [
            "Fix the mobile app, it keeps crashing when I open my orders.",
            "Please add a way to track all my company's orders in one place.",
            "Let me save my invoice details so I don't type them every time.",
            "A live chat that works at the weekend would help a lot.",
        ],
        "pl": [
            "Naprawcie aplikację, ciągle się zawiesza przy otwieraniu zamówień.",
            "Dodajcie możliwość śledzenia wszystkich zamówień firmy w jednym miejscu.",
            "Pozwólcie zapisać dane do faktury, żebym nie wpisywała ich za każdym razem.",
            "Czat działający w weekendy bardzo by pomógł.",
        ],
        "ro": [
            "Reparați aplicația, se blochează mereu când îmi deschid comenzile.",
            "Adăugați o modalitate de a urmări toate comenzile firmei într-un singur loc.",
            "Lăsați-mă să salvez datele de facturare ca să nu le scriu de fiecare dată.",
            "Un chat care să funcționeze și în weekend ar ajuta mult.",
        ],
    },
}

# Mixed feelings in one breath: something good, then something that spoiled it.
MIXED = {
    "en": [
        "Fast delivery, but the app keeps crashing.",
        "Great price, shame the courier was two days late.",
        "The laptop is excellent, the returns process for the charger was not.",
        "Staff in the store were lovely, the website much less so.",
        "Good product, terrible invoice handling.",
    ],
    "pl": [
        "Szybka dostawa, ale aplikacja ciągle się wiesza.",
        "Świetna cena, szkoda, że kurier spóźnił się dwa dni.",
        "Laptop super, gorzej ze zwrotem ładowarki.",
        "Obsługa w sklepie bardzo miła, strona internetowa dużo mniej.",
        "Dobry produkt, fatalna obsługa faktur.",
    ],
    "ro": [
        "Livrare rapidă, dar aplicația se blochează mereu.",
        "Preț foarte bun, păcat că a întârziat curierul două zile.",
        "Laptopul e excelent, returul încărcătorului nu prea.",
        "Personalul din magazin a fost minunat, site-ul mult mai puțin.",
        "Produs bun, gestionarea facturilor groaznică.",
    ],
}

# Said before or after the main point, by mood: >0 pleased, <0 unhappy.
OPENERS = {
    "en": {1: ["Overall very happy.", "Honestly, great job.", "All good!"],
           -1: ["Not impressed.", "Honestly, disappointing.", "What a hassle."],
           0: ["Mixed feelings.", "It was ok."]},
    "pl": {1: ["Ogólnie jestem bardzo zadowolony.", "Szczerze, świetna robota.", "Wszystko super!"],
           -1: ["Nie jestem zachwycona.", "Szczerze, rozczarowanie.", "Ale się namęczyłem."],
           0: ["Mieszane uczucia.", "Było ok."]},
    "ro": {1: ["Per total foarte mulțumit.", "Sincer, treabă foarte bună.", "Totul bine!"],
           -1: ["Nu sunt impresionată.", "Sincer, dezamăgitor.", "Ce bătaie de cap."],
           0: ["Sentimente amestecate.", "A fost ok."]},
}

EMOJI = {1: ["🙂", "👍", "😊", "🎉", "❤️"], -1: ["😡", "🙁", "😤", "👎", "🤦"], 0: ["🤷", "😐"]}

# What customers say when asked about a stage that went fine, without much to add.
SHORT_POSITIVE = {
    "en": ["No problems.", "Fine, thanks.", "Nothing to add, all good."],
    "pl": ["Bez problemów.", "W porządku, dzięki.", "Nie mam uwag, wszystko dobrze."],
    "ro": ["Fără probleme.", "Bine, mulțumesc.", "Nimic de adăugat, totul a fost bine."],
}
