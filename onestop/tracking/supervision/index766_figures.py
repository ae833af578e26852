"""Decision 766's figures: each measure's numerator and denominator for an agency and its units over a period.

Application counts come from the rollups (the all-versions rows by lead agency, and the per-version rows where a
measure depends on the procedure: a result paper, online use); the catalogue from the versions in force on the
period's last day and the publication decisions dated in it; complaints by the agency handling them; fees from the
payments (a few rows per agency and day). Every query is grouped by agency once, then folded for each target (the
scope and each unit below it), so the province and all its units cost the same few queries as one agency.

The on-time measure (tiến độ giải quyết): numerator = files resolved early or on time + files still in processing
at the end and not yet due, leaving out every file whose supplement was requested twice or more (counted late);
denominator = files resolved in the period + files still in processing at its end. A paused file is not yet due
(the applicant's waiting time is not counted: the due time moves on by the pause).
"""
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from ...calendar.services import load_calendar
from ...extensions import db
from ...fees.models import Payment
from ...procedures.models import Procedure, ProcedureDocument, ProcedureVersion
from ...procedures.publishing import in_force_on
from ...reception.models import Application, ApplicationFee
from ...timeutil import local, now
from ..models import Complaint
from .indicators import _combined, _due_later_today, _ranges
from .periods import day_end, day_start
from .rollups import ALL_VERSIONS, Rollup

MEASURES = ("published_on_time", "posted_on_time", "complete_content", "synced", "on_time", "online_offered",
            "online_used", "online_applications", "paid_online", "payment_used", "payment_offered",
            "complaints_on_time", "service_satisfaction", "results_electronic", "fully_digitised", "papers_reused")
DECISION_WORKING_DAYS = 5  # a decision at the latest 5 working days before it applies; posted within 5 after it


@dataclass
class Target:
    """What one answer is about: an agency (the scope, or a unit below it) and the agencies it covers."""

    key: object
    ids: set | None  # None: every agency
    communes: bool = True  # it holds a commune, so the communes' shared procedures are its own too
    found: dict = field(default_factory=dict)  # measure -> (numerator, denominator)


def _covers(target: Target, agency_id) -> bool:
    return target.ids is None or agency_id in target.ids


def _add(target: Target, per_agency: dict) -> Counter:
    total = Counter()
    for agency_id, counts in per_agency.items():
        if _covers(target, agency_id):
            total.update(counts)
    return total


def _union(target: Target, per_agency: dict) -> set:
    found = set()
    for agency_id, items in per_agency.items():
        if _covers(target, agency_id):
            found |= items
    return found


def measure(targets: list[Target], start: date, end: date, *, moment=None) -> None:
    """Fill each target's `found` with {measure: (numerator, denominator)} for [start, end]."""
    moment = moment or now()
    today = local(moment).date()
    last = min(end, today)
    every = None if any(t.ids is None for t in targets) else set().union(*(t.ids for t in targets))
    _applications(targets, every, start, last, end >= today, moment)
    _per_version(targets, every, start, last)
    _catalogue(targets, every, start, end, last)
    _complaints(targets, every, start, end, moment)
    _fees(targets, every, start, end)


def _applications(targets, every, start, last, current: bool, moment) -> None:
    rows = {raw[0]: counts for raw, counts in _combined(every, start, last, "agency").items()} if start <= last else {}
    later = {}
    if current:
        later = {raw[0]: counts for raw, counts in
                 _due_later_today(every, moment, "agency", lambda raw: raw).items()}
    for target in targets:
        c, not_yet = _add(target, rows), _add(target, later)
        received = c["received_in_person"] + c["received_online"] + c["received_postal"]
        resolved = c["resolved_early"] + c["resolved_on_time"] + c["resolved_late"]
        overdue = c["end_overdue"] - not_yet["d_overdue"]
        asked_twice_in_time = c["end_resupplied"] - c["end_resupplied_overdue"]
        in_time = c["resolved_early"] + c["resolved_on_time"] - c["resolved_resupplied"]
        not_yet_due = c["end_open"] - overdue - asked_twice_in_time
        rated = c["rated_very_satisfied"] + c["rated_satisfied"] + c["rated_not_satisfied"]
        target.found.update({
            "_on_time_classes": {"resolved_late": c["resolved_late"], "resolved_asked_twice": c["resolved_resupplied"],
                                 "open_overdue": overdue, "open_asked_twice": asked_twice_in_time},
            "synced": (c["synced"], received),
            "on_time": (in_time + not_yet_due, resolved + c["end_open"]),
            "online_applications": (c["received_online"], received),
            "service_satisfaction": (c["rated_very_satisfied"] + c["rated_satisfied"], rated),
            "fully_digitised": (c["digitised_whole"], resolved),
            "papers_reused": (c["reusing"], received),
        })


