"""The submissions API (issue 16, item 7): a citizen's system submits multipart (`data` JSON and `paper.<position>`
files) and gets a number, key and status address; the desk lists, reads, asks for more, accepts or refuses."""
import io
import json
from datetime import datetime

import pytest
import sqlalchemy as sa

from onestop.extensions import db
from onestop.reception.online_models import Submission
from onestop.timeutil import VN, frozen_at
from tests import paper_samples as samples
from tests.conftest import drop_everything, make_app
from tests.factories import make_procedure
from tests.test_api_reception import bearer

NIGHT = datetime(2026, 10, 9, 22, 0, tzinfo=VN)
MONDAY = datetime(2026, 10, 12, 9, 0, tzinfo=VN)


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path, FILES_DIR=str(tmp_path / "files"))
    with app.app_context():
        yield app
        drop_everything()


@pytest.fixture
def birth(world):
    return make_procedure(agency=world.agencies["000.00.01.H38"], documents=(
        ("Tờ khai", "original", 1), ("Giấy chứng sinh", "original", 1), ("Căn cước", "copy", 1)))


def data(birth, **overrides):
    body = {"procedure_code": birth.code, "applicant": {
        "name": "Nguyễn Thị Ngọc Ánh", "id_number": "015190001234", "phone": "0912345678",
        "address": "Phường Hồng Hà"}, "return_method": "postal", "postal_address": "Số 12, ngõ 34, Hồng Hà"}
    body.update(overrides)
    return body


def post(client, birth, papers=None, at=NIGHT, **overrides):
    papers = papers if papers is not None else {
        "paper.0": (io.BytesIO(samples.pdf()), "to-khai.pdf"),
        "paper.1": (io.BytesIO(samples.jpeg()), "IMG_1.JPG"),
        "paper.2": (io.BytesIO(samples.png()), "cc.png")}
    with frozen_at(at):
        return client.post("/api/v1/submissions", data={"data": json.dumps(data(birth, **overrides)), **papers},
                           content_type="multipart/form-data")


def test_a_system_submits_and_the_desk_accepts_through_the_api(client, birth):
    response = post(client, birth)
    assert response.status_code == 201
    body = response.get_json()
    number, key = body["number"], body["key"]
    assert body["state"] == "waiting"
    assert body["status_url"].startswith(f"https://motcua.example.vn/nop-ho-so/{number}?k=")
    citizen = client.get(f"/api/v1/submissions/{number}?k={key}").get_json()
    assert citizen["state"] == "waiting" and "applicant" not in citizen
    assert [p["position"] for p in citizen["papers"]] == [0, 1, 2]
    headers = bearer(client, "clerk")
    with frozen_at(MONDAY):
        listed = client.get("/api/v1/submissions?state=waiting", headers=headers).get_json()["items"]
        assert [item["number"] for item in listed] == [number]
        assert listed[0]["waited_working_hours"] == 1.5 and listed[0]["postal_address"] == "Số 12, ngõ 34, Hồng Hà"
        accepted = client.post(f"/api/v1/submissions/{number}/accept", headers=headers)
    assert accepted.status_code == 201
    result = accepted.get_json()
    assert result["code"] == "000.00.01.H38-261012-0001"
    assert result["due_at"] == "2026-10-15T17:00:00+07:00"
    assert result["tracking_url"].startswith("https://motcua.example.vn/tra-cuu/000.00.01.H38-261012-0001?k=")
    again = client.post(f"/api/v1/submissions/{number}/accept", headers=headers)
    assert again.status_code == 409
    after = client.get(f"/api/v1/submissions/{number}?k={key}").get_json()
    assert after["state"] == "accepted" and after["application"]["code"] == result["code"]


def test_the_desk_asks_for_more_then_refuses_through_the_api(client, birth):
    number = post(client, birth).get_json()["number"]
    headers = bearer(client, "clerk")
    with frozen_at(MONDAY):
        missing = client.post(f"/api/v1/submissions/{number}/request", json={"items": []}, headers=headers)
        assert missing.status_code == 400 and "Liệt kê" in missing.get_json()["errors"]["items"]
        asked = client.post(f"/api/v1/submissions/{number}/request", headers=headers,
                            json={"items": ["Giấy chứng sinh rõ nét"], "reason": "Ảnh mờ."})
        assert asked.status_code == 200 and asked.get_json()["state"] == "supplement_requested"
        assert client.post(f"/api/v1/submissions/{number}/refuse", headers=headers,
                           json={"reasons": ["x"]}).status_code == 409  # only a waiting one is decided
    submission = db.session.scalar(sa.select(Submission))
    assert submission.state == "supplement_requested"
    number2 = post(client, birth).get_json()["number"]
    with frozen_at(MONDAY):
        refused = client.post(f"/api/v1/submissions/{number2}/refuse", headers=headers,
                              json={"reasons": ["Không thuộc thẩm quyền."]})
    assert refused.status_code == 200 and refused.get_json()["state"] == "refused"


