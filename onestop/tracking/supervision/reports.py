"""The supervisors' reports as plain data for onestop.pdf: the overdue report and the periodic CCHC report."""
from datetime import date

import sqlalchemy as sa

from ... import settings
from ...labels import label
from ...reception.printing import place_name
from ...numbers import figure
from ...timeutil import now
from . import indicators, watch
from .indicators import day_end, same_period_last_year
from .periods import period_label, period_range


def heading(agency: dict) -> dict:
    """The issuing agency and the one above it, as an official heading writes them (Decree 30/2020)."""
    from ...auth.models import Agency
    from ...extensions import db

    row = db.session.get(Agency, agency["id"])
    governed = row.parent is not None and not row.name.startswith("Ủy ban nhân dân ")
    return {"agency_name": row.name, "parent_agency_name": row.parent.name if governed else None,
            "place": place_name(row)}


def overdue_report(agency: dict, agency_ids, day: date | None = None, field: str | None = None,
                   stream: bool = False) -> dict:
    """The overdue files of an agency (with those below it) now, or at the end of a past day; with the files
    whose current step is late while the file is still within time (now only)."""
    moment = now()
    today = watch.local_today(moment)
    if day is None or day >= today:
        rows = watch.overdue_now(agency_ids, field, moment)
        steps, at = watch.late_steps_now(agency_ids, field, moment), moment
    else:
        at = day_end(day)
        rows, steps = watch.overdue_at(agency_ids, day, field), []
    return {**heading(agency), "at": at, "printed_at": moment, "field": field,
            "rows": rows if stream else list(rows), "steps": steps}


# ---------------------------------------------------------------- the CCHC report

def _pct(value) -> str:
    return figure(value, "rate")


APPLICATION_TABLES = [
    ("received", "Tiếp nhận", "1. Tiếp nhận hồ sơ", [
        ("carried_over", "Kỳ trước chuyển sang", "int"), ("in_person", "Trực tiếp", "int"),
        ("online", "Trực tuyến", "int"), ("online_full", "trong đó toàn trình", "int"),
        ("online_partial", "trong đó một phần", "int"), ("postal", "Bưu chính", "int"),
        ("received", "Tổng tiếp nhận mới", "int")]),
    ("resolved", "Kết quả", "2. Kết quả giải quyết", [
        ("resolved", "Đã giải quyết", "int"), ("early", "Trước hạn", "int"), ("on_time", "Đúng hạn", "int"),
        ("late", "Quá hạn", "int"), ("on_time_rate", "Tỷ lệ đúng hạn", "rate")]),
    ("open", "Đang giải quyết", "3. Hồ sơ đang giải quyết cuối kỳ", [
        ("within_time", "Trong hạn", "int"), ("overdue", "Quá hạn", "int"), ("paused", "Chờ bổ sung", "int"),
        ("open", "Tổng", "int")]),
    ("other", "Trả, dừng, từ chối", "4. Trả kết quả, dừng, từ chối, xin lỗi", [
        ("returned", "Đã trả kết quả", "int"), ("stopped", "Dừng theo đề nghị", "int"),
        ("refused", "Từ chối", "int"), ("apologised", "Phiếu xin lỗi, hẹn lại", "int")]),
    ("ratings", "Hài lòng", "6. Mức độ hài lòng", [
        ("rated", "Lượt đánh giá", "int"), ("very_satisfied", "Rất hài lòng", "int"),
        ("satisfied", "Hài lòng", "int"), ("not_satisfied", "Chưa hài lòng", "int"),
        ("satisfied_share", "Tỷ lệ hài lòng", "rate")]),
]
DIGITISATION_COLUMNS = [
    ("received", "Tiếp nhận mới", "int"), ("digitised", "Số hóa đủ thành phần", "int"),
    ("digitised_share", "Tỷ lệ số hóa hồ sơ", "rate"), ("resolved", "Đã giải quyết", "int"),
    ("results_digitised", "Kết quả được số hóa", "int"), ("results_digitised_share", "Tỷ lệ số hóa kết quả", "rate"),
    ("papers_reused", "Giấy tờ dùng lại", "int")]
