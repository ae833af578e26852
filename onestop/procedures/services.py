"""Catalogue operations: plain functions that flush, never commit (the caller commits once)."""
import re
from datetime import date, time

from flask_babel import gettext as _
import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from .. import audit
from ..auth.models import Agency
from ..extensions import db
from ..text import clean, fold
from ..timeutil import local, now
from .models import (DOCUMENT_KINDS, LEVELS, ONLINE_LEVELS, STATUSES, TIME_UNITS, Procedure, ProcedureDocument,
                     ProcedureVersion)

CODE_RE = re.compile(r"^[0-9]\.[0-9]{6}(\.[0-9A-Z]{2,4})?$")
# The content fields of a version, in export order (documents follow as a list).
CONTENT_FIELDS = (
    "name", "field", "agency_code", "agency_name", "level", "time_amount", "time_unit", "time_text",
    "same_day_cutoff", "time_note", "fee", "fee_text", "online", "online_payment", "sets", "applicants", "steps", "result",
    "has_result_paper",
    "conditions", "legal_basis", "where_to_apply", "decision_number", "decision_date", "decision_signer", "notes",
    "code_suffix",
)
PUBLICATIONS = ("in_force", "draft")  # what an edit or an import makes; abolition has its own operation
EXPORT_FIELDS = ("code", "status", *CONTENT_FIELDS, "documents")


class ProcedureError(ValueError):
    """Catalogue input refused; `errors` maps each field to its message (Vietnamese, translatable)."""

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.message, self.errors = message, errors or {}


def procedure_to_dict(version: ProcedureVersion) -> dict:
    """One procedure as plain data: the API, the export and the comparison on import all use it."""
    procedure = version.procedure
    return {
        "code": procedure.code,
        "status": procedure.status,
        "name": version.name,
        "field": version.field,
        "agency_code": version.agency.code if version.agency else None,
        "agency_name": version.agency_name,
        "level": version.level,
        "time_amount": version.time_amount,
        "time_unit": version.time_unit,
        "time_text": version.time_text,
        "same_day_cutoff": version.same_day_cutoff.strftime("%H:%M") if version.same_day_cutoff else None,
        "time_note": version.time_note,
        "fee": version.fee_amount,
        "fee_text": version.fee_text,
        "online": version.online,
        "online_payment": version.online_payment,
        "sets": version.sets,
        "applicants": version.applicants,
        "steps": version.steps,
        "result": version.result,
        "has_result_paper": version.has_result_paper,
        "conditions": version.conditions,
        "legal_basis": version.legal_basis,
        "where_to_apply": version.where_to_apply,
        "decision_number": version.decision_number,
        "decision_date": version.decision_date.isoformat() if version.decision_date else None,
        "decision_signer": version.decision_signer,
        "notes": version.notes,
        "code_suffix": version.code_suffix,
        "documents": [{"name": d.name, "kind": d.kind, "copies": d.copies} for d in version.documents],
        "version": version.number,
    }


def _int(value, field, errors, minimum=0, maximum=10**12):
    if value in (None, ""):
        return None
    try:
        number = int(str(value).replace(".", "").strip()) if isinstance(value, str) else int(value)
    except (TypeError, ValueError):
        errors[field] = _("Phải là số nguyên.")
        return None
    if not minimum <= number <= maximum:
        errors[field] = _("Phải từ %(minimum)s đến %(maximum)s.", minimum=minimum, maximum=maximum)
        return None
    return number


def _bool(value) -> bool:
    if isinstance(value, bool):
        return value
    return fold(str(value or "")) in ("1", "true", "yes", "co", "x")


DOCUMENT_NAME_MAX = 2000


