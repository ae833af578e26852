"""Issue 21, part 5: provinces report on the periods of Decree 09/2019/NĐ-CP art. 12, closed on the 14th. A month
runs from the 15th of the month before to its 14th; a quarter from the 15th of the month before it to the 14th of its
last month; six months from 15 December of the year before to 14 June; nine months to 14 September; a year from
15 December to 14 December. Reports name them as officials do and compare with the same period a year before."""
from datetime import date, datetime
from io import BytesIO

import pytest
from pypdf import PdfReader

from onestop import pdf
from onestop.timeutil import VN, frozen_at
from onestop.tracking.supervision import indicators, periods, reports
from onestop.tracking.supervision.views import report_periods

from .factories import make_procedure, receive

DECEMBER = datetime(2026, 12, 20, 10, 0, tzinfo=VN)  # the reports are written after the year closed on 14 December


def vn(*args):
    return datetime(*args, tzinfo=VN)


def test_the_official_periods_close_on_the_14th_and_are_named_as_officials_write_them():
    assert periods.official_quarter(2026, 3) == (date(2026, 6, 15), date(2026, 9, 14))
    assert periods.official_quarter(2026, 1) == (date(2025, 12, 15), date(2026, 3, 14))
    assert periods.official_period("year", 2026) == (date(2025, 12, 15), date(2026, 12, 14))
    assert periods.official_period("half", 2026) == (date(2025, 12, 15), date(2026, 6, 14))
    assert periods.official_period("nine", 2026) == (date(2025, 12, 15), date(2026, 9, 14))
    assert periods.official_month(2026, 10) == (date(2026, 9, 15), date(2026, 10, 14))
    assert periods.official_month(2026, 1) == (date(2025, 12, 15), date(2026, 1, 14))
    names = [periods.period_label(*found) for found in (
        periods.official_quarter(2026, 3), periods.official_period("half", 2026), periods.official_period("nine", 2026),
        periods.official_month(2026, 10), periods.official_period("year", 2026))]
    assert names == ["Quý III năm 2026", "6 tháng đầu năm 2026", "9 tháng năm 2026", "Tháng 10 năm 2026", "Năm 2026"]
    # calendar periods stay available, and say so; any other range is written by its days
    assert periods.period_label(date(2026, 7, 1), date(2026, 9, 30)) == "Quý III năm 2026 (dương lịch)"
    assert periods.period_label(date(2026, 1, 1), date(2026, 12, 31)) == "Năm 2026 (dương lịch)"
    assert periods.period_label(date(2026, 3, 3), date(2026, 3, 9)) == "Từ ngày 03/03/2026 đến ngày 09/03/2026"
    assert periods.period_range(date(2026, 6, 15), date(2026, 9, 14)) == "từ ngày 15/06/2026 đến ngày 14/09/2026"


def test_a_day_after_the_14th_belongs_to_the_next_period():
    assert periods.official_containing("quarter", date(2026, 9, 14)) == (date(2026, 6, 15), date(2026, 9, 14))
    assert periods.official_containing("quarter", date(2026, 9, 15)) == (date(2026, 9, 15), date(2026, 12, 14))
    assert periods.official_containing("year", date(2026, 12, 15)) == (date(2026, 12, 15), date(2027, 12, 14))
    # the report due is for the last period that has closed
    assert periods.last_ended_official("quarter", date(2026, 9, 14)) == (date(2026, 3, 15), date(2026, 6, 14))
    assert periods.last_ended_official("quarter", date(2026, 9, 15)) == (date(2026, 6, 15), date(2026, 9, 14))
    assert periods.last_ended_official("year", date(2026, 12, 14)) == (date(2024, 12, 15), date(2025, 12, 14))
    assert periods.last_ended_official("year", date(2026, 12, 15)) == (date(2025, 12, 15), date(2026, 12, 14))
    # the period before a quarter is a quarter; the same period a year before keeps its days
    assert periods.previous_period(date(2026, 6, 15), date(2026, 9, 14)) == (date(2026, 3, 15), date(2026, 6, 14))
    assert periods.same_period_last_year(date(2025, 12, 15), date(2026, 12, 14)) == (date(2024, 12, 15),
                                                                                      date(2025, 12, 14))


