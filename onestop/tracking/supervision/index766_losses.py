"""Where Decision 766's points went: for a sub-indicator below its maximum, the files (or complaints, or
procedures) that cost them, a keyset page at a time and scoped to the agency, and the points each class cost.

A class's points are the sub-indicator's lost points shared by the files missing from its numerator: with
`full_at` 1, each late file of the on-time figure costs max ÷ denominator.

The on-time list holds exactly the files the figure counts late: resolved in the period after their due time, or
in time but asked for a supplement twice or more; still in processing at the period's end and overdue then (as the
rollups judge it: a paused file is not, and one whose pause came later is judged by its due time before the pause),
or asked twice or more.
"""
from datetime import date, datetime

import sqlalchemy as sa

from ... import paging
from ...calendar.services import load_calendar
from ...extensions import db
from ...procedures.models import Procedure, ProcedureVersion
from ...reception import deadlines
from ...reception.models import Application, ApplicationEvent, ApplicationFee
from ...timeutil import local, now
from ..models import Complaint, Rating
from .index766 import score
from .index766_figures import Target, measure
from .index766_rules import rules_on
from .periods import day_end, day_start

PER_PAGE = 50
FILES = ("on_time", "synced", "online_applications", "results_electronic", "fully_digitised", "papers_reused",
         "service_satisfaction", "paid_online")
PROCEDURES = ("published_on_time", "posted_on_time", "complete_content", "online_offered", "online_used",
              "payment_offered", "payment_used")
COMPLAINTS = ("complaints_on_time",)


class LossError(ValueError):
    """A sub-indicator with no list of what it cost."""


def _lead():
    return sa.func.coalesce(ProcedureVersion.agency_id, Application.agency_id)


def _requests():
    return (sa.select(sa.func.count()).where(ApplicationEvent.application_id == Application.id,
                                             ApplicationEvent.type == "request_supplement")
            .correlate(Application).scalar_subquery())


def _event_day(kind: str, how=sa.func.min):
    return (sa.select(how(ApplicationEvent.at)).where(ApplicationEvent.application_id == Application.id,
                                                      ApplicationEvent.type == kind)
            .correlate(Application).scalar_subquery())


def _file_where(code: str, start: date, end: date, cutoff: datetime) -> tuple[list, object]:
    """(conditions, class expression) of the files that cost `code` its points."""
    first, last = day_start(start), min(day_end(end), cutoff)
    received = [Application.received_at >= first, Application.received_at < last]
    resolved = [Application.result_at >= first, Application.result_at < last]
    if code == "synced":
        from ...outbox.models import OutboxMessage

        sent = sa.exists().where(OutboxMessage.application_id == Application.id, OutboxMessage.channel == "portal",
                                 OutboxMessage.event_type == "receive", OutboxMessage.state == "sent")
        return received + [~sent], sa.literal("not_synced")
    if code == "online_applications":
        return received + [Application.channel != "online"], Application.channel
    if code == "papers_reused":
        return received + [Application.papers_reused == 0], sa.literal("no_paper_reused")
    if code == "results_electronic":
        return resolved + [ProcedureVersion.has_result_paper.is_(True),
                           Application.result_digitised_at.is_(None)], sa.literal("result_not_digitised")
    if code == "fully_digitised":
        return resolved + [sa.or_(Application.papers_digitised.is_(False), Application.result_digitised_at.is_(None))
                           ], sa.case((Application.papers_digitised.is_(False), "papers_not_digitised"),
                                      else_="result_not_digitised")
    if code == "service_satisfaction":
        rated = sa.exists().where(Rating.application_id == Application.id, Rating.level == "not_satisfied",
                                  Rating.at >= first, Rating.at < last)
        return [rated], sa.literal("not_satisfied")
    if code == "paid_online":
        from ...fees.models import Payment

        owing = sa.exists().where(ApplicationFee.application_id == Application.id,
                                  ApplicationFee.amount > ApplicationFee.reduction, ApplicationFee.exempt_reason.is_(None))
        paid = sa.exists().where(Payment.application_id == Application.id, Payment.method == "online",
                                 Payment.status == "paid")
        return received + [owing, ~paid], sa.literal("not_paid_online")
    # on_time: the candidates; `_late_class` decides
    ended = sa.func.coalesce(Application.result_at, Application.closed_at)
    open_then = sa.and_(Application.received_at < last, sa.or_(ended.is_(None), ended >= last))
    late_result = sa.and_(*resolved, sa.or_(Application.result_at > Application.due_at, _requests() >= 2))
    return [sa.or_(late_result, open_then)], sa.literal("candidate")


