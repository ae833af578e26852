"""A new user runs `make run` (`flask demo`) and finds the PAR INDEX ready to try: this year's criteria sets for the
departments and for the communes, a round open for self-assessment, the appraiser of Sở Nội vụ who sees every
unit's sheet, and Sở Tư pháp's reform officer whose sheet holds the self-assessment begun, with its evidence PDF."""
import re
from datetime import datetime

import pytest

from onestop.auth.models import Agency
from onestop.extensions import db
from onestop.par_index import rounds, sets
from onestop.par_index.results import sheet_view
from onestop.timeutil import VN, frozen_at

from .test_pdf_forms import pdf_text

STP, YEN_BAI = "000.00.04.H38", "000.21.00.H38"
LOADED = datetime(2026, 3, 2, 9, 0, tzinfo=VN)  # the day the new user loads the demo


@pytest.fixture
def loaded(app, runner):
    with frozen_at(LOADED):
        result = runner.invoke(args=["demo", "--applications", "0"])
    assert result.exit_code == 0, result.output
    return app


def signed_in(app, username):
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": "demo"}).status_code == 302
    return client


def agency(code):
    return db.session.scalar(db.select(Agency).filter_by(code=code))


def test_the_demo_holds_this_years_sets_and_a_round_open_for_self_assessment(loaded):
    for group in ("departments", "communes"):
        found = sets.set_json(sets.get_set(2026, group))
        assert (found["total_max"], found["survey_weight"], found["frozen"]) == (100, 30, True)
        assert found["counts"] == {"area": 4, "criterion": 11, "sub": 31}
    with frozen_at(LOADED):
        shown = rounds.round_json(rounds.get_round(2026))
    assert shown["stage"] == "self"
    assert (shown["self_until"], shown["second_until"]) == ("2026-04-01T23:59:59+07:00", "2026-05-31T23:59:59+07:00")


def test_so_tu_phap_has_begun_its_self_assessment_with_an_evidence_pdf(loaded):
    with frozen_at(LOADED):
        view = sheet_view(rounds.get_round(2026), agency(STP))
    items = {item["number"]: item for item in view["items"]}
    scored = {number: (item["declared"], item["self_score"]) for number, item in items.items()
              if item["declared"] is not None}
    assert scored == {"1.1.1": ("Quyết định số 15/QĐ-STP ngày 10/01", 1), "1.1.2": ("18/18 nhiệm vụ (100%)", 1),
                      "1.1.3": ("Chưa bố trí", 0), "1.2.1": ("4/4 báo cáo quý", 1)}
    assert [file["name"] for file in items["1.1.1"]["evidence"]] == ["ke-hoach-cchc-2026.pdf"]
    assert view["missing_evidence"] == ["1.1.2", "1.2.1"]  # what keeps the sheet from being submitted
    assert items["2.2.1"]["measured"]["indicator"] == "on_time_rate"  # the app fills it in
    assert view["submitted"] is False


def test_the_appraiser_sees_every_units_sheet_and_the_officer_its_own(loaded):
    appraiser = signed_in(loaded, "appraiser")
    listed = appraiser.get("/par-index/2026/sheets")
    assert listed.status_code == 200
    codes = sorted(set(re.findall(r"/par-index/2026/sheets/(000\.\d\d\.\d\d\.H38)", listed.get_data(as_text=True))))
    assert codes == sorted(unit.code for group in ("departments", "communes") for unit in rounds.units(group))
    assert len(codes) == 15 and "000.00.11.H38" in codes  # 9 departments (Sở Nội vụ among them), 6 communes

    officer = signed_in(loaded, "supervisor.stp")
    with frozen_at(LOADED):
        page = officer.get(f"/par-index/2026/sheets/{STP}").get_data(as_text=True)
    assert "Quyết định số 15/QĐ-STP ngày 10/01" in page and "ke-hoach-cchc-2026.pdf" in page
    evidence = re.search(rf"/par-index/2026/sheets/{STP}/evidence/\d+", page).group(0)
    text = pdf_text(officer.get(evidence).data)
    assert "KẾ HOẠCH Cải cách hành chính năm 2026" in text and "SỞ TƯ PHÁP TỈNH LÀO CAI" in text
    assert officer.get(f"/par-index/2026/sheets/{YEN_BAI}").status_code == 404  # another unit's sheet
    assert signed_in(loaded, "supervisor.yenbai").get(f"/par-index/2026/sheets/{YEN_BAI}").status_code == 200
