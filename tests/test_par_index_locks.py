"""Nothing can be changed after its stage's deadline, nor by someone whose part it is not, and every refused change
leaves the sheet exactly as it was (issue 20, "Done when"). The calendar is tests/par_index_world.py's."""
import pytest

from onestop.timeutil import frozen_at

from . import par_index_samples as samples
from . import par_index_world as w
from .paper_samples import pdf
from .test_par_index_round import api, open_round, sheet_path


@pytest.fixture
def province(app):
    return w.build()


@pytest.fixture
def opened(client, province):
    """The round is open; Sở Tư pháp has scored 1.1.1 with its evidence and submitted; phường Yên Bái has scored
    1.1.1 and not submitted."""
    open_round(client, province)
    with frozen_at(w.SELF_STAGE):
        for tag in ("stp", "yb"):
            officer = api(client, province, f"cchc.{tag}")
            assert officer.put(sheet_path(province, tag, "/items/1.1.1"), {"self_score": 1}).status_code == 200
        officer = api(client, province, "cchc.stp")
        assert officer.upload(sheet_path(province, "stp", "/items/1.1.1/evidence"), pdf()).status_code == 201
        assert officer.post(sheet_path(province, "stp", "/submit")).status_code == 200
    return province


def refused(client, province, tag, at, username, call, status, error=None):
    """Make the call at `at` as `username`; it is refused with `status` and the sheet is as it was."""
    reader = api(client, province, "tham.dinh")
    with frozen_at(at):
        before = reader.get(sheet_path(province, tag)).get_json()
        response = call(api(client, province, username))
        after = reader.get(sheet_path(province, tag)).get_json()
    assert response.status_code == status, response.get_json()
    if error:
        assert response.get_json()["error"] == error
    assert after == before, "a refused change changed the sheet"


def put(tag, number, body):
    return lambda user_api: user_api.put(f"/rounds/2026/sheets/{w.UNITS[tag][0]}/items/{number}", body)


def post(tag, rest, body=None):
    return lambda user_api: user_api.post(f"/rounds/2026/sheets/{w.UNITS[tag][0]}{rest}", body)


def upload(tag, number):
    return lambda user_api: user_api.upload(f"/rounds/2026/sheets/{w.UNITS[tag][0]}/items/{number}/evidence", pdf())