def _late_class(row, end_day: date, cutoff: datetime, calendar) -> str | None:
    """Why a candidate counts late for the on-time figure (None: it does not), as the rollups judge it."""
    if row.result_at is not None and row.result_at < cutoff:
        return "resolved_late" if row.result_at > row.due_at else "resolved_asked_twice"
    paused_day = local(row.paused_at).date() if row.paused_at else None
    resumed = row.resumed_at if row.resumed_at and (row.requested_last is None or row.resumed_at > row.requested_last) \
        else None
    if paused_day is not None and paused_day <= end_day and (resumed is None or local(resumed).date() > end_day):
        overdue = False  # waiting for the applicant
    elif paused_day is not None and paused_day > end_day:  # paused later: judged by the due time before the pause
        due = deadlines.procedure_due(row.version, row.received_at, calendar)
        overdue = local(due).date() <= end_day and due < cutoff
    else:
        overdue = local(row.due_at).date() <= end_day and row.due_at < cutoff
    if overdue:
        return "open_overdue"
    return "open_asked_twice" if row.requests >= 2 else None


def file_page(code: str, agency_ids, start: date, end: date, cursor=None, per_page=PER_PAGE, moment=None):
    """One page of the files that cost `code` its points, by application id: items {code, received_at, due_at,
    result_at, status, class}."""
    moment = moment or now()
    cutoff = min(day_end(end), moment)
    where, kind = _file_where(code, start, end, cutoff)
    columns = [Application.id]
    query = (sa.select(Application.id, Application.code, Application.received_at, Application.due_at,
                       Application.result_at, Application.status, Application.procedure_version_id,
                       kind.label("kind"), _requests().label("requests"),
                       _event_day("request_supplement").label("paused_at"),
                       _event_day("request_supplement", sa.func.max).label("requested_last"),
                       _event_day("supplement_received", sa.func.max).label("resumed_at"))
             .join(ProcedureVersion, ProcedureVersion.id == Application.procedure_version_id).where(*where))
    if agency_ids is not None:
        query = query.where(_lead().in_(sorted(agency_ids)))
    start_after = paging.after(columns, False, cursor)
    if start_after is not None:
        query = query.where(start_after)
    calendar, versions = load_calendar(), {}
    items, last_id = [], None
    batch = max(per_page * 2, 100)
    while len(items) <= per_page:
        rows = db.session.execute(query.where(Application.id > (last_id or 0)).order_by(Application.id)
                                  .limit(batch)).all()
        for row in rows:
            last_id = row.id
            kind = row.kind
            if code == "on_time":
                if row.procedure_version_id not in versions:
                    versions[row.procedure_version_id] = db.session.get(ProcedureVersion, row.procedure_version_id)
                row = _Row(row, versions[row.procedure_version_id])
                kind = _late_class(row, end, cutoff, calendar)
                if kind is None:
                    continue
            items.append({"id": row.id, "code": row.code, "received_at": row.received_at.isoformat(),
                          "due_at": row.due_at.isoformat(),
                          "result_at": row.result_at.isoformat() if row.result_at else None,
                          "status": row.status, "class": kind})
            if len(items) > per_page:
                break
        if len(rows) < batch:
            break
    more = len(items) > per_page
    items = items[:per_page]
    return paging.Page(items=items, next=paging.encode([items[-1]["id"]]) if more and items else None)


