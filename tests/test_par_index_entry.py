"""A criteria set typed in by the province's administrator (issue 20 item 1: "imported … or entered and edited by
the province's administrator"): an empty set for the year and group, areas, criteria and sub-criteria added with
their numbers and maxima, a leaf's maximum changed, items removed; a parent's maximum is always its children's sum.
Every refused change (a bad number, a duplicate, a wrong parent, bad points, a frozen set, someone who is not the
province's staff) leaves the set as it was; once the round opens the unit's sheet shows the typed-in tree."""
import re

from .test_browser import browser  # noqa: F401  (the fixture)
from .test_browser_par_index import site  # noqa: F401  (the fixture: a live server)

import pytest

from onestop.auth.models import ApiToken
from onestop.auth.services import create_user
from onestop.extensions import db
from onestop.timeutil import frozen_at

from . import par_index_world as w

SET = "/sets/2026/departments"
# (parent, number, title, max points, extra fields)
TYPED = [
    (None, "1", "Công tác chỉ đạo, điều hành cải cách hành chính", 1, {}),
    ("1", "1.1", "Kế hoạch cải cách hành chính năm", 1, {}),
    ("1.1", "1.1.1", "Ban hành kế hoạch đúng thời hạn", 2, {"evidence": "Kế hoạch", "evidence_required": True}),
    ("1.1", "1.1.2", "Thực hiện đầy đủ kế hoạch", "1,5", {"answer_kind": "percent"}),
    ("1", "1.2", "Kiểm tra cải cách hành chính", 1, {}),
    ("1.2", "1.2.1", "Kiểm tra ít nhất 20% đơn vị trực thuộc", 3, {"scoring": "Đạt: 3; không đạt: 0"}),
    (None, "2", "Cải cách thủ tục hành chính", 1, {}),
    ("2", "2.1", "Kết quả giải quyết thủ tục hành chính", 1, {}),
    ("2.1", "2.1.1", "Tỷ lệ hồ sơ giải quyết đúng hạn", 4, {"indicator": "on_time_rate",
                                                           "scale": [[100, 1], [90, 0.5], [0, 0]]}),
    ("2.1", "2.1.2", "Xin lỗi khi trễ hạn", 2, {"answer_kind": "yes_no"}),
    (None, "3", "Chuyển đổi số", 1, {}),
    ("3", "3.1", "Số hóa hồ sơ", 1, {}),
    ("3.1", "3.1.1", "Số hóa kết quả giải quyết", 0.25, {}),
]


@pytest.fixture
def province(app):
    found = w.build()
    department = found.agencies["stp"]  # an admin, but of a department, not of the province
    user = create_user("admin.stp", "demo", "Quản trị Sở Tư pháp", department, ["admin"], allow_demo_password=True)
    db.session.flush()
    row, found.tokens["admin.stp"] = ApiToken.issue(user, label="par-index")
    db.session.add(row)
    db.session.commit()
    return found


def api(client, province, username="admin"):
    return w.Api(client, province.tokens[username])


def delete(client, province, path, username="admin"):
    return client.delete(f"/api/v1/par-index{path}", headers=api(client, province, username).headers)


def flat(tree) -> list[tuple[str, float]]:
    """(number, max points) in the set's order."""
    return [pair for node in tree for pair in [(node["number"], node["max_points"]), *flat(node["children"])]]


def sums_hold(found: dict) -> None:
    """Every parent's maximum is its children's sum, and the total is the areas' plus the survey's."""
    def check(node):
        if node["children"]:
            assert node["max_points"] == sum(check(child) for child in node["children"]), node["number"]
        return node["max_points"]
    assert found["total_max"] == sum(check(area) for area in found["tree"]) + found["survey_weight"]


