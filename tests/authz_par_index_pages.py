"""The PAR INDEX pages' rows of the authorisation matrix (tests/test_authz_matrix.py; the world and who may do what
as tests/authz_par_index.py says for the API): the same rules through the pages, a refusal a page with the
reason (403), a hidden sheet a 404, a change after a lock a 409, and the sheet as it was after every refusal."""
from . import authz_par_index as api
from . import authz_world as w

PROVINCE_STAFF = ("admin", "appraiser")
SHEET = "/par-index/<int(max=9999):year>/sheets/<code>"
DEADLINES = {"self_until": "2030-01-31", "appraisal_until": "2030-02-15", "explanation_until": "2030-02-28",
             "second_until": "2030-03-10"}


def rows(Row, Call, sees) -> list:
    seen = api.sheet_sees(sees)

    def sheet(year, rest="", **call):
        def make(W, o, a):
            return Call(f"/par-index/{year}/sheets/{w.AGENCIES[o][0]}{rest}",
                        check_refused=api.unchanged(year, o) if o != "p" else None, **call)
        return make

    def unit_page(rule, year, rest, **extra):
        return Row(SHEET + rule, "GET", "staff", sheet(year, rest), owned=True, sees=seen, **extra)

    def new_area(W, o, a):
        number = api.fresh_area(2030, "communes") if W.write_expected else "1"
        return Call("/par-index/sets/2030/communes/items", data={
            "parent": "", "number": number, "title": "Lĩnh vực nhập tay", "max_points": "1,5"},
            check_refused=api.set_unchanged(2030, "communes"))

    def remove_area(W, o, a):
        from onestop.extensions import db
        from onestop.par_index import sets
        number = "1"
        if W.write_expected:
            number = api.fresh_area(2030, "communes")
            sets.add_item(sets.get_set(2030, "communes"), {"number": number, "title": "Xóa đi", "max_points": 1})
            db.session.commit()
        return Call(f"/par-index/sets/2030/communes/items/{number}/delete", data={},
                    check_refused=api.set_unchanged(2030, "communes"))

    item = SHEET + "/items/<number>/<part>"
    item_edit = {"title": "Ban hành kế hoạch CCHC năm đúng thời hạn", "scoring": "Đúng hạn: 1", "evidence": "Kế hoạch",
                 "evidence_required": "1", "answer_kind": "points", "indicator": "", "scale": ""}
    return [
        Row("/par-index/", "GET", "staff", lambda W, o, a: Call("/par-index/")),
        Row("/par-index/sets/import", "GET", PROVINCE_STAFF, lambda W, o, a: Call("/par-index/sets/import"),
            permits=api.province_staff),
        Row("/par-index/sets/import", "POST", PROVINCE_STAFF, lambda W, o, a: Call("/par-index/sets/import", data={}),
            ok=400, permits=api.province_staff),
        Row("/par-index/sets/<int(max=9999):year>/<group>", "GET", "staff",
            lambda W, o, a: Call("/par-index/sets/2026/communes")),
        Row("/par-index/sets/<int(max=9999):year>/<group>/items/<number>", "POST", PROVINCE_STAFF,
            lambda W, o, a: Call("/par-index/sets/2030/communes/items/1.1.1", data=item_edit), ok=302,
            permits=api.province_staff),
        Row("/par-index/sets/new", "GET", PROVINCE_STAFF, lambda W, o, a: Call("/par-index/sets/new"),
            permits=api.province_staff),
        # 2030's communes have a set: a second is refused (409) to whoever may type sets in
        Row("/par-index/sets/new", "POST", PROVINCE_STAFF, lambda W, o, a: Call("/par-index/sets/new", data={
            "year": "2030", "group": "communes", "survey_weight": "30"},
            check_refused=api.set_unchanged(2030, "communes")), ok=409, permits=api.province_staff),
        Row("/par-index/sets/<int(max=9999):year>/<group>/items", "POST", PROVINCE_STAFF, new_area, ok=302,
            permits=api.province_staff),
        Row("/par-index/sets/<int(max=9999):year>/<group>/items/<number>/delete", "POST", PROVINCE_STAFF,
            remove_area, ok=302, permits=api.province_staff),
        Row("/par-index/rounds/new", "GET", PROVINCE_STAFF, lambda W, o, a: Call("/par-index/rounds/new"),
            permits=api.province_staff),
        # 2026 has its round: a second one is refused (409) to whoever may open rounds
        Row("/par-index/rounds/new", "POST", PROVINCE_STAFF, lambda W, o, a: Call("/par-index/rounds/new", data={
            "year": "2026", "survey_source": "entered", **DEADLINES}), ok=409, permits=api.province_staff),
        Row("/par-index/<int(max=9999):year>/sheets", "GET", "staff", lambda W, o, a: Call("/par-index/2026/sheets")),
        Row("/par-index/<int(max=9999):year>/ranking", "GET", "staff",
            lambda W, o, a: Call("/par-index/2025/ranking")),
        Row("/par-index/<int(max=9999):year>/ranking.<fmt>", "GET", "staff",
            lambda W, o, a: Call("/par-index/2025/ranking.xlsx")),
        unit_page("", 2026, ""),
        unit_page("/history", 2025, "/history"),
        unit_page("/sheet.pdf", 2025, "/sheet.pdf"),
        unit_page("/lost-points", 2025, "/lost-points"),
        unit_page("/lost-points.pdf", 2025, "/lost-points.pdf"),
        Row(SHEET + "/evidence/<int:evidence_id>", "GET", "staff", lambda W, o, a: Call(
            f"/par-index/2026/sheets/{w.AGENCIES[o][0]}/evidence/{W.par_evidence.get(o, 1)}"), owned=True, sees=seen),
        Row(item, "POST", "staff", sheet(2026, "/items/1.1.1/self", data={"note": "Đã ban hành."}), ok=302,
            owned=True, sees=seen, permits=api.reform_officer, variant="self-assessment"),
        Row(item, "POST", "staff", sheet(2025, "/items/1.1.1/appraisal", data={"appraisal_note": "Đạt."}), ok=302,
            owned=True, sees=seen, permits=api.appraiser, variant="appraisal"),
        Row(item, "POST", "staff", sheet(2025, "/items/1.1.1/explanation", data={"explanation": "Xin xem lại."}),
            ok=409, owned=True, sees=seen, permits=api.reform_officer, variant="explanation not asked for"),
        Row(item, "POST", "staff", sheet(2024, "/items/1.1.1/self", data={"note": "Muộn."}), ok=409, owned=True,
            sees=seen, permits=api.reform_officer, variant="after the lock"),
        Row(item, "POST", "staff", sheet(2024, "/items/1.1.1/second", data={"second_score": "1"}), ok=409,
            owned=True, sees=seen, permits=api.appraiser, variant="second appraisal after the lock"),
        # 2025's self-assessment is closed: submitting is refused (409) to the unit's officer
        Row(SHEET + "/submit", "POST", "staff", sheet(2025, "/submit"), ok=409, owned=True, sees=seen,
            permits=api.reform_officer),
        Row(SHEET + "/adjustments", "POST", "staff", sheet(2025, "/adjustments", data={
            "kind": "bonus", "points": "0,5", "reason": "Sáng kiến"}), ok=302, owned=True, sees=seen,
            permits=api.appraiser),
        Row(SHEET + "/survey", "POST", "staff", sheet(2025, "/survey", data={"points": "25"}), ok=302, owned=True,
            sees=seen, permits=api.appraiser),
        Row(SHEET + "/actions", "POST", "staff", sheet(2025, "/actions", data={
            "number": "1.1.2", "text": "Hoàn thành kế hoạch", "owner": "Văn phòng", "due_on": "2026-12-31"}),
            ok=302, owned=True, sees=seen, permits=api.either),
        Row(SHEET + "/actions/<int:action_id>/done", "POST", "staff", lambda W, o, a: Call(
            f"/par-index/2025/sheets/{w.AGENCIES[o][0]}/actions/{W.par_actions.get(o, 1)}/done", data={"done": "1"}),
            ok=302, owned=True, sees=seen, permits=api.either),
    ]
