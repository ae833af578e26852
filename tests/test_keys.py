"""The look-up key on the receipt can be typed from paper: no 0/O or 1/I/L, any case, with or without dashes."""
import re
from datetime import datetime

import pytest

from onestop.extensions import db
from onestop.reception import keys, services
from onestop.timeutil import VN
from tests.factories import make_procedure, receive


@pytest.fixture
def application(world):
    procedure = make_procedure(agency=world.agencies["000.00.04.H38"])
    return receive(world.users["clerk"], procedure, datetime(2026, 10, 5, 9, 0, tzinfo=VN))


def test_a_new_key_is_twelve_unambiguous_signs_printed_in_groups_of_four(application):
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{12}", application.tracking_key)
    assert not set("01ILO") & set(application.tracking_key)
    printed = keys.grouped(application.tracking_key)
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}", printed)
    assert services.tracking_url(application) == (
        f"https://motcua.example.vn/tra-cuu/{application.code}?k={printed}")


def test_the_key_is_read_without_regard_to_case_spaces_or_dashes(application, client):
    key = application.tracking_key
    typed = f" {key[:4].lower()} {key[4:8]}-{key[8:].lower()} "
    assert services.find_for_tracking(application.code, typed) is application
    assert client.get(f"/tra-cuu/{application.code}?k={typed.strip()}").status_code == 200
    wrong = key[:-1] + ("A" if key[-1] != "A" else "B")
    assert services.find_for_tracking(application.code, wrong) is None
    assert services.find_for_tracking(application.code, "") is None


def test_a_key_made_by_an_older_version_still_opens_its_file_exactly(application):
    application.tracking_key = "aB3_-xY9zQ7wK2mN"  # secrets.token_urlsafe(12), as before
    db.session.commit()
    assert keys.grouped(application.tracking_key) == "aB3_-xY9zQ7wK2mN"
    assert services.find_for_tracking(application.code, "aB3_-xY9zQ7wK2mN") is application
    assert services.find_for_tracking(application.code, "AB3_-XY9ZQ7WK2MN") is None  # case mattered then
