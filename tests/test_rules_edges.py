"""The rules where mutation testing (`make mutation`, docs/mutation.md) found a change no test noticed: each test
here pins the exact value such a change would move. Issue 11, part 8b."""
from datetime import datetime

from onestop.reception import keys
from onestop.timeutil import VN


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
