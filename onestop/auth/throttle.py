"""Sign-in throttling for the sign-in page and the token endpoint: throttle the guesser, not the owner.

Failed passwords are counted in three places, each a sliding window over counters every worker shares
(`counters.storage_for`):
- one account from one address (LOGIN_LIMIT_PER_ACCOUNT): the guesser at that address is stopped, the owner
  elsewhere is not;
- one address over every account (LOGIN_LIMIT_PER_ADDRESS): one machine trying many names;
- one account from every address (LOGIN_LIMIT_PER_ACCOUNT_ALL_ADDRESSES): many machines trying one name; past it
  the account still opens from the addresses its owner signed in from lately (LOGIN_KNOWN_ADDRESS_DAYS).
An attempt takes its place in each count before the password is checked, so guesses sent at the same moment
on several workers cannot all slip through; a refused attempt and a right password give their places back.
"""
import math
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

    taken: list[tuple[str, int]] = field(default_factory=list)  # (counter key, its lifetime in seconds)
    retry_after: int | None = None

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
    """Take this attempt's places; refused when a count is already full."""
    attempt = Attempt()
    config = current_app.config
    if not config.get("RATELIMIT_ENABLED", True):
        return attempt
    address = address or client_address()
    account = username.strip().lower()
    rules = (
        ("account", config["LOGIN_LIMIT_PER_ACCOUNT"], f"{account}|{address}"),
        ("address", config["LOGIN_LIMIT_PER_ADDRESS"], address),
        ("all-addresses", config["LOGIN_LIMIT_PER_ACCOUNT_ALL_ADDRESSES"], account),
    )
    for name, limit_text, who in rules:
        limit = parse(limit_text)
        seconds = limit.get_expiry()
        count, key, left = _take(f"{config.get('RATELIMIT_KEY_PREFIX', '')}login:{name}:{who}", seconds)
        attempt.taken.append((key, seconds))
        if count > limit.amount and not (name == "all-addresses" and owner_signed_in_from(account, address)):
            give_back(attempt)
            attempt.retry_after = max(1, math.ceil(left))
            return attempt
    return attempt


def give_back(attempt: Attempt) -> None:
    """Return the places an attempt took: it was refused, or it was the owner with the right password."""
    storage = current_app.extensions[EXTENSION]
    for key, seconds in attempt.taken:
        storage.incr(key, 2 * seconds, -1)
    attempt.taken = []


def _take(base: str, seconds: int) -> tuple[float, str, float]:
    """Count one more in this window; the sliding count (the previous window weighted by how much of it is
    still inside the last `seconds`), the current window's key, and the seconds until it ends."""
    storage = current_app.extensions[EXTENSION]
    now = counters.clock()
    window = int(now // seconds)
    elapsed = now - window * seconds
    current = storage.incr(f"{base}/{window}", 2 * seconds)
    previous = storage.get(f"{base}/{window - 1}")
    return previous * (1 - elapsed / seconds) + current, f"{base}/{window}", seconds - elapsed


def owner_signed_in_from(account: str, address: str) -> bool:
    """Whether the account's owner signed in from this address lately (the audit trail keeps each sign-in)."""
    since = utcnow() - timedelta(days=current_app.config["LOGIN_KNOWN_ADDRESS_DAYS"])
    owner = sa.select(User.id).where(sa.func.lower(User.username) == account).scalar_subquery()
    found = db.session.scalar(sa.select(AuditLog.id).where(
        AuditLog.action == "login", AuditLog.user_id == owner, AuditLog.ip == address, AuditLog.at >= since,
    ).limit(1))
    return found is not None