COMPLAINT_COLUMNS = [("complaints", "Tiếp nhận", "int"), ("handled", "Đã xử lý", "int"),
                     ("handled_on_time", "Đúng hạn", "int"), ("handled_late", "Quá hạn", "int"),
                     ("open_within_time", "Đang xử lý trong hạn", "int"), ("open_overdue", "Đang xử lý quá hạn", "int"),
                     ("complaint_rate", "Tỷ lệ đúng hạn", "rate")]


def flat(block: dict, complaints: dict | None = None) -> dict:
    """One row of numbers from a figures block (the keys the report's columns name)."""
    row = {"carried_over": block["carried_over"], "received": block["received"]["total"],
           **{key: block["received"][key] for key in ("in_person", "online", "online_full", "online_partial",
                                                       "postal")},
           "resolved": block["resolved"]["total"],
           **{key: block["resolved"][key] for key in ("early", "on_time", "late")},
           "on_time_rate": block["on_time_rate"], "open": block["open"]["total"],
           **{key: block["open"][key] for key in ("within_time", "overdue", "paused")},
           **{key: block[key] for key in ("returned", "stopped", "refused", "apologised")},
           "rated": block["ratings"]["total"],
           **{key: block["ratings"][key] for key in ("very_satisfied", "satisfied", "not_satisfied")},
           "satisfied_share": block["ratings"]["satisfied_share"],
           **{key: block[key] for key in ("digitised", "digitised_share", "results_digitised",
                                          "results_digitised_share", "papers_reused")}}
    if complaints is not None:
        row.update(complaints=complaints["received"], complaint_rate=complaints["on_time_rate"],
                   **{key: complaints[key] for key in ("handled", "handled_on_time", "handled_late",
                                                        "open_within_time", "open_overdue")})
    return row


def _table(key, sheet, title, columns, rows, total, previous, chart, label="Đơn vị", note=None) -> dict:
    return {"key": key, "sheet": sheet, "title": title, "columns": [("label", label, "label")] + columns,
            "rows": rows, "total": {**total, "label": "Tổng cộng"},
            "previous": {**previous, "label": "Cùng kỳ năm trước"},
            "chart": chart, "note": note}


def _compare_chart(title, columns, current, previous, labels) -> dict:
    keys = [key for key, _, kind in columns if kind == "int"]
    return {"kind": "grouped", "title": title, "categories": [dict(labels)[key] for key in keys],
            "series": [("Kỳ này", [current.get(key) for key in keys], "blue"),
                       ("Cùng kỳ năm trước", [previous.get(key) for key in keys], "grey")]}


