"""Indicators on a small world with known answers (tests/tracking_world.py), on SQLite and PostgreSQL."""
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from onestop.extensions import db
from onestop.timeutil import VN, frozen_at
from onestop.tracking.supervision import indicators, recount
from onestop.tracking.supervision.rollups import COUNTS, LateRecord, Rollup

from . import tracking_world
from .factories import event, receive

MARCH = (date(2025, 3, 1), date(2025, 3, 31))
AFTER_MARCH = datetime(2025, 4, 15, 10, 0, tzinfo=VN)
END_OF_MARCH = datetime(2025, 3, 31, 18, 0, tzinfo=VN)


@pytest.fixture
def march(world):
    return tracking_world.build(world)


def province():
    return indicators.scope_of("000.00.00.H38")


def march_figures(moment=AFTER_MARCH, by=None):
    agency, ids = province()
    return indicators.figures(agency, ids, *MARCH, by=by, moment=moment)


EXPECTED_APPLICATIONS = {
    "carried_over": 0,
    "received": {"in_person": 11, "online": 5, "postal": 1, "total": 17, "online_full": 0, "online_partial": 5},
    "resolved": {"early": 5, "on_time": 4, "late": 3, "total": 12},
    "on_time_rate": 75.0,
    "open": {"total": 3, "paused": 1, "overdue": 1, "within_time": 1},
    "returned": 10, "refused": 1, "stopped": 1, "apologised": 1, "supplement_requested": 1,
    "online_share": 29.4, "online_full_share": 0.0, "online_partial_share": 29.4,
    "digitised": 0, "digitised_share": 0.0, "results_digitised": 0, "results_digitised_share": 0.0,
    "papers_reused": 0,
    "synced": 0, "synced_share": 0.0,  # no national portal in this world
    "average_days": 2.75,
    "median_days": 3.0,
    "ratings": {"total": 3, "very_satisfied": 1, "satisfied": 1, "not_satisfied": 1,
                "shares": {"very_satisfied": 33.3, "satisfied": 33.3, "not_satisfied": 33.3},
                "satisfied_share": 66.7},
}
EXPECTED_COMPLAINTS = {"received": 2, "handled_on_time": 1, "handled_late": 1, "handled": 2, "open_within_time": 0,
                       "open_overdue": 0, "on_time_rate": 50.0}


def test_every_indicator_of_march_has_its_exact_value(march):
    figures = march_figures()
    assert figures["applications"] == EXPECTED_APPLICATIONS
    assert figures["complaints"] == EXPECTED_COMPLAINTS
    assert figures["balances"] is True
    assert figures["procedures"] == {"published": 1, "online_full": 0, "online_partial": 1, "online_none": 0,
                                     "online_payment": 0, "complete": 0, "complete_share": 0.0, "used": 1}


def test_the_766_groups_score_what_is_measured_and_say_what_is_not(march):
    """Decision 766 as the portal scores it (tests/test_index766.py works through every sub-indicator): here the
    figures the dashboard shows beside the others."""
    agency, ids = province()
    index = indicators.compared(agency, ids, *MARCH, moment=AFTER_MARCH)["index_766"]
    groups = {group["code"]: (group["points"], group["max"]) for group in index["groups"]}
    # on time: 9 resolved in time + O2 and P1 not yet due, of 12 resolved + 3 open: 20 × 11 ÷ 15
    # online service: the one procedure offered online (2) and used online (4), 5 of 17 online: 6 × (5/17 ÷ 0.5)
    # transparency: no decision in March (not applicable), the procedure incomplete, nothing synchronised
    # online payment: no fee anywhere, not applicable; satisfaction: 6 × 1/2 complaints + 6 × (2/3 ÷ 0.9)
    assert groups == {"transparency": (0.0, 8), "progress": (14.67, 20), "online_service": (9.53, 12),
                      "online_payment": (0, 0), "satisfaction": (7.44, 12), "digitisation": (0.0, 12)}
    assert (index["total"], index["max"], index["band"]) == (31.64, 64, "Yếu")


def test_on_the_last_evening_of_march_the_open_files_are_counted_as_they_stand(march):
    assert march_figures(END_OF_MARCH)["applications"] == EXPECTED_APPLICATIONS


def test_a_department_sees_its_own_figures_and_the_service_centre_none(march):
    department, ids = indicators.scope_of("000.00.04.H38")
    assert indicators.figures(department, ids, *MARCH, moment=AFTER_MARCH)["applications"] == EXPECTED_APPLICATIONS
    centre, ids = indicators.scope_of("000.00.01.H38")
    figures = indicators.figures(centre, ids, *MARCH, moment=AFTER_MARCH)
    assert figures["applications"]["received"]["total"] == 0
    assert figures["complaints"]["received"] == 0


