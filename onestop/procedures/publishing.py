"""Publishing like a province does: a version is a draft, in force from a date, or abolished from a date.

The version that applies on a day is the newest published version (not a draft) whose start is on or before
that day: a later publication supersedes the earlier ones from its date, even when its date is earlier than
theirs (a decision signed last week, imported after a local edit made today). If that version is an abolition,
the procedure is abolished that day. Nothing is switched when a day comes (no cron): every reader asks for its
day, a reception for its reception moment's day, the catalogue's pages, counts and API for today. An
application keeps the version it was received under. The history says who changed what, and when.
"""
from dataclasses import dataclass, field as dc_field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _, lazy_gettext as _l

from .. import audit
from ..auth.models import AuditLog
from ..database import utcnow
from ..extensions import db
from .models import Procedure, ProcedureDocument, ProcedureVersion
from .services import CONTENT_FIELDS, ProcedureError, last_number, procedure_to_dict

EARLIEST = date(1900, 1, 1)  # a version stored without a start: in force since the catalogue began


def _starts(version=ProcedureVersion):
    return sa.func.coalesce(version.effective_from, sa.literal(EARLIEST, sa.Date))


# The rules below are conditions on a ProcedureVersion row, range tests on its start and superseded_from: no
# subquery over the catalogue, so a search narrows the rows by its words and asks only those.


def applies_on(day: date):
    """The row is the published version that applies on `day` (an abolition included)."""
    return sa.and_(ProcedureVersion.status != "draft", _starts() <= day,
                   sa.or_(ProcedureVersion.superseded_from.is_(None), ProcedureVersion.superseded_from > day))


def in_force_on(day: date):
    """The row is the version in force on `day`: the one a desk receives under that day."""
    return sa.and_(ProcedureVersion.status == "in_force", applies_on(day))


def shown_on(day: date):
    """The row is what the public catalogue shows on `day`: the version in force, or, for a procedure published
    ahead with nothing applying yet, the version it will start with (it applies on its own first day, and no
    published version of the procedure starts before it)."""
    other = sa.orm.aliased(ProcedureVersion)
    first_ahead = sa.and_(
        ProcedureVersion.status == "in_force", _starts() > day,
        sa.or_(ProcedureVersion.superseded_from.is_(None), ProcedureVersion.superseded_from > _starts()),
        ~sa.exists().where(other.procedure_id == ProcedureVersion.procedure_id, other.status != "draft",
                           _starts(other) < _starts()))
    return sa.or_(in_force_on(day), first_ahead.self_group())


def refresh_dates(procedure: Procedure) -> None:
    """Derive every version's superseded_from from the versions as they now are (after any publication)."""
    published = [v for v in procedure.versions if v.status != "draft"]
    for version in procedure.versions:
        later = [v.effective_from or EARLIEST for v in published if v.number > version.number]
        version.superseded_from = min(later) if later else None


def stale_dates() -> list[tuple[str, int, date | None, date | None]]:
    """(code, version, stored, derived) of every version whose stored superseded_from is not what the versions say."""
    later = sa.orm.aliased(ProcedureVersion)
    derived = (sa.select(sa.func.min(_starts(later)))
               .where(later.procedure_id == ProcedureVersion.procedure_id, later.status != "draft",
                      later.number > ProcedureVersion.number).scalar_subquery())
    rows = db.session.execute(
        sa.select(Procedure.code, ProcedureVersion.number, ProcedureVersion.superseded_from, derived)
        .join(Procedure, Procedure.id == ProcedureVersion.procedure_id)
        .where(sa.or_(sa.and_(ProcedureVersion.superseded_from.is_(None), derived.isnot(None)),
                      sa.and_(ProcedureVersion.superseded_from.isnot(None), derived.is_(None)),
                      ProcedureVersion.superseded_from != derived))
        .order_by(Procedure.code, ProcedureVersion.number)).all()
    return [tuple(row) for row in rows]


