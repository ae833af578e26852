"""The public scoreboard (no login): each agency's on-time rate, volume and satisfaction for this quarter and the
last (the official quarters the reports count, closed on the 14th), as provinces publish on their portals. Figures
only, no personal data; cached for a few minutes."""
import threading
import time
from datetime import date, timedelta

from flask import make_response, render_template
from flask_babel import get_locale

from .. import bp

from ..supervision import indicators
from ..supervision.periods import official_containing, period_label

CACHE_SECONDS = 600
_cache: dict = {}
_lock = threading.Lock()


def quarter_of(day: date) -> tuple[date, date]:
    """The official quarter `day` is in (Decree 09/2019: from the 15th of the month before it to the 14th of its
    last month), as the reports count it."""
    return official_containing("quarter", day)


def scoreboard(today: date) -> dict:
    """Rows per agency below the province (each with the agencies below it), this quarter and the last."""
    agencies = indicators.tree()
    roots = agencies.children.get(None, [])
    if not roots:
        return {"quarters": [], "rows": []}
    root = agencies.agencies[roots[0]]
    this = quarter_of(today)
    last = quarter_of(this[0] - timedelta(days=1))
    periods = [("current", this[0], min(this[1], today)), ("previous", *last)]
    rows: dict = {}
    totals = {}
    for name, start, end in periods:
        answer = indicators.figures(root, None, start, end, by="agency")
        totals[name] = _public(answer["applications"])
        for group in answer["groups"]:
            row = rows.setdefault(group["code"], {"code": group["code"], "name": group["name"]})
            row[name] = _public(group["applications"])
    ordered = sorted(rows.values(), key=lambda row: (-(row.get("current") or {}).get("received", 0), row["code"]))
    return {"quarters": [{"name": name, "from": start, "to": end, "label": period_label(start, quarter[1])}
                         for (name, start, end), quarter in zip(periods, (this, last))],
            "rows": ordered, "totals": totals, "province": root["name"]}


def _public(block: dict) -> dict:
    return {"received": block["received"]["total"], "resolved": block["resolved"]["total"],
            "on_time_rate": block["on_time_rate"], "online_share": block["online_share"],
            "rated": block["ratings"]["total"], "satisfied_share": block["ratings"]["satisfied_share"]}


def cached(today: date) -> str:
    """The rendered page, shared by every visitor for a few minutes (one per language and day)."""
    key = (today, str(get_locale()))
    with _lock:
        found = _cache.get(key)
        if found and found[0] > time.monotonic():
            return found[1]
    page = render_template("tracking/scoreboard.html", board=scoreboard(today), today=today)
    with _lock:
        _cache.clear() if len(_cache) > 16 else None
        _cache[key] = (time.monotonic() + CACHE_SECONDS, page)
    return page


@bp.get("/ket-qua-giai-quyet")
def scoreboard_page():
    from ..supervision.watch import local_today

    response = make_response(cached(local_today()))
    response.headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response
