"""A write costs what it must: no lazy loads and no re-reading around logging an application or recording an
event (SQL statements counted per request with an event listener on the engine)."""
import re
from datetime import datetime

import pytest

from onestop.extensions import db
from onestop.timeutil import VN, frozen_at
from tests.factories import applicant, make_procedure
from tests.statements import counted

# The session's own bookkeeping and signing in (the token, the user, the roles) are the same for every request;
# what is counted is what the write itself reads and writes.
BOOKKEEPING = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)|\b(FROM|UPDATE|INTO) \"?(api_token|user|user_role)\b")


def vn(*args):
    return datetime(*args, tzinfo=VN)


def work(sent: list[str]) -> list[tuple[str, str]]:
    """(verb, table) of each statement of the write itself."""
    found = []
    for statement in sent:
        if BOOKKEEPING.search(statement):
            continue
        verb = statement.split()[0].upper()
        table = re.search(r"\b(?:FROM|INTO|UPDATE)\s+\"?(\w+)", statement).group(1)
        found.append((verb, table))
    return found


@pytest.fixture
def api(client, world):
    birth = make_procedure(agency=world.agencies["000.00.04.H38"])

    def bearer(username):
        token = client.post("/api/v1/tokens", json={"username": username, "password": "demo"}).get_json()["token"]
        return {"Authorization": f"Bearer {token}"}

    body = {"procedure_code": birth.code, "applicant": applicant(),
            "documents": ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]}
    return type("Api", (), {"clerk": bearer("clerk"), "officer": bearer("officer"), "body": body})


def request(client, *args, **kwargs):
    db.session.remove()  # as between two requests in production: nothing known beforehand
    with counted() as sent:
        response = client.post(*args, **kwargs)
    assert response.status_code == 201, response.get_json()
    return response, work(sent)


def test_logging_an_application_reads_only_the_procedure_and_writes_five_rows(client, api):
    with frozen_at(vn(2026, 10, 5, 9, 0)):
        client.post("/api/v1/applications", json=api.body, headers=api.clerk)
        response, statements = request(client, "/api/v1/applications", json=api.body, headers=api.clerk)
    assert response.get_json()["code"] == "000.00.01.H38-261005-0002"
    assert statements == [
        # the calendar and the settings were read by the first request and are kept by the process
        ("SELECT", "procedure"),  # with every version joined (the one in force on the reception date is picked)
        ("INSERT", "daily_sequence"), ("INSERT", "register_sequence"),  # the code's number, the register entry
        ("INSERT", "audit_log"),  # in the same flush as the application: nothing is left for a second one
        ("INSERT", "application"), ("INSERT", "application_event"),
        ("INSERT", "rollup"), ("INSERT", "stage_watch"),  # the supervisors' counts and the desk's stage deadline
    ]


def test_recording_events_reads_the_application_once_with_all_it_needs(client, api):
    with frozen_at(vn(2026, 10, 5, 9, 0)):
        code = client.post("/api/v1/applications", json=api.body, headers=api.clerk).get_json()["code"]
    with frozen_at(vn(2026, 10, 5, 10, 0)):
        transfer, statements = request(client, f"/api/v1/applications/{code}/events", json={"type": "transfer"},
                                       headers=api.clerk)
    assert transfer.get_json()["application"]["status"] == "transferred"
    assert statements == [
        ("SELECT", "application"),  # locked, with its version, procedure, agencies and events, scoped to the user
        ("UPDATE", "application"), ("INSERT", "application_event"),
        ("INSERT", "stage_watch"),  # the new stage's deadline, watched for the board
        ("INSERT", "audit_log"),
    ]
    with frozen_at(vn(2026, 10, 6, 9, 0)):
        step, statements = request(client, f"/api/v1/applications/{code}/events", headers=api.officer,
                                   json={"type": "step", "to_agency": "000.00.04.H38", "working_days": 1})
    assert step.get_json()["event"]["data"]["to_unit"] == "Sở Tư pháp tỉnh Lào Cai"
    assert statements == [
        ("SELECT", "application"), ("SELECT", "agency"),  # the agency named in the request
        # where a step may go: the implementing agency's units and the processing agency's (a recursive query each),
        # and the bodies above the processing agency (its parent; the province's committee is already loaded)
        ("WITH", "agency"), ("WITH", "agency"), ("SELECT", "agency"),
        ("UPDATE", "application"), ("INSERT", "application_event"),
        ("INSERT", "stage_watch"),  # the step's own deadline, watched for the board
        ("INSERT", "audit_log"),
    ]