def parse_documents(value, errors: dict) -> list[dict]:
    """Documents as a list of dicts, or as text lines 'name | original/copy | copies'."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        items = []
        for line in value.splitlines():
            parts = [part.strip() for part in line.split("|")]
            if parts and parts[0]:
                items.append({"name": parts[0], "kind": parts[1] if len(parts) > 1 else "original",
                              "copies": parts[2] if len(parts) > 2 else 1})
        value = items
    documents = []
    kinds = {"ban chinh": "original", "ban sao": "copy", "ban chinh hoac ban sao": "original_or_copy"}
    for index, item in enumerate(value, start=1):
        name = clean(item.get("name")) if isinstance(item, dict) else None
        if not name:
            errors["documents"] = _("Giấy tờ thứ %(index)s không có tên.", index=index)
            continue
        if len(name) > DOCUMENT_NAME_MAX:
            errors["documents"] = _("Giấy tờ thứ %(index)s: tên tối đa %(max)d ký tự.", index=index,
                                    max=DOCUMENT_NAME_MAX)
            continue
        kind = clean(item.get("kind")) or "original"
        kind = kinds.get(fold(kind), kind)
        if kind not in DOCUMENT_KINDS:
            errors["documents"] = _("Giấy tờ «%(name)s»: loại phải là bản chính hoặc bản sao.", name=name)
            continue
        copies = _int(item.get("copies") or 1, "documents", errors, 1, 99) or 1
        documents.append({"name": name, "kind": kind, "copies": copies})
    return documents


# The longest text each field may hold: the columns' own lengths, and generous bounds on the Text columns (the
# national portal's longest steps and legal bases are a few thousand characters).
TEXT_LIMITS = {"name": 2000, "field": 255, "agency_name": 500, "time_text": 2000, "time_note": 2000, "fee_text": 2000,
               "applicants": 20_000, "steps": 20_000, "result": 5000, "conditions": 20_000, "legal_basis": 20_000,
               "where_to_apply": 5000, "decision_number": 64, "decision_signer": 255, "notes": 20_000,
               "code_suffix": 64}


def validate(data: dict, *, code_required=True, agencies: dict[str, Agency] | None = None) -> dict:
    """Clean and check a procedure's data; raises ProcedureError listing every problem."""
    errors: dict[str, str] = {}
    out: dict = {}
    code = (clean(data.get("code")) or "").upper()
    if code_required and not CODE_RE.match(code):
        errors["code"] = _("Mã thủ tục không đúng dạng (ví dụ 1.001193, 2.000635 hoặc 1.014199.H62).")
    out["code"] = code
    for key in ("name", "field", "agency_name", "time_text", "time_note", "fee_text", "applicants", "steps", "result",
                "conditions", "legal_basis", "where_to_apply", "decision_number", "decision_signer", "notes",
                "code_suffix"):
        out[key] = clean(data.get(key))
        if out[key] is not None and len(out[key]) > TEXT_LIMITS[key]:
            errors[key] = _("Tối đa %(max)d ký tự (đã nhập %(count)d).", max=TEXT_LIMITS[key], count=len(out[key]))
    if not out["name"] and "name" not in errors:
        errors["name"] = _("Nhập tên thủ tục.")
    if not out["field"] and "field" not in errors:
        errors["field"] = _("Nhập lĩnh vực.")
    out["level"] = data.get("level") or "province"
    if out["level"] not in LEVELS:
        errors["level"] = _("Cấp thực hiện phải là tỉnh, huyện, xã hoặc áp dụng chung.")
    out["time_unit"] = data.get("time_unit") or "working_days"
    if out["time_unit"] not in TIME_UNITS:
        errors["time_unit"] = _("Đơn vị thời hạn phải là ngày làm việc, ngày, giờ làm việc hoặc trong ngày.")
    out["time_amount"] = _int(data.get("time_amount"), "time_amount", errors, 0, 3650)
    if out["time_amount"] is None:
        if out["time_unit"] == "same_day":
            out["time_amount"] = 0
        elif "time_amount" not in errors:
            errors["time_amount"] = _("Nhập thời hạn giải quyết.")
    cutoff = clean(data.get("same_day_cutoff"))
    out["same_day_cutoff"] = None
    if cutoff:
        match = re.fullmatch(r"(\d{1,2})[:h](\d{2})", cutoff)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            errors["same_day_cutoff"] = _("Giờ tiếp nhận cuối phải dạng HH:MM.")
        else:
            out["same_day_cutoff"] = time(int(match[1]), int(match[2]))
    out["fee"] = _int(data.get("fee"), "fee", errors)  # None: the publication states no amount
    out["online"] = data.get("online") or "none"
    if out["online"] not in ONLINE_LEVELS:
        errors["online"] = _("Mức trực tuyến phải là toàn trình, một phần hoặc không.")
    out["online_payment"] = _bool(data.get("online_payment"))
    # a result paper unless said otherwise: an import or a form that does not mention it keeps the default
    out["has_result_paper"] = True if data.get("has_result_paper") in (None, "") else _bool(data["has_result_paper"])
    out["sets"] = _int(data.get("sets") or 1, "sets", errors, 1, 50) or 1
    out["decision_date"] = _date(data.get("decision_date"), "decision_date", errors)
    out["effective_from"] = _date(data.get("effective_from"), "effective_from", errors)
    out["version_status"] = data.get("version_status") or "in_force"
    if out["version_status"] not in PUBLICATIONS:
        errors["version_status"] = _("Phiên bản phải là bản nháp hoặc có hiệu lực.")
    out["agency"] = None
    agency_code = clean(data.get("agency_code"))
    if agency_code:
        out["agency"] = (agencies.get(agency_code.upper()) if agencies is not None
                         else db.session.scalar(sa.select(Agency).filter_by(code=agency_code.upper())))
        if out["agency"] is None:
            errors["agency_code"] = _("Không có cơ quan mã %(code)s.", code=agency_code)
    elif out["agency_name"]:
        out["agency"] = agency_by_name(out["agency_name"], agencies)
    out["status"] = data.get("status") or "in_force"
    if out["status"] not in STATUSES:
        errors["status"] = _("Trạng thái phải là đang áp dụng, tạm ngưng hoặc bãi bỏ.")
    out["documents"] = parse_documents(data.get("documents"), errors)
    if errors:
        raise ProcedureError(_("Thông tin thủ tục chưa hợp lệ."), errors)
    return out