class _Row:
    """A candidate row with its procedure version (for the due time before a pause)."""

    def __init__(self, row, version):
        self._row, self.version = row, version

    def __getattr__(self, name):
        return getattr(self._row, name)


def complaint_page(agency_ids, start: date, end: date, cursor=None, per_page=PER_PAGE, moment=None):
    """Complaints handled in the period after their deadline."""
    moment = moment or now()
    first, last = day_start(start), min(day_end(end), moment)
    handled = sa.func.coalesce(Complaint.answered_at, Complaint.closed_at)
    query = sa.select(Complaint.id, Complaint.code, Complaint.received_at, Complaint.due_at, handled.label("handled_at")
                      ).where(handled >= first, handled < last, handled > Complaint.due_at)
    if agency_ids is not None:
        query = query.where(Complaint.agency_id.in_(sorted(agency_ids)))
    start_after = paging.after([Complaint.id], False, cursor)
    if start_after is not None:
        query = query.where(start_after)
    rows = db.session.execute(query.order_by(Complaint.id).limit(per_page + 1)).all()
    items = [{"id": row.id, "code": row.code, "received_at": row.received_at.isoformat(),
              "due_at": row.due_at.isoformat(), "handled_at": row.handled_at.isoformat(), "class": "handled_late"}
             for row in rows[:per_page]]
    return paging.Page(items=items, next=paging.encode([rows[per_page - 1].id]) if len(rows) > per_page else None)


def procedure_page(code: str, agency_ids, start: date, end: date, cursor=None, per_page=PER_PAGE, moment=None):
    """The procedures that cost `code` its points, by procedure code (the catalogue is small)."""
    from .index766_figures import DECISION_WORKING_DAYS
    from ...procedures.publishing import in_force_on

    moment = moment or now()
    day, calendar = min(end, local(moment).date()), load_calendar()
    scope = sa.true() if agency_ids is None else sa.or_(ProcedureVersion.agency_id.in_(sorted(agency_ids)),
                                                        ProcedureVersion.agency_id.is_(None))
    base = (sa.select(Procedure.code, ProcedureVersion).join(ProcedureVersion, ProcedureVersion.procedure_id == Procedure.id)
            .where(scope))
    found = []
    if code in ("published_on_time", "posted_on_time"):
        rows = db.session.execute(base.where(ProcedureVersion.status != "draft",
                                             ProcedureVersion.decision_date.between(start, end))).all()
        for proc_code, version in rows:
            limit = calendar.add_working_days(version.decision_date, DECISION_WORKING_DAYS)
            if code == "published_on_time" and version.effective_from is not None and limit > version.effective_from:
                found.append((proc_code, version, "decision_late"))
            if code == "posted_on_time" and (version.published_at is None or local(version.published_at).date() > limit):
                found.append((proc_code, version, "posted_late"))
    else:
        rows = db.session.execute(base.where(Procedure.admin_status == "in_force", in_force_on(day))).all()
        used = _used(code, agency_ids, start, day) if code in ("online_used", "payment_used") else set()
        for proc_code, version in rows:
            fee = version.fee_known and version.fee > 0
            kind = {
                "complete_content": _missing(version),
                "online_offered": "not_online" if version.online not in ("full", "partial") else None,
                "online_used": "no_online_application" if version.online in ("full", "partial")
                and version.procedure_id not in used else None,
                "payment_offered": "no_online_payment" if fee and not version.online_payment else None,
                "payment_used": "not_paid_online" if fee and version.procedure_id not in used else None,
            }[code]
            if kind:
                found.append((proc_code, version, kind))
    found.sort(key=lambda item: item[0])
    if cursor:
        after = paging.decode(cursor, [Procedure.code])[0]
        found = [item for item in found if item[0] > after]
    items = [{"code": proc_code, "name": version.name, "class": kind,
              "decision_date": version.decision_date.isoformat() if version.decision_date else None,
              "effective_from": version.effective_from.isoformat() if version.effective_from else None}
             for proc_code, version, kind in found[:per_page]]
    return paging.Page(items=items, next=paging.encode([items[-1]["code"]]) if len(found) > per_page else None)


