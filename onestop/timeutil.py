"""Time zone helpers: store UTC, compute and show in Asia/Ho_Chi_Minh."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime:
    return datetime.now(timezone.utc)


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
