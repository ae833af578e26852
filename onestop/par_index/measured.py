"""Criteria the app measures itself: a sub-criterion bound to an indicator gets its figure for the unit and the
round's year from tracking's one function for units' figures (tracking.supervision.indicators.units_figures: each
unit with every agency below it, all the units of a ranking in one grouped pass), scored by the criterion's scale.
The unit may comment on the figure, never change it.

The year N of a round is counted as the annual CCHC report counts it: the official reporting year of Decree
09/2019/NĐ-CP art. 12, from 15 December of N-1 to 14 December of N. The setting `par_index_measure_year` =
"calendar" counts 1 January to 31 December of N instead, for a province whose set says so.

A figure with nothing to measure (no file resolved, no late file to apologise for) is scored as met: the
province's sets say "không phát sinh" counts as reaching the target."""
from datetime import date

from flask import has_request_context, url_for
from flask_babel import lazy_gettext as _l

from .. import settings
from ..tracking.supervision import indicators as tracking


def _index_score(index: dict | None) -> float | None:
    """Decision 766's score on 100: the points over the maximum that could be measured (the parts the app holds no
    data for are out of both, as tracking's index leaves them), so a criterion's scale reads it like a share."""
    if not index or not index.get("max"):
        return None
    return round(100.0 * index["total"] / index["max"], 2)


def _share(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


# name: (label, how to read it from the figures, the list behind it)
INDICATORS = {
    "on_time_rate": (_l("Tỷ lệ hồ sơ giải quyết đúng hạn"),
                     lambda f: f["applications"]["on_time_rate"], "resolved"),
    "apologised_share": (_l("Tỷ lệ hồ sơ trễ hạn có văn bản xin lỗi"),
                         lambda f: _share(f["applications"]["apologised"], f["applications"]["resolved"]["late"]),
                         "resolved"),
    "online_share": (_l("Tỷ lệ hồ sơ nộp trực tuyến"), lambda f: f["applications"]["online_share"], "online"),
    "digitised_share": (_l("Tỷ lệ hồ sơ được số hóa"), lambda f: f["applications"]["digitised_share"], "received"),
    "results_digitised_share": (_l("Tỷ lệ kết quả giải quyết được số hóa"),
                                lambda f: f["applications"]["results_digitised_share"], "resolved"),
    "synced_share": (_l("Tỷ lệ hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia"),
                     lambda f: f["applications"]["synced_share"], "received"),
    "satisfied_share": (_l("Tỷ lệ đánh giá hài lòng"),
                        lambda f: f["applications"]["ratings"]["satisfied_share"], "ratings"),
    "complaints_on_time_rate": (_l("Tỷ lệ phản ánh, kiến nghị xử lý đúng hạn"),
                                lambda f: f["complaints"]["on_time_rate"], "complaints"),
    "procedures_complete_share": (_l("Tỷ lệ thủ tục công khai đầy đủ"),
                                  lambda f: f["procedures"]["complete_share"], "dashboard"),
    "online_full_procedures_share": (_l("Tỷ lệ thủ tục dịch vụ công trực tuyến toàn trình"),
                                     lambda f: _share(f["procedures"]["online_full"], f["procedures"]["published"]),
                                     "dashboard"),
    "online_payment_procedures_share": (_l("Tỷ lệ thủ tục có thanh toán trực tuyến"),
                                        lambda f: _share(f["procedures"]["online_payment"],
                                                         f["procedures"]["published"]), "dashboard"),
    "index_766": (_l("Điểm Bộ chỉ số phục vụ (Quyết định 766)"),
                  lambda f: _index_score(f.get("index_766")), "dashboard"),
}


def year_span(year: int) -> tuple[date, date]:
    """The days a round of `year` measures: the official year (15 December of year-1 to 14 December), or the
    calendar year when the setting `par_index_measure_year` says "calendar"."""
    if settings.get("par_index_measure_year") == "calendar":
        return date(year, 1, 1), date(year, 12, 31)
    return tracking.official_period("year", year)


def units_figures(agency_codes: list[str], year: int, *, with_index: bool = False) -> dict[str, dict]:
    """{code: the unit's figures (with every agency below it) for the year}, all the units in one grouped pass;
    `with_index`: with Decision 766's index too (a set that binds a criterion to it)."""
    return tracking.units_figures(agency_codes, *year_span(year), with_index=with_index)


def unit_figures(agency_code: str, year: int, *, with_index: bool = False) -> dict | None:
    """One unit's figures for the year (None for no agency): read once per sheet."""
    return units_figures([agency_code], year, with_index=with_index).get(agency_code)


def needs_index(items) -> bool:
    """Whether any of these criteria is bound to Decision 766's index."""
    return any(item.indicator == "index_766" for item in items)


def score(max_cp: int, scale: list, value: float | None) -> int:
    """The points for a figure: the share of the first threshold the figure reaches (highest first)."""
    if value is None:
        return max_cp
    for threshold, share in scale or ():
        if value >= threshold:
            return round(max_cp * share)
    return 0


def measure(item, figures: dict | None, agency_code: str, year: int) -> dict | None:
    """{indicator, label, value, points_cp, list_url} for a bound item, None for one the unit scores itself."""
    if not item.indicator or item.indicator not in INDICATORS:
        return None
    label, read, listing = INDICATORS[item.indicator]
    value = read(figures) if figures is not None else None
    return {"indicator": item.indicator, "label": str(label), "value": value,
            "points_cp": score(item.max_cp, item.scale, value),
            "list_url": list_url(listing, agency_code, year) if has_request_context() else None}


def list_url(listing: str, agency_code: str, year: int) -> str:
    """The list behind a figure: the files, complaints or ratings it counts, for that unit and year."""
    start, end = (day.isoformat() for day in year_span(year))
    if listing == "resolved":
        return url_for("reception.inbox", handled_by=agency_code, resolved_from=start, resolved_to=end)
    if listing in ("received", "online"):
        extra = {"channel": "online"} if listing == "online" else {}
        return url_for("reception.inbox", handled_by=agency_code, received_from=start, received_to=end, **extra)
    if listing == "complaints":
        return url_for("tracking.complaint_list", status="all", **{"from": start, "to": end})
    if listing == "ratings":
        return url_for("tracking.rating_list", agency=agency_code, **{"from": start, "to": end})
    return url_for("tracking.dashboard", agency=agency_code, **{"from": start, "to": end})
