"""Importing into the catalogue: plan every row first, then write all of it or nothing.

The plan says, for each procedure row, what its text says, what would be stored (merged with the
catalogue's current version when the code is known), what is wrong and what the import would do. The
CLI (`procedures import`) and the upload page both call plan_import and apply_import; they flush and
never commit.
"""
import secrets
from dataclasses import dataclass, field as dc_field
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import audit
from ..auth.models import Agency
from ..database import utcnow
from ..extensions import db
from ..progress import counted
from ..text import clean, fold
from . import publishing, services, transfer
from .decisions import TableError, read_decision
from .models import CatalogueUpload, Procedure, ProcedureVersion
from .review import COLUMN_DEFAULTS, RowPlan, apply_corrections, check_across, correction_key, read_row

DECISION_KEYS = ("decision_number", "decision_date", "decision_signer")
# A validation error on a key names the cell it came from.
KEY_ROLES = {"code": ("code", "code"), "name": ("name", "name"), "field": ("field", "field"), "level": ("level", "level"),
             "time_amount": ("time", "time"), "time_unit": ("time", "time"), "same_day_cutoff": ("time", "time"),
             "fee": ("fee", "fee"), "agency_code": ("agency", "row"), "online": ("online", "row")}


@dataclass
class ImportPlan:
    filename: str
    kind: str  # decision (an appendix table) or catalogue (this software's own export)
    rows: list[RowPlan] = dc_field(default_factory=list)
    decision: dict = dc_field(default_factory=dict)  # number, date, signer
    effective_from: date | None = None
    problems: list[str] = dc_field(default_factory=list)  # about the whole file
    notes: list[str] = dc_field(default_factory=list)  # worth knowing, blocks nothing
    ignored_columns: list[str] = dc_field(default_factory=list)
    header_row: int | None = None
    applied: bool = False

    def codes(self, action: str) -> list[str]:
        return [row.code for row in self.rows if row.action == action and not row.left_out and row.clean]

    created = property(lambda self: self.codes("create"))
    updated = property(lambda self: self.codes("update"))
    unchanged = property(lambda self: self.codes("unchanged"))

    @property
    def flagged(self) -> list[RowPlan]:
        return [row for row in self.rows if not row.clean]

    @property
    def ok(self) -> bool:
        return not self.problems and not self.flagged

    @property
    def errors(self) -> list[tuple[int, str, str]]:
        """(row, column, reason) of every problem; row 0 for the whole file."""
        return ([(0, "", message) for message in self.problems] +
                [(row.row, problem.column, problem.message) for row in self.rows for problem in row.problems])

    def summary(self) -> dict:
        left_out = [{"row": row.row, "sheet": row.sheet, "code": row.code, "reason": row.left_out}
                    for row in self.rows if row.left_out]
        return {
            "file": self.filename, "format": self.kind, "header_row": self.header_row,
            "decision": {"number": self.decision.get("number"), "signer": self.decision.get("signer"),
                         "date": self.decision["date"].isoformat() if self.decision.get("date") else None},
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
            "rows": len(self.rows), "clean": len(self.rows) - len(self.flagged) - len(left_out),
            "flagged": len(self.flagged), "left_out": left_out,
            "corrected": [{"row": row.row, "sheet": row.sheet, "code": row.code, "values": sorted(row.corrected)}
                          for row in self.rows if row.corrected and not row.left_out],
            "create": self.created, "update": self.updated, "unchanged": self.unchanged,
            "abolish": self.codes("abolish"), "not_in_catalogue": self.codes("absent"),
            "problems": self.problems, "notes": self.notes, "ignored_columns": self.ignored_columns,
            "applied": self.applied,
        }

    def summary_text(self) -> str:
        return _("%(created)s thêm mới, %(updated)s cập nhật, %(unchanged)s không đổi, %(abolished)s bãi bỏ, "
                 "%(flagged)s dòng cần sửa, %(left_out)s dòng bỏ ra", created=len(self.created),
                 updated=len(self.updated), unchanged=len(self.unchanged), abolished=len(self.codes("abolish")),
                 flagged=len(self.flagged), left_out=sum(1 for row in self.rows if row.left_out))

    def as_json(self) -> dict:
        return {"rows": [row.as_json() for row in self.rows], "summary": self.summary()}


