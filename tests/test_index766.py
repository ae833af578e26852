"""Decision 766 in full (issue 19): March 2025 at the Department of Justice, every sub-indicator computed by hand.

The world of tests/tracking_world.py (17 files: 5 early, 4 on time, 3 late, 3 open at the end of March — O1
overdue, O2 received on the 31st and due 3 April, P1 paused —, 1 refused, 1 stopped; 2 complaints handled, one
late; 3 ratings, 2 satisfied), plus:
- D2, received Monday 3 March, asked for a supplement twice (4 and 6 March, each answered the next day: a file
  keyed in from an earlier system, the desk here allows one request), resolved early on Friday 7 March: late for
  the portal;
- two procedures of the department published by decisions of 3 March: X applies from Friday 7 March (4 working
  days later: late) and was posted on the 5th (in time); Y applies from Monday 17 March (in time) and was posted on
  the 14th (after Monday 10 March: late). X is offered fully online, Y not; both are complete; the old one lacks
  its steps, applicants and where to apply.
No fee anywhere: the online-payment group has only zero denominators, not applicable, out of score and maximum.
"""
from datetime import date, datetime

import pytest

from onestop.extensions import db
from onestop.procedures.models import Procedure, ProcedureDocument, ProcedureVersion
from onestop.reception import lifecycle
from onestop.text import fold
from onestop.timeutil import VN, frozen_at
from onestop.tracking.supervision import index766, index766_losses, index766_rules, indicators, recount

from . import tracking_world
from .factories import event, receive

AFTER_MARCH = datetime(2025, 4, 15, 10, 0, tzinfo=VN)


def at(day, hour=9, minute=0):
    return datetime(2025, 3, day, hour, minute, tzinfo=VN)


def asked_twice(monkeypatch, world, procedure):
    """D2: the desk's guard (one request only) is lifted for this file, as an import from elsewhere would be."""
    clerk, officer = world.users["clerk"], world.users["officer"]
    allowed = lifecycle.allowed_events

    def also_again(user, application):
        found = allowed(user, application)
        if application.status == "processing" and "request_supplement" not in found:
            found.append("request_supplement")
        return found

    monkeypatch.setattr(lifecycle, "allowed_events", also_again)
    app = receive(clerk, procedure, at(3))
    event(app, clerk, "transfer", at(3, 9, 30))
    for asked, answered in ((4, 5), (6, 7)):
        event(app, officer, "request_supplement", at(asked, 10), items=["Bản sao giấy tờ"], reason="Thiếu giấy tờ.")
        event(app, clerk, "supplement_received", at(answered, 10))
    event(app, officer, "result_ready", at(7, 15))
    monkeypatch.setattr(lifecycle, "allowed_events", allowed)
    db.session.commit()
    return app


def published(world, code, name, online, effective, posted):
    department = world.agencies["000.00.04.H38"]
    procedure = Procedure(code=code, status="in_force")
    version = ProcedureVersion(
        procedure=procedure, number=1, name=name, field="Lý lịch tư pháp", level="province", agency=department,
        agency_name=department.name, time_amount=5, time_unit="working_days", fee=0, online=online,
        steps="Nộp hồ sơ; thẩm định; trả kết quả.", applicants="Công dân Việt Nam", where_to_apply="Bộ phận một cửa",
        result="Phiếu", legal_basis="Luật Lý lịch tư pháp", decision_number="123/QĐ-UBND",
        decision_date=date(2025, 3, 3), effective_from=effective, status="in_force",
        published_at=datetime.combine(posted, datetime.min.time(), tzinfo=VN).replace(hour=10),
        search_text=fold(f"{code} {name}"))
    version.documents = [ProcedureDocument(position=0, name="Tờ khai", kind="original", copies=1)]
    db.session.add_all([procedure, version])
    db.session.flush()
    procedure.current = version
    db.session.commit()
    return procedure


@pytest.fixture
def march(world, monkeypatch):
    built = tracking_world.build(world)
    built["files"]["D2"] = asked_twice(monkeypatch, world, built["procedure"])
    published(world, "2.000901", "Thủ tục X", "full", date(2025, 3, 7), date(2025, 3, 5))
    published(world, "2.000902", "Thủ tục Y", "none", date(2025, 3, 17), date(2025, 3, 14))
    return built


def province_index(start=date(2025, 3, 1), end=date(2025, 3, 31), **options):
    agency, ids = indicators.scope_of("000.00.00.H38")
    return index766.index_for(agency, ids, start, end, moment=AFTER_MARCH, **options)


