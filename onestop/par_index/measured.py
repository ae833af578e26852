"""Criteria the app measures itself: a sub-criterion bound to an indicator gets its figure for the unit and the
round's year from tracking's one function for a unit's figures (tracking.indicators.figures), scored by the
criterion's scale. The unit may comment on the figure, never change it.

A figure with nothing to measure (no file resolved, no late file to apologise for) is scored as met: the
province's sets say "không phát sinh" counts as reaching the target."""
from datetime import date

from flask import has_request_context, url_for
from flask_babel import lazy_gettext as _l

from ..tracking import indicators as tracking


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
                  lambda f: f["index_766"]["total"]["score"], "dashboard"),
}


def year_span(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def unit_figures(agency_code: str, year: int) -> dict | None:
    """The unit's figures (with every agency below it) for the year: tracking's, read once per sheet."""
    agency, ids = tracking.scope_of(agency_code)
    if agency is None:
        return None
    return tracking.figures(agency, ids, *year_span(year))


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