def _missing(version) -> str | None:
    for name in ("steps", "where_to_apply", "applicants"):
        if getattr(version, name) is None:
            return f"missing_{name}"
    if not version.documents:
        return "missing_documents"
    if version.agency_id is None and version.agency_name is None:
        return "missing_agency"
    return None


def _used(code: str, agency_ids, start: date, end: date) -> set:
    """Procedures that received an online application (or an online payment) in the period."""
    first, last = day_start(start), day_end(end)
    if code == "online_used":
        query = (sa.select(ProcedureVersion.procedure_id).join(Application, Application.procedure_version_id == ProcedureVersion.id)
                 .where(Application.channel == "online", Application.received_at >= first, Application.received_at < last))
    else:
        from ...fees.models import Payment

        query = (sa.select(ProcedureVersion.procedure_id).join(Application, Application.procedure_version_id == ProcedureVersion.id)
                 .join(Payment, Payment.application_id == Application.id)
                 .where(Payment.method == "online", Payment.status == "paid", Payment.day.between(start, end)))
    if agency_ids is not None:
        query = query.where(_lead().in_(sorted(agency_ids)))
    return set(db.session.scalars(query.distinct()))


def losses(code: str, agency: dict, agency_ids, start: date, end: date, cursor=None, moment=None) -> dict:
    """The sub-indicator's figure, its points lost per class, and one page of what cost them."""
    rules = rules_on(end)
    rule = next((r for group in rules["groups"] for r in group["indicators"] if r["code"] == code), None)
    if rule is None or rule["measure"] not in FILES + COMPLAINTS + PROCEDURES:
        raise LossError(code)
    target = Target((), agency_ids)
    measure([target], start, end, moment=moment)
    item = next(i for group in score(rules, target.found)["groups"] for i in group["indicators"] if i["code"] == code)
    kind = rule["measure"]
    if kind in FILES:
        page = file_page(kind, agency_ids, start, end, cursor, moment=moment)
    elif kind in COMPLAINTS:
        page = complaint_page(agency_ids, start, end, cursor, moment=moment)
    else:
        page = procedure_page(kind, agency_ids, start, end, cursor, moment=moment)
    missing = (item["denominator"] or 0) - (item["numerator"] or 0)
    lost = round(item["max"] - item["points"], 2) if item["points"] is not None else 0
    classes = None
    if not cursor:
        counts = (target.found["_on_time_classes"] if kind == "on_time" else
                  _file_classes(kind, agency_ids, start, end, moment) if kind in FILES else
                  _walked(kind, agency_ids, start, end, moment))
        classes = [{"class": name, "count": count, "points": round(lost * count / missing, 2) if missing else 0}
                   for name, count in counts.items() if count]
    return {"indicator": item, "lost": lost, "classes": classes, "items": page.items, "next": page.next,
            "rules_version": rules["version"]}


def _file_classes(kind: str, agency_ids, start: date, end: date, moment) -> dict:
    """{class: files} of a file list, counted in SQL."""
    where, label = _file_where(kind, start, end, min(day_end(end), moment or now()))
    query = (sa.select(label.label("kind"), sa.func.count()).select_from(Application)
             .join(ProcedureVersion, ProcedureVersion.id == Application.procedure_version_id).where(*where))
    if agency_ids is not None:
        query = query.where(_lead().in_(sorted(agency_ids)))
    return {name: int(count) for name, count in db.session.execute(query.group_by(label))}


def _walked(kind: str, agency_ids, start: date, end: date, moment) -> dict:
    """{class: how many} of a complaint or procedure list (short lists), walked a page at a time."""
    counts, cursor = {}, None
    while True:
        page = (complaint_page(agency_ids, start, end, cursor, per_page=500, moment=moment) if kind in COMPLAINTS
                else procedure_page(kind, agency_ids, start, end, cursor, per_page=500, moment=moment))
        for item in page.items:
            counts[item["class"]] = counts.get(item["class"], 0) + 1
        if page.next is None:
            return counts
        cursor = page.next
