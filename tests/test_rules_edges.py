"""The rules where mutation testing (`make mutation`, docs/mutation.md) found a change no test noticed: each test
here pins the exact value such a change would move. Issue 11, part 8b."""
from datetime import datetime, time
from types import SimpleNamespace

from onestop.calendar.working_time import WorkingCalendar
from onestop.reception import deadlines, keys
from onestop.timeutil import VN

CAL = WorkingCalendar()


def vn(*args):
    return datetime(*args, tzinfo=VN)


# ---------------------------------------------------------------- the look-up key


def test_an_older_key_prints_as_it_is_even_when_every_sign_is_in_todays_alphabet():
    # secrets.token_urlsafe(12) made 16 signs; now and then all of them are upper-case letters and digits 2-9
    assert keys.grouped("ABCDEFGHJKMNPQRS") == "ABCDEFGHJKMNPQRS"
    assert keys.grouped("ABCDEFGHJKM") == "ABCDEFGHJKM"
    assert keys.grouped("ABCDEFGHJKM0") == "ABCDEFGHJKM0"
    assert keys.grouped("ABCDEFGHJKMN") == "ABCD-EFGH-JKMN"


def test_an_empty_look_up_field_is_no_key_at_all():
    assert keys.normalise(None) == ""
    assert keys.normalise(" \t- ") == ""
    assert keys.matches("ABCDEFGHJKMN", None) is False


# ---------------------------------------------------------------- the supplement pause, read from the events


def happened(event_type, at):
    return SimpleNamespace(type=event_type, at=at, data={})


def test_an_apology_during_the_wait_neither_ends_nor_splits_the_pause():
    events = [happened("receive", vn(2026, 10, 5, 8, 0)), happened("request_supplement", vn(2026, 10, 5, 9, 0)),
              happened("apologise", vn(2026, 10, 6, 10, 0)), happened("supplement_received", vn(2026, 10, 8, 14, 0))]
    assert deadlines.pauses(events) == [(vn(2026, 10, 5, 9, 0), vn(2026, 10, 8, 14, 0))]


def test_a_finished_wait_is_one_pause_and_a_wait_still_open_has_no_end_yet():
    asked, brought = happened("request_supplement", vn(2026, 10, 5, 9, 0)), happened("supplement_received",
                                                                                   vn(2026, 10, 8, 14, 0))
    assert deadlines.pauses([asked, brought]) == [(vn(2026, 10, 5, 9, 0), vn(2026, 10, 8, 14, 0))]
    assert deadlines.pauses([asked]) == [(vn(2026, 10, 5, 9, 0), None)]
    assert deadlines.pauses([]) == []


def test_a_pause_in_a_procedure_counted_in_hours_moves_the_due_time_by_the_working_hours_it_lasted():
    """8 working hours from Monday 08:00 is Tuesday 08:30; a wait from 09:00 to 14:00 takes 3 working hours
    of them (09:00-11:30, 13:30-14:00), so the file is due Tuesday 11:30, not 08:30 as a count in days says."""
    version = SimpleNamespace(time_amount=8, time_unit="working_hours", same_day_cutoff=None)
    events = [happened("request_supplement", vn(2026, 10, 5, 9, 0)),
              happened("supplement_received", vn(2026, 10, 5, 14, 0))]
    assert deadlines.procedure_due(version, vn(2026, 10, 5, 8, 0), CAL) == vn(2026, 10, 6, 8, 30)
    assert deadlines.due_from_events(version, vn(2026, 10, 5, 8, 0), events, CAL) == vn(2026, 10, 6, 11, 30)


def test_a_same_day_procedure_with_its_own_earlier_cut_off_keeps_it(app):
    """Its own cut-off 11:00, the province's 15:00: received at 12:00, it is due the next working day."""
    version = SimpleNamespace(time_amount=0, time_unit="same_day", same_day_cutoff=time(11, 0))
    assert deadlines.procedure_due(version, vn(2026, 10, 5, 12, 0), CAL) == vn(2026, 10, 6, 17, 0)
    assert deadlines.procedure_due(version, vn(2026, 10, 5, 11, 0), CAL) == vn(2026, 10, 5, 17, 0)