def flat(index):
    return {item["code"]: (item["numerator"], item["denominator"], item["points"], item["max"], item["measured"])
            for group in index["groups"] for item in group["indicators"]}


# (numerator, denominator, points, max, measured), each worked out by hand above and in the comments
EXPECTED = {
    "published_on_time": (1, 2, 3.0, 6.0, True),  # X late (3 + 5 working days = 10 March > 7 March), Y in time
    "posted_on_time": (1, 2, 2.0, 4.0, True),  # X posted 5 March ≤ 10 March; Y posted 14 March
    "complete_content": (2, 3, 1.33, 2.0, True),  # X and Y complete, the old one not
    "synced": (0, 18, 0.0, 6.0, True),  # no national portal here: 0 of the 18 received
    # 13 resolved (5 early + D2 early, 4 on time, 3 late) + 3 open (O1 overdue, O2 not yet due, P1 paused);
    # in time: 6 + 4 − D2 (asked twice) = 9, not yet due: O2 and P1 = 2; 20 × 11 ÷ 16
    "on_time": (11, 16, 13.75, 20.0, True),
    "online_offered": (2, 3, 1.67, 2.0, True),  # the old one partly, X fully online; 2 × (2/3 ÷ 0.8)
    "online_used": (1, 2, 2.0, 4.0, True),  # the old one received 5 online files, X none
    "online_applications": (5, 18, 3.33, 6.0, True),  # 6 × (5/18 ÷ 0.5)
    # no fee anywhere: zero denominators, not applicable (points None, out of the maximum)
    "paid_online": (0, 0, None, 6.0, True),
    "payment_used": (0, 0, None, 2.0, True),
    "payment_offered": (0, 0, None, 2.5, True),
    "complaints_on_time": (1, 2, 3.0, 6.0, True),
    "complaints_satisfied": (None, None, None, 6.0, False),  # the app records no verdict on a complaint's handling
    "service_satisfaction": (2, 3, 4.44, 6.0, True),  # 6 × (2/3 ÷ 0.9)
    "results_electronic": (0, 13, 0.0, 6.0, True),
    "fully_digitised": (0, 13, 0.0, 4.0, True),
    "certified_copies": (None, None, None, 2.0, False),
    "papers_reused": (0, 18, 0.0, 2.0, True),
    "national_store": (None, None, None, 4.0, False),
    "population_db_applications": (None, None, None, 2.0, False),
    "population_db_procedures": (None, None, None, 2.0, False),
}
GROUPS = {"transparency": (6.33, 18), "progress": (13.75, 20), "online_service": (7.0, 12), "online_payment": (0, 0),
          "satisfaction": (7.44, 12), "digitisation": (0.0, 12)}


def test_every_sub_indicator_of_march_matches_the_hand_computation(march):
    index = province_index()
    assert flat(index) == EXPECTED
    assert {g["code"]: (g["points"], g["max"]) for g in index["groups"]} == GROUPS
    # 6.33 + 13.75 + 7 + 0 + 7.44 + 0 of 18 + 20 + 12 + 0 + 12 + 12: 46.6 % of what could be measured
    assert (index["total"], index["max"], index["band"], index["rules_version"]) == (34.52, 74.0, "Yếu", "2022-06-23")
    assert index["groups"][1]["indicators"][0]["ratio"] == 0.6875


def test_the_rollups_keep_the_new_counts_as_a_full_recount_finds_them(march):
    assert recount.check() == []
    recount.rebuild()
    assert flat(province_index()) == EXPECTED


def test_the_on_time_losses_are_exactly_the_late_files_of_march(march):
    agency, ids = indicators.scope_of("000.00.00.H38")
    files = march["files"]
    found = index766_losses.losses("on_time", agency, ids, date(2025, 3, 1), date(2025, 3, 31), moment=AFTER_MARCH)
    late = {files[name].code: kind for name, kind in (
        ("L1", "resolved_late"), ("L2", "resolved_late"), ("L3", "resolved_late"), ("D2", "resolved_asked_twice"),
        ("O1", "open_overdue"))}
    assert {item["code"]: item["class"] for item in found["items"]} == late and found["next"] is None
    # 20 − 13.75 = 6.25 points lost by 5 files: 1.25 each
    assert found["lost"] == 6.25
    assert {c["class"]: (c["count"], c["points"]) for c in found["classes"]} == {
        "resolved_late": (3, 3.75), "resolved_asked_twice": (1, 1.25), "open_overdue": (1, 1.25)}
    # a page at a time, the same files
    seen, cursor = [], None
    while True:
        page = index766_losses.file_page("on_time", ids, date(2025, 3, 1), date(2025, 3, 31), cursor, per_page=2,
                                         moment=AFTER_MARCH)
        seen += [item["code"] for item in page.items]
        if page.next is None:
            break
        cursor = page.next
    assert sorted(seen) == sorted(late) and len(seen) == 5
    # another department's scope holds none of them
    other, other_ids = indicators.scope_of("000.00.05.H38")
    assert index766_losses.file_page("on_time", other_ids, date(2025, 3, 1), date(2025, 3, 31),
                                     moment=AFTER_MARCH).items == []


