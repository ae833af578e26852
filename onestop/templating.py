"""Jinja filters and globals: Vietnam time, money in đồng, labels for codes."""
from datetime import datetime

from flask import request, url_for
from flask.globals import _cv_request
from flask_babel import gettext
from markupsafe import Markup

from . import timeutil
from .numbers import figure
from .inputs import NOTE_MAX
from .labels import LABELS, label
from .text import UNPRINTABLE


def money(amount: int | None) -> str:
    """50000 -> '50.000 đồng'; 0 -> 'Không'."""
    if not amount:
        return "Không"
    return f"{amount:,}".replace(",", ".") + " đồng"


def number(value: int | None) -> str:
    """20182 -> '20.182' (Vietnamese thousands separator)."""
    return "" if value is None else figure(value)


def shown(value):
    """Every {{ value }} of a page: text stored before the input checks may hold a lone surrogate or a control
    character, which would make the page unencodable (a 500 for good); those are dropped, the rest kept."""
    if isinstance(value, str) and UNPRINTABLE.search(value):
        cleaned = UNPRINTABLE.sub("", value)
        return Markup(cleaned) if isinstance(value, Markup) else cleaned
    return value


def clip(value, most: int = NOTE_MAX) -> str:
    """A free text as long as today's checks allow (2,000 characters), the rest said, not shown: a note stored
    before the checks can hold a megabyte, which made the page megabytes long. The API gives it whole."""
    if value is None:
        return ""
    value = value.unescape() if isinstance(value, Markup) else str(value)  # `join` hands over escaped text
    if len(value) <= most:
        return value
    return value[:most] + " … " + gettext("(đã rút gọn: %(total)s ký tự)", total=number(len(value)))


def fixed_url_for(app):
    """url_for for templates: the URL of a page without arguments, or of a static file, is the same on every
    request (there are no URL defaults), so it is built once per process and script root; the status page
    names nine of them. Anything else (arguments, a blueprint-relative endpoint, no request) is built each time."""
    built = {}

    def template_url_for(endpoint: str, **values) -> str:
        ctx = _cv_request.get(None)
        if ctx is None or endpoint[:1] == "." or (values and (endpoint != "static" or len(values) != 1
                                                              or "filename" not in values)):
            return url_for(endpoint, **values)
        key = (ctx.request.script_root, endpoint, values.get("filename"))
        found = built.get(key)
        if found is None:
            found = built[key] = url_for(endpoint, **values)
        return found

    return template_url_for


def init_app(app):
    app.jinja_env.globals["url_for"] = fixed_url_for(app)
    app.jinja_env.finalize = shown
    app.jinja_env.filters["clip"] = clip
    app.jinja_env.filters["dt"] = timeutil.fmt
    app.jinja_env.filters["date"] = timeutil.fmt_date
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["number"] = number
    # 78,5% and 2,75 as the PDFs write them; a dash for what cannot be computed
    app.jinja_env.filters["percent"] = lambda value: figure(value, "rate")
    app.jinja_env.filters["decimal"] = lambda value: figure(value, "decimal")
    app.jinja_env.filters["isodt"] = lambda value: timeutil.fmt(datetime.fromisoformat(value)) if value else ""
    app.jinja_env.filters["label"] = label
    app.jinja_env.globals["LABELS"] = LABELS

    @app.context_processor
    def page_helpers():
        return {"current_path": request.full_path.rstrip("?")}
