"""Working-time arithmetic (DOMAIN.md "How a period is counted"): pure, no database, no Flask.

Statutory holidays come from the `holidays` package (country VN: Tết, Hùng Kings, 30/4, 1/5, 2/9,
compensatory days, the government's swaps and their make-up Saturdays); the administrator's
overrides are applied on top.
"""
import threading
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from ..timeutil import VN

UNITS = ("working_days", "calendar_days", "working_hours", "same_day")
DEFAULT_CUTOFF = time(15, 0)


@dataclass(frozen=True)
class Hours:
    """Working windows valid from a date on."""

    valid_from: date = date(1900, 1, 1)
    morning_start: time = time(7, 30)
    morning_end: time = time(11, 30)
    afternoon_start: time = time(13, 30)
    afternoon_end: time = time(17, 0)


@lru_cache(maxsize=1)
def _statutory() -> holidays.HolidayBase:
    return holidays.country_holidays("VN", language="vi")


class WorkingCalendar:
    def __init__(self, overrides: dict[date, str] | None = None, hours: list[Hours] | None = None):
        self.overrides = dict(overrides or {})
        self.hours = sorted(hours or [Hours()], key=lambda h: h.valid_from)
        self.statutory = _statutory()
        self._working: dict[date, bool] = {}
        self._anchor: date | None = None  # running totals of working days around the first day counted
        self._ahead: list[int] = [0]  # _ahead[k]: working days in (anchor, anchor + k]
        self._behind: list[int] = [0]  # _behind[k]: working days in (anchor - k, anchor]
        self._windows: dict[date, list[tuple[datetime, datetime]]] = {}
        self._growing = threading.Lock()  # one calendar serves every thread of a process (onestop.process_cache)

    # ------------------------------------------------------------ days

    def holiday_name(self, day: date) -> str | None:
        return self.statutory.get(day)

    def _make_up_day(self, day: date) -> bool:
        return day in getattr(self.statutory, "weekend_workdays", set())

    def day_kind(self, day: date) -> str:
        """working | weekend | holiday | off | work | half_off_morning | half_off_afternoon."""
        override = self.overrides.get(day)
        if override:
            return override
        if day in self.statutory:
            return "holiday"
        if self._make_up_day(day):
            return "work"
        if day.weekday() >= 5:
            return "weekend"
        return "working"

    def is_working_day(self, day: date) -> bool:
        known = self._working.get(day)
        if known is None:
            known = self._working[day] = self.day_kind(day) in ("working", "work", "half_off_morning",
                                                                 "half_off_afternoon")
        return known

    def next_working_day(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, day: date, n: int) -> date:
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    # ------------------------------------------------------------ hours

    def _hours_for(self, day: date) -> Hours:
        chosen = self.hours[0]
        for hours in self.hours:
            if hours.valid_from <= day:
                chosen = hours
        return chosen

    def windows(self, day: date) -> list[tuple[datetime, datetime]]:
        cached = self._windows.get(day)
        if cached is not None:
            return cached
        found = []
        if self.is_working_day(day):
            hours = self._hours_for(day)
            kind = self.day_kind(day)
            if kind != "half_off_morning":
                found.append((datetime.combine(day, hours.morning_start, VN), datetime.combine(day, hours.morning_end, VN)))
            if kind != "half_off_afternoon":
                found.append((datetime.combine(day, hours.afternoon_start, VN),
                              datetime.combine(day, hours.afternoon_end, VN)))
        self._windows[day] = found
        return found

    def close_of_day(self, day: date) -> datetime:
        """The end of the day's last window (17:00 by default), also for a day that is not worked."""
        windows = self.windows(day)
        if windows:
            return windows[-1][1]
        return datetime.combine(day, self._hours_for(day).afternoon_end, VN)

    def reception_moment(self, received_at: datetime) -> datetime:
        """The moment itself inside working hours, else the start of the next working window."""
        moment = received_at.astimezone(VN)
        day = moment.date()
        for start, end in self.windows(day):
            if moment < start:
                return start
            if moment < end:
                return moment
        return self.windows(self.next_working_day(day))[0][0]

    # ------------------------------------------------------------ periods

    def due_at(self, received_at: datetime, amount: int, unit: str, same_day_cutoff: time | None = None) -> datetime:
        if unit not in UNITS:
            raise ValueError(f"unknown unit {unit!r}")
        if amount < 0:
            raise ValueError("amount must not be negative")
        moment = self.reception_moment(received_at)
        day = moment.date()
        if unit == "working_days":
            return self.close_of_day(self.add_working_days(day, amount))
        if unit == "calendar_days":
            end = day + timedelta(days=amount)
            if not self.is_working_day(end):
                end = self.next_working_day(end)
            return self.close_of_day(end)
        if unit == "working_hours":
            return self.add_working_time(moment, timedelta(hours=amount))
        cutoff = same_day_cutoff or DEFAULT_CUTOFF
        if moment.timetz().replace(tzinfo=None) > cutoff:
            return self.close_of_day(self.next_working_day(day))
        return self.close_of_day(day)

    def add_working_time(self, moment: datetime, duration: timedelta) -> datetime:
        """The moment `duration` of working time after `moment` (which should be a working moment)."""
        moment = moment.astimezone(VN)
        if duration <= timedelta():
            return moment
        day = moment.date()
        remaining = duration
        while True:
            for start, end in self.windows(day):
                if end <= moment:
                    continue
                begin = max(start, moment)
                available = end - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
            day = self.next_working_day(day)

    def pause_extension(self, due: datetime, pause_start: datetime, pause_end: datetime, unit: str) -> datetime:
        """The due time moved later by a pause (waiting for a supplement)."""
        if pause_end <= pause_start:
            return due
        if unit == "working_hours":
            return self.add_working_time(due, self.working_time_between(pause_start, pause_end))
        days = self.working_days_between(pause_start, pause_end)
        due_local = due.astimezone(VN)
        new_day = self.add_working_days(due_local.date(), days)
        return self.close_of_day(new_day) if due_local == self.close_of_day(due_local.date()) else \
            datetime.combine(new_day, due_local.timetz())

    # ------------------------------------------------------------ measures

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """Working days after start's day up to and including end's day."""
        first, last = start.astimezone(VN).date(), end.astimezone(VN).date()
        if last <= first:
            return 0
        return self._working_days_upto(last) - self._working_days_upto(first)

    def _working_days_upto(self, day: date) -> int:
        """Working days after the anchor up to and including `day` (negative before the anchor), kept as running
        totals: the board asks how late files three years overdue are, and a subtraction answers that, not a walk
        of a thousand days per file. The totals only grow, under a lock: threads share the calendar."""
        anchor = self._anchor
        if anchor is not None:
            offset = (day - anchor).days
            totals = self._ahead if offset >= 0 else self._behind
            if abs(offset) < len(totals):
                return totals[offset] if offset >= 0 else -totals[-offset]
        with self._growing:
            if self._anchor is None:
                self._anchor = day
            offset = (day - self._anchor).days
            if offset >= 0:
                ahead = self._ahead
                while len(ahead) <= offset:
                    ahead.append(ahead[-1] + self.is_working_day(self._anchor + timedelta(days=len(ahead))))
                return ahead[offset]
            behind = self._behind
            while len(behind) <= -offset:
                behind.append(behind[-1] + self.is_working_day(self._anchor - timedelta(days=len(behind) - 1)))
            return -behind[-offset]

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        total = timedelta()
        if end <= start:
            return total
        day, last = start.astimezone(VN).date(), end.astimezone(VN).date()
        while day <= last:
            for window_start, window_end in self.windows(day):
                begin, finish = max(window_start, start), min(window_end, end)
                if finish > begin:
                    total += finish - begin
            day += timedelta(days=1)
        return total

    @staticmethod
    def timeliness(done_at: datetime, due: datetime) -> str:
        """early (before the due day), on_time (on the due day, not after the due time) or late."""
        if done_at > due:
            return "late"
        if done_at.astimezone(VN).date() < due.astimezone(VN).date():
            return "early"
        return "on_time"
