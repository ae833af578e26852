"""Periods and the agency tree, as the indicators count them: months, the period before, the same period last year,
the official reporting periods (15th to 14th) and their names, Vietnam's day boundaries, and every agency read once
per request."""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import g, has_app_context
from flask_babel import lazy_gettext as _l

from ...auth.models import Agency
from ...extensions import db
from ...timeutil import VN

# ---------------------------------------------------------------- the agency tree


@dataclass
class Tree:
    agencies: dict[int, dict] = field(default_factory=dict)  # id -> {id, code, name, level, parent_id}
    children: dict[int | None, list[int]] = field(default_factory=dict)

    def below(self, agency_id: int) -> set[int]:
        """The agency and every agency below it."""
        found, frontier = {agency_id}, [agency_id]
        while frontier:
            for child in self.children.get(frontier.pop(), []):
                if child not in found:
                    found.add(child)
                    frontier.append(child)
        return found

    def by_code(self, code: str) -> dict | None:
        return next((agency for agency in self.agencies.values() if agency["code"] == code), None)

    def is_everything(self, ids: set[int]) -> bool:
        return len(ids) == len(self.agencies)


def tree() -> Tree:
    """Every agency in one query, once per request."""
    if has_app_context() and "agency_tree" in g:
        return g.agency_tree
    found = Tree()
    for row in db.session.execute(sa.select(Agency.id, Agency.code, Agency.name, Agency.level, Agency.parent_id)
                                  .order_by(Agency.code)).mappings():
        found.agencies[row["id"]] = dict(row)
        found.children.setdefault(row["parent_id"], []).append(row["id"])
    if has_app_context():
        g.agency_tree = found
    return found


# ---------------------------------------------------------------- periods


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_end(day: date) -> date:
    return next_month(day) - timedelta(days=1)


