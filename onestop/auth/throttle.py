"""Sign-in throttling for the sign-in page and the token endpoint: throttle the guesser, not the owner.

Failed passwords are counted in three places, each a sliding window over counters every worker shares
(`counters.storage_for`):
- one account from one address (LOGIN_LIMIT_PER_ACCOUNT): the guesser at that address is stopped, the owner
  elsewhere is not;
- one address over every account (LOGIN_LIMIT_PER_ADDRESS): one machine trying many names;
- one account from every address (LOGIN_LIMIT_PER_ACCOUNT_ALL_ADDRESSES): many machines trying one name; past it
  the account still opens from the addresses its owner signed in from lately (LOGIN_KNOWN_ADDRESS_DAYS).
An attempt takes its place in each count before the password is checked, so guesses sent at the same moment
on several workers cannot all slip through; a refused attempt and a right password give their places back, and a
wrong one is counted as a failure. A full count refuses at once only when its places are all failures (the
account is locked); while some are attempts still in flight, which may yet be the owner's right password, the
attempt waits for them (at most LOGIN_WAIT_SECONDS): a right password is never refused by attempts that are not
failures, and no more passwords are checked than the limit allows.
"""
import math
import random
import time
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, request
from limits import parse

from ..database import utcnow
from ..extensions import db
from . import counters
from .models import AuditLog, User

EXTENSION = "onestop_counters"


@dataclass
class Attempt:
    """The places one sign-in attempt holds; `retry_after` (seconds) when it is refused."""

    taken: list[tuple[str, str, int]] = field(default_factory=list)  # (place's key, failure's key, lifetime in s)
    retry_after: int | None = None
    in_flight: bool = False  # refused while other attempts held places that were not failures

    @property
    def refused(self) -> bool:
        return self.retry_after is not None


def init_app(app) -> None:
    uri = app.config.get("RATELIMIT_STORAGE_URI")
    app.extensions[EXTENSION] = counters.storage_for(uri)
    if (uri or "").startswith("memory://") and not (app.testing or app.debug):
        app.logger.warning("RATELIMIT_STORAGE_URI=memory:// counts sign-in failures in each worker alone: with "
                           "several workers, leave it unset (the database) or point it at Redis.")


def client_address() -> str:
    """The client's address (behind trusted proxies, the one they forwarded: see onestop.security)."""
    return request.remote_addr or "unknown"


def begin(username: str, address: str | None = None) -> Attempt:
    """Take this attempt's places; refused when a count is full of failures. A count full of attempts still in
    flight is waited for: each may give its place back."""
    config = current_app.config
    if not config.get("RATELIMIT_ENABLED", True):
        return Attempt()
    address = address or client_address()
    account = username.strip().lower()
    rules = (
        ("account", config["LOGIN_LIMIT_PER_ACCOUNT"], f"{account}|{address}"),
        ("address", config["LOGIN_LIMIT_PER_ADDRESS"], address),
        ("all-addresses", config["LOGIN_LIMIT_PER_ACCOUNT_ALL_ADDRESSES"], account),
    )
    deadline = time.monotonic() + config.get("LOGIN_WAIT_SECONDS", 10)
    while True:
        attempt = _try(rules, account, address, config.get("RATELIMIT_KEY_PREFIX", ""))
        if not (attempt.refused and attempt.in_flight) or time.monotonic() >= deadline:
            return attempt
        if db.session().in_transaction():  # nothing written yet: let the attempts waited for write (SQLite's lock)
            db.session.rollback()
        time.sleep(random.uniform(0.01, 0.05))


def _try(rules, account: str, address: str, prefix: str) -> Attempt:
    attempt = Attempt()
    for name, limit_text, who in rules:
        limit = parse(limit_text)
        seconds = limit.get_expiry()
        count, key, left = _take(f"{prefix}login:{name}:{who}", seconds)
        failures_key = f"{prefix}login-failed:{name}:{who}/{key.rsplit('/', 1)[1]}"
        attempt.taken.append((key, failures_key, seconds))
        if count > limit.amount and not (name == "all-addresses" and owner_signed_in_from(account, address)):
            give_back(attempt)
            attempt.retry_after = max(1, math.ceil(left))
            attempt.in_flight = _failures(failures_key, seconds) < limit.amount
            return attempt
    return attempt


def give_back(attempt: Attempt) -> None:
    """Return the places an attempt took: it was refused, or it was the owner with the right password."""
    storage = current_app.extensions[EXTENSION]
    for key, _failures_key, seconds in attempt.taken:
        storage.incr(key, 2 * seconds, -1)
    attempt.taken = []


def count_failure(attempt: Attempt) -> None:
    """A wrong password: its places stay taken, now as failures (in the windows they were taken in)."""
    storage = current_app.extensions[EXTENSION]
    for _key, failures_key, seconds in attempt.taken:
        storage.incr(failures_key, 2 * seconds)
    attempt.taken = []


def _take(base: str, seconds: int) -> tuple[float, str, float]:
    """Count one more in this window; the sliding count, the current window's key, and the seconds until it
    ends."""
    storage = current_app.extensions[EXTENSION]
    now = counters.clock()
    window = int(now // seconds)
    elapsed = now - window * seconds
    current = storage.incr(f"{base}/{window}", 2 * seconds)
    previous = storage.get(f"{base}/{window - 1}")
    return previous * (1 - elapsed / seconds) + current, f"{base}/{window}", seconds - elapsed


def _failures(failures_key: str, seconds: int) -> float:
    """The sliding count of failures now, in the count `failures_key` belongs to."""
    storage = current_app.extensions[EXTENSION]
    base = failures_key.rsplit("/", 1)[0]
    now = counters.clock()
    window = int(now // seconds)
    previous = storage.get(f"{base}/{window - 1}")
    return previous * (1 - (now - window * seconds) / seconds) + storage.get(f"{base}/{window}")


def owner_signed_in_from(account: str, address: str) -> bool:
    """Whether the account's owner signed in from this address lately (the audit trail keeps each sign-in)."""
    since = utcnow() - timedelta(days=current_app.config["LOGIN_KNOWN_ADDRESS_DAYS"])
    owner = sa.select(User.id).where(sa.func.lower(User.username) == account).scalar_subquery()
    found = db.session.scalar(sa.select(AuditLog.id).where(
        AuditLog.action == "login", AuditLog.user_id == owner, AuditLog.ip == address, AuditLog.at >= since,
    ).limit(1))
    return found is not None