def cchc_report(agency: dict, agency_ids, start: date, end: date, moment=None) -> dict:
    """Everything the periodic report prints, as plain data: tables per agency and per field, the same period of
    the year before beside each (as reports compare), the charts' data, a summary written from the figures and the
    reconciliation."""
    moment = moment or now()
    current = indicators.figures(agency, agency_ids, start, end, by="agency", moment=moment, with_index=True)
    earlier = same_period_last_year(start, end)
    previous = indicators.figures(agency, agency_ids, *earlier, moment=moment)
    totals, before = flat(current["applications"], current["complaints"]), flat(previous["applications"],
                                                                                previous["complaints"])
    groups = [{"label": row["name"], **flat(row["applications"], row["complaints"])} for row in current["groups"]]
    tables = []
    for key, sheet, title, columns in APPLICATION_TABLES:
        labels = [(name, header) for name, header, _ in columns]
        if key == "resolved":
            chart = {"kind": "rates", "title": "Tỷ lệ giải quyết đúng hạn theo đơn vị (%)", "target": None,
                     "rows": [(row["label"], row["on_time_rate"]) for row in groups]}
        else:
            chart = _compare_chart(title[3:], columns, totals, before, labels)
        tables.append(_table(key, sheet, title, columns, groups, totals, before, chart))
    tables.insert(4, _table("complaints", "PAKN", "5. Phản ánh, kiến nghị", COMPLAINT_COLUMNS, groups, totals, before,
                            _compare_chart("Phản ánh, kiến nghị", COMPLAINT_COLUMNS, totals, before,
                                           [(k, h) for k, h, _ in COMPLAINT_COLUMNS])))
    by_field = indicators.figures(agency, agency_ids, start, end, by="field", moment=moment)["groups"]
    field_rows = [{"label": row["field"], **flat(row["applications"])} for row in by_field]
    field_columns = [("received", "Tiếp nhận", "int"), ("resolved", "Đã giải quyết", "int"),
                     ("early", "Trước hạn", "int"), ("on_time", "Đúng hạn", "int"), ("late", "Quá hạn", "int"),
                     ("on_time_rate", "Tỷ lệ đúng hạn", "rate"), ("overdue", "Đang quá hạn", "int")]
    tables.append(_table("fields", "Lĩnh vực", "7. Theo lĩnh vực", field_columns, field_rows, totals, before,
                         {"kind": "rates", "title": "Tỷ lệ giải quyết đúng hạn theo lĩnh vực (%)", "target": None,
                          "rows": [(row["label"], row["on_time_rate"]) for row in field_rows]}, label="Lĩnh vực"))
    tables.append(_table("digitisation", "Số hóa", "8. Số hóa hồ sơ, kết quả và tái sử dụng giấy tờ",
                         DIGITISATION_COLUMNS, groups, totals, before,
                         _compare_chart("Số hóa hồ sơ, kết quả và tái sử dụng giấy tờ", DIGITISATION_COLUMNS, totals,
                                        before, [(k, h) for k, h, _ in DIGITISATION_COLUMNS])))
    tables += index_tables(agency, agency_ids, start, end, earlier, current["index_766"], moment)
    by_procedure = indicators.figures(agency, agency_ids, start, end, by="procedure", moment=moment)["groups"]
    worst = sorted((row for row in by_procedure if row["applications"]["resolved"]["late"]),
                   key=lambda row: (-row["applications"]["resolved"]["late"], row["procedure"]))[:5]
    block = current["applications"]
    identity = {"carried_over": block["carried_over"], "received": block["received"]["total"],
                "resolved": block["resolved"]["total"], "refused": block["refused"], "stopped": block["stopped"],
                "open": block["open"]["total"]}
    return {**heading(agency), "number": settings.get("report_number"), "date": moment,
            "period_label": period_label(start, end), "period_range": period_range(start, end),
            "previous_label": period_label(*earlier), "previous_range": period_range(*earlier),
            "from": start, "to": end, "previous_from": earlier[0], "previous_to": earlier[1], "tables": tables,
            "figures": current, "previous": previous,
            "summary": summary(current, previous, groups, worst, start, end), "identity_figures": identity,
            "identity": identity_sentence(identity), "balances": current["balances"],
            "late_records": late_record_sentences(agency_ids, start, end),
            "signer_title": "Chủ tịch" if agency["name"].startswith("Ủy ban nhân dân") else "Giám đốc"}


def identity_sentence(identity: dict) -> str:
    left = identity["carried_over"] + identity["received"]
    right = identity["resolved"] + identity["refused"] + identity["stopped"] + identity["open"]
    verdict = "khớp" if left == right else f"LỆCH {left - right}"
    return (f"Kỳ trước chuyển sang ({identity['carried_over']}) + tiếp nhận mới ({identity['received']}) = "
            f"{left}; đã giải quyết ({identity['resolved']}) + từ chối ({identity['refused']}) + dừng "
            f"({identity['stopped']}) + đang giải quyết cuối kỳ ({identity['open']}) = {right}: {verdict}.")


