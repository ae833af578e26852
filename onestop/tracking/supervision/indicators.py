"""The indicators (DOMAIN.md "Indicators"): the one source of the figures that the dashboard, the API, the CCHC
report and the public scoreboard show.

Applications are counted from the rollups (`rollups.py`) by their lead agency, rolled up through the agency tree;
complaints by the agency handling them; ratings by the rated file's lead agency. A period is any range of days: whole
months are read from the month rows and the days at its edges from the day rows, so a year costs a few thousand
rows at most. Stocks (open, paused, overdue) at the end of a day are the sums of their changes up to that day; for
a period that has not ended, the open files are counted as they stand now.

The reconciliation identity, per agency and period:
    carried over + received = resolved + refused + stopped + still open at the end
where resolved = early + on time + late, and still open = within time + overdue + paused.
"""
from collections import Counter
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import g, has_app_context

from ...extensions import db
from ...fees.counting import fee_figures
from ...procedures.models import Procedure, ProcedureDocument, ProcedureVersion
from ...procedures.publishing import in_force_on
from ...reception.models import Application
from ...timeutil import VN, local, now
from ..models import Complaint
from .periods import (Tree, day_end, day_start, month_end, month_start, next_month, official_period,  # noqa: F401
                      previous_period, same_period_last_year, tree)
from .rollups import ALL_VERSIONS, COUNTS, STOCKS, Rollup, RollupDuration

RATING_LEVELS = ("very_satisfied", "satisfied", "not_satisfied")
COMPLAINT_OPEN = ("received", "in_handling")
GROUPS = ("agency", "procedure", "field", "month")


def _ranges(column_grain, column_period, start: date, end: date):
    """Rows of [start, end]: whole months from the month grain, the edges from the day grain."""
    first_month = start if start.day == 1 else next_month(start)
    last_month = month_start(end) if end == month_end(end) else month_start(month_start(end) - timedelta(days=1))
    if first_month > last_month:
        return sa.and_(column_grain == "d", column_period.between(start, end))
    parts = [sa.and_(column_grain == "m", column_period.between(first_month, last_month))]
    if start < first_month:
        parts.append(sa.and_(column_grain == "d", column_period.between(start, first_month - timedelta(days=1))))
    if end >= next_month(last_month):
        parts.append(sa.and_(column_grain == "d", column_period.between(next_month(last_month), end)))
    return sa.or_(*parts)


def _until(column_grain, column_period, day: date):
    """Rows of every day up to and including `day` (for stocks): whole months, then the days of the last one."""
    if day == month_end(day):
        return sa.and_(column_grain == "m", column_period <= month_start(day))
    return sa.or_(sa.and_(column_grain == "m", column_period < month_start(day)),
                  sa.and_(column_grain == "d", column_period.between(month_start(day), day)))


def _key_columns(table, by: str | None):
    if by == "agency":
        return [table.agency_id]
    if by in ("procedure", "field"):
        return [table.procedure_version_id]
    if by == "month":
        return [table.grain, table.period]
    return []


def _scoped(query, table, agency_ids, by=None):
    """The agencies' rows: per version when grouping by procedure or field, else the all-versions rows."""
    versions = (table.procedure_version_id != ALL_VERSIONS if by in ("procedure", "field")
                else table.procedure_version_id == ALL_VERSIONS)
    query = query.where(versions)
    return query if agency_ids is None else query.where(table.agency_id.in_(sorted(agency_ids)))


def sums(agency_ids, where, columns=COUNTS, by=None) -> dict:
    """{key: Counter} of the rollup columns over the rows `where` selects, for the agencies given (None: all)."""
    keys = _key_columns(Rollup, by)
    query = sa.select(*keys, *[sa.func.coalesce(sa.func.sum(getattr(Rollup, name)), 0) for name in columns])
    query = _scoped(query.where(where), Rollup, agency_ids, by)
    if keys:
        query = query.group_by(*keys)
    found = {}
    for row in db.session.execute(query):
        found[tuple(row[:len(keys)])] = Counter(dict(zip(columns, (int(value) for value in row[len(keys):]))))
    return found


