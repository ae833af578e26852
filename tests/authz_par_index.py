"""The PAR INDEX's rows of the authorisation matrix (tests/test_authz_matrix.py; the world: authz_world's
build_par_index). Who may do what:
- sets and rounds: the province's admin (P's) or an appraiser; everyone signed in reads them and the ranking;
- a unit's sheet (C and O are units, P is none: 404 for all): read by those who see the agency and by the
  appraisers of its province; the self-assessment, its evidence and submission by the unit's own supervisor (its
  reform officer); the appraisal, adjustments and survey by an appraiser of its province; actions by either;
- nobody edits after a lock: in the closed 2024 round the change anyone may make is a 409, the sheet unchanged."""
from io import BytesIO

from onestop.auth.models import Agency
from onestop.extensions import db

from . import authz_world as w
from .par_index_samples import criteria_workbook
from .paper_samples import pdf

ROOT = {"p": "p", "c": "p", "o": "q"}  # each tag's province
PROVINCE_STAFF = ("admin", "appraiser")
SHEET = "/api/v1/par-index/rounds/<int(max=9999):year>/sheets/<code>"


def sheet_sees(sees):
    def check(actor, owner) -> bool:
        """P is no unit; a sheet is seen by whoever sees the agency, and by the appraisers of its province."""
        tag, role = actor
        return owner != "p" and (sees(actor, owner) or (role == "appraiser" and ROOT[tag] == ROOT[owner]))
    return check


def province_staff(actor, owner) -> bool:
    return actor[1] == "appraiser" or w.AGENCIES[actor[0]][3] is None


def reform_officer(actor, owner) -> bool:
    return actor[1] == "supervisor" and actor[0] == owner


def appraiser(actor, owner) -> bool:
    return actor[1] == "appraiser" and ROOT[actor[0]] == ROOT[owner]


def either(actor, owner) -> bool:
    return reform_officer(actor, owner) or appraiser(actor, owner)


def unchanged(year, owner):
    """After a refusal: the unit's sheet reads as it did."""
    from onestop.par_index import results, rounds

    def view():
        db.session.expire_all()
        agency = db.session.scalar(db.select(Agency).filter_by(code=w.AGENCIES[owner][0]))
        return results.sheet_view(rounds.get_round(year), agency)
    before = view()

    def check():
        assert view() == before, "a refused change changed the sheet"
    return check


def set_unchanged(year, group):
    """After a refusal: the criteria set reads as it did."""
    from onestop.par_index import sets

    def view():
        db.session.expire_all()
        return sets.set_json(sets.get_set(year, group))
    before = view()

    def check():
        assert view() == before, "a refused change changed the set"
    return check


def fresh_area(year, group) -> str:
    """The number after the set's last area."""
    from onestop.par_index import sets
    par_set = sets.get_set(year, group)
    return str(max(int(item.number) for item in par_set.items if item.parent_id is None) + 1)