def summary(current: dict, previous: dict, groups: list[dict], worst: list[dict], start: date, end: date) -> list:
    """A few sentences written from the figures, as a report's opening paragraph."""
    block, before = current["applications"], previous["applications"]
    sentences = [
        f"Trong kỳ tiếp nhận {block['received']['total']} hồ sơ mới (trực tuyến {_pct(block['online_share'])}: "
        f"toàn trình {block['received']['online_full']}, một phần {block['received']['online_partial']}), "
        f"kỳ trước chuyển sang {block['carried_over']}; đã giải quyết {block['resolved']['total']} hồ sơ, trong đó "
        f"trước hạn {block['resolved']['early']}, đúng hạn {block['resolved']['on_time']}, quá hạn "
        f"{block['resolved']['late']}; cuối kỳ còn {block['open']['total']} hồ sơ đang giải quyết "
        f"({block['open']['overdue']} quá hạn, {block['open']['paused']} chờ bổ sung)."]
    rate, old = block["on_time_rate"], before["on_time_rate"]
    if rate is not None and old is not None:
        change = "tăng" if rate > old else "giảm" if rate < old else "giữ nguyên"
        sentences.append(f"So với cùng kỳ năm trước, tỷ lệ giải quyết đúng hạn {change} từ {_pct(old)} lên "
                         f"{_pct(rate)}." if rate > old else
                         f"So với cùng kỳ năm trước, tỷ lệ giải quyết đúng hạn {change} từ {_pct(old)} xuống "
                         f"{_pct(rate)}." if rate < old else
                         f"Tỷ lệ giải quyết đúng hạn giữ nguyên ở mức {_pct(rate)} như cùng kỳ năm trước.")
    elif rate is not None:
        sentences.append(f"Tỷ lệ giải quyết đúng hạn đạt {_pct(rate)} (cùng kỳ năm trước chưa có hồ sơ được giải "
                         f"quyết).")
    lagging = max(groups, key=lambda row: (row["late"] + row["overdue"], row["label"]), default=None)
    if lagging and lagging["late"] + lagging["overdue"]:
        sentences.append(f"Đơn vị có nhiều hồ sơ trễ hạn nhất: {lagging['label']} ({lagging['late']} hồ sơ giải "
                         f"quyết quá hạn, {lagging['overdue']} hồ sơ đang quá hạn).")
    if worst:
        names = "; ".join(f"{row['name']} ({row['applications']['resolved']['late']})" for row in worst)
        sentences.append(f"Thủ tục thường trễ hạn nhất: {names}.")
    complaints, ratings = current["complaints"], block["ratings"]
    sentences.append(f"Tiếp nhận {complaints['received']} phản ánh, kiến nghị; đã xử lý {complaints['handled']} "
                     f"({complaints['handled_on_time']} đúng hạn, {complaints['handled_late']} quá hạn). "
                     f"{ratings['total']} lượt đánh giá, tỷ lệ hài lòng {_pct(ratings['satisfied_share'])}.")
    fees = current.get("fees")
    if fees and (fees["applications_with_fees"] or fees["paid_count"]):
        paid = fees["paid"]
        sentences.append(
            f"Phí, lệ phí: {fees['applications_with_fees']} hồ sơ có phí; đã thu {_money(fees['paid_amount'])} "
            f"(tiền mặt {_money(paid['cash']['amount'])}, chuyển khoản {_money(paid['transfer']['amount'])}, "
            f"trực tuyến {_money(paid['online']['amount'])}: {fees['paid_online_applications']} hồ sơ nộp trực "
            f"tuyến); miễn, giảm {fees['exempted']} hồ sơ; hoàn trả {_money(fees['refunded']['amount'])}.")
    return sentences


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def late_record_sentences(agency_ids, start: date, end: date, limit: int = 20) -> list[str]:
    """The events of the period typed in after it ended: why its figures may differ from an earlier report."""
    from ...extensions import db
    from ...reception.models import Application
    from .rollups import LateRecord

    query = (sa.select(Application.code, LateRecord.type, LateRecord.day, LateRecord.recorded_day)
             .join(Application, Application.id == LateRecord.application_id)
             .where(LateRecord.day.between(start, end), LateRecord.recorded_day > end))
    if agency_ids is not None:
        query = query.where(LateRecord.agency_id.in_(sorted(agency_ids)))
    count = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    if not count:
        return ["Không có sự kiện nào của kỳ được ghi sau khi kỳ kết thúc: số liệu của kỳ không đổi khi báo cáo lại."]
    rows = db.session.execute(query.order_by(LateRecord.recorded_day, Application.code).limit(limit)).all()
    listed = "; ".join(f"{code} – {label(kind, 'event')} ngày {day:%d/%m/%Y}, ghi ngày {recorded:%d/%m/%Y}"
                       for code, kind, day, recorded in rows)
    return [f"{count} sự kiện của kỳ được ghi sau khi kỳ kết thúc (nhập từ hồ sơ giấy), nên số liệu có thể khác "
            f"báo cáo đã gửi trước đó: {listed}{' …' if count > limit else ''}."]