def status_expression(day: date):
    """Procedure.status in SQL for `day`: the administrator's switch, else abolished when the version that applies
    is an abolition, else in force."""
    abolished = sa.exists().where(ProcedureVersion.procedure_id == Procedure.id,
                                  ProcedureVersion.status == "abolished", applies_on(day)).correlate(Procedure)
    return sa.case((Procedure.admin_status != "in_force", Procedure.admin_status),
                   (abolished, "abolished"), else_="in_force")


def status_on(procedure: Procedure, day: date) -> str:
    """in_force, suspended or abolished on `day` (a procedure published ahead counts as in force: it is announced)."""
    if procedure.admin_status != "in_force":
        return procedure.admin_status
    version = version_on(procedure, day)
    return "abolished" if version is not None and version.status == "abolished" else "in_force"


def version_on(procedure: Procedure, day: date) -> ProcedureVersion | None:
    """The published version that applies on `day` (an abolition included), or None before the first one."""
    published = [v for v in procedure.versions if v.status != "draft" and v.starts <= day]
    return max(published, key=lambda v: v.number) if published else None


def next_start(procedure: Procedure, day: date) -> ProcedureVersion | None:
    """The published version that will take over after `day` (to say what changes, and from when)."""
    now = version_on(procedure, day)
    later = [v.starts for v in procedure.versions if v.status != "draft" and v.starts > day
             and (now is None or v.number > now.number)]
    return version_on(procedure, min(later)) if later else None


@dataclass
class Coming:
    """A dated change announced ahead: from `day`, `version` applies (or the procedure is abolished)."""

    day: date
    version: ProcedureVersion
    changes: list[tuple[str, object, object]]  # (field key, before, after) against what applies the day before

    @property
    def abolished(self) -> bool:
        return self.version.status == "abolished"


UNANNOUNCED = ("decision", "code_suffix")  # a new version always has its decision: said beside, not as a change


def coming_changes(procedure: Procedure, day: date, limit: int = 5) -> list[Coming]:
    """Every change already published to take effect after `day`, in the order they will apply."""
    found, before = [], version_on(procedure, day)
    while len(found) < limit and (version := next_start(procedure, day)) is not None:
        changes = [] if version.status == "abolished" or before is None else [
            change for change in changes_between(before, version) if change[0] not in UNANNOUNCED]
        found.append(Coming(version.starts, version, changes))
        before, day = version, version.starts
    return found


def newest(procedure: Procedure) -> ProcedureVersion | None:
    """What `Procedure.current` points at: the newest published version, else the newest draft (what an editor
    starts from; it may not apply yet, or any more)."""
    versions = sorted(procedure.versions, key=lambda v: v.number)
    published = [v for v in versions if v.status != "draft"]
    return (published or versions or [None])[-1]


def publish(version: ProcedureVersion, effective_from: date | None, user=None) -> None:
    """A draft comes into force from a date; the catalogue shows it unless a later version is already published."""
    if version.status != "draft":
        raise ProcedureError(_("Chỉ công bố được bản nháp."))
    if effective_from is None:
        raise ProcedureError(_("Nhập ngày có hiệu lực."), {"effective_from": _("Nhập ngày có hiệu lực.")})
    procedure = version.procedure
    version.status, version.effective_from = "in_force", effective_from
    version.published_at = version.published_at or utcnow()  # made public now (Decision 766 counts from here)
    procedure.current = newest(procedure)
    refresh_dates(procedure)
    db.session.flush()
    audit.record("procedure_version_published", procedure, user=user, version=version.number,
                 effective_from=effective_from.isoformat())