def durations(agency_ids, start: date, end: date, by=None) -> dict:
    """{key: Counter {days: files}} for the median."""
    keys = _key_columns(RollupDuration, by)
    query = sa.select(*keys, RollupDuration.days, sa.func.sum(RollupDuration.files)).where(
        _ranges(RollupDuration.grain, RollupDuration.period, start, end)).group_by(*keys, RollupDuration.days)
    found: dict = {}
    for row in db.session.execute(_scoped(query, RollupDuration, agency_ids, by)):
        found.setdefault(tuple(row[:len(keys)]), Counter())[row[-2]] += int(row[-1])
    return found


def median(histogram: Counter) -> float | None:
    total = sum(histogram.values())
    if not total:
        return None
    ordered, seen, values = sorted(histogram.items()), 0, []
    for days, files in ordered:
        for position in ((total - 1) // 2, total // 2):
            if seen <= position < seen + files and len(values) < 2:
                values.append(days)
        seen += files
    return (values[0] + values[-1]) / 2


# ---------------------------------------------------------------- grouping


def _fold(found: dict, key_of) -> dict:
    """Re-key {raw key: Counter} by key_of(raw key) (None drops), adding Counters that meet."""
    folded: dict = {}
    for raw, counts in found.items():
        key = key_of(raw)
        if key is None:
            continue
        folded.setdefault(key, Counter()).update(counts)
    return folded


def version_info() -> dict[int, dict]:
    """procedure_version_id -> {procedure code, name, field}, once per request (the catalogue is small)."""
    if has_app_context() and "version_info" in g:
        return g.version_info
    rows = db.session.execute(sa.select(ProcedureVersion.id, Procedure.code, ProcedureVersion.name,
                                        ProcedureVersion.field).join(Procedure, Procedure.id == ProcedureVersion.procedure_id))
    info = {row.id: {"code": row.code, "name": row.name, "field": row.field} for row in rows}
    if has_app_context():
        g.version_info = info
    return info


def group_key(by: str | None, scope, agencies: Tree):
    """How a raw rollup key maps to a row of the answer: the child subtree of the scope agency an agency is in
    (or, when `scope` is a dict {agency id: unit id}, the unit it is in; agencies in no unit are dropped), the
    procedure code, the field, or the month."""
    if by is None:
        return lambda raw: ()
    if by == "agency" and isinstance(scope, dict):
        return lambda raw: (scope[raw[0]],) if raw[0] in scope else None
    if by == "agency":
        owner = {}
        for child in agencies.children.get(scope, []):
            for agency_id in agencies.below(child):
                owner[agency_id] = child
        return lambda raw: (owner.get(raw[0], scope),)
    if by in ("procedure", "field"):
        info = version_info()
        name = "code" if by == "procedure" else "field"
        return lambda raw: (info.get(raw[0], {}).get(name, "?"),)
    return lambda raw: (month_start(_as_date(raw[1])),)


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


# ---------------------------------------------------------------- the figures


def _due_later_today(agency_ids, moment: datetime, by, key_of) -> dict:
    """Open files, not paused, due later today: in the stock of the day's end, not yet overdue now."""
    lead = sa.func.coalesce(ProcedureVersion.agency_id, Application.agency_id)
    keys = {"agency": [lead], "procedure": [Application.procedure_version_id],
            "field": [Application.procedure_version_id]}.get(by, [])
    query = (sa.select(*keys, sa.func.count()).select_from(Application).join(ProcedureVersion, ProcedureVersion.id == Application.procedure_version_id)
             .where(Application.due_at >= moment, Application.due_at < day_end(moment.astimezone(VN).date()),
                    Application.status.in_(("received", "transferred", "processing"))))
    if agency_ids is not None:
        query = query.where(lead.in_(sorted(agency_ids)))
    if keys:
        query = query.group_by(*keys)
    return _fold({tuple(row[:-1]): Counter(d_overdue=row[-1]) for row in db.session.execute(query)}, key_of)


def _combined(agency_ids, start: date, last: date, by) -> dict:
    """{raw key: Counter} of one pass over the rollups: the flows of [start, last], the files open at the end of the
    day before `start` (`carried`) and the stocks at the end of `last` (`end_*`)."""
    keys = _key_columns(Rollup, by)
    in_range = _ranges(Rollup.grain, Rollup.period, start, last)
    before, until = _until(Rollup.grain, Rollup.period, start - timedelta(days=1)), _until(Rollup.grain,
                                                                                          Rollup.period, last)
    names = list(COUNTS) + ["carried"] + [f"end_{name[2:]}" for name in STOCKS]
    columns = [sa.func.sum(sa.case((in_range, getattr(Rollup, name)), else_=0)) for name in COUNTS]
    columns += [sa.func.sum(sa.case((before, Rollup.d_open), else_=0))]
    columns += [sa.func.sum(sa.case((until, getattr(Rollup, name)), else_=0)) for name in STOCKS]
    query = _scoped(sa.select(*keys, *columns).where(sa.or_(in_range, until, before)), Rollup, agency_ids, by)
    if keys:
        query = query.group_by(*keys)
    found = {}
    for row in db.session.execute(query):
        found[tuple(row[:len(keys)])] = Counter(dict(zip(names, (int(value or 0) for value in row[len(keys):]))))
    return found


ONLINE_LEVELS = ("full", "partial")  # toàn trình, một phần


def _online_levels(agency_ids, start: date, last: date, by) -> dict:
    """{raw key: Counter} of the files received online by how their procedure version is offered online
    (received_online_full, received_online_partial): counted from the per-version rows, whose version says it."""
    keys = _key_columns(Rollup, by)
    columns = [sa.func.sum(sa.case((ProcedureVersion.online == level, Rollup.received_online), else_=0))
               for level in ONLINE_LEVELS]
    query = (sa.select(*keys, *columns).join(ProcedureVersion, ProcedureVersion.id == Rollup.procedure_version_id)
             .where(_ranges(Rollup.grain, Rollup.period, start, last), Rollup.procedure_version_id != ALL_VERSIONS,
                    Rollup.received_online != 0))
    if agency_ids is not None:
        query = query.where(Rollup.agency_id.in_(sorted(agency_ids)))
    if keys:
        query = query.group_by(*keys)
    names = [f"received_online_{level}" for level in ONLINE_LEVELS]
    return {tuple(row[:len(keys)]): Counter(dict(zip(names, (int(value or 0) for value in row[len(keys):]))))
            for row in db.session.execute(query)}


def application_figures(agency_ids, start: date, end: date, *, by=None, scope=None, moment=None) -> dict:
    """{group key: figures} of the applications over [start, end] for the agencies given (None: all)."""
    moment = moment or now()
    today = moment.astimezone(VN).date()
    last = min(end, today)
    key_of = group_key(by, scope, tree())
    found = _fold(_combined(agency_ids, start, last, by), key_of)
    for key, counts in _fold(_online_levels(agency_ids, start, last, by), key_of).items():
        found.setdefault(key, Counter()).update(counts)
    later = _due_later_today(agency_ids, moment, by, key_of) if end >= today and by != "month" else {}
    spans = _fold(durations(agency_ids, start, last, by=by), key_of)
    result = {}
    for key, counts in found.items():
        if by == "month":
            if not any(counts[name] for name in COUNTS if name not in STOCKS):
                continue
            stock, carried_over = Counter(), None
        else:
            stock = Counter(d_open=counts["end_open"], d_paused=counts["end_paused"], d_overdue=counts["end_overdue"])
            carried_over = counts["carried"]
        result[key] = _application_block(counts, carried_over, stock, later.get(key, Counter()),
                                          spans.get(key, Counter()))
    return result


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _application_block(counts: Counter, carried_over, stock: Counter, not_yet: Counter, spans: Counter) -> dict:
    received = {channel: counts[f"received_{channel}"] for channel in ("in_person", "online", "postal")}
    received["total"] = sum(received.values())
    # received online, by how the procedure is offered online (toàn trình / một phần): parts of `online`
    received.update(online_full=counts["received_online_full"], online_partial=counts["received_online_partial"])
    resolved = {kind: counts[f"resolved_{kind}"] for kind in ("early", "on_time", "late")}
    resolved["total"] = sum(resolved.values())
    overdue = stock["d_overdue"] - not_yet["d_overdue"]
    still_open = {"total": stock["d_open"], "paused": stock["d_paused"], "overdue": overdue,
                  "within_time": stock["d_open"] - stock["d_paused"] - overdue}
    ratings = {level: counts[f"rated_{level}"] for level in RATING_LEVELS}
    rated = sum(ratings.values())
    return {
        "carried_over": carried_over,
        "received": received,
        "resolved": resolved,
        "on_time_rate": _rate(resolved["early"] + resolved["on_time"], resolved["total"]),
        "open": still_open,
        "returned": counts["returned"], "refused": counts["refused"], "stopped": counts["stopped"],
        "apologised": counts["apologised"], "supplement_requested": counts["supplement_requested"],
        "online_share": _rate(received["online"], received["total"]),
        "online_full_share": _rate(received["online_full"], received["total"]),
        "online_partial_share": _rate(received["online_partial"], received["total"]),
        # the electronic file (số hóa): files received with every component digitised, results digitised,
        # components reused from the applicants' stores
        "digitised": counts["digitised"], "digitised_share": _rate(counts["digitised"], received["total"]),
        "results_digitised": counts["results_digitised"],
        "results_digitised_share": _rate(counts["results_digitised"], resolved["total"]),
        "papers_reused": counts["papers_reused"],
        # the national portal: files received in the period whose reception it accepted
        "synced": counts["synced"], "synced_share": _rate(counts["synced"], received["total"]),
        "average_days": round(counts["days_sum"] / resolved["total"], 2) if resolved["total"] else None,
        "median_days": median(spans),
        "ratings": {"total": rated, **ratings,
                    "shares": {level: _rate(ratings[level], rated) for level in RATING_LEVELS},
                    "satisfied_share": _rate(ratings["very_satisfied"] + ratings["satisfied"], rated)},
    }


def balances(block: dict) -> bool:
    """The reconciliation identity holds for one block of figures."""
    if block["carried_over"] is None:
        return True
    return (block["carried_over"] + block["received"]["total"] == block["resolved"]["total"] + block["refused"]
            + block["stopped"] + block["open"]["total"])


def complaint_figures(agency_ids, start: date, end: date, *, by=None, scope=None, moment=None) -> dict:
    """{group key: complaints received, handled on time / late, still open within time / overdue}."""
    moment = moment or now()
    first, last = day_start(start), min(day_end(end), moment)
    handled = sa.func.coalesce(Complaint.answered_at, Complaint.closed_at)
    in_period = sa.and_(handled >= first, handled < last)
    still_open = sa.and_(Complaint.received_at < last, sa.or_(handled.is_(None), handled >= last))
    count = lambda condition: sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)  # noqa: E731
    keys = [Complaint.agency_id] if by == "agency" else []
    query = sa.select(*keys,
                      count(sa.and_(Complaint.received_at >= first, Complaint.received_at < last)),
                      count(sa.and_(in_period, handled <= Complaint.due_at)),
                      count(sa.and_(in_period, handled > Complaint.due_at)),
                      count(sa.and_(still_open, Complaint.due_at >= last)),
                      count(sa.and_(still_open, Complaint.due_at < last)))
    query = query.where(sa.or_(Complaint.received_at < last))
    if agency_ids is not None:
        query = query.where(Complaint.agency_id.in_(sorted(agency_ids)))
    if keys:
        query = query.group_by(*keys)
    key_of = group_key("agency", scope, tree()) if by == "agency" else (lambda raw: ())
    names = ("received", "on_time", "late", "open_within_time", "open_overdue")
    found = _fold({tuple(row[:len(keys)]): Counter(dict(zip(names, (int(value) for value in row[len(keys):]))))
                   for row in db.session.execute(query)}, key_of)
    result = {}
    for key, counts in found.items():
        handled_total = counts["on_time"] + counts["late"]
        result[key] = {"received": counts["received"], "handled_on_time": counts["on_time"],
                       "handled_late": counts["late"], "handled": handled_total,
                       "open_within_time": counts["open_within_time"], "open_overdue": counts["open_overdue"],
                       "on_time_rate": _rate(counts["on_time"], handled_total)}
    return result