def type_in(client, province):
    admin = api(client, province)
    response = admin.post(SET, {"title": "Bộ chỉ số CCHC các sở năm 2026", "survey_weight": 30})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["tree"] == [] and response.get_json()["total_max"] == 30.0
    for parent, number, title, points, extra in TYPED:
        response = admin.post(f"{SET}/items", {"parent": parent, "number": number, "title": title,
                                               "max_points": points, **extra})
        assert response.status_code == 201, response.get_json()
        sums_hold(response.get_json())
    return response.get_json()


def test_an_admin_types_in_a_set_of_three_areas_and_the_totals_follow_every_change(client, province):
    found = type_in(client, province)
    assert found["counts"] == {"area": 3, "criterion": 4, "sub": 6}
    assert flat(found["tree"]) == [("1", 6.5), ("1.1", 3.5), ("1.1.1", 2.0), ("1.1.2", 1.5), ("1.2", 3.0),
                                   ("1.2.1", 3.0), ("2", 6.0), ("2.1", 6.0), ("2.1.1", 4.0), ("2.1.2", 2.0),
                                   ("3", 0.25), ("3.1", 0.25), ("3.1.1", 0.25)]
    assert found["total_max"] == 42.75  # 6.5 + 6 + 0.25 + the survey's 30
    on_time = found["tree"][1]["children"][0]["children"][0]
    assert (on_time["indicator"], on_time["scale"]) == ("on_time_rate", [[100.0, 1.0], [90.0, 0.5], [0.0, 0.0]])
    admin = api(client, province)
    # a criterion added later goes in its place among its siblings, not at the end
    response = admin.post(f"{SET}/items", {"parent": "1.1", "number": "1.1.3", "title": "Báo cáo đúng hạn",
                                           "max_points": "0,75"})
    assert response.status_code == 201
    assert flat(response.get_json()["tree"])[:7] == [("1", 7.25), ("1.1", 4.25), ("1.1.1", 2.0), ("1.1.2", 1.5),
                                                     ("1.1.3", 0.75), ("1.2", 3.0), ("1.2.1", 3.0)]
    response = admin.put(f"{SET}/items/1.1.2", {"max_points": 2.5})
    assert response.status_code == 200 and response.get_json()["max_points"] == 2.5
    found = admin.get(SET).get_json()
    sums_hold(found)
    assert (found["tree"][0]["max_points"], found["total_max"]) == (8.25, 44.5)
    response = delete(client, province, f"{SET}/items/1.2.1")  # 1.2 is a leaf again, keeping its 3 points
    assert response.status_code == 200
    response = delete(client, province, f"{SET}/items/3?with_children=1")
    assert response.status_code == 200
    found = response.get_json()
    sums_hold(found)
    assert flat(found["tree"]) == [("1", 8.25), ("1.1", 5.25), ("1.1.1", 2.0), ("1.1.2", 2.5), ("1.1.3", 0.75),
                                   ("1.2", 3.0), ("2", 6.0), ("2.1", 6.0), ("2.1.1", 4.0), ("2.1.2", 2.0)]
    assert found["total_max"] == 44.25 and found["counts"] == {"area": 2, "criterion": 3, "sub": 5}


