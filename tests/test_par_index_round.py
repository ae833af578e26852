"""The 2026 round through the API (issue 20): the province imports its set and opens the round; two departments
and two wards assess themselves with evidence; the Department of Home Affairs appraises, asks for an explanation,
appraises again, gives bonus and penalty points and the survey's points; the ranking and the emulation marks
match the hand computation below. Nothing changes after a stage's deadline, and a refused change leaves the sheet
as it was.

Hand computation (set: 4 areas of 10, 20, 10 and 30 points, survey 30; five criteria measured by the app, 18
points, all met: no file or complaint in 2026 means nothing went late):
- Sở Nội vụ: self 52 of 52; appraised 1.3.1 0 (of 2, explanation asked, second appraisal 1) and 4.2.1 2 (of 4):
  49 + 18 = 67, bonus 1, survey 27.5 → 95.5, Xuất sắc; areas 9/10, 20, 10, 28/30: eligible.
- Sở Tư pháp: area 3 self-scored 4.5 of 10 (45 %): 46.5 + 18 = 64.5, penalty 0.5, survey 25 → 89, Tốt,
  not eligible for emulation.
- phường Yên Bái: 2.1.2 1 of 2: 51 + 18 = 69, survey 24 → 93; phường Văn Phú: 4.3.1 0 of 4: 48 + 18 = 66,
  survey 27 → 93: equal, both ranked 1st, Xuất sắc, eligible."""
import pytest

from onestop.timeutil import frozen_at

from . import par_index_samples as samples
from . import par_index_world as w
from .paper_samples import pdf

MEASURED = {"2.2.1", "2.2.2", "2.3.1", "4.1.1", "4.1.2"}
SELF_SCORES = {  # what each unit gives itself below the maximum
    "snv": {},
    "stp": {"3.1.1": 0, "3.1.2": 0, "3.1.3": 1, "3.2.1": 2, "3.2.2": 0, "3.2.3": 1.5},
    "yb": {"2.1.2": 1},
    "vp": {"4.3.1": 0},
}
SURVEY = {"snv": 27.5, "stp": 25, "yb": 24, "vp": 27}
SHEET = "/rounds/2026/sheets/{code}"
EVIDENCE = pdf(text="Tài liệu kiểm chứng")


@pytest.fixture
def province(app):
    return w.build()


def api(client, province, username):
    return w.Api(client, province.tokens[username])


def sheet_path(province, tag, rest=""):
    return SHEET.format(code=province.agencies[tag].code) + rest


def open_round(client, province):
    admin = api(client, province, "admin")
    with frozen_at(w.OPENING):
        for group in ("departments", "communes"):
            response = admin.upload("/sets", samples.criteria_workbook(), name="phu-luc-2026.xlsx", year="2026",
                                    group=group, survey_weight="30")
            assert response.status_code == 201, response.get_json()
            assert response.get_json()["total_max"] == 100.0
        response = admin.post("/rounds", {"year": 2026, **w.DEADLINES})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def self_assess(client, province, tag):
    """The unit's reform officer scores every sub-criterion it scores itself, with one evidence file each."""
    officer = api(client, province, f"cchc.{tag}")
    maxima = samples.maxima()
    for number in samples.leaves():
        if number in MEASURED:
            continue
        score = SELF_SCORES[tag].get(number, maxima[number])
        response = officer.put(sheet_path(province, tag, f"/items/{number}"),
                               {"self_score": score, "declared": None, "note": f"Tự chấm {number}"})
        assert response.status_code == 200, response.get_json()
        if score and number != "2.1.1":  # 2.1.1 asks for no evidence
            response = officer.upload(sheet_path(province, tag, f"/items/{number}/evidence"),
                                      EVIDENCE, name=f"kiem-chung-{number}.pdf")
            assert response.status_code == 201, response.get_json()