EMPTY_COMPLAINTS = {"received": 0, "handled_on_time": 0, "handled_late": 0, "handled": 0, "open_within_time": 0,
                    "open_overdue": 0, "on_time_rate": None}


def _catalogue_query(start: date, end: date, *keys):
    """Procedures in force at the period's end (or today), by online availability, with online payment, complete."""
    has_documents = sa.exists().where(ProcedureDocument.version_id == ProcedureVersion.id)
    complete = sa.and_(has_documents, *[getattr(ProcedureVersion, name).isnot(None) for name in (
        "fee_text", "applicants", "steps", "result", "legal_basis", "where_to_apply", "decision_number",
        "decision_date")])
    in_force = in_force_on(min(end, local(now()).date()))  # the catalogue as it stood at the period's end, or today
    count = lambda condition: sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)  # noqa: E731
    return (sa.select(*keys, sa.func.count(), count(ProcedureVersion.online == "full"),
                      count(ProcedureVersion.online == "partial"), count(ProcedureVersion.online_payment.is_(True)),
                      count(complete))
            .select_from(Procedure).join(ProcedureVersion, ProcedureVersion.procedure_id == Procedure.id)
            .where(Procedure.admin_status == "in_force", in_force))


def _used_query(start: date, end: date, *columns):
    """`columns` of the per-version rollup rows of the period with a file received (the procedures used)."""
    return (sa.select(*columns).select_from(Rollup)
            .join(ProcedureVersion, ProcedureVersion.id == Rollup.procedure_version_id)
            .where(_ranges(Rollup.grain, Rollup.period, start, end),
                   (Rollup.received_in_person + Rollup.received_online + Rollup.received_postal) > 0))