def _date(value, field: str, errors: dict) -> date | None:
    if isinstance(value, date):
        return value
    if not clean(value):
        return None
    try:
        return date.fromisoformat(clean(value)[:10])
    except ValueError:
        errors[field] = _("Ngày phải dạng YYYY-MM-DD.")
        return None


def agency_by_name(name: str, agencies: dict[str, Agency] | None = None) -> Agency | None:
    wanted = fold(name)
    for agency in (agencies.values() if agencies is not None else _agencies()):
        if fold(agency.name) == wanted:
            return agency
    return None


def _agencies() -> list[Agency]:
    return db.session.scalars(sa.select(Agency)).all()


def _new_version(procedure: Procedure, clean_data: dict, number: int, user=None) -> ProcedureVersion:
    version = ProcedureVersion(
        procedure=procedure, number=number, created_by_id=user.id if user is not None else None,
        agency=clean_data["agency"], status=clean_data.get("version_status") or "in_force",
        # a first version was in force before anyone typed it in; a later one applies from the day it is made
        effective_from=clean_data.get("effective_from") or (today() if number > 1 else None),
        **{key: clean_data.get(key) for key in CONTENT_FIELDS if key not in ("agency_code", "fee")},
    )
    version.fee, version.fee_known = clean_data["fee"] or 0, clean_data["fee"] is not None
    if version.agency is not None and not version.agency_name:
        version.agency_name = version.agency.name
    version.documents = [ProcedureDocument(position=i, **doc) for i, doc in enumerate(clean_data["documents"])]
    version.search_text = fold(" ".join(filter(None, [procedure.code, version.name, version.field,
                                                      version.agency_name])))
    return version


def comparable(data: dict) -> dict:
    """The content of cleaned data as procedure_to_dict would give it (to tell a real edit from none)."""
    return {
        **{key: data.get(key) for key in CONTENT_FIELDS if key not in ("agency_code", "same_day_cutoff", "decision_date")},
        "agency_code": data["agency"].code if data.get("agency") else None,
        "agency_name": data.get("agency_name") or (data["agency"].name if data.get("agency") else None),
        "same_day_cutoff": data["same_day_cutoff"].strftime("%H:%M") if data.get("same_day_cutoff") else None,
        "decision_date": data["decision_date"].isoformat() if data.get("decision_date") else None,
        "status": data.get("status"),
        "documents": data.get("documents"),
    }


def differs(procedure: Procedure, data: dict) -> bool:
    current = procedure_to_dict(procedure.current)
    current.pop("version")
    current.pop("code")
    return current != comparable(data)


def today() -> date:
    return local(now()).date()


def publication_differs(procedure: Procedure, data: dict) -> bool:
    """The content changed, or a procedure known only as a draft is now published as it stands."""
    published = (data.get("version_status") or "in_force") == "in_force"
    return differs(procedure, data) or (procedure.current.status == "draft" and published)


def create_procedure(data: dict, user=None, *, cleaned: dict | None = None, record=True) -> Procedure:
    data = cleaned or validate(data)
    if record and db.session.scalar(sa.select(Procedure.id).filter_by(code=data["code"])):
        raise ProcedureError(_("Mã thủ tục đã có trong danh mục."), {"code": _("Mã thủ tục đã có trong danh mục.")})
    procedure = Procedure(code=data["code"], status=data["status"])
    version = _new_version(procedure, data, 1, user)
    db.session.add_all([procedure, version])
    procedure.current = version  # a draft too, while nothing is published: the staff list shows it as a draft
    if record:
        db.session.flush()
        audit.record("procedure_created", procedure, user=user)
    return procedure