@pytest.mark.parametrize("name, content, message", [
    ("to-khai.pdf", b"GIF89a not a pdf", "không phải PDF, JPEG hay PNG"),
    ("to-khai.pdf", b"", "rỗng (0 byte)"),
    ("to-khai.pdf", samples.truncated_pdf(), "không đọc được như một tệp PDF"),
    ("cc.png", samples.png_bomb(), "quá lớn (30000 × 30000 điểm ảnh)"),
    ("../../x.pdf", samples.pdf(), "Tên tệp không hợp lệ"),
])
def test_a_hostile_paper_is_a_400_naming_its_part(client, birth, name, content, message):
    papers = {"paper.0": (io.BytesIO(content), name), "paper.1": (io.BytesIO(samples.jpeg()), "a.jpg"),
              "paper.2": (io.BytesIO(samples.png()), "b.png")}
    response = post(client, birth, papers=papers)
    assert response.status_code == 400
    assert message in response.get_json()["errors"]["paper.0"]
    assert set(response.get_json()["errors"]) == {"paper.0"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 0
    # the two good papers are kept: sent back as fields with the corrected one, the submission has all three
    kept = response.get_json()["kept"]
    assert sorted(kept) == ["kept.1", "kept.2"]
    again = post(client, birth, papers={**kept, "paper.0": (io.BytesIO(samples.pdf()), "to-khai.pdf")})
    assert again.status_code == 201
    submission = db.session.scalar(sa.select(Submission))
    assert [paper.position for paper in submission.papers] == [0, 1, 2]


def test_bad_requests_say_what_is_wrong(client, birth):
    assert "multipart" in client.post("/api/v1/submissions", json={}).get_json()["error"]
    unknown = post(client, birth, papers={"photo": (io.BytesIO(samples.jpeg()), "a.jpg")})
    assert unknown.status_code == 400 and "photo" in unknown.get_json()["error"]
    extra = post(client, birth, channel="online")
    assert extra.status_code == 400 and "channel" in extra.get_json()["error"]
    no_postal = post(client, birth, postal_address=None)
    assert no_postal.get_json()["errors"] == {"postal_address": "Nhập địa chỉ nhận kết quả qua bưu chính."}
    assert client.get("/api/v1/submissions").status_code == 401
    assert client.get("/api/v1/submissions/TT-261009-AAAAAA?k=ABCD-EFGH-JKMN").status_code == 404


ACCEPT_STATEMENTS = [  # what accepting costs the database, whatever the number of papers (issue 16's benchmark)
    "SELECT api_token", "SELECT submission", "SELECT procedure_document",  # the token; the submission, read locked
    "INSERT INTO daily_sequence", "INSERT INTO register_sequence",  # the application's code and register entry
    "INSERT INTO audit_log", "INSERT INTO application", "INSERT INTO application_event",
    "INSERT INTO rollup", "INSERT INTO stage_watch",  # the indicators' counts, the stage it waits at
    "INSERT INTO stored_paper", "INSERT INTO paper_file", "INSERT INTO application_paper",  # its digitised papers
    "UPDATE submission", "UPDATE payment", "INSERT INTO submission_event"]  # claimed; its payments follow it


def test_accepting_costs_sixteen_statements_whatever_the_papers(client, birth):
    from tests.statements import counted

    first, number = (post(client, birth).get_json()["number"] for _ in range(2))
    headers = bearer(client, "clerk")
    with frozen_at(MONDAY):  # the token's use noted, the calendar and settings read: kept a while by the process
        assert client.post(f"/api/v1/submissions/{first}/accept", headers=headers).status_code == 201
    db.session.remove()  # nothing read before: every read the acceptance needs is counted
    with frozen_at(MONDAY), counted() as sent:
        assert client.post(f"/api/v1/submissions/{number}/accept", headers=headers).status_code == 201
    kinds = []
    for statement in sent:
        kind = statement_kind(statement)
        if kind != "BEGIN" and (not kinds or kinds[-1] != kind):  # SQLite: a statement per stored paper
            kinds.append(kind)
    if db.engine.dialect.name == "sqlite":  # begin_write restarts the transaction the token was read in
        kinds.remove("SELECT user")
    assert kinds == ACCEPT_STATEMENTS and len(kinds) == 16


def statement_kind(statement: str) -> str:
    """"INSERT INTO application", "UPDATE submission", "SELECT submission" (the first column's table), "BEGIN"."""
    words = statement.replace('"', "").split()
    if words[0] in ("INSERT", "UPDATE"):
        return " ".join(words[:3] if words[0] == "INSERT" else words[:2])
    if words[0] == "SELECT":
        return f"SELECT {words[1].split('.')[0]}"
    return words[0]