def test_per_agency_the_rows_add_up_to_the_province(march):
    groups = march_figures(by="agency")["groups"]
    assert [row["code"] for row in groups] == ["000.00.04.H38"]
    assert groups[0]["applications"]["resolved"]["total"] == 12
    assert groups[0]["complaints"]["handled_late"] == 1


def test_per_week_of_march_the_stock_carries_from_one_period_to_the_next(march):
    agency, ids = province()
    first = indicators.figures(agency, ids, date(2025, 3, 1), date(2025, 3, 16), moment=AFTER_MARCH)["applications"]
    second = indicators.figures(agency, ids, date(2025, 3, 17), date(2025, 3, 31), moment=AFTER_MARCH)["applications"]
    assert second["carried_over"] == first["open"]["total"]
    assert first["received"]["total"] + second["received"]["total"] == 17
    for block in (first, second):
        assert block["carried_over"] + block["received"]["total"] == (
            block["resolved"]["total"] + block["refused"] + block["stopped"] + block["open"]["total"])


def test_a_closed_month_gives_the_same_figures_next_month_and_a_paper_record_is_explained(march, world):
    before = march_figures()
    files, clerk, officer = march["files"], world.users["clerk"], world.users["officer"]
    event(files["O1"], officer, "result_ready", datetime(2025, 4, 2, 10, 0, tzinfo=VN))
    event(files["P1"], clerk, "supplement_received", datetime(2025, 4, 3, 10, 0, tzinfo=VN))
    event(files["O2"], clerk, "transfer", datetime(2025, 4, 1, 8, 0, tzinfo=VN))
    assert march_figures(datetime(2026, 1, 5, 9, 0, tzinfo=VN)) == before
    # On 14 April a postal file received on 28 March is typed in from the paper register.
    with frozen_at(datetime(2025, 4, 14, 9, 0, tzinfo=VN)):
        late = receive(clerk, march["procedure"], datetime(2025, 4, 14, 9, 0, tzinfo=VN), channel="postal",
                       received_at=datetime(2025, 3, 28, 10, 0, tzinfo=VN))
    after = march_figures()
    assert after["applications"]["received"]["postal"] == 2
    assert after["applications"]["open"]["total"] == 4
    assert after["balances"] is True
    records = db.session.scalars(sa.select(LateRecord)).all()
    assert [(r.application_id, r.type, r.day, r.recorded_day) for r in records] == [
        (late.id, "receive", date(2025, 3, 28), date(2025, 4, 14))]


def test_rollups_equal_a_full_recount_and_a_rebuild_gives_the_same_rows(march):
    assert recount.check() == []
    before = rollup_rows()
    recount.rebuild()
    db.session.commit()
    assert rollup_rows() == before
    assert march_figures()["applications"] == EXPECTED_APPLICATIONS


def rollup_rows():
    columns = [getattr(Rollup, name) for name in COUNTS]
    rows = db.session.execute(sa.select(Rollup.grain, Rollup.period, Rollup.agency_id, Rollup.procedure_version_id,
                                        *columns)).all()
    return sorted(tuple(row) for row in rows if any(row[4:]))


def test_the_api_answers_the_same_figures_for_the_supervisor(march, client, auth):
    auth.login("supervisor")
    response = client.get("/api/v1/indicators?agency=000.00.00.H38&from=2025-03-01&to=2025-03-31")
    assert response.status_code == 200
    body = response.get_json()
    assert body["applications"] == EXPECTED_APPLICATIONS
    assert body["previous"]["applications"]["received"]["total"] == 0
    assert body["last_year"]["from"] == "2024-03-01" and body["last_year"]["to"] == "2024-03-31"
    by_field = client.get("/api/v1/indicators?from=2025-03-01&to=2025-03-31&group_by=field").get_json()
    assert by_field["groups"][0]["field"] == "Lý lịch tư pháp"
    assert by_field["groups"][0]["applications"]["resolved"]["late"] == 3
    by_month = client.get("/api/v1/indicators?from=2025-01-01&to=2025-03-31&group_by=month").get_json()
    assert [(row["month"], row["applications"]["received"]["total"]) for row in by_month["groups"]] == [
        ("2025-03", 17)]


def test_the_api_refuses_what_it_cannot_read_and_what_the_user_may_not_see(march, client, auth):
    auth.login("officer")
    assert client.get("/api/v1/indicators?agency=000.00.00.H38&from=2025-03-01&to=2025-03-31").status_code == 403
    assert client.get("/api/v1/indicators?from=2025-03-31&to=2025-03-01").status_code == 400
    assert client.get("/api/v1/indicators?from=March&to=2025-03-31").status_code == 400
    assert client.get("/api/v1/indicators?from=2025-03-01&to=2025-03-31&group_by=colour").status_code == 400
    own = client.get("/api/v1/indicators?from=2025-03-01&to=2025-03-31")
    assert own.status_code == 200 and own.get_json()["agency"]["code"] == "000.00.04.H38"