REFUSED = [  # (who, method, path, body, status, what the answer says)
    ("admin", "POST", "/items", {"parent": "1.1", "number": "1.x", "title": "Sai", "max_points": 1}, 400,
     "Số thứ tự «1.x» không hợp lệ"),
    ("admin", "POST", "/items", {"parent": "1.1", "number": "2.1.5", "title": "Sai cha", "max_points": 1}, 400,
     "phải có số dạng 1.1.N"),
    ("admin", "POST", "/items", {"number": "4.1", "title": "Không có cha", "max_points": 1}, 400,
     "Lĩnh vực mới phải có số thứ tự một phần"),
    ("admin", "POST", "/items", {"parent": "9.9", "number": "9.9.1", "title": "Cha lạ", "max_points": 1}, 404,
     "Không có tiêu chí 9.9."),
    ("admin", "POST", "/items", {"parent": "1.1", "number": "1.1.1", "title": "Trùng", "max_points": 1}, 409,
     "Số thứ tự 1.1.1 đã có trong bộ tiêu chí."),
    ("admin", "POST", "/items", {"parent": "1.1", "number": "1.1.9", "title": "Âm", "max_points": -1}, 400,
     "«Điểm tối đa» không được âm."),
    ("admin", "POST", "/items", {"parent": "1.1", "number": "1.1.9", "title": "Chữ", "max_points": "hai"}, 400,
     "«Điểm tối đa» phải là số điểm"),
    ("admin", "POST", "/items", {"parent": "1.1", "number": "1.1.9", "title": "", "max_points": 1}, 400,
     "Tên tiêu chí không được để trống."),
    ("admin", "POST", "/items", {"parent": "2.1", "number": "2.1.9", "title": "Đo", "max_points": 1,
                                 "indicator": "on_time_rate"}, 400, "Tiêu chí đo tự động cần thang điểm."),
    ("admin", "PUT", "/items/1.1.1", {"max_points": "0,125"}, 400, "tối đa hai chữ số thập phân"),
    ("admin", "PUT", "/items/1.1.1", {"max_points": None}, 400, "«Điểm tối đa» phải là số điểm"),
    ("admin", "PUT", "/items/1.1", {"max_points": 9}, 400, "Điểm tối đa của 1.1 là tổng các tiêu chí bên dưới"),
    ("admin", "PUT", "/items/7.7", {"max_points": 1}, 404, "Không có tiêu chí 7.7."),
    ("admin", "DELETE", "/items/1.1", None, 409, "1.1 có 2 tiêu chí bên dưới"),
    ("admin", "DELETE", "/items/8", None, 404, "Không có tiêu chí 8."),
    ("admin", "POST", "", {"survey_weight": 30}, 409, "Năm 2026 đã có bộ tiêu chí cho nhóm này."),
    ("cchc.stp", "POST", "/items", {"parent": "1.1", "number": "1.1.9", "title": "Đơn vị", "max_points": 1}, 403,
     "không có quyền"),
    ("cchc.stp", "DELETE", "/items/1.1.1", None, 403, ""),
    ("clerk.stp", "PUT", "/items/1.1.1", {"max_points": 1}, 403, ""),
    ("admin.stp", "PUT", "/items/1.1.1", {"max_points": 1}, 403, "Chỉ quản trị cấp tỉnh"),
    ("admin.stp", "DELETE", "/items/1.1.1", None, 403, "Chỉ quản trị cấp tỉnh"),
]


@pytest.mark.parametrize("who, method, rest, body, status, says", REFUSED,
                         ids=[f"{row[0]} {row[1]} {row[2]} {row[4]}" for row in REFUSED])
def test_each_refused_change_says_why_and_leaves_the_set_as_it_was(client, province, who, method, rest, body,
                                                                    status, says):
    type_in(client, province)
    before = api(client, province).get(SET).get_json()
    response = client.open(f"/api/v1/par-index{SET}{rest}", method=method, json=body,
                           headers=api(client, province, who).headers)
    assert response.status_code == status, response.get_json()
    assert says in response.get_json()["error"]
    assert api(client, province).get(SET).get_json() == before


def test_a_round_does_not_open_on_a_set_with_nothing_typed_in(client, province):
    admin = api(client, province)
    assert admin.post(SET, {"survey_weight": 30}).status_code == 201
    response = admin.post("/rounds", {"year": 2026, **w.DEADLINES})
    assert response.status_code == 400
    assert response.get_json()["error"] == ("Bộ tiêu chí năm 2026 của nhóm «departments» chưa có tiêu chí nào: hãy "
                                            "thêm tiêu chí trước khi mở đợt.")
    assert admin.get("/rounds/2026").status_code == 404 and admin.get(SET).get_json()["frozen"] is False