def play_round(client, province):
    """Every stage of the round, as the module's docstring tells it."""
    opened = open_round(client, province)
    assert opened["stage"] == "self" and opened["self_until"] == "2027-01-31T23:59:59+07:00"
    admin = api(client, province, "admin")
    with frozen_at(w.OPENING):  # the year's sets froze when the round opened
        again = admin.upload("/sets", samples.criteria_workbook(), name="phu-luc.xlsx", year="2026",
                             group="departments",
                             survey_weight="30")
    assert again.status_code == 409, again.get_json()
    assert again.get_json()["error"] == "Bộ tiêu chí năm 2026 đã khóa vì đợt chấm điểm đã mở."

    with frozen_at(w.SELF_STAGE):
        officer = api(client, province, "cchc.stp")
        early = officer.put(sheet_path(province, "stp", "/items/1.1.1"), {"self_score": 1})
        assert early.status_code == 200
        refused = officer.post(sheet_path(province, "stp", "/submit"))
        assert refused.status_code == 400
        assert refused.get_json()["error"] == "Chưa nộp được: thiếu tài liệu kiểm chứng ở 1.1.1."
        measured = officer.put(sheet_path(province, "stp", "/items/2.2.1"), {"self_score": 6})
        assert measured.status_code == 400  # the figure is the app's; the unit may only comment
        comment = officer.put(sheet_path(province, "stp", "/items/2.2.1"), {"note": "Đúng với số liệu đơn vị."})
        assert comment.get_json()["measured"] == {
            "indicator": "on_time_rate", "label": "Tỷ lệ hồ sơ giải quyết đúng hạn", "value": None, "points": 6.0,
            "list_url": "/inbox?handled_by=000.00.04.H38&resolved_from=2025-12-15&resolved_to=2026-12-14"}
        for tag in w.UNITS:
            self_assess(client, province, tag)
            response = api(client, province, f"cchc.{tag}").post(sheet_path(province, tag, "/submit"))
            assert response.status_code == 200, response.get_json()
            assert response.get_json()["submitted_at"] == "2027-01-20T09:00:00+07:00"

    appraiser = api(client, province, "tham.dinh")
    with frozen_at(w.APPRAISAL_STAGE):
        for number, body in (("1.3.1", {"appraised_score": 0, "appraisal_note": "Chưa có kế hoạch kiểm tra.",
                                        "explanation_requested": True}),
                             ("4.2.1", {"appraised_score": 2, "appraisal_note": "Tỷ lệ ký số 60%."})):
            response = appraiser.put(sheet_path(province, "snv", f"/items/{number}"), body)
            assert response.status_code == 200, response.get_json()
        assert appraiser.post(sheet_path(province, "snv", "/adjustments"),
                              {"points": 1, "reason": "Sáng kiến CCHC được công nhận"}).status_code == 201
        assert appraiser.post(sheet_path(province, "stp", "/adjustments"),
                              {"points": -0.5, "reason": "Báo cáo quý III trễ hạn"}).status_code == 201
        for tag, points in SURVEY.items():
            assert appraiser.put(sheet_path(province, tag, "/survey"), {"points": points}).status_code == 200

    with frozen_at(w.EXPLANATION_STAGE):
        officer = api(client, province, "cchc.snv")
        response = officer.put(sheet_path(province, "snv", "/items/1.3.1"),
                               {"explanation": "Kế hoạch kiểm tra ban hành ngày 15/3/2026, gửi kèm."})
        assert response.status_code == 200
        response = officer.upload(sheet_path(province, "snv", "/items/1.3.1/evidence"), pdf(text="Kế hoạch 15/3"),
                                  name="ke-hoach-kiem-tra.pdf")
        assert response.status_code == 201 and response.get_json()["stage"] == "explanation"
        not_asked = officer.put(sheet_path(province, "snv", "/items/4.2.1"), {"explanation": "Xin xem lại."})
        assert not_asked.status_code == 409

    with frozen_at(w.SECOND_STAGE):
        response = appraiser.put(sheet_path(province, "snv", "/items/1.3.1"),
                                 {"second_score": 1, "second_note": "Kế hoạch có nhưng ban hành muộn."})
        assert response.status_code == 200
        assert response.get_json()["final_score"] == 1.0
        # self score, note, evidence; appraised score, note, request; explanation, its evidence; second score, note
        assert response.get_json()["history_count"] == 10