def _versions_in_force(every, day: date) -> list:
    """(version id, procedure id, agency id, level, online, online_payment, fee-bearing, complete) in force."""
    has_documents = sa.exists().where(ProcedureDocument.version_id == ProcedureVersion.id)
    complete = sa.and_(has_documents, ProcedureVersion.name != "", ProcedureVersion.time_amount.isnot(None),
                       ProcedureVersion.time_unit.isnot(None),
                       *[getattr(ProcedureVersion, name).isnot(None) for name in
                         ("steps", "where_to_apply", "applicants")],
                       sa.or_(ProcedureVersion.agency_id.isnot(None), ProcedureVersion.agency_name.isnot(None)))
    query = (sa.select(ProcedureVersion.id, ProcedureVersion.procedure_id, ProcedureVersion.agency_id,
                       ProcedureVersion.level, ProcedureVersion.online, ProcedureVersion.online_payment,
                       sa.and_(ProcedureVersion.fee_known, ProcedureVersion.fee > 0), complete)
             .join(Procedure, Procedure.id == ProcedureVersion.procedure_id)
             .where(Procedure.admin_status == "in_force", in_force_on(day)))
    if every is not None:
        query = query.where(sa.or_(ProcedureVersion.agency_id.in_(sorted(every)), ProcedureVersion.agency_id.is_(None)))
    return db.session.execute(query).all()


def _owned(target: Target, agency_id, level) -> bool:
    """A procedure is the target's when its agency is, or it is the communes' own and the target holds one."""
    if agency_id is None:
        return level == "commune" and target.communes if target.ids is not None else True
    return _covers(target, agency_id)


def _per_version(targets, every, start, last) -> None:
    """From the per-version rollup rows: results digitised of procedures with a result paper, and which procedures
    received an online application (by procedure, per lead agency)."""
    query = (sa.select(Rollup.agency_id, ProcedureVersion.procedure_id, ProcedureVersion.has_result_paper,
                       sa.func.sum(Rollup.results_digitised),
                       sa.func.sum(Rollup.resolved_early + Rollup.resolved_on_time + Rollup.resolved_late),
                       sa.func.sum(Rollup.received_online))
             .join(ProcedureVersion, ProcedureVersion.id == Rollup.procedure_version_id)
             .where(_ranges(Rollup.grain, Rollup.period, start, last), Rollup.procedure_version_id != ALL_VERSIONS)
             .group_by(Rollup.agency_id, ProcedureVersion.procedure_id, ProcedureVersion.has_result_paper))
    if every is not None:
        query = query.where(Rollup.agency_id.in_(sorted(every)))
    papers, used = {}, {}
    for agency_id, procedure_id, result_paper, digitised, resolved, online in (
            db.session.execute(query) if start <= last else []):
        if result_paper:
            papers.setdefault(agency_id, Counter()).update(digitised=int(digitised or 0), resolved=int(resolved or 0))
        if online:
            used.setdefault(agency_id, set()).add(procedure_id)
    for target in targets:
        counts = _add(target, papers)
        target.found["results_electronic"] = (counts["digitised"], counts["resolved"])
        target.found["_used_online"] = _union(target, used)