@pytest.mark.parametrize("at, username, tag, call, status, error", [
    # after the self-assessment's deadline: the unit's own scores, evidence and submission
    (w.APPRAISAL_STAGE, "cchc.yb", "yb", put("yb", "1.1.1", {"self_score": 0}), 409,
     "Đã quá hạn tự đánh giá (23:59 31/01/2027): không sửa được nữa."),
    (w.APPRAISAL_STAGE, "cchc.yb", "yb", upload("yb", "1.1.1"), 409, None),
    (w.APPRAISAL_STAGE, "cchc.yb", "yb", post("yb", "/submit"), 409, None),
    # a submitted sheet's self-assessment is closed even before the deadline
    (w.SELF_STAGE, "cchc.stp", "stp", put("stp", "1.1.2", {"self_score": 1}), 409,
     "Phiếu đã nộp: không sửa phần tự đánh giá được nữa."),
    # the appraiser waits for the submission (or the deadline)
    (w.SELF_STAGE, "tham.dinh", "yb", put("yb", "1.1.1", {"appraised_score": 0}), 409,
     "Đơn vị chưa nộp phiếu tự đánh giá."),
    # after the appraisal's deadline
    (w.EXPLANATION_STAGE, "tham.dinh", "stp", put("stp", "1.1.1", {"appraised_score": 0}), 409,
     "Đã quá hạn thẩm định (23:59 15/02/2027): không sửa được nữa."),
    # an explanation nobody asked for, then after the explanation's deadline
    (w.EXPLANATION_STAGE, "cchc.stp", "stp", put("stp", "1.1.1", {"explanation": "Xin xem lại."}), 409,
     "Sở Nội vụ chưa đề nghị giải trình tiêu chí 1.1.1."),
    (w.AFTER_ALL, "cchc.stp", "stp", put("stp", "1.1.1", {"explanation": "Xin xem lại."}), 409, None),
    # after the second appraisal's deadline: nothing at all
    (w.AFTER_ALL, "tham.dinh", "stp", put("stp", "1.1.1", {"second_score": 0}), 409,
     "Đã quá hạn thẩm định lại (23:59 10/03/2027): không sửa được nữa."),
    (w.AFTER_ALL, "tham.dinh", "stp", post("stp", "/adjustments", {"points": 1, "reason": "Muộn"}), 409, None),
    (w.AFTER_ALL, "tham.dinh", "stp", lambda a: a.put("/rounds/2026/sheets/000.00.04.H38/survey", {"points": 20}),
     409, None),
    # someone else's part
    (w.SELF_STAGE, "cchc.yb", "yb", put("yb", "1.1.1", {"appraised_score": 0}), 403,
     "Tài khoản không có quyền sửa phần này của phiếu chấm."),
    (w.APPRAISAL_STAGE, "tham.dinh", "stp", put("stp", "1.1.1", {"self_score": 0}), 403, None),
    (w.SELF_STAGE, "clerk.stp", "stp", put("stp", "1.1.2", {"self_score": 1}), 403, None),
    (w.SELF_STAGE, "cchc.yb", "stp", put("stp", "1.1.2", {"self_score": 1}), 404, "Không tìm thấy đơn vị."),
    (w.SELF_STAGE, "admin", "yb", put("yb", "1.1.1", {"self_score": 0}), 403, None),
    # bad input
    (w.SELF_STAGE, "cchc.yb", "yb", put("yb", "1.1.1", {"self_score": 1.5}), 400,
     "«self_score» của 1.1.1 tối đa 1.0 điểm."),
    (w.SELF_STAGE, "cchc.yb", "yb", put("yb", "1.1.1", {"self_score": 1, "appraised_score": 1}), 400, None),
    (w.SELF_STAGE, "cchc.yb", "yb", put("yb", "1.1", {"self_score": 1}), 400, None),
    (w.SELF_STAGE, "cchc.yb", "yb", put("yb", "9.9.9", {"self_score": 1}), 404, None),
    (w.SELF_STAGE, "cchc.yb", "yb", put("yb", "1.1.1", {"self_score": "nhiều"}), 400, None),
    (w.SELF_STAGE, "cchc.yb", "yb", put("yb", "1.1.1", {"total": 100}), 400, None),
    (w.SELF_STAGE, "cchc.yb", "yb", lambda a: a.upload("/rounds/2026/sheets/000.21.00.H38/items/1.1.1/evidence",
                                                       b"MZ\x90\x00 not a paper", name="virus.pdf"), 400, None),
])
def test_a_refused_change_leaves_the_sheet_as_it_was(client, opened, at, username, tag, call, status, error):
    refused(client, opened, tag, at, username, call, status, error)


def test_a_unit_reads_only_its_own_sheet_and_the_appraiser_reads_all(client, opened):
    with frozen_at(w.SELF_STAGE):
        assert api(client, opened, "cchc.yb").get(sheet_path(opened, "stp")).status_code == 404
        assert api(client, opened, "cchc.yb").get(sheet_path(opened, "yb")).status_code == 200
        assert api(client, opened, "clerk.stp").get(sheet_path(opened, "stp")).status_code == 200
        for tag in w.UNITS:
            assert api(client, opened, "tham.dinh").get(sheet_path(opened, tag)).status_code == 200
        # the province's admin sees every unit below it; the province itself is no unit
        assert api(client, opened, "admin").get(sheet_path(opened, "vp")).status_code == 200
        assert api(client, opened, "admin").get("/rounds/2026/sheets/000.00.00.H38").status_code == 404


def test_a_set_is_edited_until_its_round_opens_and_frozen_after(client, province):
    admin = api(client, province, "admin")
    with frozen_at(w.OPENING):
        for group in ("departments", "communes"):
            admin.upload("/sets", samples.criteria_workbook(), name="phu-luc.xlsx", year="2026", group=group)
        edited = admin.put("/sets/2026/departments/items/2.2.1", {"scale": [[100, 1], [95, 0.5], [0, 0]]})
        assert edited.status_code == 200 and edited.get_json()["scale"] == [[100, 1], [95, 0.5], [0, 0]]
        assert admin.post("/rounds", {"year": 2026, **w.DEADLINES}).status_code == 201
        before = admin.get("/sets/2026/departments").get_json()
        frozen = admin.put("/sets/2026/departments/items/2.2.1", {"scale": [[0, 1]]})
        assert frozen.status_code == 409
        assert frozen.get_json()["error"] == "Bộ tiêu chí năm 2026 đã khóa vì đợt chấm điểm đã mở."
        assert admin.get("/sets/2026/departments").get_json() == before
    assert before["frozen"] is True