def _catalogue_block(counts, used) -> dict:
    total, full, partial, payment, complete_count = (int(value) for value in counts)
    return {"published": total, "online_full": full, "online_partial": partial, "online_none": total - full - partial,
            "online_payment": payment, "complete": complete_count, "complete_share": _rate(complete_count, total),
            "used": int(used or 0)}


def _has_commune(agencies: Tree, agency_ids) -> bool:
    return any(agencies.agencies[a]["level"] == "commune" for a in agency_ids if a in agencies.agencies)


def catalogue_figures(agency_ids, start: date, end: date) -> dict:
    """Procedures in force for these agencies, by online availability; how many were used in the period; how many
    are published with every part a citizen needs (for the transparency score)."""
    agencies = tree()
    scope = sa.true()
    if agency_ids is not None and not agencies.is_everything(set(agency_ids)):
        scope = sa.or_(ProcedureVersion.agency_id.in_(sorted(agency_ids)),
                       sa.and_(ProcedureVersion.agency_id.is_(None), ProcedureVersion.level == "commune",
                               _has_commune(agencies, agency_ids)))
    row = db.session.execute(_catalogue_query(start, end).where(scope)).one()
    used = db.session.scalar(_scoped(_used_query(start, end, sa.func.count(sa.distinct(ProcedureVersion.procedure_id))),
                                     Rollup, agency_ids, "procedure"))
    return _catalogue_block(row, used)