def _catalogue(targets, every, start, end, last) -> None:
    """The catalogue as it stood on the period's last day (or today), and the decisions dated in the period."""
    rows = _versions_in_force(every, last)
    calendar = load_calendar()
    decided = db.session.execute(
        sa.select(ProcedureVersion.agency_id, ProcedureVersion.level, ProcedureVersion.decision_date,
                  ProcedureVersion.effective_from, ProcedureVersion.published_at)
        .where(ProcedureVersion.status != "draft", ProcedureVersion.decision_date.between(start, end))).all()
    for target in targets:
        mine = [row for row in rows if _owned(target, row[2], row[3])]
        procedures = {row[1] for row in mine}
        online = {row[1] for row in mine if row[4] in ("full", "partial")}
        with_fee = {row[1] for row in mine if row[6]}
        offered_payment = {row[1] for row in mine if row[6] and row[5]}
        used = target.found.pop("_used_online")
        target.found.update({
            "complete_content": (len({row[1] for row in mine if row[7]}), len(procedures)),
            "online_offered": (len(online), len(procedures)),
            "online_used": (len(online & used), len(online)),
            "payment_offered": (len(offered_payment), len(with_fee)),
            "_with_fee": with_fee,
        })
        decisions = [row for row in decided if _owned(target, row[0], row[1])]
        timely = sum(1 for row in decisions if row[3] is not None
                     and calendar.add_working_days(row[2], DECISION_WORKING_DAYS) <= row[3])
        posted = sum(1 for row in decisions if row[4] is not None
                     and local(row[4]).date() <= calendar.add_working_days(row[2], DECISION_WORKING_DAYS))
        target.found["published_on_time"] = (timely, sum(1 for row in decisions if row[3] is not None))
        target.found["posted_on_time"] = (posted, len(decisions))


def _complaints(targets, every, start, end, moment) -> None:
    """Complaints (PAKN) handled in the period, and how many of them by their deadline."""
    first, last = day_start(start), min(day_end(end), moment)
    handled = sa.func.coalesce(Complaint.answered_at, Complaint.closed_at)
    query = (sa.select(Complaint.agency_id, sa.func.count(),
                       sa.func.sum(sa.case((handled <= Complaint.due_at, 1), else_=0)))
             .where(handled >= first, handled < last).group_by(Complaint.agency_id))
    if every is not None:
        query = query.where(Complaint.agency_id.in_(sorted(every)))
    rows = {agency_id: Counter(handled=int(count), on_time=int(on_time or 0))
            for agency_id, count, on_time in db.session.execute(query)}
    for target in targets:
        counts = _add(target, rows)
        target.found["complaints_on_time"] = (counts["on_time"], counts["handled"])


def _fees(targets, every, start, end) -> None:
    """Files received in the period that owe a fee (not exempt, more than the reduction), and those paid online;
    the fee-bearing procedures that took an online payment in the period."""
    since, until = day_start(start), day_start(end + timedelta(days=1))
    lead = sa.func.coalesce(ProcedureVersion.agency_id, Application.agency_id)
    paid_online = sa.exists().where(Payment.application_id == Application.id, Payment.method == "online",
                                    Payment.status == "paid")
    owing = (sa.select(Application.id.label("id"), lead.label("agency_id"), paid_online.label("paid"))
             .select_from(ApplicationFee).join(Application, Application.id == ApplicationFee.application_id)
             .join(ProcedureVersion, ProcedureVersion.id == Application.procedure_version_id)
             .where(Application.received_at >= since, Application.received_at < until,
                    ApplicationFee.amount > ApplicationFee.reduction, ApplicationFee.exempt_reason.is_(None))
             .distinct())
    if every is not None:
        owing = owing.where(lead.in_(sorted(every)))
    owing = owing.subquery()
    rows = {agency_id: Counter(owing=int(count), paid=int(paid or 0)) for agency_id, count, paid in db.session.execute(
        sa.select(owing.c.agency_id, sa.func.count(), sa.func.sum(sa.case((owing.c.paid, 1), else_=0)))
        .group_by(owing.c.agency_id))}
    used = {}
    for agency_id, procedure_id in db.session.execute(
            sa.select(lead, ProcedureVersion.procedure_id).select_from(Payment)
            .join(Application, Application.id == Payment.application_id)
            .join(ProcedureVersion, ProcedureVersion.id == Application.procedure_version_id)
            .where(Payment.method == "online", Payment.status == "paid", Payment.day.between(start, end))
            .distinct()):
        used.setdefault(agency_id, set()).add(procedure_id)
    for target in targets:
        counts, with_fee = _add(target, rows), target.found.pop("_with_fee")
        target.found["paid_online"] = (counts["paid"], counts["owing"])
        target.found["payment_used"] = (len(with_fee & _union(target, used)), len(with_fee))