def test_the_procedure_and_file_lists_of_the_other_sub_indicators(march):
    agency, ids = indicators.scope_of("000.00.00.H38")
    march_days = (date(2025, 3, 1), date(2025, 3, 31))
    published = index766_losses.losses("published_on_time", agency, ids, *march_days, moment=AFTER_MARCH)
    assert [(i["code"], i["class"]) for i in published["items"]] == [("2.000901", "decision_late")]
    assert published["classes"] == [{"class": "decision_late", "count": 1, "points": 3.0}]
    posted = index766_losses.losses("posted_on_time", agency, ids, *march_days, moment=AFTER_MARCH)
    assert [(i["code"], i["class"]) for i in posted["items"]] == [("2.000902", "posted_late")]
    online = index766_losses.losses("online_applications", agency, ids, *march_days, moment=AFTER_MARCH)
    assert {c["class"]: c["count"] for c in online["classes"]} == {"in_person": 12, "postal": 1}
    with pytest.raises(index766_losses.LossError):
        index766_losses.losses("national_store", agency, ids, *march_days, moment=AFTER_MARCH)


NEW_RULES = {"effective_from": "2025-03-15", "note": "Thử: trực tuyến đủ điểm ở 25%",
             "groups": index766_rules.SHIPPED["groups"],
             "indicators": [dict(item, full_at=0.25) if item["code"] == "online_applications" else item
                            for item in index766_rules.SHIPPED["indicators"]]}


def test_a_new_rules_version_scores_periods_ending_after_its_date_and_not_before(march):
    before = province_index(date(2025, 3, 1), date(2025, 3, 14))
    index766_rules.load_version(NEW_RULES)
    db.session.commit()
    first_half = province_index(date(2025, 3, 1), date(2025, 3, 14))
    assert first_half == before and first_half["rules_version"] == "2022-06-23"
    whole = province_index()
    assert whole["rules_version"] == "2025-03-15"
    assert flat(whole)["online_applications"] == (5, 18, 6.0, 6.0, True)  # 5/18 ≥ 25 %: full
    assert whole["total"] == 37.19  # 34.52 − 3.33 + 6


