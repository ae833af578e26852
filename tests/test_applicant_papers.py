"""Every applicant can be logged: a personal ID (căn cước, CCCD), an old CMND, a passport, another paper the clerk
names, or an organisation's tax code; each with its own check and message, printed as the paper says."""
from datetime import datetime

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from onestop import demo
from onestop.extensions import db
from onestop.reception import printing, services
from onestop.reception.models import Application, DeskSlip
from onestop.reception.validation import check_person
from onestop.timeutil import VN, frozen_at
from tests.factories import applicant, make_procedure, receive
from tests.test_api_reception import bearer, new_application
from tests.test_migrations import MIGRATIONS, migrated  # noqa: F401  (fixture)
from tests.test_pdf_forms import pdf_text
from tests.test_reception_pages import desk_form

AT = datetime(2026, 10, 9, 9, 0, tzinfo=VN)
BEFORE_ID_KINDS = "11a4e69a155e"


@pytest.fixture
def birth(world):
    return make_procedure(agency=world.agencies["000.00.04.H38"])


@pytest.mark.parametrize("kind, typed, stored", [
    ("personal_id", "015 190 001 234", "015190001234"),
    ("cmnd", "151234567", "151234567"),
    ("passport", "c1234567", "C1234567"),
    ("passport", "X98765432", "X98765432"),
])
def test_each_paper_of_a_person_is_accepted_in_its_own_shape(app, kind, typed, stored):
    errors = {}
    person = check_person(applicant(id_kind=kind, id_number=typed), "", errors)
    assert errors == {}
    assert (person["id_kind"], person["id_number"], person["id_paper"]) == (kind, stored, None)


@pytest.mark.parametrize("kind, typed, message", [
    ("personal_id", "151234567", "Số định danh cá nhân (trên thẻ căn cước, CCCD) phải gồm đúng 12 chữ số."),
    ("cmnd", "015190001234", "Số CMND phải gồm đúng 9 chữ số (CMND 12 số: chọn loại căn cước, CCCD)."),
    ("passport", "C12", "Số hộ chiếu gồm 5 đến 20 chữ cái không dấu và chữ số, ví dụ C1234567."),
    ("passport", "ABCDEFGH", "Số hộ chiếu gồm 5 đến 20 chữ cái không dấu và chữ số, ví dụ C1234567."),
    ("other", "", "Nhập số của giấy tờ (tối đa 20 ký tự, không dấu cách)."),
])
def test_each_paper_says_what_is_wrong_in_its_own_words(app, kind, typed, message):
    errors = {}
    check_person(applicant(id_kind=kind, id_number=typed, id_paper="Thẻ thường trú"), "", errors)
    assert errors == {"id_number": message}


def test_another_paper_needs_its_name(app):
    errors = {}
    person = check_person(applicant(id_kind="other", id_number="TT-2020/123"), "", errors)
    assert errors == {"id_paper": "Ghi tên giấy tờ, ví dụ: Thẻ thường trú, Giấy khai sinh."}
    errors = {}
    person = check_person(applicant(id_kind="other", id_number="TT-2020/123", id_paper="Thẻ thường trú"), "", errors)
    assert errors == {} and (person["id_kind"], person["id_paper"]) == ("other", "Thẻ thường trú")


def test_an_unknown_kind_of_paper_is_refused(app):
    errors = {}
    check_person(applicant(id_kind="driving_licence"), "applicant.", errors)
    assert errors == {"applicant.id_kind": "Loại giấy tờ phải là căn cước (CCCD), CMND, hộ chiếu hoặc giấy tờ khác."}


@pytest.mark.parametrize("typed, stored", [
    ("0101234567", "0101234567"), ("0101234567-001", "0101234567-001"), ("0101234567001", "0101234567-001"),
])
def test_an_organisation_is_known_by_its_tax_code_of_10_or_13_digits(app, typed, stored):
    errors = {}
    found = check_person(applicant(kind="organisation", id_number=typed, id_kind="personal_id"), "", errors,
                         kind="organisation")
    assert errors == {} and (found["id_kind"], found["id_number"]) == ("tax_code", stored)


def test_a_tax_code_of_another_length_is_refused(app):
    errors = {}
    check_person(applicant(kind="organisation", id_number="010123456"), "", errors, kind="organisation")
    assert errors == {"id_number": "Mã số thuế gồm 10 chữ số, hoặc 13 chữ số viết dạng 0101234567-001."}


def test_a_foreigner_with_a_passport_and_a_representative_with_an_old_cmnd_get_a_receipt_saying_so(world, birth):
    application = receive(
        world.users["clerk"], birth, AT,
        applicant=applicant(name="John Smith", id_kind="passport", id_number="X98765432"),
        representative={"name": "Trần Văn Bình", "id_kind": "cmnd", "id_number": "151234567", "phone": "0987654321"},
    )
    assert (application.applicant_id_kind, application.representative_id_kind) == ("passport", "cmnd")
    receipt = pdf_text(printing.render_form(application, "receipt"))
    assert "Số hộ chiếu: X98765432" in receipt
    assert "Người đại diện/được ủy quyền: Trần Văn Bình, số chứng minh nhân dân 151234567" in receipt
    assert "Số định danh cá nhân" not in receipt