def day_end(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=VN)


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=VN)


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later (or earlier); days past a month's end are not asked for here."""
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1)


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def is_official(start: date, end: date) -> bool:
    """A run of whole official months (the 15th to the 14th), as Decree 09/2019/NĐ-CP art. 12 counts them."""
    return start.day == 15 and end.day == 14 and _months_between(start, end) >= 1


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length just before: whole months give whole months (the quarter before a quarter),
    official months give official months."""
    if start.day == 1 and end == month_end(end):
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        first = start
        for _ in range(months):
            first = month_start(first - timedelta(days=1))
        return first, start - timedelta(days=1)
    if is_official(start, end):
        return add_months(start, -_months_between(start, end)), start - timedelta(days=1)
    length = end - start
    return start - length - timedelta(days=1), start - timedelta(days=1)


def same_period_last_year(start: date, end: date) -> tuple[date, date]:
    def back(day):
        try:
            return day.replace(year=day.year - 1)
        except ValueError:  # 29 February
            return day.replace(year=day.year - 1, day=28)
    return back(start), back(end) if not (end == month_end(end)) else month_end(back(end).replace(day=1))


# ---------------------------------------------------------------- the official reporting periods
# Decree 09/2019/NĐ-CP art. 12: figures are closed on the 14th, so that reports reach the level above in time.
# A month runs from the 15th of the month before to its 14th; a quarter from the 15th of the month before it to the
# 14th of its last month; six months from 15 December of the year before to 14 June; nine months to 14 September;
# a year from 15 December of the year before to 14 December.

QUARTER_NAMES = {3: "I", 6: "II", 9: "III", 12: "IV"}  # by the quarter's last month
OFFICIAL_KINDS = ("month", "quarter", "half", "nine", "year")


def official_month(year: int, month: int) -> tuple[date, date]:
    end = date(year, month, 14)
    return add_months(end, -1) + timedelta(days=1), end


def official_quarter(year: int, quarter: int) -> tuple[date, date]:
    end = date(year, 3 * quarter, 14)
    return add_months(end, -3) + timedelta(days=1), end


def official_months_to(year: int, last_month: int) -> tuple[date, date]:
    """From 15 December of the year before to the 14th of `last_month` (6: six months, 9: nine, 12: the year)."""
    return date(year - 1, 12, 15), date(year, last_month, 14)


def official_period(kind: str, year: int, number: int = 0) -> tuple[date, date]:
    """month (number 1-12), quarter (1-4), half, nine or year of `year`."""
    if kind == "month":
        return official_month(year, number)
    if kind == "quarter":
        return official_quarter(year, number)
    return official_months_to(year, {"half": 6, "nine": 9, "year": 12}[kind])


OFFICIAL_CHOICES = ([(f"m{month}", _l("Tháng %(n)s", n=month)) for month in range(1, 13)]
                    + [(f"q{number}", _l("Quý %(n)s", n=name)) for number, name in enumerate(QUARTER_NAMES.values(), 1)]
                    + [("half", _l("6 tháng đầu năm")), ("nine", _l("9 tháng")), ("year", _l("Cả năm"))])


def official_choice(choice: str, year: int) -> tuple[date, date] | None:
    """The official period a choice of OFFICIAL_CHOICES names in `year` ('q3', 2026: Quý III năm 2026), or None."""
    if choice not in dict(OFFICIAL_CHOICES) or not 2000 <= year <= 2100:
        return None
    if choice[0] in "mq":
        return official_period("month" if choice[0] == "m" else "quarter", year, int(choice[1:]))
    return official_period(choice, year)


def official_containing(kind: str, day: date) -> tuple[date, date]:
    """The official month, quarter or year that `day` falls in (a day after the 14th belongs to the next month)."""
    closing = add_months(day.replace(day=14), 1) if day.day >= 15 else day.replace(day=14)
    if kind == "month":
        return official_month(closing.year, closing.month)
    if kind == "quarter":
        return official_quarter(closing.year, (closing.month + 2) // 3)
    return official_months_to(closing.year, 12)


def last_ended_official(kind: str, today: date) -> tuple[date, date]:
    """The latest official period of a kind that ended before `today` (the one a report is due for)."""
    closing = today.replace(day=14) if today.day > 14 else add_months(today.replace(day=14), -1)
    if kind == "month":
        return official_month(closing.year, closing.month)
    last = {"quarter": (3, 6, 9, 12), "half": (6,), "nine": (9,), "year": (12,)}[kind]
    while closing.month not in last:
        closing = add_months(closing, -1)
    if kind == "quarter":
        return official_quarter(closing.year, closing.month // 3)
    return official_months_to(closing.year, closing.month)


def _name(months: int, last: date) -> str | None:
    """The official wording of `months` months closing in the month of `last`, or None."""
    if months == 1:
        return f"Tháng {last.month} năm {last.year}"
    if months == 3 and last.month in QUARTER_NAMES:
        return f"Quý {QUARTER_NAMES[last.month]} năm {last.year}"
    if months == 6 and last.month == 6:
        return f"6 tháng đầu năm {last.year}"
    if months == 9 and last.month == 9:
        return f"9 tháng năm {last.year}"
    if months == 12 and last.month == 12:
        return f"Năm {last.year}"
    return None


def period_label(start: date, end: date) -> str:
    """How officials write a period: 'Quý III năm 2026', '6 tháng đầu năm 2026', '9 tháng năm 2026', 'Tháng 10 năm
    2026', 'Năm 2026' for the official periods; the same with '(dương lịch)' for calendar months, quarters,
    half-years and years; any other range by its days."""
    if is_official(start, end):
        name = _name(_months_between(start, end), end)
        if name:
            return name
    if start.day == 1 and end == month_end(end):
        months = _months_between(start, end) + 1
        name = (f"6 tháng cuối năm {end.year}" if months == 6 and end.month == 12 else _name(months, end))
        if name:
            return f"{name} (dương lịch)"
    return f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"


def period_range(start: date, end: date) -> str:
    """'từ ngày 15/06/2026 đến ngày 14/09/2026': the days a named period covers, written under its name."""
    return f"từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"


def report_choices(today: date) -> dict[str, list[tuple[str, date, date]]]:
    """The periods a report is usually asked for: the official ones that have ended most recently (month,
    quarter, six months, nine months, year), and the calendar month, quarter, half-years and years."""
    official = [last_ended_official(kind, today) for kind in OFFICIAL_KINDS]
    last_month = previous_period(month_start(today), month_end(today))
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last_quarter = previous_period(quarter_start, month_end(add_months(quarter_start, 2)))
    year = today.year if today.month > 1 else today.year - 1
    calendar = [last_month, last_quarter, (date(year, 1, 1), date(year, 6, 30)), (date(year, 1, 1), date(year, 9, 30)),
                (date(year, 1, 1), date(year, 12, 31)), (date(year - 1, 1, 1), date(year - 1, 12, 31))]
    return {kind: [(period_label(start, end), start, end) for start, end in periods]
            for kind, periods in (("official", official), ("calendar", calendar))}