# ---------------------------------------------------------------- what the pages and the API ask for


def scope_of(agency_code: str | None, user=None):
    """(agency row, its ids or None for the whole province) for a code, checked against what the user may see."""
    agencies = tree()
    agency = agencies.by_code(agency_code) if agency_code else (
        agencies.agencies.get(user.agency_id) if user is not None else None)
    if agency is None:
        return None, None
    ids = agencies.below(agency["id"])
    if user is not None and not ids <= user.visible_agency_ids():
        return None, None
    return agency, (None if agencies.is_everything(ids) else ids)


def _answer(agency: dict, start: date, end: date, moment: datetime, total: dict | None, complaints: dict | None,
            catalogue: dict, fees: dict) -> dict:
    total = total or _application_block(Counter(), 0, Counter(), Counter(), Counter())
    complaints = complaints or EMPTY_COMPLAINTS
    return {"agency": {"code": agency["code"], "name": agency["name"]}, "from": start.isoformat(),
            "to": end.isoformat(), "as_of": min(day_end(end), moment).isoformat(), "applications": total,
            "balances": balances(total), "complaints": complaints, "procedures": catalogue, "fees": fees}


def figures(agency: dict, agency_ids, start: date, end: date, *, by=None, moment=None, with_index=False) -> dict:
    """Everything for one agency and period: totals, rows per group when asked, and Decision 766's index when
    asked (`with_index`: the pages that show it; the series and the comparisons do not pay for it)."""
    from .index766 import index_for  # it reads the rollups through this module

    moment = moment or now()
    answer = _answer(agency, start, end, moment,
                     application_figures(agency_ids, start, end, scope=agency["id"], moment=moment).get(()),
                     complaint_figures(agency_ids, start, end, moment=moment).get(()),
                     catalogue_figures(agency_ids, start, end), fee_figures(agency_ids, start, end))
    if with_index:
        answer["index_766"] = index_for(agency, agency_ids, start, end, moment=moment)
    if by:
        rows = application_figures(agency_ids, start, end, by=by, scope=agency["id"], moment=moment)
        complaint_rows = complaint_figures(agency_ids, start, end, by="agency", scope=agency["id"],
                                           moment=moment) if by == "agency" else {}
        answer["groups"] = [_group_row(by, key, block, complaint_rows.get(key)) for key, block in
                            sorted(rows.items(), key=lambda item: str(item[0]))]
        for key, complaints_row in complaint_rows.items():
            if key not in rows:
                answer["groups"].append(_group_row(by, key, _application_block(Counter(), 0, Counter(), Counter(),
                                                                               Counter()), complaints_row))
    return answer