@pytest.fixture
def boundary(world):
    """Files received just before and just after midnight at the close of Quý III and of the year 2026, and one
    in Quý III of 2025 (the same period a year before)."""
    procedure = make_procedure(agency=world.agencies["000.00.04.H38"])
    clerk = world.users["clerk"]
    return {name: receive(clerk, procedure, moment, channel="online") for name, moment in (
        ("14 Sept 23:00", vn(2026, 9, 14, 23, 0)), ("15 Sept 00:30", vn(2026, 9, 15, 0, 30)),
        ("14 Dec 23:00", vn(2026, 12, 14, 23, 0)), ("15 Dec 00:30", vn(2026, 12, 15, 0, 30)),
        ("20 Aug 2025", vn(2025, 8, 20, 9, 0)), ("1 Jul 2026", vn(2026, 7, 1, 9, 0)))}


def received(start: date, end: date) -> int:
    agency, ids = indicators.scope_of("000.00.00.H38")
    return indicators.figures(agency, ids, start, end, moment=DECEMBER)["applications"]["received"]["total"]


def test_a_file_received_on_the_14th_at_23_00_counts_in_the_period_closing_that_day(boundary):
    assert received(*periods.official_quarter(2026, 3)) == 2  # 1 July and 14 September 23:00
    assert received(*periods.official_quarter(2026, 4)) == 2  # 15 September 00:30 and 14 December 23:00
    assert received(*periods.official_period("year", 2026)) == 4
    assert received(*periods.official_period("year", 2027)) == 1  # 15 December 00:30
    assert received(*periods.official_period("nine", 2026)) == 2
    # the calendar quarter counts the same files differently
    assert received(date(2026, 7, 1), date(2026, 9, 30)) == 3


def test_the_report_of_a_quarter_compares_with_the_same_quarter_a_year_before(boundary):
    agency, ids = indicators.scope_of("000.00.00.H38")
    data = reports.cchc_report(agency, ids, *periods.official_quarter(2026, 3), moment=DECEMBER)
    assert data["period_label"] == "Quý III năm 2026"
    assert data["period_range"] == "từ ngày 15/06/2026 đến ngày 14/09/2026"
    assert (data["previous_label"], data["previous_range"]) == ("Quý III năm 2025",
                                                                "từ ngày 15/06/2025 đến ngày 14/09/2025")
    table = next(table for table in data["tables"] if table["key"] == "received")
    assert (table["total"]["received"], table["total"]["online"]) == (2, 2)
    assert (table["previous"]["label"], table["previous"]["received"]) == ("Cùng kỳ năm trước", 1)
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf.render_cchc_pdf(data))).pages)
    for expected in ("Quý III năm 2026", "(Kỳ báo cáo: từ ngày 15/06/2026 đến ngày 14/09/2026)",
                     "So sánh với cùng kỳ năm trước: Quý III năm 2025", "Cùng kỳ năm trước"):
        assert expected in " ".join(text.split()), expected


def test_the_reports_page_offers_the_official_periods_first_and_the_calendar_ones_after(boundary, client, auth):
    assert [(name, start, end) for name, start, end in report_periods(date(2026, 12, 20))["official"]] == [
        ("Tháng 12 năm 2026", date(2026, 11, 15), date(2026, 12, 14)),
        ("Quý IV năm 2026", date(2026, 9, 15), date(2026, 12, 14)),
        ("6 tháng đầu năm 2026", date(2025, 12, 15), date(2026, 6, 14)),
        ("9 tháng năm 2026", date(2025, 12, 15), date(2026, 9, 14)),
        ("Năm 2026", date(2025, 12, 15), date(2026, 12, 14))]
    auth.login("supervisor")
    with frozen_at(DECEMBER):
        page = client.get("/reports").get_data(as_text=True)
    official, calendar = page.index("Nghị định 09/2019/NĐ-CP"), page.index("Theo tháng, quý, năm dương lịch")
    assert official < page.index("Quý IV năm 2026") < calendar < page.index("Quý III năm 2026 (dương lịch)")
    assert "from=2026-09-15&amp;to=2026-12-14" in page and "15/09/2026 – 14/12/2026" in page


