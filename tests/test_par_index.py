"""The PAR INDEX (issue 20): a province imports its criteria set from the appendix it publishes, opens the year's
round, two departments and two communes assess themselves with evidence, the Department of Home Affairs appraises,
asks for explanations and appraises again, and the ranking and emulation marks follow a hand computation."""
import io
import zipfile

import pytest
from openpyxl import Workbook

from onestop.extensions import db
from onestop.par_index import sets
from onestop.par_index.points import ParError

from . import par_index_samples as samples


def import_sample(content=None, year=2026, group="departments", survey_weight=30):
    par_set = sets.import_set("phu-luc.xlsx", content or samples.criteria_workbook(), year, group,
                              survey_weight=survey_weight)
    db.session.commit()
    return par_set


def test_the_provinces_appendix_is_imported_as_a_tree_whose_totals_are_the_sums_of_the_maxima(app):
    par_set = import_sample()
    found = sets.set_json(par_set)
    assert found["counts"] == {"area": 4, "criterion": 11, "sub": 31}
    assert [area["number"] for area in found["tree"]] == ["1", "2", "3", "4"]
    assert [area["max_points"] for area in found["tree"]] == [10, 20, 10, 30]
    assert found["total_max"] == 100.0 and found["survey_weight"] == 30.0
    maxima = samples.maxima()
    for area in found["tree"]:
        assert area["max_points"] == sum(criterion["max_points"] for criterion in area["children"])
        for criterion in area["children"]:
            assert criterion["max_points"] == maxima[criterion["number"]] == sum(
                sub["max_points"] for sub in criterion["children"])
    assert sum(maxima[number] for number in samples.leaves()) + 30 == found["total_max"]
    on_time = found["tree"][1]["children"][1]["children"][0]
    assert on_time == {"number": "2.2.1", "level": "sub", "title": "Tỷ lệ hồ sơ giải quyết đúng hạn",
                       "max_points": 6.0, "scoring": "100%: 6; 90% đến dưới 100%: 3; dưới 90%: 0",
                       "evidence": "Không", "evidence_required": False, "answer_kind": "points",
                       "indicator": "on_time_rate", "scale": [[100.0, 1.0], [90.0, 0.5], [0.0, 0.0]], "children": []}
    assert found["tree"][0]["children"][0]["children"][0]["evidence_required"] is True


def a_zip_that_is_no_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("ghi-chu.txt", "không phải bảng tính")
    return out.getvalue()


def problems(content) -> list[str]:
    with pytest.raises(ParError) as caught:
        sets.import_set("phu-luc.xlsx", content, 2026, "departments", survey_weight=30)
    assert caught.value.status == 400
    return caught.value.errors.get("file") or [caught.value.message]


def test_a_table_with_mistakes_is_refused_with_every_row_named_and_nothing_stored(app):
    spec = [list(row) for row in samples.SPEC]
    spec[4][2] = "một"  # 1.1.3: not a number
    spec.insert(8, ("1.5.1", "Tiêu chí lạc chỗ", 1, None, None, None, None))  # under a criterion that is not there
    spec.append(("4.3.3", "Trùng số", 1, None, None, None, None))
    content = samples.criteria_workbook([tuple(row) for row in spec], total=99)
    found = problems(content)
    assert found[0] == "Dòng 10: «Điểm tối đa» phải là số điểm (ví dụ 2 hoặc 0,5)."
    assert "Dòng 14: 1.5.1 nằm dưới 1.5 nhưng chưa có dòng 1.5 ở trên." in found
    assert "Dòng 53: số thứ tự 4.3.3 đã có ở dòng 52." in found
    assert sets.get_set(2026, "departments") is None


def test_a_parent_whose_maximum_is_not_its_childrens_sum_and_a_wrong_total_are_named(app):
    book = Workbook()
    sheet = book.active
    for row in (["BỘ TIÊU CHÍ"], ["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa"],
                ["I", "Lĩnh vực một", 5], ["1.1", "Tiêu chí", 4], ["1.1.1", "Thành phần", 2],
                ["1.1.2", "Thành phần", 2], [None, "Tổng cộng", 7]):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    assert problems(out.getvalue()) == [
        "Dòng 3: điểm tối đa của 1 là 5 nhưng tổng các tiêu chí bên dưới là 4."]