def test_an_application_the_user_may_not_see_is_a_404_before_anything_is_written(client, api):
    with frozen_at(vn(2026, 10, 5, 9, 0)):
        code = client.post("/api/v1/applications", json=api.body, headers=api.clerk).get_json()["code"]
    token = client.post("/api/v1/tokens", json={"username": "officer.nnmt", "password": "demo"}).get_json()["token"]
    with counted() as sent:
        response = client.post(f"/api/v1/applications/{code}/events", json={"type": "step", "to_agency": "000.00.05.H38"},
                               headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404
    assert not [s for s in sent if s.lstrip().upper().startswith(("INSERT", "UPDATE")) and "api_token" not in s]


def test_the_calendar_and_the_settings_are_read_once_per_process_and_a_change_here_is_seen_at_once(client, api, db):
    from onestop import settings
    from onestop.calendar import services as calendar_services

    with frozen_at(vn(2026, 10, 5, 9, 0)):
        with counted() as sent:
            first = client.post("/api/v1/applications", json=api.body, headers=api.clerk).get_json()
        # the calendar first: the reception moment's day picks the procedure's version
        assert [table for verb, table in work(sent) if verb == "SELECT"] == ["calendar_override", "procedure",
                                                                             "setting"]
        assert first["due_at"] == "2026-10-08T17:00:00+07:00"
        # Wednesday 7 October 2026 made a day off here: the next file's due time moves past it at once
        calendar_services.set_override(datetime(2026, 10, 7).date(), "off")
        settings.put("due_soon_working_days", 3)
        db.session.commit()
        db.session.remove()
        with counted() as sent:
            second = client.post("/api/v1/applications", json=api.body, headers=api.clerk).get_json()
        assert [table for verb, table in work(sent) if verb == "SELECT"] == ["calendar_override", "procedure",
                                                                             "setting"]
        assert second["due_at"] == "2026-10-09T17:00:00+07:00"
        assert settings.get("due_soon_working_days") == 3


def test_a_change_made_by_another_process_is_seen_when_the_cache_expires(app, db):
    """Another host writes straight to the database: this process keeps its copy for CONFIG_CACHE_SECONDS."""
    from onestop import process_cache, settings

    assert settings.get("due_soon_working_days") == 2
    db.session.execute(db.text("INSERT INTO setting (key, value) VALUES ('due_soon_working_days', '4')"))
    db.session.commit()
    assert settings.get("due_soon_working_days") == 2  # kept: no write went through this process's sessions
    cache = app.extensions["onestop_process_cache"]
    cache._values = {name: (0.0, value) for name, (_, value) in cache._values.items()}  # the copy's time is up
    assert settings.get("due_soon_working_days") == 4
    app.config["CONFIG_CACHE_SECONDS"] = 0
    process_cache.init_app(app)
    db.session.execute(db.text("UPDATE setting SET value = '5' WHERE key = 'due_soon_working_days'"))
    db.session.commit()
    assert settings.get("due_soon_working_days") == 5  # 0 seconds: read on every use


def test_a_change_not_yet_committed_is_kept_out_of_the_cache_the_other_threads_read(app, db):
    """The transaction that changes a setting reads its own change; the process's copy (what other requests read)
    takes it only once it is committed, and never if it is rolled back."""
    from onestop import settings

    assert settings.get("due_soon_working_days") == 2
    settings.put("due_soon_working_days", 7)
    assert settings.get("due_soon_working_days") == 7  # this transaction sees its own change
    assert "settings" not in app.extensions["onestop_process_cache"]._values
    db.session.rollback()
    assert settings.get("due_soon_working_days") == 2
    settings.put("due_soon_working_days", 3)
    db.session.commit()
    assert settings.get("due_soon_working_days") == 3
    assert app.extensions["onestop_process_cache"]._values["settings"][1]["due_soon_working_days"] == 3