def plan_import(filename: str, content: bytes, *, options: dict | None = None,
                corrections: dict | None = None) -> ImportPlan:
    """Read every row and say what importing it would do; writes nothing."""
    options, corrections = options or {}, corrections or {}
    try:
        records = transfer.native_records(filename, content)
        if records is not None:
            return _plan_catalogue(filename, records, {str(key): value for key, value in corrections.items()})
        found = read_decision(filename, content)
    except (TableError, services.ProcedureError) as error:
        return ImportPlan(filename, "decision", problems=[str(getattr(error, "message", error))])
    tables = found.tables
    ignored = [column for table in tables for column in table.ignored_columns]
    plan = ImportPlan(filename, "decision", header_row=tables[0].header_row, problems=list(found.problems),
                      notes=list(found.notes), ignored_columns=list(dict.fromkeys(ignored)))
    sheets = [(table.sheet, table.sheet_index) for table in tables]
    corrections = {correction_key(key, sheets): value for key, value in corrections.items()}
    title = next((table.decision for table in tables if any(table.decision.values())), {})
    plan.decision = {key: options.get(f"decision_{key}") or title.get(key) for key in ("number", "date", "signer")}
    plan.effective_from = options.get("effective_from") or plan.decision.get("date")
    if not plan.decision.get("number"):
        plan.problems.append(_("Chưa có số quyết định công bố (tiêu đề bảng không ghi): nhập số quyết định."))
    if not plan.decision.get("date"):
        plan.problems.append(_("Chưa có ngày quyết định công bố: nhập ngày quyết định."))
    for table_row in (table_row for table in tables for table_row in table.rows):
        row = read_row(table_row, options)
        apply_corrections(row, corrections.get(row.key))
        plan.rows.append(row)
    check_across(plan.rows)
    existing = _existing([row.code for row in plan.rows if row.code])
    agencies = {agency.code: agency for agency in db.session.scalars(sa.select(Agency))}
    fields = {fold(name): name for name in services.fields()}  # "Hoạt động KH&CN" spelt as the catalogue spells it
    for row in plan.rows:
        row.field = fields.get(fold(row.field), row.field) if row.field else row.field
        if row.clean and not row.left_out:
            _decide(row, existing.get(row.code), plan, options, agencies)
    return plan


def _existing(codes: list[str]) -> dict[str, Procedure]:
    if not codes:
        return {}
    query = (sa.select(Procedure).where(Procedure.code.in_(set(codes)))
             .options(sa.orm.joinedload(Procedure.current).selectinload(ProcedureVersion.documents),
                      sa.orm.selectinload(Procedure.versions)))  # its status today is read from its dated versions
    return {procedure.code: procedure for procedure in db.session.scalars(query)}


def _decide(row: RowPlan, procedure: Procedure | None, plan: ImportPlan, options: dict, agencies: dict) -> None:
    """What the row would store (merged with the current version of a known code) and do; problems if it cannot."""
    if row.status == "abolished":
        row.action = "absent" if procedure is None else (
            "unchanged" if procedure.current.status == "abolished" else "abolish")
        return
    texts = row.texts
    read = {
        "code": row.code, "code_suffix": row.code_suffix, "name": row.name, "field": row.field, "level": row.level,
        "time_amount": row.time_amount, "time_unit": row.time_unit,
        "same_day_cutoff": row.same_day_cutoff.strftime("%H:%M") if row.same_day_cutoff else None,
        "time_note": row.time_note,
        "time_text": texts.get("time"), "where_to_apply": texts.get("where"), "agency_name": texts.get("agency"),
        "legal_basis": texts.get("legal"), "notes": texts.get("notes"), "online": row.online,
        "agency_code": options.get("agency_code"),
        "decision_number": plan.decision.get("number"), "decision_date": plan.decision.get("date"),
        "decision_signer": plan.decision.get("signer"),
        "version_status": "draft" if row.status == "draft" else "in_force", "effective_from": plan.effective_from,
    }
    record = {key: value for key, value in read.items() if value not in (None, "")}
    if clean(texts.get("fee")) or "fee" in row.corrected or procedure is None:  # a blank cell keeps the known fee
        record["fee"], record["fee_text"] = row.fee, clean(texts.get("fee"))
    if procedure is not None:
        base = services.procedure_to_dict(procedure.current)
        if procedure.current.agency is not None and not options.get("agency_code"):
            record.pop("agency_name", None)  # keep the agency the catalogue knows; the text stays in the old version
        read_anew = {"same_day_cutoff": None, "time_note": None} if row.time_unit else {}  # not the old version's
        record = {**base, **read_anew, **record}
        if base["status"] == "abolished":  # published again in force (a suspension stays the administrator's)
            record["status"] = "in_force"
    record.setdefault("level", "province")
    try:
        row.cleaned = services.validate(record, agencies=agencies)
    except services.ProcedureError as error:
        for key, message in error.errors.items():
            role, problem_key = KEY_ROLES.get(key, ("row", "row"))
            if key == "field":
                message = _("bảng không ghi lĩnh vực: nhập lĩnh vực (hoặc lĩnh vực mặc định khi tải lên)")
            row.flag(role, problem_key, message)
        return
    row.record = record
    row.level, row.field, row.fee = row.cleaned["level"], row.cleaned["field"], row.cleaned["fee"]
    row.time_amount, row.time_unit = row.cleaned["time_amount"], row.cleaned["time_unit"]
    row.same_day_cutoff = row.cleaned["same_day_cutoff"]
    if procedure is None:
        row.action = "create"
    else:
        ignored = {"decision_number", "decision_date", "decision_signer"}
        current = {k: v for k, v in services.procedure_to_dict(procedure.current).items() if k not in ignored}
        wanted = {k: v for k, v in services.comparable(row.cleaned).items() if k not in ignored}
        current.pop("version"), current.pop("code")
        row.action = "unchanged" if current == wanted and procedure.current.status == "in_force" else "update"