def rows(Row, Call, sees) -> list:
    seen = sheet_sees(sees)

    def sheet(year, rest="", **call):
        def make(W, o, a):
            return Call(f"/api/v1/par-index/rounds/{year}/sheets/{w.AGENCIES[o][0]}{rest}",
                        check_refused=unchanged(year, o) if o != "p" else None, **call)
        return make

    def evidence_upload(W, o, a):
        return Call(f"/api/v1/par-index/rounds/2026/sheets/{w.AGENCIES[o][0]}/items/1.1.1/evidence",
                    data={"file": (BytesIO(pdf()), "kiem-chung.pdf")},
                    check_refused=unchanged(2026, o) if o != "p" else None)

    def set_upload(W, o, a):
        return Call("/api/v1/par-index/sets", data={"file": (BytesIO(criteria_workbook()), "phu-luc.xlsx"),
                                                    "year": "2030", "group": "departments", "survey_weight": "30"})

    def typed_area(W, o, a):
        """A fresh area of 2030's communes' set to remove when the cell's removal should succeed."""
        from onestop.par_index import sets
        number = "1"
        if W.write_expected:
            number = fresh_area(2030, "communes")
            sets.add_item(sets.get_set(2030, "communes"), {"number": number, "title": "Lĩnh vực nhập tay",
                                                          "max_points": 1})
            db.session.commit()
        return Call(f"/api/v1/par-index/sets/2030/communes/items/{number}",
                    check_refused=set_unchanged(2030, "communes"))

    def new_area(path, **call):
        def make(W, o, a):
            """A fresh area number of 2030's communes' set when the cell's addition should succeed."""
            number = fresh_area(2030, "communes") if W.write_expected else "1"
            return Call(path, check_refused=set_unchanged(2030, "communes"), **{
                key: {**value, "number": number} for key, value in call.items()})
        return make

    item = SHEET + "/items/<number>"
    return [
        Row("/api/v1/par-index/sets", "POST", PROVINCE_STAFF, set_upload, ok=201, api=True, permits=province_staff),
        Row("/api/v1/par-index/sets/<int(max=9999):year>/<group>", "GET", "staff",
            lambda W, o, a: Call("/api/v1/par-index/sets/2026/communes"), api=True),
        Row("/api/v1/par-index/sets/<int(max=9999):year>/<group>/items/<number>", "PUT", PROVINCE_STAFF,
            lambda W, o, a: Call("/api/v1/par-index/sets/2030/communes/items/1.1.1",
                                 json={"scoring": "Đúng hạn: 1 điểm"}), api=True, permits=province_staff),
        # typing a set in: 2030's communes have a set (a second is a 409), an area is added under a fresh number,
        # one is removed; 2026's set is frozen (its round is open)
        Row("/api/v1/par-index/sets/<int(max=9999):year>/<group>", "POST", PROVINCE_STAFF,
            lambda W, o, a: Call("/api/v1/par-index/sets/2030/communes", json={"survey_weight": 30},
                                 check_refused=set_unchanged(2030, "communes")), ok=409, api=True,
            permits=province_staff),
        Row("/api/v1/par-index/sets/<int(max=9999):year>/<group>/items", "POST", PROVINCE_STAFF, lambda W, o, a: Call(
            "/api/v1/par-index/sets/2026/communes/items", json={"number": "9", "title": "Muộn", "max_points": 1},
            check_refused=set_unchanged(2026, "communes")), ok=409, api=True, permits=province_staff,
            variant="frozen"),
        Row("/api/v1/par-index/sets/<int(max=9999):year>/<group>/items", "POST", PROVINCE_STAFF, new_area(
            "/api/v1/par-index/sets/2030/communes/items", json={"title": "Lĩnh vực nhập tay", "max_points": "2,5"}),
            ok=201, api=True, permits=province_staff),
        Row("/api/v1/par-index/sets/<int(max=9999):year>/<group>/items/<number>", "DELETE", PROVINCE_STAFF,
            typed_area, api=True, permits=province_staff),
        # 2026 has its round: a second one is refused (409) to whoever may open rounds
        Row("/api/v1/par-index/rounds", "POST", PROVINCE_STAFF, lambda W, o, a: Call(
            "/api/v1/par-index/rounds", json={"year": 2026, "self_until": "2030-01-31", "appraisal_until":
                                              "2030-02-15", "explanation_until": "2030-02-28",
                                              "second_until": "2030-03-10"}), ok=409, api=True,
            permits=province_staff),
        Row("/api/v1/par-index/rounds/<int(max=9999):year>", "GET", "staff",
            lambda W, o, a: Call("/api/v1/par-index/rounds/2026"), api=True),
        Row("/api/v1/par-index/rounds/<int(max=9999):year>/ranking", "GET", "staff",
            lambda W, o, a: Call("/api/v1/par-index/rounds/2025/ranking"), api=True),
        Row(SHEET, "GET", "staff", sheet(2026), api=True, owned=True, sees=seen),
        Row(item, "PUT", ("supervisor", "appraiser"), sheet(2026, "/items/1.1.1", json={"note": "Đã ban hành."}),
            api=True, owned=True, sees=seen, permits=reform_officer, variant="self-assessment"),
        Row(item, "PUT", ("supervisor", "appraiser"), sheet(2025, "/items/1.1.1", json={"appraisal_note": "Đạt."}),
            api=True, owned=True, sees=seen, permits=appraiser, variant="appraisal"),
        Row(item, "PUT", ("supervisor", "appraiser"), sheet(2024, "/items/1.1.1", json={"note": "Muộn."}), ok=409,
            api=True, owned=True, sees=seen, permits=reform_officer, variant="after the lock"),
        Row(item, "PUT", ("supervisor", "appraiser"), sheet(2024, "/items/1.1.1", json={"second_score": 1}), ok=409,
            api=True, owned=True, sees=seen, permits=appraiser, variant="second appraisal after the lock"),
        Row(SHEET + "/items/<number>/evidence", "POST", ("supervisor",), evidence_upload, ok=201, api=True,
            owned=True, sees=seen, permits=reform_officer),
        Row(SHEET + "/evidence/<int:evidence_id>", "GET", "staff", lambda W, o, a: Call(
            f"/api/v1/par-index/rounds/2026/sheets/{w.AGENCIES[o][0]}/evidence/{W.par_evidence.get(o, 1)}"),
            api=True, owned=True, sees=seen),
        # 2025's self-assessment is closed: submitting is refused (409) to the unit's officer
        Row(SHEET + "/submit", "POST", ("supervisor",), sheet(2025, "/submit"), ok=409, api=True, owned=True,
            sees=seen, permits=reform_officer),
        Row(SHEET + "/adjustments", "POST", ("appraiser",),
            sheet(2025, "/adjustments", json={"points": 0.5, "reason": "Sáng kiến"}), ok=201, api=True, owned=True,
            sees=seen, permits=appraiser),
        Row(SHEET + "/survey", "PUT", ("appraiser",), sheet(2025, "/survey", json={"points": 25}), api=True,
            owned=True, sees=seen, permits=appraiser),
        Row(SHEET + "/history", "GET", "staff", sheet(2025, "/history"), api=True, owned=True, sees=seen),
        Row(SHEET + "/lost-points", "GET", "staff", sheet(2025, "/lost-points"), api=True, owned=True, sees=seen),
        Row(SHEET + "/actions", "POST", ("supervisor", "appraiser"), sheet(2025, "/actions", json={
            "number": "1.1.2", "text": "Hoàn thành kế hoạch", "owner": "Văn phòng", "due_on": "2026-12-31"}),
            ok=201, api=True, owned=True, sees=seen, permits=either),
        Row(SHEET + "/actions/<int:action_id>/done", "POST", ("supervisor", "appraiser"), lambda W, o, a: Call(
            f"/api/v1/par-index/rounds/2025/sheets/{w.AGENCIES[o][0]}/actions/{W.par_actions.get(o, 1)}/done",
            json={"done": True}), api=True, owned=True, sees=seen, permits=either),
    ]
