"""How many working days lie between two moments, however far apart and in whatever order they are asked: the
running totals give the same count as walking the days one by one (the board asks it of files years overdue)."""
from datetime import date, datetime, time, timedelta

from hypothesis import given, settings, strategies as st

from onestop.calendar.working_time import WorkingCalendar
from onestop.timeutil import VN

OVERRIDES = {date(2025, 8, 23): "work", date(2025, 9, 1): "off", date(2026, 3, 6): "half_off_morning"}


def walked(calendar: WorkingCalendar, start: datetime, end: datetime) -> int:
    count, day, last = 0, start.astimezone(VN).date(), end.astimezone(VN).date()
    while day < last:
        day += timedelta(days=1)
        count += calendar.is_working_day(day)
    return count


def moment(offset_days: int, minutes: int) -> datetime:
    return datetime.combine(date(2025, 6, 1) + timedelta(days=offset_days), time(0), tzinfo=VN) + timedelta(
        minutes=minutes)


pairs = st.lists(st.tuples(st.integers(-1200, 1200), st.integers(0, 1439), st.integers(-1200, 1200),
                           st.integers(0, 1439)), min_size=1, max_size=8)


@settings(max_examples=60, deadline=None)
@given(pairs)
def test_every_count_matches_walking_the_days_one_by_one(asked):
    calendar = WorkingCalendar(OVERRIDES)  # one calendar answers them all, in the order asked
    for a_days, a_minutes, b_days, b_minutes in asked:
        start, end = moment(a_days, a_minutes), moment(b_days, b_minutes)
        assert calendar.working_days_between(start, end) == walked(WorkingCalendar(OVERRIDES), start, end)


def test_a_file_due_three_years_ago_is_late_by_the_working_days_since():
    calendar = WorkingCalendar(OVERRIDES)
    due = datetime(2023, 11, 27, 17, 0, tzinfo=VN)
    now = datetime(2026, 11, 27, 10, 0, tzinfo=VN)
    assert calendar.working_days_between(now, due) == 0  # asked the other way round: none
    assert calendar.working_days_between(due, now) == walked(WorkingCalendar(OVERRIDES), due, now) == 751
    # a later question nearer the anchor and one before it reuse the same totals
    assert calendar.working_days_between(datetime(2026, 2, 13, 9, 0, tzinfo=VN),
                                         datetime(2026, 2, 23, 9, 0, tzinfo=VN)) == 1  # Tết 2026: 16-20 Feb off
    assert calendar.working_days_between(datetime(2023, 1, 2, 9, 0, tzinfo=VN), due) == walked(
        WorkingCalendar(OVERRIDES), datetime(2023, 1, 2, 9, 0, tzinfo=VN), due)


def test_threads_sharing_one_calendar_get_the_counts_one_thread_gets():
    """A worker's threads share one calendar (onestop.process_cache): its running totals grow under a lock, so
    counts asked at once, far apart and on both sides of the first day asked, are each what a lone thread finds."""
    import threading

    asked = [(moment(-7 * k, 600), moment(11 * k, 900)) for k in range(1, 120)]
    expected = [walked(WorkingCalendar(OVERRIDES), start, end) for start, end in asked]
    for _ in range(5):
        shared, found, gate = WorkingCalendar(OVERRIDES), {}, threading.Barrier(6)

        def ask(part):
            gate.wait()
            for index in range(part, len(asked), 6):
                found[index] = shared.working_days_between(*asked[index])

        threads = [threading.Thread(target=ask, args=(part,)) for part in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert [found[index] for index in range(len(asked))] == expected