def abolish(procedure: Procedure, effective_from: date, user=None, *, decision: dict | None = None,
            notes: str | None = None) -> ProcedureVersion | None:
    """A version saying the procedure is abolished from a date (its content as last published); None if it already is."""
    current = procedure.current
    if current is None or current.status == "abolished":
        return None
    decision, number, documents = decision or {}, last_number(procedure) + 1, list(current.documents)
    with db.session.no_autoflush:
        version = ProcedureVersion(
            procedure=procedure, number=number, status="abolished", effective_from=effective_from,
            created_by_id=user.id if user is not None else None, agency_id=current.agency_id,
            **{key: getattr(current, key) for key in CONTENT_FIELDS if key not in ("agency_code", "fee")},
            fee=current.fee, fee_known=current.fee_known, search_text=current.search_text)
        version.decision_number = decision.get("number") or current.decision_number
        version.decision_date = decision.get("date") or current.decision_date
        version.decision_signer = decision.get("signer") or current.decision_signer
        version.notes = notes or current.notes
        version.documents = [ProcedureDocument(position=d.position, name=d.name, kind=d.kind, copies=d.copies,
                                               required=d.required) for d in documents]
        db.session.add(version)
    procedure.current = version  # the newest; the procedure is abolished from the version's day, nothing else to set
    refresh_dates(procedure)
    return version


# ------------------------------------------------------------------ history

HISTORY_LABELS = {
    "name": _l("Tên thủ tục"), "field": _l("Lĩnh vực"), "agency_code": _l("Cơ quan thực hiện"),
    "agency_name": _l("Cơ quan (như công bố)"), "level": _l("Cấp thực hiện"), "time": _l("Thời hạn"),
    "time_text": _l("Thời hạn (như công bố)"), "time_note": _l("Thời hạn kéo dài"), "fee": _l("Phí, lệ phí"), "fee_text": _l("Phí (như công bố)"),
    "online": _l("Trực tuyến"), "online_payment": _l("Thanh toán trực tuyến"), "sets": _l("Số bộ hồ sơ"),
    "applicants": _l("Đối tượng"), "steps": _l("Trình tự"), "result": _l("Kết quả"), "has_result_paper": _l("Có giấy tờ kết quả"), "conditions": _l("Điều kiện"),
    "legal_basis": _l("Căn cứ pháp lý"), "where_to_apply": _l("Nơi nộp"), "decision": _l("Quyết định công bố"),
    "notes": _l("Ghi chú"), "code_suffix": _l("Mã trên cổng"), "documents": _l("Thành phần hồ sơ"),
}


@dataclass
class HistoryEntry:
    at: datetime
    who: str | None
    what: str  # created, changed, draft, abolished, published, status
    version: ProcedureVersion | None = None
    changes: list[tuple[str, str, str]] = dc_field(default_factory=list)  # (field key, before, after)
    detail: dict = dc_field(default_factory=dict)


def _shown(data: dict) -> dict:
    """A version's content as the history compares it: the time as one value, the decision as one."""
    shown = dict(data)
    shown["time"] = (shown.pop("time_amount"), shown.pop("time_unit"), shown.pop("same_day_cutoff"))
    shown["decision"] = (shown.pop("decision_number"), shown.pop("decision_date"), shown.pop("decision_signer"))
    for key in ("code", "status", "version"):
        shown.pop(key, None)
    return shown


def changes_between(before: ProcedureVersion | None, after: ProcedureVersion) -> list[tuple[str, object, object]]:
    if before is None:
        return []
    old, new = _shown(procedure_to_dict(before)), _shown(procedure_to_dict(after))
    return [(key, old[key], new[key]) for key in HISTORY_LABELS if old.get(key) != new.get(key)]


def history(procedure: Procedure) -> list[HistoryEntry]:
    """Every version with who made it and what it changed, and every status switch, newest first."""
    entries, previous = [], None
    for version in sorted(procedure.versions, key=lambda v: v.number):
        what = {"draft": "draft", "abolished": "abolished"}.get(version.status, "changed" if previous else "created")
        entries.append(HistoryEntry(
            at=version.created_at, who=version.created_by.username if version.created_by else None, what=what,
            version=version, changes=changes_between(previous, version)))
        if version.status != "abolished":
            previous = version
    events = db.session.scalars(sa.select(AuditLog).where(
        AuditLog.object_type == "Procedure", AuditLog.object_id == procedure.code,
        AuditLog.action.in_(("procedure_status", "procedure_version_published")))).all()
    for event in events:
        entries.append(HistoryEntry(at=event.at, who=event.username, detail=event.detail or {},
                                    what="status" if event.action == "procedure_status" else "published"))
    return sorted(entries, key=lambda entry: entry.at, reverse=True)
