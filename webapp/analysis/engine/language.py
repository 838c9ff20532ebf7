"""Language detection from function words, letters and scripts: cheap, and reliable on short texts.

English, Polish and Romanian must be told apart even without diacritics ("nu recomand", "nie polecam"),
so each has a longer word list; other languages are recognised well enough to be reported as
unsupported rather than mislabelled.
"""
import re
from collections import defaultdict

# Folded (lower-case, no diacritics) frequent words. A word listed for several languages counts for
# each of them a share of one.
_WORDS = {
    "en": """the a an and or but of to in on at for with from by about as is are was were be been being am
        it its this that these those there here i you he she we they me my your our their him her them
        not no don't doesn't didn't isn't wasn't can't won't couldn't wouldn't never very really so too
        have has had do does did will would can could should just what which who when where why how
        all any some more most only also than then if because after before again still even ever
        good great bad love like thanks thank please nice awesome terrible horrible worst best
        delivery order service product price money card help support staff website app
        i'm it's that's you're they're i've i'll isnt dont cant didnt wont""",
    "pl": """i w z na do nie sie się to jest jak ale ze że a o od po za przez dla tak juz już co czy tylko
        jestem byl byla bylo byli bedzie będzie mi mnie mam ma maja mają moj moja moje jego jej ich
        ten ta te tego tej tym ktory ktora ktore który która które bardzo tez też jeszcze wiec więc bo
        gdy kiedy gdzie dlaczego tu tam nic nigdy zawsze wszystko wszystkie mozna można trzeba
        polecam dziekuje dziękuję dobry dobra dobre swietny zly zła zle źle obsluga obsługa
        zamowienie zamówienie przesylka przesyłka produkt cena lekarz lekarza pani pan wizyta sklep
        niestety jednak moze może bylem byłem bylam byłam przy pod nad oraz lub albo ani jako jesli jeśli""",
    "ro": """si și in în la cu pe de din pentru care ca că nu este sunt a au am ai fost fi mai foarte
        un o unei unui ale al lui ei lor le mi ma mă ne va vor sa să se s-a ce cum cand când unde
        dar insa însă deci daca dacă doar tot toate acest aceasta această acesta asta ăsta acum
        bine rau rău bun buna bună recomand multumesc mulțumesc produs produsul comanda comanda livrare
        calitate pret preț banii bani magazin telefon excelent nimic niciodata niciodată chiar iar
        dupa după pana până prin despre fara fără sau nici asa așa deja inca încă eu tu el ea noi voi""",
    "de": """der die das und ist nicht ich sie es ein eine mit auf fur für von zu den dem des im ist war
        sehr aber auch wir ihr sind wie wenn noch nur schon kein keine mein meine haben hat wird""",
    "fr": """le la les et est une un des du pas je vous il elle nous que qui pour dans sur avec ce cette
        mais tres très tout plus sont etait était avoir fait mon ma mes bien merci au aux ne""",
    "es": """el la los las y es una un del que no por con para muy pero esta está este lo se su sus como
        mas más todo yo tiene son fue gracias bueno buena mi al hay""",
    "it": """il la le gli e è una un del della che non per con sono molto ma questo questa lo si mi ho
        anche come tutto piu più grazie buono buona al alla nel delle dei""",
    "pt": """o a os as e é uma um do da dos das que nao não por com para muito mas esta está este se
        seu sua como mais tudo eu tem sao são foi obrigado bom boa no na em""",
    "nl": """de het een en is niet ik je van dat die in op te met voor zijn maar ook er was heel als
        bij nog wel geen mijn naar dan dit""",
    "sv": """och att det som en ett är inte jag du han hon vi med för på av till den har var men om
        mycket så kan från också eller""",
    "da": """og at det som en et er ikke jeg du han hun vi med for på af til den har var men om meget
        så kan fra også eller""",
    "cs": """a je se na v ve to ze že jsem jako ale tak pro do od po nebo jsou byl bylo velmi jen
        uz už jeho jejich ktery který ktera která take také neni není dekuji děkuji""",
    "sk": """a je sa na v vo to ze že som ako ale tak pre do od po alebo su sú bol bolo velmi veľmi len
        uz už jeho ich ktory ktorý ktora ktorá tiez tiež nie je dakujem ďakujem""",
    "hu": """a az es és hogy nem is egy van volt de meg mar már csak nagyon ez azt mint ha vagy
        kell lesz itt ott koszonom köszönöm""",
    "fi": """ja on ei se että etta oli olen hän han me te he mutta kun niin myös myos tai kuin
        erittäin erittain kiitos""",
    "tr": """ve bir bu da de icin için ile cok çok ama ben sen o biz var yok degil değil gibi daha
        tesekkurler teşekkürler""",
    "ru": """и в не на я что он она с как а то все это по но из у за так же от мы вы они было очень
        спасибо""",
    "uk": """і в не на я що він вона з як а то все це по але із у за так же від ми ви вони було дуже
        дякую""",
}
_CHAR_CUES = {
    "pl": "ąęłńśźżĄĘŁŃŚŹŻ",
    "ro": "ăâîșşțţĂÂÎȘŞȚŢ",
    "de": "ßäöüÄÖÜ",
    "fr": "èêëçœàùûÈÊÇ",
    "es": "ñ¿¡Ñ",
    "pt": "ãõÃÕ",
    "cs": "ěřůĚŘŮ",
    "sk": "ľĺŕôĽĹŔÔ",
    "hu": "őűŐŰ",
    "sv": "åÅ",
    "da": "æøÆØ",
    "tr": "ğşıİĞ",
    "uk": "іїєґІЇЄҐ",
}
# Scripts that name their language on their own.
_SCRIPTS = [
    (re.compile("[\u3040-\u30ff]"), "ja"),
    (re.compile("[\uac00-\ud7af]"), "ko"),
    (re.compile("[\u4e00-\u9fff]"), "zh"),
    (re.compile("[\u0600-\u06ff]"), "ar"),
    (re.compile("[\u0590-\u05ff]"), "he"),
    (re.compile("[\u0370-\u03ff]"), "el"),
    (re.compile("[\u0e00-\u0e7f]"), "th"),
    (re.compile("[\u0900-\u097f]"), "hi"),
    (re.compile("[\u0400-\u04ff]"), "ru"),
]


