"""Issue 11, part 7: an Idempotency-Key belongs to the clerk who sent it; the same key sent eight times at once
logs one application; an empty key is no key; a key longer than the column is a 400."""
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from onestop import create_app, demo
from onestop.extensions import db as _db
from onestop.reception.models import Application
from tests import conftest
from tests.factories import make_procedure, receive
from tests.http_clients import Client
from tests.test_reception_pages import desk_form
from tests.test_write_concurrency import at_once, threaded_server

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")
NEW = {"procedure_code": "1.001193", "documents": ["Tờ khai đăng ký khai sinh"], "sets": 1,
       "applicant": {"kind": "person", "name": "Nguyễn Thị Ngọc Ánh", "id_number": "015190001234",
                     "phone": "0912345678", "address": "Số 12, phường Yên Bái, tỉnh Lào Cai"}}


def bearer(client, username):
    token = client.post("/api/v1/tokens", json={"username": username, "password": "demo"}).get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def birth(world):
    return make_procedure()


def test_another_agencys_clerk_reusing_a_key_logs_their_own_application(client, birth):
    """Before: the second clerk got 200 with the first agency's code and tracking key, and nothing was logged."""
    first = client.post("/api/v1/applications", json=NEW, headers={**bearer(client, "clerk"), "Idempotency-Key": "retry-7"})
    other = {**bearer(client, "clerk.yenbai"), "Idempotency-Key": "retry-7"}
    theirs = client.post("/api/v1/applications", json=NEW, headers=other)
    again = client.post("/api/v1/applications", json=NEW, headers=other)
    assert (first.status_code, theirs.status_code, again.status_code) == (201, 201, 200)
    assert theirs.get_json()["code"].startswith("000.21.00.H38-")  # the Yên Bái desk's own code
    assert theirs.get_json()["code"] != first.get_json()["code"]
    assert theirs.get_json()["tracking_url"] != first.get_json()["tracking_url"]
    assert again.get_json()["code"] == theirs.get_json()["code"]


def test_an_empty_submission_key_from_the_desk_form_is_no_key(client, auth, birth):
    """Before: the first was stored with '' and the second empty key was a 500."""
    auth.login("clerk")
    form = desk_form(submission_key="")
    statuses = [client.post("/desk", data=form).status_code for _ in range(2)]
    assert statuses == [302, 302]
    keys = _db.session.scalars(sa.select(Application.submission_key)).all()
    assert keys == [None, None]


def test_an_idempotency_key_over_64_characters_is_a_400(client, birth):
    headers = {**bearer(client, "clerk"), "Idempotency-Key": "k" * 65}
    response = client.post("/api/v1/applications", json=NEW, headers=headers)
    assert (response.status_code, response.get_json()["error"]) == (400, "«Idempotency-Key» dài quá 64 ký tự.")
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 0
    headers["Idempotency-Key"] = "k" * 64
    assert client.post("/api/v1/applications", json=NEW, headers=headers).status_code == 201


def test_eight_identical_submissions_at_once_log_one_application(app, world):
    """Before, on PostgreSQL: 48 of 160 such requests were a 500 (begin_nested flushed before its savepoint)."""
    make_procedure(agency=world.agencies["000.00.04.H38"])
    _db.session.remove()
    served = create_app({"SECRET_KEY": "idempotency", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                         "PUBLIC_BASE_URL": "http://127.0.0.1"})
    with threaded_server(served) as base:
        token = Client(base).post("/api/v1/tokens", json_body={"username": "clerk", "password": "demo"}).json()["token"]
        for round_ in range(3):
            answers = at_once([lambda: Client(base, token).request(
                "POST", "/api/v1/applications", json_body=NEW, headers={"Idempotency-Key": f"at-once-{round_}"})
                for _ in range(8)])
            assert sorted(r.status for r in answers) == [200] * 7 + [201], [r.status for r in answers]
            assert len({r.json()["code"] for r in answers}) == 1
    codes = _db.session.scalars(sa.select(Application.code).order_by(Application.code)).all()
    assert [code[-4:] for code in codes] == ["0001", "0002", "0003"]  # one each, no number skipped


def test_upgrading_keeps_every_key_and_turns_empty_ones_into_none(tmp_path):
    app = create_app(conftest.test_config(tmp_path))
    with app.app_context():
        conftest.drop_everything()
        upgrade(directory=MIGRATIONS)
        agencies = demo.load_agencies()
        users = demo.load_users(agencies)
        procedure = make_procedure()
        from onestop.timeutil import VN
        from datetime import datetime
        at = datetime(2026, 11, 27, 9, 0, tzinfo=VN)
        receive(users["clerk"], procedure, at)
        first = receive(users["clerk"], procedure, at)
        _db.session.execute(sa.text("UPDATE application SET submission_key = 'k-1' WHERE id = :id"), {"id": first.id})
        _db.session.commit()
        downgrade(directory=MIGRATIONS, revision="263959dde96a")
        _db.session.execute(sa.text("UPDATE application SET submission_key = '' WHERE submission_key IS NULL"))
        _db.session.commit()
        upgrade(directory=MIGRATIONS)
        keys = sorted(_db.session.scalars(sa.select(Application.submission_key)).all(), key=str)
        with pytest.raises(sa.exc.IntegrityError):  # still one key per clerk
            _db.session.execute(sa.text("UPDATE application SET submission_key = 'k-1'"))
        _db.session.rollback()
        conftest.drop_everything()
    assert keys == [None, "k-1"]