def test_once_the_round_opens_the_set_is_frozen_and_the_units_sheet_shows_the_typed_in_tree(client, province):
    with frozen_at(w.OPENING):
        type_in(client, province)
        admin = api(client, province)
        communes = admin.post("/sets/2026/communes", {})
        assert communes.status_code == 201
        assert admin.post("/sets/2026/communes/items", {"number": "1", "title": "Lĩnh vực", "max_points": 10}
                          ).status_code == 201
        response = admin.post("/rounds", {"year": 2026, **w.DEADLINES})
        assert response.status_code == 201, response.get_json()
    with frozen_at(w.SELF_STAGE):
        before = admin.get(SET).get_json()
        assert before["frozen"] is True
        refused = [admin.post(f"{SET}/items", {"parent": "1.1", "number": "1.1.9", "title": "Muộn", "max_points": 1}),
                   admin.put(f"{SET}/items/1.1.1", {"max_points": 5}),
                   delete(client, province, f"{SET}/items/3?with_children=1"),
                   admin.post("/sets/2026/departments", {}), admin.post("/sets/2026/communes", {})]
        assert [response.status_code for response in refused] == [409] * 5
        assert all(re.search("đã khóa|đã có bộ tiêu chí", response.get_json()["error"]) for response in refused)
        assert admin.get(SET).get_json() == before
        officer = api(client, province, "cchc.stp")
        sheet = officer.get(f"/rounds/2026/sheets/{province.agencies['stp'].code}")
        assert sheet.status_code == 200, sheet.get_json()
        found = sheet.get_json()
        assert [item["number"] for item in found["items"]] == ["1.1.1", "1.1.2", "1.2.1", "2.1.1", "2.1.2", "3.1.1"]
        assert [item["max_points"] for item in found["items"]] == [2.0, 1.5, 3.0, 4.0, 2.0, 0.25]
        on_time = next(item for item in found["items"] if item["number"] == "2.1.1")
        assert on_time["measured"]["indicator"] == "on_time_rate"


def signed_in(app, username):
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": "demo"}).status_code == 302
    return client