@pytest.mark.parametrize("content, message", [
    (a_zip_that_is_no_workbook(), "Tệp Excel bị hỏng hoặc không phải dạng .xlsx: hãy mở bằng Excel và lưu lại dạng .xlsx."),
    (b"%PDF-1.4", "Tệp .xlsx này không phải bảng tính Excel: hãy mở bằng Excel và lưu lại dạng .xlsx."),
    (samples.criteria_workbook(header=("Số", "Nội dung", "Điểm")),
     "Không tìm thấy dòng tiêu đề bảng (cần các cột «STT», «Lĩnh vực/Tiêu chí/Tiêu chí thành phần» và «Điểm tối đa») "
     "trong 30 dòng đầu."),
])
def test_a_file_that_is_no_criteria_table_is_refused_in_words(app, content, message):
    assert problems(content) == [message]


def test_a_measured_criterion_is_the_indicator_for_that_unit_and_year_scored_by_its_scale(world):
    """March 2025 at Sở Tư pháp (tests/tracking_world.py): 12 files resolved, 9 in time (75 %), 1 of the 3 late
    ones apologised for, 1 of 2 complaints answered on time, 5 of 17 received online, 2 of 3 ratings satisfied."""
    from datetime import date, datetime

    from onestop.auth.models import Agency
    from onestop.par_index import results, rounds
    from onestop.timeutil import VN, frozen_at
    from onestop.tracking.supervision import indicators

    from . import tracking_world

    tracking_world.build(world)
    with frozen_at(datetime(2026, 1, 5, 9, 0, tzinfo=VN)):
        import_sample(year=2025)
        par_round = rounds.create_round(2025, {"self_until": "2026-01-31", "appraisal_until": "2026-02-15",
                                               "explanation_until": "2026-02-28", "second_until": "2026-03-10"},
                                        world.users["admin"], survey_source="ratings")
        db.session.commit()
        justice = db.session.scalar(db.select(Agency).filter_by(code="000.00.04.H38"))
        sheet = results.sheet_view(par_round, justice)
        agency, ids = indicators.scope_of("000.00.04.H38")
        # the round's year is the official reporting year (Decree 09/2019): 15 December 2024 to 14 December 2025
        year = indicators.figures(agency, ids, date(2024, 12, 15), date(2025, 12, 14))
    measured = {item["number"]: item["measured"] for item in sheet["items"] if item["measured"]}
    assert measured["2.2.1"]["value"] == year["applications"]["on_time_rate"] == 75.0
    assert measured["2.3.1"]["value"] == year["complaints"]["on_time_rate"] == 50.0
    assert measured["4.1.1"]["value"] == year["applications"]["online_share"] == 29.4
    assert {number: (found["value"], found["points"]) for number, found in measured.items()} == {
        "2.2.1": (75.0, 0.0),  # below 90 %: 0 of 6
        "2.2.2": (33.3, 0.0),  # 1 of 3 late files apologised for: below 100 %
        "2.3.1": (50.0, 0.0),
        "4.1.1": (29.4, 0.0),  # below 30 %: 0 of 4
        "4.1.2": (0.0, 0.0),  # nothing digitised
    }
    assert sheet["score"] == 0.0  # nothing self-scored yet, every measured criterion missed
    # the province takes the survey from the app's ratings: 30 points × 66.7 % satisfied
    assert year["applications"]["ratings"]["satisfied_share"] == 66.7
    assert sheet["survey"] == 20.01 and sheet["total"] == 20.01


def test_the_scale_gives_full_half_or_nothing_as_the_set_says():
    from onestop.par_index.measured import score

    scale = [[100, 1], [90, 0.5], [0, 0]]
    assert [score(600, scale, value) for value in (100.0, 99.9, 90.0, 89.9, 0.0)] == [600, 300, 300, 0, 0]
    assert score(600, scale, None) == 600  # nothing to measure ("không phát sinh") counts as met