def _fold(word: str) -> str:
    from webapp.analysis.engine.text import FOLD_TABLE

    return word.translate(FOLD_TABLE)


def _word_weights() -> dict[str, dict[str, float]]:
    owners: dict[str, set[str]] = defaultdict(set)
    for lang, words in _WORDS.items():
        for word in words.split():
            owners[_fold(word)].add(lang)
    # In the order of _WORDS, not of a set: a set's order changes with each process's string hashing,
    # and ties between languages would then go one way or the other from run to run.
    return {word: {lang: 1.0 / len(langs) for lang in _WORDS if lang in langs} for word, langs in owners.items()}


WORD_WEIGHTS = _word_weights()
_CUE_OF_CHAR = {char: lang for lang, chars in _CHAR_CUES.items() for char in chars}
_CUE_RE = re.compile("[" + "".join(_CUE_OF_CHAR) + "]")
_NON_LATIN_RE = re.compile("[\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u0900-\u097f\u0e00-\u0e7f\u3040-\u30ff"
                           "\u4e00-\u9fff\uac00-\ud7af]")
_UKRAINIAN_RE = re.compile("[іїєґІЇЄҐ]")
_SUPPORTED = ("en", "pl", "ro")


VOTES_CACHE_SIZE = 100_000
# Per language_words table (by identity; the classifier keeps one for its lifetime): token -> its votes.
_VOTES_TABLES: dict[int, tuple[object, dict[str, tuple[tuple[str, float], ...]]]] = {}


def _votes(token: str, language_words: dict[str, dict[str, float]] | None) -> tuple[tuple[str, float], ...]:
    """What a token adds to each language's score: a function word its share, a learned word 0.4 of it."""
    weights = WORD_WEIGHTS.get(token)
    if weights:
        return tuple(weights.items())
    if language_words:
        weights = language_words.get(token)
        if weights:
            return tuple((lang, 0.4 * weight) for lang, weight in weights.items())
    return ()


def _votes_table(language_words) -> dict[str, tuple[tuple[str, float], ...]]:
    entry = _VOTES_TABLES.get(id(language_words))
    if entry is None or entry[0] is not language_words:
        if len(_VOTES_TABLES) >= 8:
            _VOTES_TABLES.clear()
        entry = (language_words, {})
        _VOTES_TABLES[id(language_words)] = entry
    return entry[1]


def detect_language(text: str, tokens: list[str], hint: str | None = None,
                    language_words: dict[str, dict[str, float]] | None = None) -> str:
    """ISO 639-1 code of the text's language, or "und" when it cannot be told.

    `hint` (the caller's guess, possibly unsupported) decides ties and texts too short to judge;
    `language_words` (frequent content words of the supported languages, learned at build time) adds
    weaker evidence for words no function-word list knows.
    """
    letters_non_latin = len(_NON_LATIN_RE.findall(text[:2000]))
    if letters_non_latin >= 3 or (letters_non_latin and len(tokens) <= 2):
        counts = {lang: len(pattern.findall(text[:2000])) for pattern, lang in _SCRIPTS}
        best = max(counts, key=counts.get)
        if counts[best]:
            if best == "ru" and _UKRAINIAN_RE.search(text[:2000]):
                return "uk"
            return best
    scores: dict[str, float] = defaultdict(float)
    words = 0
    votes_of = _votes_table(language_words)
    for token in tokens[:400]:
        votes = votes_of.get(token)
        if votes is None:
            votes = _votes(token, language_words)
            if len(votes_of) >= VOTES_CACHE_SIZE:
                votes_of.clear()
            votes_of[token] = votes
        for lang, weight in votes:
            scores[lang] += weight
        if token[0].isalpha():
            words += 1
    for char in _CUE_RE.findall(text[:2000]):
        scores[_CUE_OF_CHAR[char]] += 0.5
    if hint:
        scores[hint] += 0.25
    if not scores:
        return hint if hint else ("en" if 0 < words < 3 else "und")
    best = max(scores, key=lambda lang: (scores[lang], lang in _SUPPORTED))
    if scores[best] < 0.75 and words < 3:
        return hint if hint else ("en" if best == "en" or words else "und")
    return best