INDEX_COLUMNS = [("numerator", "Tử số", "int"), ("denominator", "Mẫu số", "int"), ("ratio", "Tỷ lệ", "rate"),
                 ("points", "Điểm", "decimal"), ("max", "Tối đa", "decimal")]
RANK_COLUMNS = [("rank", "Hạng", "int"), ("total", "Điểm", "decimal"), ("max", "Tối đa", "decimal"),
                ("share", "Tỷ lệ điểm", "rate"), ("band", "Xếp loại", "label"), ("change", "So với kỳ trước", "decimal")]


def index_tables(agency: dict, agency_ids, start: date, end: date, earlier, index: dict, moment) -> list[dict]:
    """Decision 766: the agency's sub-indicators (beside the same period last year) and its units ranked."""
    from ...labels import LABELS
    from .index766 import index_for

    before = index_for(agency, agency_ids, *earlier, moment=moment)
    rows = []
    for group in index["groups"]:
        rows.append({"label": str(LABELS["index766_group"][group["code"]]).upper(), "points": group["points"],
                     "max": group["max"]})
        for item in group["indicators"]:
            rows.append({"label": "– " + str(LABELS["index766_indicator"].get(item["code"], item["code"])) + ("" if item["measured"] else
                                                                                " (chưa đo được)"),
                         **{key: item[key] for key in ("numerator", "denominator", "points")},
                         "ratio": None if item["ratio"] is None else 100 * item["ratio"],
                         "max": item["max"] if item["measured"] else None})
    short = {"transparency": "Công khai", "progress": "Tiến độ", "online_service": "Trực tuyến",
             "online_payment": "Thanh toán", "satisfaction": "Hài lòng", "digitisation": "Số hóa"}
    groups = [short.get(group["code"], group["code"]) for group in index["groups"]]
    detail = _table("index766", "Chỉ số 766", "9. Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)",
                    INDEX_COLUMNS, rows, {"points": index["total"], "max": index["max"]},
                    {"points": before["total"], "max": before["max"]},
                    {"kind": "grouped", "title": "Điểm từng nhóm chỉ số so với cùng kỳ năm trước", "categories": groups,
                     "series": [("Kỳ này", [g["points"] for g in index["groups"]], "blue"),
                                ("Cùng kỳ năm trước", [g["points"] for g in before["groups"]], "grey")]},
                    label="Chỉ số", note=f"Xếp loại: {index['band'] or '–'}. Bộ quy tắc áp dụng từ "
                                         f"{index['rules_version']}; chỉ số chưa đo được hoặc không áp dụng (mẫu số "
                                         "bằng 0) không tính vào điểm và điểm tối đa.")
    units = index_for(agency, agency_ids, start, end, units=True, moment=moment).get("units", [])
    ranked = [{"label": unit["name"], "rank": unit["rank"], "total": unit["total"], "max": unit["max"],
               "share": round(100 * unit["total"] / unit["max"], 1) if unit["max"] else None, "band": unit["band"],
               "change": unit["previous"]["change"]} for unit in units]
    ranking = _table("index766_units", "Xếp hạng 766", "10. Xếp hạng các đơn vị theo Chỉ số 766", RANK_COLUMNS,
                     ranked, {"total": index["total"], "max": index["max"], "band": index["band"],
                              "share": round(100 * index["total"] / index["max"], 1) if index["max"] else None},
                     {}, {"kind": "rates", "title": "Tỷ lệ điểm Chỉ số 766 theo đơn vị (%)", "target": None,
                          "rows": [(row["label"], row["share"]) for row in ranked]},
                     note="Sở, ban, ngành và xã, phường được xếp hạng riêng; «So với kỳ trước» là chênh lệch điểm "
                          "với kỳ liền trước.")
    ranking["previous"] = None  # the change from the previous period is a column
    return [detail, ranking] if ranked else [detail]
