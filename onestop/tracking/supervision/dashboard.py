"""The dashboard a supervisor reads at a glance (and prints): key figures beside the previous period and last
year, and four charts drawn by the app as SVG, the same Drawings the PDF report prints."""
from datetime import date, timedelta

from flask import abort, render_template, request, url_for
from flask_login import current_user

from ...auth import roles_required
from ...pdf import charts
from ...pdf.reports import drawing
from ...timeutil import now
from .. import bp
from . import indicators
from .periods import (add_months, is_official, official_containing, period_label, period_range, previous_period,
                      same_period_last_year)
from .watch import local_today


def month_ends(start: date, end: date) -> list[date]:
    found, month = [], indicators.month_start(start)
    while month <= end:
        found.append(min(indicators.month_end(month), end))
        month = indicators.next_month(month)
    return found


def official_month_ends(start: date, end: date) -> list[date]:
    """The 14ths closing the official months of [start, end] (Decree 09/2019), the last one cut at `end`."""
    found, closing = [], add_months(start, 1) - timedelta(days=1)
    while start <= end:
        found.append(min(closing, end))
        start, closing = closing + timedelta(days=1), add_months(closing, 1)
    return found


def _monthly_counts(agency: dict, agency_ids, start: date, ends: list[date], moment, official: bool,
                    shift: int = 0) -> dict:
    """{key: [files per month]} of received and resolved, `shift` years back; calendar months from the month rows
    in one query, official months (15th to 14th) one query each."""
    back = (lambda day: same_period_last_year(day, day)[0]) if shift else (lambda day: day)
    if not official:
        groups = indicators.figures(agency, agency_ids, back(start), back(ends[-1]), by="month",
                                    moment=moment)["groups"] if ends else []
        by_month = {row["month"]: row["applications"] for row in groups}
        empty = {"received": {"total": 0}, "resolved": {"total": 0}}
        found = [by_month.get(f"{back(day).year}-{day.month:02d}", empty) for day in ends]
    else:
        found, first = [], start
        for day in ends:
            block = indicators.application_figures(agency_ids, back(first), back(day), scope=agency["id"],
                                                   moment=moment).get(())
            found.append(block or {"received": {"total": 0}, "resolved": {"total": 0}})
            first = day + timedelta(days=1)
    return {key: [block[key]["total"] for block in found] for key in ("received", "resolved")}


def dashboard_data(agency: dict, agency_ids, start: date, end: date, moment=None) -> dict:
    moment = moment or now()
    current = indicators.compared(agency, agency_ids, start, end, by="agency", moment=moment)
    last = min(end, local_today(moment))
    official = is_official(start, end)  # official months run from the 15th to the 14th, named by the 14th's month
    ends = official_month_ends(start, last) if official else month_ends(start, last)
    labels = [f"T{day.month}" for day in ends]
    this_year = _monthly_counts(agency, agency_ids, start, ends, moment, official)
    last_year = _monthly_counts(agency, agency_ids, start, ends, moment, official, shift=1)
    overdue = indicators.stock_series(agency_ids, ends, "d_overdue")
    if ends and ends[-1] >= local_today(moment):
        overdue[-1] = current["applications"]["open"]["overdue"]
    # compared with the same period a year before, as the reports are
    complaints, before = current["complaints"], current["last_year"]["complaints"]
    ratings, rated_before = current["applications"]["ratings"], current["last_year"]["applications"]["ratings"]
    specs = [
        {"kind": "rates", "title": "Tỷ lệ giải quyết đúng hạn theo đơn vị (%)", "target": None,
         "rows": [(row["name"], row["applications"]["on_time_rate"]) for row in current.get("groups", [])]},
        {"kind": "lines", "title": "Tiếp nhận và giải quyết theo tháng, so với cùng kỳ năm trước",
         "categories": labels, "series": [
             ("Tiếp nhận", this_year["received"], "blue", False),
             ("Giải quyết", this_year["resolved"], "green", False),
             ("Tiếp nhận năm trước", last_year["received"], "light", True),
             ("Giải quyết năm trước", last_year["resolved"], "grey", True)]},
        {"kind": "lines", "title": "Hồ sơ đang quá hạn cuối mỗi tháng", "categories": labels,
         "series": [("Đang quá hạn", overdue, "red", False)]},
        {"kind": "grouped", "title": "Phản ánh, kiến nghị và mức độ hài lòng",
         "categories": ["PAKN tiếp nhận", "PAKN đúng hạn", "PAKN quá hạn", "Rất hài lòng", "Hài lòng",
                        "Chưa hài lòng"],
         "series": [("Kỳ này", [complaints["received"], complaints["handled_on_time"], complaints["handled_late"],
                                ratings["very_satisfied"], ratings["satisfied"], ratings["not_satisfied"]], "blue"),
                    ("Cùng kỳ năm trước", [before["received"], before["handled_on_time"], before["handled_late"],
                                  rated_before["very_satisfied"], rated_before["satisfied"],
                                  rated_before["not_satisfied"]], "grey")]},
    ]
    return {"figures": current, "charts": [charts.svg(drawing(spec)) for spec in specs], "specs": specs,
            "period_label": period_label(start, end), "period_range": period_range(start, end), "from": start,
            "to": end}