def page(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def add_on_page(browser, parent, number, title, points, group="communes", **extra):
    return browser.post(f"/par-index/sets/2026/{group}/items", data={
        "parent": parent, "number": number, "title": title, "max_points": points, "scoring": "", "evidence": "",
        "answer_kind": "points", "indicator": "", "scale": "", **extra})


def test_the_admin_types_in_a_set_on_its_page_and_a_refusal_keeps_what_was_typed(app, province):
    admin = signed_in(app, "admin")
    assert admin.get("/par-index/sets/new").status_code == 200
    response = admin.post("/par-index/sets/new", data={"year": "2026", "group": "communes", "title": "Bộ xã",
                                                       "survey_weight": "30"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/par-index/sets/2026/communes")
    shown = page(admin.get("/par-index/sets/2026/communes"))
    assert "Bộ tiêu chí chưa có lĩnh vực nào." in shown and "Thêm lĩnh vực" in shown
    for parent, number, title, points, extra in TYPED:
        extra = {key: ("1" if value is True else "; ".join(f"{a}:{b}" for a, b in value) if key == "scale"
                       else value) for key, value in extra.items()}
        response = add_on_page(admin, parent or "", number, title, str(points), **extra)
        assert response.status_code == 302, page(response)[-600:]
    assert admin.post("/par-index/sets/2026/communes/items/1.1.2", data={
        "title": "Thực hiện đầy đủ kế hoạch", "max_points": "2,5", "answer_kind": "percent"}).status_code == 302
    assert admin.post("/par-index/sets/2026/communes/items/3/delete", data={"with_children": "1"}).status_code == 302
    shown = page(admin.get("/par-index/sets/2026/communes"))
    assert '<b id="total-max">43,5</b>' in shown  # 7.5 + 6 + the survey's 30
    assert "Thêm tiêu chí con dưới 1.1" in shown and "Xóa 2.1.2" in shown
    from onestop.par_index import sets
    found = sets.set_json(sets.get_set(2026, "communes"))
    assert flat(found["tree"])[:4] == [("1", 7.5), ("1.1", 4.5), ("1.1.1", 2.0), ("1.1.2", 2.5)]
    before = found
    response = add_on_page(admin, "1.1", "1.1.1", "Trùng số", "1")
    assert response.status_code == 409
    shown = page(response)
    assert "Số thứ tự 1.1.1 đã có trong bộ tiêu chí." in shown and "Trùng số</textarea>" in shown
    assert add_on_page(admin, "1.1", "1.1.9", "Âm", "-2").status_code == 400
    assert admin.post("/par-index/sets/2026/communes/items/1/delete", data={}).status_code == 409
    assert admin.post("/par-index/sets/2026/communes/items/1.1.1", data={
        "title": "Ban hành kế hoạch", "max_points": "ba"}).status_code == 400
    assert admin.post("/par-index/sets/new", data={"year": "2026", "group": "communes"}).status_code == 409
    officer = signed_in(app, "cchc.yb")
    assert add_on_page(officer, "1.1", "1.1.9", "Đơn vị thêm", "1").status_code == 403
    assert officer.get("/par-index/sets/new").status_code == 403
    assert "Thêm lĩnh vực" not in page(officer.get("/par-index/sets/2026/communes"))
    db.session.expire_all()
    assert sets.set_json(sets.get_set(2026, "communes")) == before


@pytest.mark.browser
def test_in_chromium_the_admin_types_in_a_set_at_1280_px_and_on_a_phone(browser, site):
    from .test_browser import shot
    from .test_browser_par_index import DESKTOP, PHONE, fits, signed_in as browser_signed_in

    base, _clock, _folder = site
    for viewport, group in ((DESKTOP, "departments"), (PHONE, "communes")):
        admin = browser_signed_in(browser, base, "admin", viewport)
        admin.goto(f"{base}/par-index/sets/new")
        fits(admin, viewport["width"])
        admin.fill("#year", "2027")
        admin.select_option("#group", group)
        admin.fill("#survey_weight", "30")
        admin.click("main button[type=submit]")
        admin.wait_for_selector("#empty-set")
        admin.click("#add-area summary")
        admin.fill("#title-add-", "Công tác chỉ đạo, điều hành")
        admin.fill("#max-add-", "5")
        admin.click("#add-area button[type=submit]")
        admin.wait_for_selector(".flash-success")
        for parent, number, points in (("1", "1.1", "4"), ("1.1", "1.1.1", "2,5"), ("1.1", "1.1.2", "1,5")):
            parent = parent.replace(".", "\\.")
            admin.click(f"#add-{parent} summary")
            assert admin.input_value(f"#number-add-{parent}") == number  # the next number is offered
            admin.fill(f"#title-add-{parent}", f"Tiêu chí {number}")
            admin.fill(f"#max-add-{parent}", points)
            admin.click(f"#add-{parent} button[type=submit]")
            admin.wait_for_selector(".flash-success")
        assert admin.inner_text("#total-max") == "34"  # 2.5 + 1.5 + the survey's 30
        admin.click("#item-1\\.1\\.2 > details.edit > summary")
        admin.fill("#max-1\\.1\\.2", "0,5")
        admin.click("#item-1\\.1\\.2 > details.edit button[type=submit]")
        admin.wait_for_selector(".flash-success")
        assert admin.inner_text("#total-max") == "33"
        admin.click("#add-1\\.1 summary")
        admin.fill("#title-add-1\\.1", "Trùng")
        admin.fill("#number-add-1\\.1", "1.1.1")
        admin.fill("#max-add-1\\.1", "1")
        admin.click("#add-1\\.1 button[type=submit]")
        admin.wait_for_selector(".flash-danger")
        assert "Số thứ tự 1.1.1 đã có trong bộ tiêu chí." in admin.inner_text("main")
        assert admin.inner_text("#total-max") == "33"
        fits(admin, viewport["width"])
        shot(admin, f"par-index-set-typed-{viewport['width']}")
        admin.close()