def test_the_admin_creates_an_appraiser_of_the_department_of_home_affairs(client, auth, world):
    from onestop.auth.models import User
    from onestop.auth.services import create_agency

    create_agency("000.00.03.H38", "Sở Nội vụ tỉnh Lào Cai", "province", world.agencies["000.00.00.H38"])
    db.session.commit()
    auth.login("admin")
    response = client.post("/admin/users/new", data={
        "username": "tham.dinh", "full_name": "Vũ Thị Thẩm Định", "agency_code": "000.00.03.H38",
        "roles": ["appraiser"], "password": "mat-khau-dai-hon"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    appraiser = db.session.scalar(db.select(User).filter_by(username="tham.dinh"))
    assert appraiser.roles == {"appraiser"} and appraiser.agency.code == "000.00.03.H38"
    assert "Thẩm định CCHC (Sở Nội vụ)" in client.get("/admin/users").get_data(as_text=True)


def test_lost_points_show_last_years_score_for_the_same_sub_criterion(app):
    """Services straight (the pages' path): Sở Nội vụ gave itself 3 of 4 for 4.2.1 in 2025 and 2 in 2026."""
    from datetime import datetime

    from onestop.par_index import results, rounds, sheets
    from onestop.timeutil import VN, frozen_at

    from . import par_index_world as w

    province = w.build()
    officer, unit = province.users["cchc.snv"], province.agencies["snv"]
    for year in (2025, 2026):
        with frozen_at(datetime(year + 1, 1, 5, 9, 0, tzinfo=VN)):
            import_sample(year=year)
            par_round = rounds.create_round(year, {"self_until": f"{year + 1}-01-31",
                                                   "appraisal_until": f"{year + 1}-02-15",
                                                   "explanation_until": f"{year + 1}-02-28",
                                                   "second_until": f"{year + 1}-03-10"}, province.users["admin"])
            sheets.update_answer(par_round, unit, "4.2.1", {"self_score": 3 if year == 2025 else 2}, officer)
            db.session.commit()
    with frozen_at(datetime(2027, 3, 15, 9, 0, tzinfo=VN)):
        lost = results.lost_points(rounds.get_round(2026), unit)
    row = next(row for row in lost if row["number"] == "4.2.1")
    assert (row["score"], row["lost"], row["last_year"], row["province_average"]) == (2.0, 2.0, 3.0, 2.0)
    # what it never scored counts 0 and is lost in full; measured criteria with nothing to measure are met
    assert next(row for row in lost if row["number"] == "1.1.1")["lost"] == 1.0
    assert not any(row["number"] == "2.2.1" for row in lost)


def test_the_same_table_saved_as_csv_imports_the_same_set_and_noise_is_refused_in_words(app):
    import csv

    from openpyxl import load_workbook

    rows = load_workbook(io.BytesIO(samples.criteria_workbook()), read_only=True).active.iter_rows(values_only=True)
    text = io.StringIO()
    csv.writer(text).writerows([["" if cell is None else cell for cell in row] for row in rows])
    par_set = sets.import_set("phu-luc.csv", text.getvalue().encode("utf-8"), 2026, "communes", survey_weight=30)
    assert sets.set_json(par_set)["counts"] == {"area": 4, "criterion": 11, "sub": 31}
    assert sets.set_json(par_set)["total_max"] == 100.0
    for name, content in (("phu-luc.xlsx", b""), ("phu-luc.csv", b"\x00\x01\x02" * 50), ("phu-luc.doc", b"abc")):
        with pytest.raises(ParError) as caught:
            sets.import_set(name, content, 2027, "communes")
        assert caught.value.status == 400 and caught.value.message


def test_a_declared_figure_follows_the_answer_kind(app):
    from datetime import datetime

    from onestop.par_index import rounds, sheets
    from onestop.timeutil import VN, frozen_at

    from . import par_index_world as w

    province = w.build()
    with frozen_at(datetime(2027, 1, 5, 9, 0, tzinfo=VN)):
        par_set = import_sample()
        sets.update_item(par_set, "1.1.1", {"answer_kind": "yes_no"})
        sets.update_item(par_set, "1.3.2", {"answer_kind": "percent"})
        par_round = rounds.create_round(2026, w.DEADLINES, province.users["admin"])
        db.session.commit()
        officer, unit = province.users["cchc.snv"], province.agencies["snv"]
        for number, declared, problem in (("1.1.1", "có lẽ", "Số liệu của 1.1.1 phải là yes, no hoặc na."),
                                          ("1.3.2", "120", "Số liệu của 1.3.2 phải là số từ 0 (tỷ lệ: đến 100)."),
                                          ("1.3.2", "ba mươi", "Số liệu của 1.3.2 phải là số.")):
            with pytest.raises(ParError) as caught:
                sheets.update_answer(par_round, unit, number, {"declared": declared}, officer)
            assert caught.value.message == problem
            db.session.rollback()
        assert sheets.update_answer(par_round, unit, "1.1.1", {"declared": "yes"}, officer).declared == "yes"
        assert sheets.update_answer(par_round, unit, "1.3.2", {"declared": "35,5"}, officer).declared == "35,5"