def update_procedure(procedure: Procedure, data: dict, user=None, *, cleaned: dict | None = None,
                     record=True) -> ProcedureVersion | None:
    """A new version when the content changed; None when nothing changed (no version is made).

    An edit by hand (record) may not start before a version already published to start later: it would supersede
    that announced change (an abolition, a new time) without anyone deciding so. A decision's import may."""
    data = cleaned or validate({**data, "code": procedure.code})
    if record:  # two editors at once: the second waits, then numbers its version after the first's
        db.session.refresh(procedure, with_for_update=True)
    if not publication_differs(procedure, data):
        return None
    if record and (data.get("version_status") or "in_force") != "draft":
        _refuse_over_announced(procedure, data.get("effective_from") or today())
    procedure.admin_status = data["status"]
    version = _new_version(procedure, data, last_number(procedure) + 1, user)
    db.session.add(version)
    from .publishing import newest, refresh_dates

    procedure.current = newest(procedure)  # the new version unless it is a draft beside a published one
    refresh_dates(procedure)
    if record:
        db.session.flush()
        audit.record("procedure_updated", procedure, user=user, version=version.number)
    return version


def _refuse_over_announced(procedure: Procedure, starts: date) -> None:
    announced = [v for v in procedure.versions if v.status != "draft" and v.starts > max(starts, today())]
    if announced:
        first = min(announced, key=lambda v: v.starts)
        message = _("Phiên bản %(n)s đã công bố, áp dụng từ ngày %(d)s: phiên bản sửa phải có hiệu lực từ ngày đó "
                    "trở đi.", n=first.number, d=first.starts.strftime("%d/%m/%Y"))
        raise ProcedureError(message, {"effective_from": message})


def last_number(procedure: Procedure) -> int:
    return db.session.scalar(sa.select(sa.func.max(ProcedureVersion.number)).filter_by(procedure_id=procedure.id)) or 0


def set_status(procedure: Procedure, status: str, user=None) -> None:
    if status not in STATUSES:
        raise ProcedureError(_("Trạng thái không hợp lệ."))
    if procedure.admin_status != status:
        procedure.admin_status = status
        db.session.flush()
        audit.record("procedure_status", procedure, user=user, status=status)


def get_by_code(code: str) -> Procedure | None:
    return db.session.scalar(sa.select(Procedure).filter_by(code=(clean(code) or "").upper()))


def search(q=None, field=None, agency_id=None, level=None, online=None, status=None, public=False, ahead=False):
    """Versions matching every folded word of q (with or without diacritics, any case).

    public: the version in force today of each procedure a citizen may use (no draft, nothing suspended or
    abolished by today), and with `ahead` also the first version of a procedure published to start later.
    Staff (not public): each procedure's newest version, `status` as it stands today."""
    from .publishing import in_force_on, shown_on

    if public:
        query = (sa.select(ProcedureVersion).join(Procedure, Procedure.id == ProcedureVersion.procedure_id)
                 .where(Procedure.admin_status == "in_force", (shown_on if ahead else in_force_on)(today())))
    else:
        query = sa.select(ProcedureVersion).join(Procedure, Procedure.current_version_id == ProcedureVersion.id)
        if status:
            query = query.where(Procedure.status == status)
    # lists print the code, the status and what changes when: no query per row
    query = query.options(contains_eager(ProcedureVersion.procedure).selectinload(Procedure.versions))
    for word in fold(q).split():
        query = query.where(ProcedureVersion.search_text.like(f"%{word}%"))
    if field:
        query = query.where(ProcedureVersion.field == field)
    if agency_id:
        query = query.where(ProcedureVersion.agency_id == agency_id)
    if level:
        query = query.where(ProcedureVersion.level == level)
    if online:
        query = query.where(ProcedureVersion.online == online)
    return query.order_by(ProcedureVersion.field, ProcedureVersion.name)


def choices(on: date | None = None) -> list[tuple[str, str]]:
    """(code, name) of every procedure in force on `on` (today), for the desk's picker: two columns, not whole rows."""
    from .publishing import in_force_on

    query = (sa.select(Procedure.code, ProcedureVersion.name)
             .join(ProcedureVersion, ProcedureVersion.procedure_id == Procedure.id)
             .where(Procedure.admin_status == "in_force", in_force_on(on or today()))
             .order_by(ProcedureVersion.field, ProcedureVersion.name))
    return db.session.execute(query).all()


def fields() -> list[str]:
    query = (sa.select(ProcedureVersion.field).join(Procedure, Procedure.current_version_id == ProcedureVersion.id)
             .distinct().order_by(ProcedureVersion.field))
    return db.session.scalars(query).all()
