"""Time zone helpers: store UTC, compute and show in Asia/Ho_Chi_Minh."""
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")
_frozen: ContextVar[datetime | None] = ContextVar("onestop_frozen_now", default=None)


def now() -> datetime:
    """The current moment (UTC), or the moment a test or the demo loader has set with frozen_at."""
    return _frozen.get() or datetime.now(timezone.utc)


@contextmanager
def frozen_at(moment: datetime):
    """Let now() answer `moment` inside the block: replays past days (demo data, tests)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VN)
    token = _frozen.set(moment.astimezone(timezone.utc))
    try:
        yield moment
    finally:
        _frozen.reset(token)


def local(moment: datetime | None) -> datetime | None:
    """The moment in Vietnam's time zone (naive input is taken as Vietnam time)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=VN)
    return moment.astimezone(VN)


def fmt(moment: datetime | None, pattern: str = "%H:%M %d/%m/%Y") -> str:
    """hh:mm dd/mm/yyyy in Vietnam time, as the forms print it."""
    return local(moment).strftime(pattern) if moment else ""


def fmt_date(moment) -> str:
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = local(moment)
    return moment.strftime("%d/%m/%Y")