def test_the_round_from_self_assessment_to_ranking(client, province):
    play_round(client, province)
    appraiser = api(client, province, "tham.dinh")
    with frozen_at(w.AFTER_ALL):
        ranking = api(client, province, "cchc.yb").get("/rounds/2026/ranking").get_json()
        sheet = appraiser.get(sheet_path(province, "snv")).get_json()
    assert [(unit["agency"]["code"], unit["total"], unit["rank"], unit["band"], unit["emulation_eligible"])
            for unit in ranking["departments"]["units"]] == [
        ("000.00.03.H38", 95.5, 1, "Xuất sắc", True), ("000.00.04.H38", 89.0, 2, "Tốt", False)]
    assert [(unit["agency"]["code"], unit["total"], unit["rank"], unit["band"], unit["emulation_eligible"])
            for unit in ranking["communes"]["units"]] == [
        ("000.21.00.H38", 93.0, 1, "Xuất sắc", True), ("000.22.00.H38", 93.0, 1, "Xuất sắc", True)]
    stp = ranking["departments"]["units"][1]
    assert [(area["number"], area["points"], area["share"]) for area in stp["areas"]] == [
        ("1", 10.0, 100.0), ("2", 20.0, 100.0), ("3", 4.5, 45.0), ("4", 30.0, 100.0)]
    assert (stp["score"], stp["adjustments_total"], stp["survey"]) == (64.5, -0.5, 25.0)
    assert [(area["number"], area["points"]) for area in sheet["areas"]] == [
        ("1", 9.0), ("2", 20.0), ("3", 10.0), ("4", 28.0)]
    item = next(item for item in sheet["items"] if item["number"] == "1.3.1")
    assert (item["self_score"], item["appraised_score"], item["second_score"], item["final_score"]) == (
        2.0, 0.0, 1.0, 1.0)
    assert [row["stage"] for row in item["evidence"]] == ["self", "explanation"]
    assert sheet["adjustments"][0]["points"] == 1.0 and sheet["total"] == 95.5


def test_where_the_points_were_lost_with_the_provinces_average_and_an_action_tracked_to_done(client, province):
    play_round(client, province)
    officer = api(client, province, "cchc.snv")
    with frozen_at(w.AFTER_ALL):
        lost = officer.get(sheet_path(province, "snv", "/lost-points")).get_json()["items"]
        assert [(row["number"], row["max_points"], row["score"], row["lost"], row["province_average"],
                 row["last_year"]) for row in lost] == [
            ("1.3.1", 2.0, 1.0, 1.0, 1.5, None),  # the departments: Sở Nội vụ 1, Sở Tư pháp 2
            ("4.2.1", 4.0, 2.0, 2.0, 3.0, None)]
        made = officer.post(sheet_path(province, "snv", "/actions"), {
            "number": "1.3.1", "text": "Ban hành kế hoạch kiểm tra CCHC trong quý I", "owner": "Phòng CCHC",
            "due_on": "2027-03-31"})
        assert made.status_code == 201, made.get_json()
        action = made.get_json()
        assert action["done"] is False
        other = api(client, province, "cchc.stp").post(sheet_path(province, "snv", "/actions"), {
            "number": "1.3.1", "text": "x", "owner": "y", "due_on": "2027-03-31"})
        assert other.status_code == 404  # another unit's sheet is not there for it
    with frozen_at(w.AFTER_ALL.replace(month=4)):
        done = officer.post(sheet_path(province, "snv", f"/actions/{action['id']}/done"), {"done": True})
        assert done.get_json()["done_at"] == "2027-04-15T09:00:00+07:00"
        lost = officer.get(sheet_path(province, "snv", "/lost-points")).get_json()["items"]
    assert lost[0]["actions"] == [{**action, "done": True, "done_at": "2027-04-15T09:00:00+07:00"}]


def test_every_change_is_kept_with_who_when_and_the_stage(client, province):
    play_round(client, province)
    history = api(client, province, "tham.dinh").get(sheet_path(province, "snv", "/history")).get_json()["history"]
    of_131 = [(row["user"], row["stage"], row["field"], row["old"], row["new"]) for row in history
              if row["number"] == "1.3.1"]
    assert of_131[0] == ("cchc.snv", "self", "self_score", None, "2.0")
    assert of_131[3:6] == [("tham.dinh", "appraisal", "appraised_score", None, "0.0"),
                           ("tham.dinh", "appraisal", "appraisal_note", None, "Chưa có kế hoạch kiểm tra."),
                           ("tham.dinh", "appraisal", "explanation_requested", "False", "True")]
    assert of_131[-2:] == [("tham.dinh", "second", "second_score", None, "1.0"),
                           ("tham.dinh", "second", "second_note", None, "Kế hoạch có nhưng ban hành muộn.")]
    assert [row["at"] for row in history if row["field"] == "second_score"] == ["2027-03-05T09:00:00+07:00"]