def test_another_paper_is_printed_by_the_name_the_clerk_gave_it(world, birth):
    application = receive(world.users["clerk"], birth, AT, applicant=applicant(
        id_kind="other", id_number="TT123456", id_paper="Thẻ thường trú"))
    assert "Số Thẻ thường trú: TT123456" in pdf_text(printing.render_form(application, "receipt"))


def test_an_organisation_is_printed_with_its_tax_code(world, birth):
    application = receive(world.users["clerk"], birth, AT, applicant=applicant(
        kind="organisation", name="Công ty TNHH Chè Suối Giàng", id_number="5200123456001"))
    assert "Mã số doanh nghiệp/Mã số thuế: 5200123456-001" in pdf_text(printing.render_form(application, "receipt"))


def test_the_desk_form_takes_the_kind_of_paper(client, auth, birth, db):
    auth.login("clerk")
    bad = client.post("/desk", data=desk_form(applicant_id_kind="cmnd", applicant_id_number="015190001234"))
    assert bad.status_code == 400
    assert "Số CMND phải gồm đúng 9 chữ số" in bad.get_data(as_text=True)
    assert '<option value="cmnd" selected>' in bad.get_data(as_text=True)
    good = client.post("/desk", data=desk_form(applicant_id_kind="cmnd", applicant_id_number="151234567",
                                               submission_key="k-2"))
    assert good.status_code == 302
    saved = db.session.scalar(sa.select(Application))
    assert (saved.applicant_id_kind, saved.applicant_id_number) == ("cmnd", "151234567")


def test_the_api_takes_id_kind_with_personal_id_by_default(client, birth):
    headers = bearer(client, "clerk")
    plain = client.post("/api/v1/applications", headers=headers, json=new_application(birth)).get_json()
    passport = client.post("/api/v1/applications", headers=headers, json=new_application(
        birth, applicant=applicant(id_kind="passport", id_number="C1234567"))).get_json()
    assert client.get(f"/api/v1/applications/{plain['code']}", headers=headers).get_json()["applicant"]["id_kind"] \
        == "personal_id"
    body = client.get(f"/api/v1/applications/{passport['code']}", headers=headers).get_json()
    assert (body["applicant"]["id_kind"], body["applicant"]["id_number"]) == ("passport", "C1234567")
    wrong = client.post("/api/v1/applications", headers=headers,
                        json=new_application(birth, applicant=applicant(id_kind="cccd")))
    assert wrong.status_code == 400
    assert wrong.get_json()["errors"] == {
        "applicant.id_kind": "Loại giấy tờ phải là căn cước (CCCD), CMND, hộ chiếu hoặc giấy tờ khác."}


def test_a_refusal_slip_at_the_desk_prints_the_applicants_paper(world, birth):
    with frozen_at(AT):
        slip = services.record_desk_slip(world.users["clerk"], "refusal", {
            "procedure_code": birth.code, "reason": "Thủ tục không thuộc thẩm quyền",
            "applicant": applicant(id_kind="passport", id_number="C7654321")})
    db.session.commit()
    assert "Số hộ chiếu: C7654321" in pdf_text(printing.desk_slip_pdf(slip))


def test_upgrading_gives_existing_people_their_personal_id_and_organisations_their_tax_code(migrated):
    agencies = demo.load_agencies()
    clerk = demo.load_users(agencies)["clerk"]
    db.session.commit()
    birth = make_procedure(agency=agencies["000.00.04.H38"])
    person = receive(clerk, birth, AT, representative={"name": "Trần Văn Bình", "id_number": "015090001111"}).code
    company = receive(clerk, birth, AT, applicant=applicant(kind="organisation", id_number="5200123456")).code
    with frozen_at(AT):
        services.record_desk_slip(clerk, "refusal", {"procedure_code": birth.code, "reason": "Không thuộc thẩm quyền",
                                                     "applicant": applicant(kind="organisation", id_number="5200123456")})
    db.session.commit()
    db.session.remove()

    downgrade(directory=MIGRATIONS, revision=BEFORE_ID_KINDS)
    assert "applicant_id_kind" not in {c["name"] for c in sa.inspect(db.engine).get_columns("application")}
    upgrade(directory=MIGRATIONS)
    kinds = {a.code: (a.applicant_id_kind, a.representative_id_kind) for a in db.session.scalars(sa.select(Application))}
    assert kinds == {person: ("personal_id", "personal_id"), company: ("tax_code", None)}
    assert db.session.scalar(sa.select(DeskSlip.applicant_id_kind)) == "tax_code"
