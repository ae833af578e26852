"""The PAR INDEX at a province's size (issue 20): the ranking and the province's averages read every unit's
measured figures in one grouped pass per group, each unit with the agencies below it, exactly as tracking counts one
unit alone; and a round of year N measures the official reporting year (15 December of N-1 to 14 December of N,
Decree 09/2019/NĐ-CP), as the annual CCHC report does.

The world: tracking_world's March 2025 at Sở Tư pháp (files, complaints, ratings); a fee paid at the service
centre, one at Sở Nông nghiệp và Môi trường's desk and one at its office's; a procedure of every commune; and the
land registration office below Sở Nông nghiệp và Môi trường with two files: received 18 December 2024 and resolved
late on 27 December, received 10 March 2025 and resolved early. Official 2025 (from 15 December 2024) holds both
resolutions (on time 50 %); the calendar year 2025 only the second (100 %)."""
from datetime import date, datetime

import pytest

from onestop import settings
from onestop.auth.models import Agency
from onestop.auth.services import create_user
from onestop.extensions import db
from onestop.fees import services as fee_services
from onestop.par_index import results, rounds, sets
from onestop.reception import lifecycle
from onestop.timeutil import VN, frozen_at
from onestop.tracking.supervision import indicators

from . import par_index_samples as samples
from . import tracking_world
from .factories import event, make_procedure, receive
from .test_fees import fee_procedure

MOMENT = datetime(2026, 1, 5, 9, 0, tzinfo=VN)
OFFICE, DEPARTMENT = "000.01.05.H38", "000.00.05.H38"


@pytest.fixture
def province(world):
    tracking_world.build(world)
    clerk = world.users["clerk"]
    officer = create_user("officer.vpdkdd", "demo", "Vũ Thị Đăng", world.agencies[OFFICE], ["officer"],
                          allow_demo_password=True)
    land = make_procedure(code="1.004227", name="Đăng ký biến động đất đai", agency=world.agencies[OFFICE],
                          field="Đất đai")
    for received, resolved in ((datetime(2024, 12, 18, 9, 0, tzinfo=VN), datetime(2024, 12, 27, 9, 0, tzinfo=VN)),
                               (datetime(2025, 3, 10, 9, 0, tzinfo=VN), datetime(2025, 3, 11, 9, 0, tzinfo=VN))):
        application = receive(clerk, land, received)
        event(application, clerk, "transfer", received.replace(hour=10))
        event(application, officer, "result_ready", resolved)
    make_procedure(level="commune")  # the birth registration every commune and ward offers (no agency of its own)
    fees = fee_procedure(world)
    desks = [clerk] + [create_user(f"clerk.{tag}", "demo", "Ngô Thị Thu", world.agencies[code], ["clerk"],
                                   allow_demo_password=True) for tag, code in (("nnmt", DEPARTMENT), ("vpdk", OFFICE))]
    for desk in desks:  # a fee paid at the centre, and one at the department and one at its office
        paid = receive(desk, fees, datetime(2025, 3, 12, 9, 0, tzinfo=VN))
        with frozen_at(datetime(2025, 3, 12, 10, 0, tzinfo=VN)):
            fee_services.record_payment(lifecycle.lock_application(paid.code), desk, "cash", 50_000)
            db.session.commit()
    with frozen_at(MOMENT):
        for group in ("departments", "communes"):
            sets.import_set("phu-luc.xlsx", samples.criteria_workbook(), 2025, group, survey_weight=30)
        par_round = rounds.create_round(2025, {"self_until": "2026-01-31", "appraisal_until": "2026-02-15",
                                               "explanation_until": "2026-02-28", "second_until": "2026-03-10"},
                                        world.users["admin"], survey_source="ratings")
        db.session.commit()
    return par_round


def alone(code, start, end):
    agency, ids = indicators.scope_of(code)
    return indicators.figures(agency, ids, start, end, moment=MOMENT)


