"""The supervisors' board on a busy Wednesday: more than 100 overdue files, many falling due; every number equals
the list it opens, the overview now leads to the board, and the overdue report prints what the board counts."""
from datetime import date, datetime, timedelta
from io import BytesIO

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader

from onestop.extensions import db
from onestop.reception import queries
from onestop.timeutil import VN, frozen_at
from onestop.tracking.supervision import watch

from .factories import event, make_procedure, receive
from .tracking_world import complaint

NOW = datetime(2025, 3, 19, 10, 0, tzinfo=VN)  # a Wednesday


def day(d, hour=9):
    return datetime(2025, 3, d, hour, 0, tzinfo=VN)


@pytest.fixture
def busy(world):
    clerk, officer, commune = world.users["clerk"], world.users["officer"], world.users["clerk.yenbai"]
    department = world.agencies["000.00.04.H38"]
    record = make_procedure(code="2.000488", amount=3, unit="working_days", agency=department)
    local = make_procedure(code="2.000815", amount=2, unit="working_days", agency=None, level="commune",
                           name="Chứng thực hợp đồng", field="Chứng thực")
    for index in range(110):  # received 3–7 March: due 6–12 March, long overdue
        receive(clerk, record, day(3 + index % 5, 8) + timedelta(minutes=index))
    for index in range(5):
        receive(commune, local, day(10) + timedelta(minutes=index))  # due Wednesday 12 March
    for index in range(7):
        receive(clerk, record, day(14) + timedelta(minutes=index))  # due today 17:00
    for index in range(6):
        receive(clerk, record, day(17) + timedelta(minutes=index))  # due Thursday
        receive(clerk, record, day(18) + timedelta(minutes=index))  # due Friday
    for index in range(3):
        receive(clerk, record, day(19, 8) + timedelta(minutes=index))  # due Monday 24: not soon
    for index in range(4):
        paused = receive(clerk, record, day(4) + timedelta(minutes=index))
        event(paused, clerk, "transfer", day(4, 10))
        event(paused, officer, "request_supplement", day(5, 10), items=["Bản sao căn cước"], reason="Thiếu.")
    stepped = receive(clerk, record, day(18, 8))  # due Friday; its step was due Tuesday 17:00
    event(stepped, clerk, "transfer", day(18, 8) + timedelta(minutes=30))
    event(stepped, officer, "step", day(18, 10), to_agency=department.code, working_days=0, note="Thẩm định")
    complaint("PAKN-1", department, day(3), due=day(17, 17))
    complaint("PAKN-2", department, day(5), due=day(19, 17))
    db.session.commit()
    return world


def rows_by_code(world):
    with frozen_at(NOW):
        rows = watch.board(world.users["supervisor"].visible_agency_ids(), NOW)
    return rows, {row["agency"]["code"]: row for row in rows}


def test_the_board_counts_every_file_exactly_and_puts_the_most_urgent_first(busy):
    rows, by_code = rows_by_code(busy)
    province = by_code["000.00.00.H38"]
    assert rows[0] is province
    assert {key: province[key] for key in ("overdue", "today", "soon", "paused", "steps", "open")} == {
        "overdue": 115, "today": 7, "soon": 13, "paused": 4, "steps": 20, "open": 142}
    # late steps: the 19 files within time still at the service centre's desk after its hand-over deadline (the
    # close of the reception day), and the one whose step at the department was due on Tuesday
    assert (by_code["000.00.01.H38"]["steps"], by_code["000.00.04.H38"]["steps"]) == (19, 1)
    assert (province["complaints_overdue"], province["complaints_today"]) == (1, 1)
    assert province["oldest_due"] == datetime(2025, 3, 6, 17, 0, tzinfo=VN)
    assert province["days_late"] == 9  # 7 … 19 March: nine working days
    assert [row["agency"]["code"] for row in rows[1:3]] == ["000.00.04.H38", "000.21.00.H38"]
    assert by_code["000.00.04.H38"]["overdue"] == 110 and by_code["000.21.00.H38"]["overdue"] == 5


def test_each_number_opens_a_list_of_exactly_that_many_files_ordered_by_due_time(busy):
    supervisor = busy.users["supervisor"]
    _, by_code = rows_by_code(busy)
    for code, row in by_code.items():
        for due in ("overdue", "today", "soon", "paused", "open"):
            with frozen_at(NOW):
                query = queries.filtered(supervisor, due=due, handled_by=code)
                count = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
                dues = db.session.scalars(query.with_only_columns(queries.Application.due_at)).all()
            assert count == row[due], (code, due)
            assert dues == sorted(dues)


def test_the_pages_link_the_numbers_and_the_old_overview_leads_to_the_board(busy, client, auth):
    auth.login("supervisor")
    with frozen_at(NOW):
        assert client.get("/overview").headers["Location"].endswith("/board")
        page = client.get("/board").get_data(as_text=True)
        assert 'href="/inbox?due=overdue&amp;handled_by=000.00.00.H38">115<' in page
        assert 'href="/inbox?due=soon&amp;handled_by=000.00.04.H38">13<' in page
        listing = client.get("/inbox?due=overdue&handled_by=000.21.00.H38").get_data(as_text=True)
    assert listing.count(">000.21.00.H38-250310-") == 5
    assert client.get("/").headers["Location"].endswith("/board")


def test_an_officer_cannot_open_the_board(busy, client, auth):
    auth.login("officer")
    assert client.get("/board").status_code == 403
    assert client.get("/api/v1/reports/overdue.pdf").status_code == 403


def test_the_overdue_report_lists_the_files_longest_overdue_first_as_pdf_and_excel(busy, client, auth):
    auth.login("supervisor")
    with frozen_at(NOW):
        page = client.get("/reports/overdue?agency=000.21.00.H38")
        pdf = client.get("/api/v1/reports/overdue.pdf?agency=000.00.04.H38")
        xlsx = client.get("/api/v1/reports/overdue.xlsx?agency=000.00.00.H38")
    assert page.status_code == 200 and page.get_data(as_text=True).count(">000.21.00.H38-250310-") == 5
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    reader = PdfReader(BytesIO(pdf.data))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "BÁO CÁO HỒ SƠ QUÁ HẠN" in text and "Tổng số hồ sơ quá hạn: 110" in text
    assert len(reader.pages) >= 3 and reader.pages[1].extract_text().count("Mã hồ sơ") == 1  # header repeats
    sheet = load_workbook(BytesIO(xlsx.data)).active
    codes = [row[1] for row in sheet.iter_rows(min_row=6, values_only=True) if row[1] and "-2503" in str(row[1])]
    assert len(codes) == 115 + 20  # the late steps are listed below the overdue files
    # the count as a number, not a formula (a preview on a phone shows a formula's cell empty)
    assert [row[:2] for row in sheet.iter_rows(values_only=True) if row[0] == "Tổng số"] == [("Tổng số", 115)]
    days = [row[8] for row in sheet.iter_rows(min_row=6, max_row=6 + 114, values_only=True)]
    assert days == sorted(days, reverse=True)


def test_the_overdue_report_of_a_past_day_replays_the_files_as_they_stood(busy):
    from onestop.tracking.supervision import indicators

    agency, ids = indicators.scope_of("000.00.00.H38")
    with frozen_at(NOW):
        rows = watch.overdue_at(ids, date(2025, 3, 7))
    # at the end of Friday 7 March: the files received on 3 and 4 March (due 6 and 7 March); the four received
    # on 4 March and paused the next day are not
    assert len(rows) == 44
    assert all(row["days_late"] >= 0 for row in rows) and rows[0]["due_at"] == datetime(2025, 3, 6, 17, tzinfo=VN)
