"""Languages: Vietnamese first, English kept complete; chosen in the page footer.

Services raise their messages through gettext at the moment of the error, so a clerk who chose English
reads them in English. Outside a request (CLI commands, tests, background work) there is no session and
no chosen language: messages are in the default locale, Vietnamese.
"""
from flask import current_app, g, has_request_context, session
from flask.globals import _cv_request

from flask_babel import get_locale, get_translations
from jinja2 import pass_context
from markupsafe import Markup

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
    g.pop(TRANSLATIONS, None)


TRANSLATIONS = "onestop_translations"


def request_translations():
    """The request's catalogue, looked up once per request: a page calls _() a few dozen times, and Flask-Babel
    finds its context, locale and domain again on each call (two fifths of rendering the status page). Kept on
    the request context itself (one context-variable read; `g` is a proxy resolved on each use) and in `g`,
    which forget_request_locale clears."""
    ctx = _cv_request.get(None)
    if ctx is None:
        return get_translations()
    found = getattr(ctx, TRANSLATIONS, None)
    if found is None:
        found = g.get(TRANSLATIONS)
        if found is None:
            found = g.setdefault(TRANSLATIONS, get_translations())
        setattr(ctx, TRANSLATIONS, found)
    return found


def gettext(string: str, **variables) -> str:
    """Flask-Babel's gettext with the request's catalogue looked up once: its own finds the context, domain and
    locale again on each call (the status page's steps and labels make dozens)."""
    text = request_translations().ugettext(string)
    return text % variables if variables else text


def lazy_text(value) -> str:
    """A lazy_gettext string (the labels) in the request's language, through the catalogue looked up once."""
    func = getattr(value, "_func", None)
    if func is not None and not value._kwargs and len(value._args) == 1 and getattr(func, "__name__", "") == "gettext":
        return request_translations().ugettext(value._args[0])
    return str(value)


def init_app(app):
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: app.config["TIMEZONE"])
    app.teardown_request(forget_request_locale)
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
    app.jinja_env.install_gettext_callables(  # Flask-Babel's, with the catalogue looked up once per request
        gettext=lambda text: request_translations().ugettext(text),
        ngettext=lambda singular, plural, n: request_translations().ungettext(singular, plural, n),
        newstyle=True,
        pgettext=lambda context, text: request_translations().upgettext(context, text),
        npgettext=lambda context, singular, plural, n: request_translations().unpgettext(context, singular, plural, n),
    )
    # _() and gettext() in a template as Jinja's newstyle gettext does them (escaped, always a format string),
    # without its two layers of Context.call and the name look-up: a page says _() a few dozen times
    app.jinja_env.globals.update(gettext=template_gettext, _=template_gettext)


@pass_context
def template_gettext(context, string: str, **variables) -> str:
    text = request_translations().ugettext(string)
    if context.eval_ctx.autoescape:
        return Markup(text) % variables if variables else Markup(text % variables)
    return text % variables
