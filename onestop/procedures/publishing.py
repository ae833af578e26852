"""Publishing like a province does: a version is a draft, in force from a date, or abolished from a date.

The version in force on a day is the newest published version (not a draft) whose start is on or
before that day: a later publication supersedes the earlier ones from its date, even when its date is
earlier than theirs (a decision signed last week, imported after a local edit made today). If that
version is an abolition, nothing is in force. The desk asks for the reception date; an application
keeps the version it was received under. The history says who changed what, and when.
"""
from dataclasses import dataclass, field as dc_field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _, lazy_gettext as _l

from .. import audit
from ..auth.models import AuditLog
from ..extensions import db
from .models import Procedure, ProcedureDocument, ProcedureVersion
from .services import CONTENT_FIELDS, ProcedureError, last_number, procedure_to_dict, today

EARLIEST = date(1900, 1, 1)  # a version stored without a start: in force since the catalogue began


def in_force_on(day: date):
    """Subquery (procedure_id, version_id) of the version in force on `day`, for every procedure that has one."""
    starts = sa.func.coalesce(ProcedureVersion.effective_from, sa.literal(EARLIEST, sa.Date))
    ranked = (sa.select(ProcedureVersion.procedure_id, ProcedureVersion.id.label("version_id"),
                        ProcedureVersion.status,
                        sa.func.row_number().over(partition_by=ProcedureVersion.procedure_id,
                                                  order_by=ProcedureVersion.number.desc())
                        .label("rank"))
              .where(ProcedureVersion.status != "draft", starts <= day).subquery())
    return (sa.select(ranked.c.procedure_id, ranked.c.version_id)
            .where(ranked.c.rank == 1, ranked.c.status == "in_force").subquery())


def version_on(procedure: Procedure, day: date) -> ProcedureVersion | None:
    """The published version that applies on `day` (an abolition included), or None before the first one."""
    published = [v for v in procedure.versions if v.status != "draft" and v.starts <= day]
    return max(published, key=lambda v: v.number) if published else None


def next_start(procedure: Procedure, day: date) -> ProcedureVersion | None:
    """The next published version that will take over after `day` (to say what changes, and from when)."""
    now = version_on(procedure, day)
    later = [v for v in procedure.versions if v.status != "draft" and v.starts > day
             and (now is None or v.number > now.number)]
    return min(later, key=lambda v: (v.starts, v.number)) if later else None


def publish(version: ProcedureVersion, effective_from: date | None, user=None) -> None:
    """A draft comes into force from a date; the catalogue shows it unless a later version is already published."""
    if version.status != "draft":
        raise ProcedureError(_("Chỉ công bố được bản nháp."))
    if effective_from is None:
        raise ProcedureError(_("Nhập ngày có hiệu lực."), {"effective_from": _("Nhập ngày có hiệu lực.")})
    procedure = version.procedure
    version.status, version.effective_from = "in_force", effective_from
    if procedure.current is None or procedure.current.status == "draft" or procedure.current.number < version.number:
        procedure.current = version
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
    procedure.current = version
    if effective_from <= today():
        procedure.status = "abolished"
    return version


# ------------------------------------------------------------------ history

HISTORY_LABELS = {
    "name": _l("Tên thủ tục"), "field": _l("Lĩnh vực"), "agency_code": _l("Cơ quan thực hiện"),
    "agency_name": _l("Cơ quan (như công bố)"), "level": _l("Cấp thực hiện"), "time": _l("Thời hạn"),
    "time_text": _l("Thời hạn (như công bố)"), "time_note": _l("Thời hạn kéo dài"), "fee": _l("Phí, lệ phí"), "fee_text": _l("Phí (như công bố)"),
    "online": _l("Trực tuyến"), "online_payment": _l("Thanh toán trực tuyến"), "sets": _l("Số bộ hồ sơ"),
    "applicants": _l("Đối tượng"), "steps": _l("Trình tự"), "result": _l("Kết quả"), "conditions": _l("Điều kiện"),
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