def _plan_catalogue(filename: str, records: list[tuple[int, dict]], corrections: dict) -> ImportPlan:
    """This software's own export (CSV, Excel, JSON): every field has its column; nothing is read from prose."""
    plan = ImportPlan(filename, "catalogue", header_row=1)
    existing = _existing([(clean(record.get("code")) or "").upper() for _n, record in records])
    agencies = {agency.code: agency for agency in db.session.scalars(sa.select(Agency))}
    seen: dict[str, int] = {}
    for number, record in records:
        row = RowPlan(row=number, status=record.get("status") or "in_force", record=record,
                      code=(clean(record.get("code")) or "").upper() or None, name=clean(record.get("name")))
        plan.rows.append(row)
        if "skip" in (corrections.get(str(number)) or {}):
            apply_corrections(row, corrections[str(number)])
            continue
        try:
            row.cleaned = services.validate(record, agencies=agencies)
        except services.ProcedureError as error:
            for key, message in error.errors.items():
                row.problems.append(_problem(str(transfer.COLUMN_LABELS.get(key, key)), message, key))
            continue
        cleaned = row.cleaned
        row.field, row.level, row.fee = cleaned["field"], cleaned["level"], cleaned["fee"]
        row.time_amount, row.time_unit, row.same_day_cutoff = (cleaned["time_amount"], cleaned["time_unit"],
                                                               cleaned["same_day_cutoff"])
        if row.code in seen:
            row.problems.append(_problem(str(COLUMN_DEFAULTS["code"]), _("trùng mã với dòng %(row)s", row=seen[row.code]),
                                         "code"))
            continue
        seen[row.code] = number
        procedure = existing.get(row.code)
        row.action = "create" if procedure is None else ("update" if services.differs(procedure, cleaned) else "unchanged")
    return plan


def _problem(column, message, key):
    from .review import Problem

    return Problem(column, message, key)


def apply_import(plan: ImportPlan, user=None, progress=None) -> ImportPlan:
    """Write every planned row, or nothing when any row is still flagged (the caller commits). `progress`
    (onestop.progress.Progress) advances by each row."""
    if not plan.ok:
        raise services.ProcedureError(_("Còn dòng chưa sửa hoặc chưa bỏ ra: không nhập dòng nào."))
    existing = _existing([row.code for row in plan.rows if row.code])
    decision = plan.decision
    with db.session.no_autoflush:  # one flush for the whole file, not one per row
        for row in counted(plan.rows, progress):
            if row.left_out or row.action in (None, "unchanged", "absent"):
                continue
            procedure = existing.get(row.code)
            if row.action == "create":
                services.create_procedure({}, user, cleaned=row.cleaned, record=False)
            elif row.action == "update":
                services.update_procedure(procedure, {}, user, cleaned=row.cleaned, record=False)
            elif row.action == "abolish":
                publishing.abolish(procedure, plan.effective_from or services.today(), user, decision=decision,
                                   notes=clean(row.texts.get("legal")))
    db.session.flush()
    plan.applied = True
    audit.record("procedures_imported", user=user, object_type="Catalogue", object_id=Path(plan.filename).name[:64],
                 decision=decision.get("number"), created=len(plan.created), updated=len(plan.updated),
                 abolished=len(plan.codes("abolish")),
                 left_out=[{"row": row.row, "sheet": row.sheet, "reason": row.left_out} for row in plan.rows if row.left_out])
    return plan


def import_catalogue(filename: str, content: bytes, *, dry_run=False, user=None, options: dict | None = None,
                     corrections: dict | None = None) -> ImportPlan:
    """Plan, and unless it is a dry run or something is flagged, apply (the caller commits)."""
    plan = plan_import(filename, content, options=options, corrections=corrections)
    if plan.ok and not dry_run:
        apply_import(plan, user)
    return plan


# ------------------------------------------------------------------ uploads waiting for review


def save_upload(filename: str, content: bytes, options: dict, user=None) -> CatalogueUpload:
    """Keep an uploaded table so its review and its import read the same bytes."""
    upload = CatalogueUpload(token=secrets.token_urlsafe(16), filename=Path(filename or "upload").name[:255],
                             content=content, options=options, uploaded_by_id=user.id if user is not None else None)
    db.session.add(upload)
    db.session.flush()
    return upload


def get_upload(token: str, lock=False) -> CatalogueUpload | None:
    """The upload; lock=True holds its row until the commit, so two administrators cannot import it twice."""
    query = sa.select(CatalogueUpload).filter_by(token=token)
    return db.session.scalar(query.with_for_update() if lock else query)


def import_upload(upload: CatalogueUpload, plan: ImportPlan, user=None) -> ImportPlan:
    """Apply a reviewed plan once; the upload records what was done and the rows left out with their reasons."""
    if upload.imported_at is not None:
        raise services.ProcedureError(_("Bảng này đã được nhập."))
    apply_import(plan, user)
    upload.imported_at, upload.imported_by_id = utcnow(), user.id if user is not None else None
    upload.summary = plan.summary()
    db.session.flush()
    return plan
