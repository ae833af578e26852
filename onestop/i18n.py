"""Languages: Vietnamese first, English kept complete; chosen in the page footer.

Services raise their messages through gettext at the moment of the error, so a clerk who chose English
reads them in English. Outside a request (CLI commands, tests, background work) there is no session and
no chosen language: messages are in the default locale, Vietnamese.
"""
from flask import current_app, g, has_request_context, session

from flask_babel import get_locale

from .extensions import babel


def select_locale() -> str:
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    chosen = session.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return default


def forget_request_locale(_error=None) -> None:
    # Flask-Babel caches the locale in g, which lives in the app context; a test or CLI command
    # may keep that context after a request, and must not go on speaking that request's language.
    g.pop("_flask_babel", None)


def init_app(app):
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: app.config["TIMEZONE"])
    app.teardown_request(forget_request_locale)
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
