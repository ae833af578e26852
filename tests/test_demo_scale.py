"""`flask demo --scale N`: a province of N applications over three years, written in bulk, that the app's own
check finds consistent and whose counters the desks carry on from."""
from collections import Counter
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from onestop import demo, demo_scale
from onestop.auth.models import User
from onestop.extensions import db
from onestop.procedures.models import Procedure
from onestop.reception import lifecycle, services
from onestop.reception.models import Application, ApplicationEvent, DailySequence, RegisterSequence
from onestop.timeutil import VN, frozen_at
from onestop.tracking.models import Rating

END = datetime(2026, 11, 25, 10, 30, tzinfo=VN)


@pytest.fixture
def scaled(app):
    with frozen_at(END):
        made = demo_scale.scale(1500, seed=7, progress=False)
    assert made == 1500
    return app


def test_three_years_of_files_every_desk_every_kind_of_life(scaled):
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 1500
    first, last = db.session.execute(sa.select(sa.func.min(Application.received_at),
                                               sa.func.max(Application.received_at))).one()
    assert END - timedelta(days=3 * 365 + 1) <= first < END - timedelta(days=3 * 365 - 10)
    assert END - timedelta(days=2) < last <= END
    statuses = Counter(db.session.scalars(sa.select(Application.status)))
    assert {"returned", "result_ready", "processing", "waiting_supplement", "refused", "stopped"} <= set(statuses)
    assert statuses["returned"] > 1200
    with frozen_at(END):
        overdue = db.session.scalar(sa.select(sa.func.count()).where(
            Application.status.in_(["received", "transferred", "processing"]), Application.due_at < END))
    assert 10 < overdue < 100
    types = Counter(db.session.scalars(sa.select(ApplicationEvent.type)))
    assert set(types) == {"receive", "transfer", "step", "request_supplement", "supplement_received", "apologise",
                          "result_ready", "return", "refuse", "stop"}
    assert set(db.session.scalars(sa.select(Application.channel).distinct())) == {"in_person", "online", "postal"}
    desks = set(db.session.scalars(sa.select(Application.agency_id).distinct()))
    assert len(desks) == 7  # the province's centre and the six communes
    used = set(db.session.scalars(sa.select(Application.procedure_id).distinct()))
    assert len(used) > 0.9 * db.session.scalar(sa.select(sa.func.count()).select_from(Procedure))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Rating)) > 100


def test_the_apps_own_check_finds_nothing_wrong(scaled):
    with frozen_at(END):
        assert list(lifecycle.verify_all()) == []
    # events are numbered from 1 and never go back in time
    rows = db.session.execute(sa.select(ApplicationEvent.application_id, ApplicationEvent.seq, ApplicationEvent.at)
                              .order_by(ApplicationEvent.application_id, ApplicationEvent.seq)).all()
    previous = (None, 0, None)
    for application_id, seq, at in rows:
        if application_id == previous[0]:
            assert seq == previous[1] + 1 and at >= previous[2]
        else:
            assert seq == 1
        previous = (application_id, seq, at)


def test_the_counters_stand_where_the_files_left_them_and_the_desk_carries_on(scaled):
    codes = db.session.execute(sa.select(Application.agency_id, Application.code)).all()
    highest: dict = {}
    for agency_id, code in codes:
        day = datetime.strptime(code.split("-")[1], "%y%m%d").date()
        highest[(agency_id, day)] = max(highest.get((agency_id, day), 0), int(code.rsplit("-", 1)[1]))
    stored = {(row.agency_id, row.day): row.last_value for row in db.session.scalars(sa.select(DailySequence))}
    assert stored == highest
    assert len({code for _, code in codes}) == 1500
    entries = db.session.execute(sa.text(
        "SELECT a.agency_id, v.field, a.register_entry, a.code FROM application a "
        "JOIN procedure_version v ON v.id = a.procedure_version_id")).all()
    volumes: dict = {}
    for agency_id, field, entry, code in entries:
        volumes.setdefault((agency_id, field, 2000 + int(code.split("-")[1][:2])), []).append(entry)
    registers = {(row.agency_id, row.field, row.year): row.last_value
                 for row in db.session.scalars(sa.select(RegisterSequence))}
    assert registers == {key: len(found) for key, found in volumes.items()}
    assert all(sorted(found) == list(range(1, len(found) + 1)) for found in volumes.values())
    assert sum(registers.values()) == 1500

    clerk = db.session.scalar(sa.select(User).filter_by(username="clerk"))
    birth = db.session.scalar(sa.select(Procedure).filter_by(code="2.000488"))
    today = END.date()
    before = stored.get((clerk.agency_id, today), 0)
    with frozen_at(END + timedelta(minutes=5)):
        application, _ = services.receive_application(clerk, {
            "procedure_code": birth.code, "documents": ["Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp"],
            "applicant": {"name": "Lò Thị Pó", "id_number": "010190001234", "address": "Bản Cát Cát, Sa Pa"}})
    assert application.code == f"000.00.01.H38-{today:%y%m%d}-{before + 1:04d}"
    field_key = (clerk.agency_id, application.version.field, today.year)
    assert application.register_entry == registers[field_key] + 1


def test_a_second_run_is_refused(scaled, runner):
    result = runner.invoke(args=["demo", "--scale", "10"])
    assert result.exit_code == 1
    assert "đã được nạp bằng --scale" in result.output


def test_it_adds_to_the_plain_demo_and_keeps_it(app):
    with frozen_at(END):
        demo.load(applications=25)
        db.session.commit()
        demo_scale.scale(300, seed=3, progress=False)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 325
        assert list(lifecycle.verify_all()) == []
    codes = db.session.scalars(sa.select(Application.code)).all()
    assert len(set(codes)) == 325


def test_the_command_says_how_far_it_is_in_each_stage(app, runner):
    """Issue 21: 206 s at 1,000,000 with one line of output. In a log (not a terminal) each stage has its lines."""
    with frozen_at(END):
        result = runner.invoke(args=["demo", "--scale", "300", "--seed", "3"])
    assert result.exit_code == 0, result.output
    stages = [line.split(":")[0] for line in result.stderr.splitlines()]
    assert list(dict.fromkeys(stages)) == ["Đang tạo hồ sơ", "Đang phân tích các bảng", "Đang đếm lại số liệu tổng hợp"]
    assert "Đang tạo hồ sơ: bắt đầu, 300 hồ sơ." in result.stderr
    assert "Đang tạo hồ sơ: 300/300 hồ sơ (100%), xong trong" in result.stderr
    assert result.stdout.startswith("Đã tạo 300 hồ sơ trong ")
