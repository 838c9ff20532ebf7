"""Interface language: the survey's language for customers, the browser's for staff."""
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import get_locale

from webapp.extensions import babel


def select_locale() -> str:
    """The language of this request's texts.

    Customer pages set g.page_language from the invitation or survey before rendering;
    every other page follows the browser's preference among the supported languages.
    """
    if not has_request_context():  # CLI commands and jobs speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    page_language = g.get("page_language")
    if page_language:
        return page_language
    return request.accept_languages.best_match(current_app.config["LANGUAGES"]) or "en"


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def language_context():
        return {"page_language": str(get_locale() or "en"), "LANGUAGES": app.config["LANGUAGES"]}

