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
from .indicators import _ranges, _until
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


@dataclass
class Period:
    """One period to measure, and the targets to fill for it."""

    start: date
    end: date
    targets: list
    last: date = None  # the period's last day that has passed (today at the latest)
    current: bool = False  # it has not ended: open files are counted as they stand now


@dataclass
class Scope:
    """Which agencies' rows to read (None: all), and one procedure's only when given (its id)."""

    agencies: set | None
    procedure: int | None = None

    def agency_filter(self, column):
        return sa.true() if self.agencies is None else column.in_(sorted(self.agencies))

    def procedure_filter(self, column):
        return sa.true() if self.procedure is None else column == self.procedure


def measure(targets: list[Target], start: date, end: date, *, moment=None, procedure: int | None = None) -> None:
    """Fill each target's `found` with {measure: (numerator, denominator)} for [start, end] (of one procedure)."""
    measure_periods([Period(start, end, targets)], moment=moment, procedure=procedure)


def measure_periods(periods: list[Period], *, moment=None, procedure: int | None = None) -> None:
    """Measure several periods at once (a period and the one before it, for the ranking's change): each query
    reads both, so two periods cost the queries of one."""
    moment = moment or now()
    today = local(moment).date()
    for period in periods:
        period.last, period.current = min(period.end, today), period.end >= today
    targets = [target for period in periods for target in period.targets]
    every = Scope(None if any(t.ids is None for t in targets) else set().union(*(t.ids for t in targets)),
                  procedure)
    _applications(periods, every, moment)
    _per_version(periods, every)
    _catalogue(periods, every)
    _complaints(periods, every, moment)
    _fees(periods, every)


FLOWS = ("received_in_person", "received_online", "received_postal", "resolved_early", "resolved_on_time",
         "resolved_late", "resolved_resupplied", "synced", "rated_very_satisfied", "rated_satisfied",
         "rated_not_satisfied", "digitised_whole", "reusing")
ENDS = ("d_open", "d_overdue", "d_resupplied", "d_resupplied_overdue")


def _rollup_sums(periods, every) -> list[dict]:
    """[{agency id: Counter}] per period: the flows over the period and the stocks at its end, in one query over
    the all-versions rows."""
    columns, conditions = [], []
    for period in periods:
        in_range = (_ranges(Rollup.grain, Rollup.period, period.start, period.last) if period.start <= period.last
                    else sa.false())
        until = _until(Rollup.grain, Rollup.period, period.last)
        conditions += [in_range, until]
        columns += [sa.func.sum(sa.case((in_range, getattr(Rollup, name)), else_=0)) for name in FLOWS]
        columns += [sa.func.sum(sa.case((until, getattr(Rollup, name)), else_=0)) for name in ENDS]
    # the all-versions rows, or one procedure's versions' rows
    versions = (Rollup.procedure_version_id == ALL_VERSIONS if every.procedure is None else
                Rollup.procedure_version_id.in_(sa.select(ProcedureVersion.id).where(
                    ProcedureVersion.procedure_id == every.procedure)))
    query = (sa.select(Rollup.agency_id, *columns).where(versions, sa.or_(*conditions),
                                                          every.agency_filter(Rollup.agency_id))
             .group_by(Rollup.agency_id))
    names = list(FLOWS) + [f"end_{name[2:]}" for name in ENDS]
    found = [{} for _ in periods]
    for row in db.session.execute(query):
        values = [int(value or 0) for value in row[1:]]
        for index in range(len(periods)):
            part = values[index * len(names):(index + 1) * len(names)]
            found[index][row[0]] = Counter(dict(zip(names, part)))
    return found


def _due_later_today(every: Scope, moment) -> dict:
    """{lead agency: Counter(d_overdue)} of the open files, not paused, due later today: in the stock of the day's
    end, not yet overdue now (as indicators counts them)."""
    lead = sa.func.coalesce(ProcedureVersion.agency_id, Application.agency_id)
    query = (sa.select(lead, sa.func.count()).select_from(Application)
             .join(ProcedureVersion, ProcedureVersion.id == Application.procedure_version_id)
             .where(Application.due_at >= moment, Application.due_at < day_end(local(moment).date()),
                    Application.status.in_(("received", "transferred", "processing")), every.agency_filter(lead),
                    every.procedure_filter(ProcedureVersion.procedure_id)).group_by(lead))
    return {agency_id: Counter(d_overdue=int(count)) for agency_id, count in db.session.execute(query)}