def _group_row(by: str, key: tuple, block: dict, complaints: dict | None) -> dict:
    if by == "agency":
        agency = tree().agencies[key[0]]
        label = {"code": agency["code"], "name": agency["name"]}
    elif by == "month":
        label = {"month": key[0].strftime("%Y-%m")}
    else:
        label = {by: key[0]}
        if by == "procedure":
            label["name"] = next((info["name"] for info in version_info().values() if info["code"] == key[0]), "")
    row = {**label, "applications": block}
    if by == "agency":
        row["complaints"] = complaints or EMPTY_COMPLAINTS
    return row


def compared(agency: dict, agency_ids, start: date, end: date, *, by=None, moment=None) -> dict:
    """The figures with the previous period and the same period last year beside them."""
    current = figures(agency, agency_ids, start, end, by=by, moment=moment, with_index=True)
    current["previous"] = figures(agency, agency_ids, *previous_period(start, end), moment=moment)
    current["last_year"] = figures(agency, agency_ids, *same_period_last_year(start, end), moment=moment)
    return current


def stock_series(agency_ids, days: list[date], column: str = "d_overdue") -> list[int]:
    """A stock (open, paused, overdue) at the end of each day given, from one query over its changes."""
    if not days:
        return []
    last = max(days)
    query = sa.select(Rollup.grain, Rollup.period, sa.func.sum(getattr(Rollup, column))).where(
        _until(Rollup.grain, Rollup.period, last)).group_by(Rollup.grain, Rollup.period)
    changes = [(_as_date(period) if grain == "d" else month_end(_as_date(period)), int(total or 0))
               for grain, period, total in db.session.execute(_scoped(query, Rollup, agency_ids))]
    return [sum(total for day, total in changes if day <= wanted) for wanted in days]


from .units import units_figures  # noqa: E402,F401  (below: it counts with the functions above)
