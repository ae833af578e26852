"""The public status page kept for a short while in this process: a citizen refreshing it, or a QR code scanned
again, costs no query and no rendering.

- The entry is found by the file's code, a digest of the key (or of the phone's last digits) exactly as typed, the
  language and the minute: a wrong key never finds a right key's page, so a wrong code, key or phone still all take
  the one uncached path (issue 8: the same answer and the same timing).
- A change to a file, its events, its rating or its payments empties the cache of the worker that committed it at once; another
  worker's copy is at most `STATUS_PAGE_CACHE_SECONDS` old (30 by default; 0 turns the cache off).
- A page holding something of one visitor's own (a flashed message, a signed-in officer's menu) is never kept or
  served. The rating form's CSRF token is kept as a placeholder and each visitor is served their own token in it.
"""
import hashlib
import threading
import time
from collections import OrderedDict

from flask import current_app, g, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event
from sqlalchemy.orm import Session

from ...fees.models import Payment
from ...reception.models import Application, ApplicationEvent
from ...timeutil import now
from ..models import Rating

MOST = 5000  # pages kept at most; the oldest go first
TOKEN = b"\x00csrf-token\x00"  # where a visitor's own CSRF token goes (no page ever holds a NUL of its own)
_pages: OrderedDict[tuple, tuple[float, bytes]] = OrderedDict()
_lock = threading.Lock()


def seconds() -> float:
    return float(current_app.config.get("STATUS_PAGE_CACHE_SECONDS", 30))


def key_for(code: str, key: str | None, phone: str | None) -> tuple | None:
    """The entry's key, or None when this request must not use the cache (a message is waiting for the visitor)."""
    if seconds() <= 0 or session.get("_flashes") or current_user.is_authenticated:
        return None
    secret = hashlib.sha256(f"{key or ''}\x00{phone or ''}".encode("utf-8", "surrogatepass")).hexdigest()
    return code, secret, str(get_locale()), now().strftime("%Y%m%d%H%M")


def get(entry: tuple | None) -> bytes | None:
    if entry is None:
        return None
    with _lock:
        found = _pages.get(entry)
        if found is None:
            return None
        expires, body = found
        if expires < time.monotonic():
            _pages.pop(entry, None)
            return None
    if TOKEN not in body:
        return body
    return body.replace(TOKEN, visitor_token().encode())


_signed: OrderedDict[tuple, str] = OrderedDict()  # (visitor's raw token, minute) -> the token signed that minute


def visitor_token() -> str:
    """The visitor's CSRF token for the rating form: signed at most once a minute per visitor (signing was a fifth
    of a cached page's time; a token signed a minute ago is as good, with WTF_CSRF_TIME_LIMIT an hour)."""
    g.pop("csrf_token", None)  # a token made for this visitor's session (an app context kept open holds another's)
    raw = session.get("csrf_token")
    entry = (raw, now().strftime("%Y%m%d%H%M"))
    if raw and (token := _signed.get(entry)) is not None:
        g.csrf_token = token
        return token
    token = generate_csrf()
    with _lock:
        _signed[(session["csrf_token"], entry[1])] = token
        while len(_signed) > MOST:
            _signed.popitem(last=False)
    return token


def put(entry: tuple | None, body: bytes) -> None:
    if entry is None or session.get("_flashes"):
        return
    token = g.get("csrf_token")
    if token:
        body = body.replace(token.encode(), TOKEN)
    with _lock:
        _pages[entry] = (time.monotonic() + seconds(), body)
        while len(_pages) > MOST:
            _pages.popitem(last=False)


def forget_all() -> None:
    with _lock:
        _pages.clear()


CHANGES = (Application, ApplicationEvent, Rating, Payment)  # a payment: the page's "pay online" button goes


def _note_changes(session, flush_context):
    if any(isinstance(row, CHANGES) for row in (*session.new, *session.dirty, *session.deleted)):
        session.info["status_pages_changed"] = True


def _after_commit(session):
    if session.info.pop("status_pages_changed", False):
        forget_all()


def _after_rollback(session):
    session.info.pop("status_pages_changed", None)


event.listen(Session, "after_flush", _note_changes)
event.listen(Session, "after_commit", _after_commit)
event.listen(Session, "after_soft_rollback", lambda session, previous: _after_rollback(session))
