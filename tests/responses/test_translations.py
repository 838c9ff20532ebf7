"""The pl and ro catalogs: compiled files match their sources, and customers never meet English."""
import gettext
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "webapp" / "translations"
LANGUAGES = ["pl", "ro"]
# Sources whose every message a customer can see: survey pages, error pages, the page frame, label names.
CUSTOMER_SOURCES = (
    "webapp/responses/",
    "webapp/errors.py",
    "webapp/labels.py",
    "webapp/templates/base.html",
    "webapp/templates/errors/",
)


def read_catalog(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po_file:
        return read_po(po_file, locale=language)


def customer_messages() -> set:
    """Messages in the customer-facing sources as they are now, extracted the way babel.cfg says."""
    method_map = [("webapp/**.py", "python"), ("webapp/**/templates/**.html", "jinja2")]
    found = set()
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, keywords={"_": None, "_l": None, "gettext": None, "ngettext": (1, 2)}
    ):
        if filename.startswith(CUSTOMER_SOURCES):
            found.add(message)
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_matches_its_source(language):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo", "rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)
    for message in read_catalog(language):
        if not message.id or message.fuzzy or not all(_strings(message)):
            continue
        if message.pluralizable:
            for index, form in enumerate(message.string):
                assert compiled.ngettext(message.id[0], message.id[1], _count_for_form(language, index)) == form
        else:
            assert compiled.gettext(message.id) == message.string, (
                f"{language}: {message.id!r} changed in the .po; run pybabel compile -d webapp/translations"
            )


def _strings(message) -> list[str]:
    """The translation of a message, as a list of its plural forms."""
    return list(message.string) if message.pluralizable else [message.string]


def _count_for_form(language: str, index: int) -> int:
    """A number that takes plural form `index` in this language."""
    return {"pl": (1, 2, 5), "ro": (1, 2, 20)}[language][index]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_customer_facing_message_is_translated(language):
    catalog = read_catalog(language)
    untranslated = []
    for message_id in customer_messages():
        message = catalog.get(message_id[0] if isinstance(message_id, tuple) else message_id)
        if message is None or message.fuzzy or not all(_strings(message)):
            untranslated.append(message_id)
    assert untranslated == [], f"untranslated in {language}: {untranslated}; extract, update and translate"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders(language):
    problems = [(message.id, errors) for message, errors in read_catalog(language).check()]
    assert problems == []