def blank_pages(data: bytes) -> list[int]:
    """Pages holding nothing but their number."""
    return [number for number, page in enumerate(PdfReader(BytesIO(data)).pages, start=1)
            if len(" ".join(page.extract_text().split()).replace(f"Trang {number}/", "")) < 6]


@pytest.mark.parametrize("code", ["000.00.00.H38", "000.00.04.H38", "000.26.00.H38", "000.21.00.H38"])
def test_the_cchc_report_ends_without_a_blank_page(boundary, code):
    agency, ids = indicators.scope_of(code)
    for start, end in (periods.official_quarter(2026, 3), periods.official_period("year", 2026),
                       (date(2026, 1, 1), date(2026, 12, 31))):
        data = pdf.render_cchc_pdf(reports.cchc_report(agency, ids, start, end, moment=DECEMBER))
        assert blank_pages(data) == [], (code, start)


def test_the_dashboard_of_an_official_quarter_draws_its_official_months(boundary, app):
    from onestop.tracking.supervision.dashboard import dashboard_data

    agency, ids = indicators.scope_of("000.00.00.H38")
    with app.test_request_context():
        data = dashboard_data(agency, ids, *periods.official_quarter(2026, 3), moment=DECEMBER)
    assert data["period_label"] == "Quý III năm 2026"
    assert data["period_range"] == "từ ngày 15/06/2026 đến ngày 14/09/2026"
    months = data["specs"][1]
    assert months["categories"] == ["T7", "T8", "T9"]  # 15/6–14/7, 15/7–14/8, 15/8–14/9
    series = {name: values for name, values, _, _ in months["series"]}
    assert series["Tiếp nhận"] == [1, 0, 1]  # 1 July; 14 September 23:00
    assert series["Tiếp nhận năm trước"] == [0, 0, 1]  # 20 August 2025 is in the month closing 14 September


def test_any_official_period_is_chosen_by_its_name_and_year(boundary, client, auth):
    assert periods.official_choice("q2", 2026) == (date(2026, 3, 15), date(2026, 6, 14))
    assert periods.official_choice("m1", 2026) == (date(2025, 12, 15), date(2026, 1, 14))
    assert periods.official_choice("nine", 2025) == (date(2024, 12, 15), date(2025, 9, 14))
    assert periods.official_choice("q5", 2026) is None and periods.official_choice("year", 1999) is None
    auth.login("supervisor")
    response = client.get("/reports/period?agency=000.00.04.H38&period=q2&year=2026&fmt=pdf")
    assert response.status_code == 302
    assert response.headers["Location"] == "/api/v1/reports/cchc.pdf?agency=000.00.04.H38&from=2026-03-15&to=2026-06-14"
    response = client.get("/reports/period?agency=000.00.04.H38&period=year&year=2026&fmt=")
    assert response.headers["Location"] == "/dashboard?agency=000.00.04.H38&from=2025-12-15&to=2026-12-14"
    for bad in ("period=q5&year=2026", "period=q2&year=26", "period=q2&year=abcd", "year=2026",
                "period=q2&year=²²²²"):
        response = client.get(f"/reports/period?{bad}")
        assert response.status_code == 400 and "Chọn kỳ báo cáo và năm" in response.get_data(as_text=True), bad
    with frozen_at(DECEMBER):
        page = client.get("/reports").get_data(as_text=True)
    assert '<option value="q3">Quý III</option>' in page and 'name="year" min="2000" max="2100" value="2026"' in page