def test_every_units_figures_in_one_pass_equal_each_unit_counted_alone(province):
    start, end = indicators.official_period("year", 2025)
    assert (start, end) == (date(2024, 12, 15), date(2025, 12, 14))
    for group in ("departments", "communes"):
        codes = [agency.code for agency in rounds.units(group)]
        together = indicators.units_figures(codes, start, end, moment=MOMENT)
        assert list(together) == codes
        for code in codes:
            assert together[code] == alone(code, start, end), code
        if group == "communes":
            assert {together[code]["procedures"]["published"] for code in codes} == {1}  # the birth registration
    together = indicators.units_figures([DEPARTMENT, "000.00.04.H38", "000.00.01.H38"], start, end, moment=MOMENT)
    # the department counts its office's files: both resolved in official 2025, one late
    assert together[DEPARTMENT]["applications"]["resolved"] == {"early": 1, "on_time": 0, "late": 1, "total": 2}
    assert together[DEPARTMENT]["applications"]["on_time_rate"] == 50.0
    assert together["000.00.04.H38"]["applications"]["on_time_rate"] == 75.0
    assert together["000.00.04.H38"]["complaints"]["on_time_rate"] == 50.0
    assert together["000.00.01.H38"]["fees"]["paid"]["cash"] == {"count": 1, "amount": 50_000, "applications": 1}
    assert together[DEPARTMENT]["fees"]["paid"]["cash"] == {"count": 2, "amount": 100_000, "applications": 2}
    assert together["000.00.04.H38"]["procedures"]["published"] == 2  # the justice procedure and the fee one


def test_the_ranking_reads_the_groups_figures_once_and_scores_as_each_sheet_does(province, monkeypatch):
    one_unit = []
    real = indicators.figures
    monkeypatch.setattr(indicators, "figures", lambda *args, **kwargs: one_unit.append(args[0]["code"]) or
                        real(*args, **kwargs))
    sheet_reads = []
    find_sheet = rounds.find_sheet
    monkeypatch.setattr(rounds, "find_sheet", lambda *args, **kwargs: sheet_reads.append(args[1].code) or
                        find_sheet(*args, **kwargs))
    with frozen_at(MOMENT):
        for agency in rounds.units("departments")[:2]:
            rounds.open_sheet(province, agency)
        sheet_reads.clear()
        ranking = results.ranking(province, "departments")
        assert one_unit == [] and sheet_reads == []  # no unit read alone: nine departments in one grouped pass
        sheets = {code: results.sheet_view(province, db.session.scalar(db.select(Agency).filter_by(code=code)))
                  for code in (DEPARTMENT, "000.00.04.H38")}
    by_code = {unit["agency"]["code"]: unit for unit in ranking["units"]}
    assert len(by_code) == 9  # the demo's eight departments and Sở Nội vụ
    for code, sheet in sheets.items():
        assert by_code[code]["total"] == sheet["total"] and by_code[code]["areas"] == sheet["areas"]
    measured = {item["number"]: item["measured"]["value"] for item in sheets[DEPARTMENT]["items"] if item["measured"]}
    assert measured["2.2.1"] == 50.0  # on time: 1 of the 2 files of official 2025 (the office's)
    assert by_code["000.00.04.H38"]["survey"] == 20.01  # from the ratings: 30 points × 66.7 % satisfied


def test_a_province_that_counts_the_calendar_year_says_so_in_the_settings(province):
    settings.put("par_index_measure_year", "calendar")
    db.session.commit()
    with frozen_at(MOMENT):
        sheet = results.sheet_view(province, db.session.scalar(db.select(Agency).filter_by(code=DEPARTMENT)))
    measured = {item["number"]: item["measured"]["value"] for item in sheet["items"] if item["measured"]}
    assert measured["2.2.1"] == 100.0  # 1 January to 31 December 2025: only the March file, early


def test_a_criterion_bound_to_decision_766_reads_the_units_index_on_100(province):
    """A set may bind a sub-criterion to Decision 766's index: its figure is the unit's score on 100 (the points over
    the maximum that could be measured), the same whether the unit is read alone or with its group."""
    start, end = indicators.official_period("year", 2025)
    par_set = sets.get_set(2025, "departments")
    item = next(item for item in sets.leaves(par_set) if item.number == "2.2.1")
    item.indicator, item.scale = "index_766", [[90, 1.0], [0, 0.5]]  # bound as a set would bind it
    db.session.commit()
    with frozen_at(MOMENT):
        agency, ids = indicators.scope_of(DEPARTMENT)
        index = indicators.figures(agency, ids, start, end, moment=MOMENT, with_index=True)["index_766"]
        together = indicators.units_figures([agency.code for agency in rounds.units("departments")], start, end,
                                            moment=MOMENT, with_index=True)
        assert together[DEPARTMENT]["index_766"] == index
        expected = round(100.0 * index["total"] / index["max"], 2)
        assert 0 < expected < 100
        sheet = results.sheet_view(province, db.session.scalar(db.select(Agency).filter_by(code=DEPARTMENT)))
        ranking = results.ranking(province, "departments")
    measured = {row["number"]: row["measured"] for row in sheet["items"] if row["measured"]}
    assert measured["2.2.1"]["indicator"] == "index_766" and measured["2.2.1"]["value"] == expected
    by_code = {unit["agency"]["code"]: unit for unit in ranking["units"]}
    assert by_code[DEPARTMENT]["total"] == sheet["total"]