def test_the_migration_ships_the_same_rules_as_the_code():
    import importlib.util
    import pathlib

    path = next(pathlib.Path("migrations/versions").glob("*_c766a1e0b2f3_*.py"))
    spec = importlib.util.spec_from_file_location("m766", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    shipped = [(i["group"], i["code"], i["max"], i["full_at"], i["zero"]) for i in index766_rules.SHIPPED["indicators"]]
    assert module.RULES == shipped and all(i["measure"] == i["code"] for i in index766_rules.SHIPPED["indicators"])
    assert module.GROUP_MAX == {g["code"]: g["max"] for g in index766_rules.SHIPPED["groups"]}


@pytest.mark.parametrize("broken, message", [
    ({"effective_from": "not a day"}, "effective_from"),
    ({**NEW_RULES, "groups": [{"code": "transparency", "max": 101}]}, "transparency"),
    ({**NEW_RULES, "indicators": [{"group": "progress", "code": "x", "measure": "guess", "max": 5}]}, "guess"),
    ({**NEW_RULES, "indicators": [dict(NEW_RULES["indicators"][0], zero="maybe")]}, "zero"),
])
def test_a_broken_rules_file_is_refused_with_its_reason(app, broken, message):
    with pytest.raises(index766_rules.RulesError, match=message):
        index766_rules.validate(broken)


APRIL = datetime(2025, 4, 15, 10, 0, tzinfo=VN)
MARCH_QUERY = "agency=000.00.00.H38&from=2025-03-01&to=2025-03-31"


def test_the_api_answers_exactly_the_fields_named_and_ranks_the_units(march, client, auth):
    auth.login("supervisor")
    with frozen_at(APRIL):
        body = client.get(f"/api/v1/index-766?{MARCH_QUERY}&units=1").get_json()
    assert set(body) == {"agency", "from", "to", "groups", "total", "max", "band", "rules_version", "units"}
    assert [set(group) for group in body["groups"]] == [{"code", "points", "max", "indicators"}] * 6
    assert {frozenset(item) for group in body["groups"] for item in group["indicators"]} == {frozenset(
        {"code", "numerator", "denominator", "ratio", "points", "max", "measured"})}
    assert body["total"] == 34.52 and body["band"] == "Yếu"
    units = {unit["code"]: unit for unit in body["units"]}
    justice = units["000.00.04.H38"]
    # the department holds every file: its index is the province's. In February it had no file and no complaint
    # (6 points: full when there were none) and its one procedure in force was offered online (2 points)
    assert (justice["kind"], justice["rank"], justice["total"]) == ("department", 1, 34.52)
    assert justice["previous"] == {"total": 8.0, "rank": 1, "change": 26.52}
    # a department with nothing at all scores its complaints only, full when there were none
    assert (units["000.00.05.H38"]["total"], units["000.00.05.H38"]["max"]) == (6.0, 6.0)
    assert set(justice) == {"code", "name", "kind", "groups", "total", "max", "band", "rules_version", "rank",
                            "previous"}
    communes = [unit for unit in body["units"] if unit["kind"] == "commune"]
    assert all(unit["rank"] is None or unit["rank"] >= 1 for unit in communes)
    with frozen_at(APRIL):
        assert client.get(f"/api/v1/index-766?{MARCH_QUERY}&units=2").status_code == 400
        assert client.get("/api/v1/index-766?agency=000.00.00.H38&from=2025-03-31&to=2025-03-01").status_code == 400
        assert client.get("/api/v1/index-766?agency=NOPE&from=2025-03-01&to=2025-03-31").status_code == 404
        losses = client.get(f"/api/v1/index-766/losses?{MARCH_QUERY}&indicator=on_time").get_json()
        assert len(losses["items"]) == 5 and losses["lost"] == 6.25
        assert client.get(f"/api/v1/index-766/losses?{MARCH_QUERY}&indicator=national_store").status_code == 400
        assert client.get(f"/api/v1/index-766/losses?{MARCH_QUERY}&indicator=on_time&after=%%%").status_code == 400


def test_the_service_centre_clerk_sees_its_own_index_and_not_the_province(march, client, auth):
    auth.login("clerk")
    with frozen_at(APRIL):
        assert client.get(f"/api/v1/index-766?{MARCH_QUERY}").status_code == 403
        own = client.get("/api/v1/index-766?from=2025-03-01&to=2025-03-31").get_json()
    # the files were received at the centre but are the department's (lead agency): none counts here
    assert own["agency"]["code"] == "000.00.01.H38" and flat(own)["on_time"] == (0, 0, None, 20.0, True)


def test_the_board_links_each_figure_below_its_maximum_to_the_files_that_cost_it(march, client, auth):
    auth.login("supervisor")
    with frozen_at(APRIL):
        page = client.get(f"/index-766?{MARCH_QUERY}").get_data(as_text=True)
        assert "Xếp hạng các đơn vị" in page and "Sở Tư pháp" in page
        link = f'/index-766/losses?agency=000.00.00.H38&amp;indicator=on_time&amp;from=2025-03-01&amp;to=2025-03-31'
        assert link in page
        losses = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
        dashboard = client.get(f"/dashboard?{MARCH_QUERY}").get_data(as_text=True)
    assert losses.count('<tr class="loss-row">') == 5 and march["files"]["D2"].code in losses
    assert "Yêu cầu bổ sung quá một lần" in losses
    assert 'id="index766"' in dashboard and link in dashboard


def test_an_administrator_loads_a_new_version_from_the_page_and_the_cli(march, client, auth, runner, tmp_path):
    import json
    from io import BytesIO

    auth.login("admin")
    upload = {"rules": (BytesIO(json.dumps(NEW_RULES).encode()), "rules.json")}
    assert client.post("/admin/index-766", data=upload, content_type="multipart/form-data").status_code == 302
    page = client.get("/admin/index-766").get_data(as_text=True)
    assert "15/03/2025" in page
    bad = client.post("/admin/index-766", data={"rules": (BytesIO(b"{not json"), "rules.json")},
                      content_type="multipart/form-data")
    assert bad.status_code == 400 and "không phải JSON" in bad.get_data(as_text=True)
    later = tmp_path / "rules.json"
    later.write_text(json.dumps({**NEW_RULES, "effective_from": "2026-01-01"}), encoding="utf-8")
    result = runner.invoke(args=["indicators", "rules-load", str(later)])
    assert result.exit_code == 0, result.output
    assert [v.effective_from for v in index766_rules.versions()] == [date(2026, 1, 1), date(2025, 3, 15)]
    shown = runner.invoke(args=["indicators", "rules-show", "--on", "2025-03-20"])
    assert json.loads(shown.output)["effective_from"] == "2025-03-15"
    auth.logout()
    auth.login("supervisor")
    assert client.post("/admin/index-766", data={}, content_type="multipart/form-data").status_code == 403


def test_the_cchc_report_prints_the_index_and_the_ranking_in_pdf_and_excel(march, client, auth):
    from io import BytesIO

    from openpyxl import load_workbook

    from tests.test_pdf_forms import pdf_text

    auth.login("supervisor")
    with frozen_at(APRIL):
        pdf = client.get(f"/api/v1/reports/cchc.pdf?{MARCH_QUERY}").data
        xlsx = client.get(f"/api/v1/reports/cchc.xlsx?{MARCH_QUERY}").data
    import os

    if os.environ.get("ONESTOP_KEEP_PDF"):
        open(os.environ["ONESTOP_KEEP_PDF"], "wb").write(pdf)
    text = " ".join(pdf_text(pdf).split())
    assert "9. Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)" in text
    assert "Hồ sơ giải quyết đúng hạn 11 16 68,8% 13,75 20" in text
    assert "Xếp loại: Yếu" in text and "10. Xếp hạng các đơn vị theo Chỉ số 766" in text
    book = load_workbook(BytesIO(xlsx))
    sheet = book["9. Chỉ số 766"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert ["– Hồ sơ giải quyết đúng hạn", 11, 16, 0.6875, 13.75, 20.0] in rows
    assert ["Tổng cộng", None, None, None, 34.52, 74.0] in rows
    ranking = [[cell.value for cell in row] for row in book["10. Xếp hạng 766"].iter_rows()]
    # ranked among the departments (the communes apart): first; a unit with no file scores its complaints only
    assert ["Sở Tư pháp tỉnh Lào Cai", 1, 34.52, 74, 0.466, "Yếu", 26.52] in ranking
    assert ["Sở Y tế tỉnh Lào Cai", 2, 6, 6, 1, "Xuất sắc", 0] in ranking


def test_one_procedures_figures_count_its_files_and_its_catalogue_entry(march, client, auth):
    auth.login("supervisor")
    with frozen_at(APRIL):
        old = client.get(f"/api/v1/index-766?{MARCH_QUERY}&procedure=2.000488").get_json()
        x = client.get(f"/api/v1/index-766?{MARCH_QUERY}&procedure=2.000901").get_json()
        assert client.get(f"/api/v1/index-766?{MARCH_QUERY}&procedure=9.999999").status_code == 404
    # every file of March is the old procedure's; complaints are an agency's, not measured for a procedure
    assert old["procedure"] == "2.000488"
    assert {code: flat(old)[code] for code in ("on_time", "online_applications", "complaints_on_time",
                                               "complete_content", "online_used", "published_on_time")} == {
        "on_time": (11, 16, 13.75, 20.0, True), "online_applications": (5, 18, 3.33, 6.0, True),
        "complaints_on_time": (None, None, None, 6.0, False), "complete_content": (0, 1, 0.0, 2.0, True),
        "online_used": (1, 1, 4.0, 4.0, True), "published_on_time": (0, 0, None, 6.0, True)}
    # X: no file yet (not applicable), offered fully online but not used, its decision late and posted in time
    assert {code: flat(x)[code] for code in ("on_time", "online_offered", "online_used", "published_on_time",
                                             "posted_on_time")} == {
        "on_time": (0, 0, None, 20.0, True), "online_offered": (1, 1, 2.0, 2.0, True),
        "online_used": (0, 1, 0.0, 4.0, True), "published_on_time": (0, 1, 0.0, 6.0, True),
        "posted_on_time": (1, 1, 4.0, 4.0, True)}
