"""What nearly every request reads and an administrator seldom changes (the working calendar, the settings, the
agencies' names), kept by
each process for a few seconds instead of read from the database on every request.

A change made through this process (an ORM write to one of the watched tables, through any service, page, API call
or test) empties this process's cache when it is flushed, and again when its transaction ends, so the next read
sees it. Other processes and hosts see it when their copy expires: within CONFIG_CACHE_SECONDS (default 5). A
value loaded while a change was being committed is not kept (the generation check below).
"""
import threading
import time

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from .extensions import db

WATCHED_TABLES = frozenset({"setting", "calendar_override", "working_hours", "agency",  # agency: its name
                            "index766_version", "index766_rule"})  # Decision 766's rules
CHANGED = "onestop_config_changed"


class ProcessCache:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.generation = 0
        self._values: dict[str, tuple[float, object]] = {}
        self._lock = threading.Lock()

    def get(self, name: str, load):
        entry = self._values.get(name)
        moment = time.monotonic()
        if entry is not None and moment < entry[0]:
            return entry[1]
        generation = self.generation
        value = load()
        with self._lock:
            if generation == self.generation:  # nothing changed while it was read: safe to keep
                self._values[name] = (moment + self.seconds, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self.generation += 1
            self._values.clear()


def init_app(app) -> None:
    app.extensions["onestop_process_cache"] = ProcessCache(float(app.config.get("CONFIG_CACHE_SECONDS", 5)))


def cached(name: str, load):
    """The value kept under `name`, loaded with `load()` when absent or expired (outside an app: always loaded). A
    transaction that changed a watched table reads its own uncommitted state and keeps it to itself."""
    if not has_app_context():
        return load()
    cache = current_app.extensions.get("onestop_process_cache")
    # no session made just to ask (the status page needs none: making one and closing it is a tenth of its time)
    if cache is None or (db.session.registry.has() and db.session().info.get(CHANGED)):
        return load()
    return cache.get(name, load)


def clear() -> None:
    if has_app_context() and (cache := current_app.extensions.get("onestop_process_cache")) is not None:
        cache.clear()


def _touches_watched(session: Session) -> bool:
    return any(getattr(getattr(instance, "__table__", None), "name", None) in WATCHED_TABLES
               for instance in (*session.new, *session.dirty, *session.deleted))


@sa.event.listens_for(Session, "before_flush")
def _note_change(session, flush_context, instances):
    if _touches_watched(session):
        session.info[CHANGED] = True
        clear()


@sa.event.listens_for(Session, "after_commit")
@sa.event.listens_for(Session, "after_rollback")
def _end_of_transaction(session):
    if session.info.pop(CHANGED, False):
        clear()
