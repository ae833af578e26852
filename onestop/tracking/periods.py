"""Periods and the agency tree, as the indicators count them: months, the period before, the same period last year,
Vietnam's day boundaries, and every agency read once per request."""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import g, has_app_context

from ..auth.models import Agency
from ..extensions import db
from ..timeutil import VN

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


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length just before: whole months give whole months (the quarter before a quarter)."""
    if start.day == 1 and end == month_end(end):
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        first = start
        for _ in range(months):
            first = month_start(first - timedelta(days=1))
        return first, start - timedelta(days=1)
    length = end - start
    return start - length - timedelta(days=1), start - timedelta(days=1)


def same_period_last_year(start: date, end: date) -> tuple[date, date]:
    def back(day):
        try:
            return day.replace(year=day.year - 1)
        except ValueError:  # 29 February
            return day.replace(year=day.year - 1, day=28)
    return back(start), back(end) if not (end == month_end(end)) else month_end(back(end).replace(day=1))