def _applications(periods, every, moment) -> None:
    sums = _rollup_sums(periods, every)
    later = {}
    if any(period.current for period in periods):
        later = _due_later_today(every, moment)
    for period, rows in zip(periods, sums):
        for target in period.targets:
            c, not_yet = _add(target, rows), (_add(target, later) if period.current else Counter())
            received = c["received_in_person"] + c["received_online"] + c["received_postal"]
            resolved = c["resolved_early"] + c["resolved_on_time"] + c["resolved_late"]
            overdue = c["end_overdue"] - not_yet["d_overdue"]
            asked_twice_in_time = c["end_resupplied"] - c["end_resupplied_overdue"]
            in_time = c["resolved_early"] + c["resolved_on_time"] - c["resolved_resupplied"]
            not_yet_due = c["end_open"] - overdue - asked_twice_in_time
            rated = c["rated_very_satisfied"] + c["rated_satisfied"] + c["rated_not_satisfied"]
            target.found.update({
                "_on_time_classes": {"resolved_late": c["resolved_late"],
                                     "resolved_asked_twice": c["resolved_resupplied"],
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
    query = query.where(sa.or_(every.agency_filter(ProcedureVersion.agency_id), ProcedureVersion.agency_id.is_(None)),
                        every.procedure_filter(ProcedureVersion.procedure_id))
    return db.session.execute(query).all()


def _owned(target: Target, agency_id, level) -> bool:
    """A procedure is the target's when its agency is, or it is the communes' own and the target holds one."""
    if agency_id is None:
        return level == "commune" and target.communes if target.ids is not None else True
    return _covers(target, agency_id)


def _per_version(periods, every) -> None:
    """From the per-version rollup rows: results digitised of procedures with a result paper, and which procedures
    received an online application (by procedure, per lead agency)."""
    columns, conditions = [], []
    for period in periods:
        in_range = (_ranges(Rollup.grain, Rollup.period, period.start, period.last) if period.start <= period.last
                    else sa.false())
        conditions.append(in_range)
        columns += [sa.func.sum(sa.case((in_range, column), else_=0)) for column in (
            Rollup.results_digitised, Rollup.resolved_early + Rollup.resolved_on_time + Rollup.resolved_late,
            Rollup.received_online)]
    query = (sa.select(Rollup.agency_id, ProcedureVersion.procedure_id, ProcedureVersion.has_result_paper, *columns)
             .join(ProcedureVersion, ProcedureVersion.id == Rollup.procedure_version_id)
             .where(sa.or_(*conditions), Rollup.procedure_version_id != ALL_VERSIONS,
                    every.agency_filter(Rollup.agency_id), every.procedure_filter(ProcedureVersion.procedure_id))
             .group_by(Rollup.agency_id, ProcedureVersion.procedure_id, ProcedureVersion.has_result_paper))
    papers, used = [{} for _ in periods], [{} for _ in periods]
    for row in db.session.execute(query):
        agency_id, procedure_id, result_paper = row[:3]
        for index in range(len(periods)):
            digitised, resolved, online = (int(value or 0) for value in row[3 + 3 * index:6 + 3 * index])
            if result_paper:
                papers[index].setdefault(agency_id, Counter()).update(digitised=digitised, resolved=resolved)
            if online:
                used[index].setdefault(agency_id, set()).add(procedure_id)
    for index, period in enumerate(periods):
        for target in period.targets:
            counts = _add(target, papers[index])
            target.found["results_electronic"] = (counts["digitised"], counts["resolved"])
            target.found["_used_online"] = _union(target, used[index])


def _catalogue(periods, every) -> None:
    """The catalogue as it stood on each period's last day (or today), and the decisions dated in each period."""
    calendar = load_calendar()
    decided = db.session.execute(
        sa.select(ProcedureVersion.agency_id, ProcedureVersion.level, ProcedureVersion.decision_date,
                  ProcedureVersion.effective_from, ProcedureVersion.published_at)
        .where(ProcedureVersion.status != "draft", every.procedure_filter(ProcedureVersion.procedure_id),
               ProcedureVersion.decision_date.between(min(p.start for p in periods), max(p.end for p in periods)))
    ).all()
    in_force = {}
    for period in periods:
        if period.last not in in_force:
            in_force[period.last] = _versions_in_force(every, period.last)
    for period in periods:
        rows = in_force[period.last]
        for target in period.targets:
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
            decisions = [row for row in decided if period.start <= row[2] <= period.end
                         and _owned(target, row[0], row[1])]
            timely = sum(1 for row in decisions if row[3] is not None
                         and calendar.add_working_days(row[2], DECISION_WORKING_DAYS) <= row[3])
            posted = sum(1 for row in decisions if row[4] is not None
                         and local(row[4]).date() <= calendar.add_working_days(row[2], DECISION_WORKING_DAYS))
            target.found["published_on_time"] = (timely, sum(1 for row in decisions if row[3] is not None))
            target.found["posted_on_time"] = (posted, len(decisions))


def _complaints(periods, every, moment) -> None:
    """Complaints (PAKN) handled in each period, and how many of them by their deadline: an agency's, never one
    procedure's (not measured for a procedure)."""
    if every.procedure is not None:
        for period in periods:
            for target in period.targets:
                target.found["complaints_on_time"] = None
        return
    handled = sa.func.coalesce(Complaint.answered_at, Complaint.closed_at)
    columns, conditions = [], []
    for period in periods:
        inside = sa.and_(handled >= day_start(period.start), handled < min(day_end(period.end), moment))
        conditions.append(inside)
        columns += [sa.func.sum(sa.case((inside, 1), else_=0)),
                    sa.func.sum(sa.case((sa.and_(inside, handled <= Complaint.due_at), 1), else_=0))]
    query = (sa.select(Complaint.agency_id, *columns)
             .where(sa.or_(*conditions), every.agency_filter(Complaint.agency_id)).group_by(Complaint.agency_id))
    rows = [{} for _ in periods]
    for row in db.session.execute(query):
        for index in range(len(periods)):
            rows[index][row[0]] = Counter(handled=int(row[1 + 2 * index] or 0), on_time=int(row[2 + 2 * index] or 0))
    for index, period in enumerate(periods):
        for target in period.targets:
            counts = _add(target, rows[index])
            target.found["complaints_on_time"] = (counts["on_time"], counts["handled"])


def _fees(periods, every) -> None:
    """Files received in each period that owe a fee (not exempt, more than the reduction), and those paid online;
    the fee-bearing procedures that took an online payment in the period."""
    lead = sa.func.coalesce(ProcedureVersion.agency_id, Application.agency_id)
    paid_online = sa.exists().where(Payment.application_id == Application.id, Payment.method == "online",
                                    Payment.status == "paid")
    received = [sa.and_(Application.received_at >= day_start(p.start),
                        Application.received_at < day_start(p.end + timedelta(days=1))) for p in periods]
    owing = (sa.select(Application.id.label("id"), lead.label("agency_id"), paid_online.label("paid"),
                       *[condition.label(f"in_{index}") for index, condition in enumerate(received)])
             .select_from(ApplicationFee).join(Application, Application.id == ApplicationFee.application_id)
             .join(ProcedureVersion, ProcedureVersion.id == Application.procedure_version_id)
             .where(sa.or_(*received), ApplicationFee.amount > ApplicationFee.reduction,
                    ApplicationFee.exempt_reason.is_(None), every.agency_filter(lead),
                    every.procedure_filter(ProcedureVersion.procedure_id)).distinct())
    owing = owing.subquery()
    columns = []
    for index in range(len(periods)):
        inside = owing.c[f"in_{index}"]
        columns += [sa.func.sum(sa.case((inside, 1), else_=0)),
                    sa.func.sum(sa.case((sa.and_(inside, owing.c.paid), 1), else_=0))]
    rows = [{} for _ in periods]
    for row in db.session.execute(sa.select(owing.c.agency_id, *columns).group_by(owing.c.agency_id)):
        for index in range(len(periods)):
            rows[index][row[0]] = Counter(owing=int(row[1 + 2 * index] or 0), paid=int(row[2 + 2 * index] or 0))
    days = [Payment.day.between(p.start, p.end) for p in periods]
    used = [{} for _ in periods]
    for row in db.session.execute(
            sa.select(lead, ProcedureVersion.procedure_id, *days).select_from(Payment)
            .join(Application, Application.id == Payment.application_id)
            .join(ProcedureVersion, ProcedureVersion.id == Application.procedure_version_id)
            .where(Payment.method == "online", Payment.status == "paid", sa.or_(*days), every.agency_filter(lead),
                   every.procedure_filter(ProcedureVersion.procedure_id)).distinct()):
        for index in range(len(periods)):
            if row[2 + index]:
                used[index].setdefault(row[0], set()).add(row[1])
    for index, period in enumerate(periods):
        for target in period.targets:
            counts, with_fee = _add(target, rows[index]), target.found.pop("_with_fee")
            target.found["paid_online"] = (counts["paid"], counts["owing"])
            target.found["payment_used"] = (len(with_fee & _union(target, used[index])), len(with_fee))