def figure_links(agency: dict, start: date, end: date, today: date) -> dict:
    """Where each figure's files are listed: the list of applications (or of complaints, or the overdue report
    of a past day) with the filters that select the files the figure counts."""
    if not current_user.has_role("supervisor"):
        return {}  # an administrator reads the figures; the lists are the supervisors'
    inbox = {"handled_by": agency["code"]}
    received = url_for("reception.inbox", received_from=start.isoformat(), received_to=end.isoformat(), **inbox)
    resolved = url_for("reception.inbox", resolved_from=start.isoformat(), resolved_to=end.isoformat(), **inbox)
    if end >= today:  # the stocks are counted as they stand now
        overdue, still_open = (url_for("reception.inbox", due="overdue", **inbox),
                               url_for("reception.inbox", due="open", **inbox))
    else:  # as they stood at the end of the period's last day
        overdue = url_for("tracking.overdue_report", agency=agency["code"], at=end.isoformat())
        still_open = url_for("reception.inbox", open_at=end.isoformat(), **inbox)
    return {"received": received, "resolved": resolved, "on_time_rate": resolved, "days": resolved,
            "overdue": overdue, "open": still_open,
            "online": url_for("reception.inbox", received_from=start.isoformat(), received_to=end.isoformat(),
                              channel="online", **inbox),
            "complaints": url_for("tracking.complaint_list", status="all", **{"from": start.isoformat(),
                                                                               "to": end.isoformat()}),
            "ratings": url_for("tracking.rating_list", agency=agency["code"], **{"from": start.isoformat(),
                                                                                  "to": end.isoformat()})}


def requested_period() -> tuple[date, date]:
    """from/to of the request, by default the official year so far (Decree 09/2019: from 15 December of the year
    before); 400 when out of order or longer than three years."""
    from .views import parse_day

    today = local_today()
    start = parse_day(request.args.get("from")) or official_containing("year", today)[0]
    end = parse_day(request.args.get("to")) or today
    if end < start or (end - start).days > 3 * 366:
        abort(400)
    return start, end


@bp.get("/dashboard")
@roles_required("supervisor", "admin")
def dashboard():
    from .views import report_scope

    agency, ids = report_scope()
    today = local_today()
    start, end = requested_period()
    data = dashboard_data(agency, ids, start, end)
    return render_template("tracking/dashboard.html", agency=agency, data=data, f=data["figures"],
                           links=figure_links(agency, start, end, today),
                           links_before=figure_links(agency, *previous_period(start, end), today),
                           links_last_year=figure_links(agency, *same_period_last_year(start, end), today),
                           agencies=[a for a in indicators.tree().agencies.values()
                                     if a["id"] in current_user.visible_agency_ids()])
