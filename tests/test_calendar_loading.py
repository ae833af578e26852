"""The calendar as the database holds it, read in one statement: the administrator's days and working hours."""
from datetime import date, datetime, time

from onestop.calendar import services
from onestop.extensions import db
from onestop.timeutil import VN
from tests.statements import counted


def test_overrides_and_working_hours_come_back_in_one_query(app):
    services.set_override(date(2026, 10, 10), "work", "Làm bù")
    services.set_override(date(2026, 10, 12), "half_off_afternoon")
    services.set_working_hours(date(2026, 1, 1), time(8, 0), time(12, 0), time(13, 0), time(17, 30))
    services.set_working_hours(date(2027, 1, 1), time(7, 0), time(11, 0), time(13, 30), time(16, 30))
    db.session.commit()
    services.forget_calendar()
    with counted() as sent:
        calendar = services.load_calendar()
    assert len([statement for statement in sent if statement.lstrip().upper().startswith("SELECT")]) == 1
    assert calendar.is_working_day(date(2026, 10, 10))  # a Saturday made a working day
    assert calendar.windows(date(2026, 10, 12)) == [(datetime(2026, 10, 12, 8, 0, tzinfo=VN),
                                                     datetime(2026, 10, 12, 12, 0, tzinfo=VN))]
    assert calendar.close_of_day(date(2026, 10, 13)) == datetime(2026, 10, 13, 17, 30, tzinfo=VN)
    assert calendar.close_of_day(date(2027, 1, 5)) == datetime(2027, 1, 5, 16, 30, tzinfo=VN)
    assert services.load_calendar() is calendar  # and once per request
