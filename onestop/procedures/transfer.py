"""Import and export of the catalogue: CSV, Excel and JSON, and the appendix tables of publication decisions.

An import is all-or-nothing: every row is read and checked first; any bad row is reported with its
row number, column and reason and nothing is written. A dry run reports what would change.
"""
import csv
import io
import json
import re
from dataclasses import dataclass, field as dc_field
from pathlib import Path

from flask_babel import gettext as _
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from .. import audit
from ..auth.models import Agency
from ..extensions import db
from ..text import clean, fold, nfc
from . import services
from .models import Procedure, ProcedureVersion

DECISION_HEADINGS = {
    "stt": "no",
    "ma tthc": "code", "ma ho so tthc": "code", "ma thu tuc": "code", "ma thu tuc hanh chinh": "code", "ma so": "code",
    "ten thu tuc hanh chinh": "name", "ten thu tuc": "name", "ten tthc": "name",
    "thoi han giai quyet": "time_text", "thoi gian giai quyet": "time_text",
    "dia diem thuc hien": "where_to_apply",
    "co quan thuc hien": "agency_name",
    "phi, le phi": "fee_text", "phi le phi": "fee_text", "phi, le phi (neu co)": "fee_text", "le phi": "fee_text",
    "can cu phap ly": "legal_basis",
    "ghi chu": "notes",
    "linh vuc": "field",
}
LEVEL_WORDS = {"cap tinh": "province", "cap huyen": "district", "cap xa": "commune"}
ROMAN_OR_LETTER = re.compile(r"^([IVXLC]+|[A-Z])\.?$")


@dataclass
class ImportReport:
    created: list[str] = dc_field(default_factory=list)
    updated: list[str] = dc_field(default_factory=list)
    unchanged: list[str] = dc_field(default_factory=list)
    errors: list[tuple[int, str, str]] = dc_field(default_factory=list)  # (row, column, reason)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return _("%(created)s thêm mới, %(updated)s cập nhật, %(unchanged)s không đổi, %(errors)s lỗi",
                 created=len(self.created), updated=len(self.updated), unchanged=len(self.unchanged),
                 errors=len(self.errors))


# ------------------------------------------------------------------ reading files


def read_rows(filename: str, content: bytes) -> list[list]:
    """The sheet's rows as lists of cell values (strings or numbers)."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    if suffix == ".csv":
        text = content.decode("utf-8-sig")
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
        return [row for row in csv.reader(io.StringIO(text), dialect)]
    raise services.ProcedureError(_("Tệp phải là .csv, .xlsx hoặc .json."))


def records_from(filename: str, content: bytes) -> list[tuple[int, dict]]:
    """(row number as the user sees it, data) for each procedure in the file."""
    if Path(filename).suffix.lower() == ".json":
        try:
            items = json.loads(content.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise services.ProcedureError(_("Tệp JSON không đọc được: %(error)s", error=error))
        if isinstance(items, dict):
            items = items.get("procedures") or items.get("items") or []
        return [(index, item) for index, item in enumerate(items, start=1) if isinstance(item, dict)]
    rows = read_rows(filename, content)
    header_at, mode = find_header(rows)
    if header_at is None:
        raise services.ProcedureError(_("Không tìm thấy dòng tiêu đề (cần cột code/name hoặc «Mã TTHC», «Tên thủ tục hành chính»)."))
    header = [nfc(str(cell or "")).strip() for cell in rows[header_at]]
    if mode == "native":
        return [(number, native_record(header, row)) for number, row in enumerate(rows[header_at + 1:], start=header_at + 2)
                if any(cell not in (None, "") for cell in row)]
    return decision_records(header, rows, header_at)


def find_header(rows) -> tuple[int | None, str | None]:
    for index, row in enumerate(rows[:20]):
        cells = [fold(str(cell or "")) for cell in row]
        if "code" in cells and "name" in cells:
            return index, "native"
        mapped = {DECISION_HEADINGS.get(cell) for cell in cells}
        if "code" in mapped and "name" in mapped:
            return index, "decision"
    return None, None


def native_record(header, row) -> dict:
    data = {}
    for key, value in zip(header, row):
        if key in services.EXPORT_FIELDS:
            data[key] = value if not isinstance(value, str) else nfc(value)
    return data


def decision_records(header, rows, header_at) -> list[tuple[int, dict]]:
    columns = {index: DECISION_HEADINGS.get(fold(cell)) for index, cell in enumerate(header)}
    section_field, section_level = None, None
    records = []
    for number, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        values = {key: row[index] for index, key in columns.items() if key and index < len(row)}
        texts = {key: (nfc(str(value)).strip() if value not in (None, "") else "") for key, value in values.items()}
        if not any(texts.values()):
            continue
        if not re.match(r"^\d\.\d{6}", texts.get("code", "")):
            # A section row: its text sits in whichever merged cell the author used.
            heading = " ".join(nfc(str(cell)).strip() for cell in row if cell not in (None, ""))
            texts["name"] = re.sub(r"^\s*([IVXLC]+|[A-Z]|\d+)[.)]?\s+", "", heading)
            folded = fold(heading)
            for words, level in LEVEL_WORDS.items():
                if words in folded:
                    section_level = level
            match = re.search(r"linh vuc\s*(.*)$", folded)
            if match:
                original = re.split(r"(?i)lĩnh vực", texts.get("name") or heading, maxsplit=1)
                section_field = original[-1].strip(" :.-") or None
            if not texts.get("code") or ROMAN_OR_LETTER.match(texts.get("no", "").upper()) or match:
                continue
        records.append((number, {**texts, "_decision": True, "field": texts.get("field") or section_field,
                                 "level": section_level}))
    return records


# ------------------------------------------------------------------ free text of decisions


def parse_time(text: str) -> tuple[int, str]:
    """'10 ngày làm việc' -> (10, 'working_days'); raises ValueError when it cannot be read with confidence."""
    folded = fold(text)
    if not folded:
        raise ValueError(_("trống"))
    if folded.startswith("trong ngay") or folded in ("ngay", "trong ngay lam viec"):
        return 0, "same_day"
    found = set()
    for number, unit in re.findall(r"(\d+)\s*(ngay lam viec|ngay|gio lam viec|gio)", folded):
        found.add((int(number), {"ngay lam viec": "working_days", "ngay": "calendar_days",
                                 "gio lam viec": "working_hours", "gio": "working_hours"}[unit]))
    if len(found) == 1:
        return found.pop()
    if not found:
        raise ValueError(_("không đọc được «%(text)s»", text=text))
    raise ValueError(_("có nhiều thời hạn khác nhau trong «%(text)s»", text=text))


def parse_fee(text: str) -> int:
    """'50.000 đồng/hồ sơ' -> 50000; 'Không', 'Miễn phí' -> 0; raises ValueError when unsure."""
    folded = fold(text)
    if folded in ("", "khong", "mien phi", "khong thu", "khong co", "khong quy dinh", "0"):
        return 0
    amounts = {int(re.sub(r"[.,\s]", "", number)) for number in re.findall(r"\d{1,3}(?:[.,]\d{3})+|\d+", folded)}
    mentions_money = re.search(r"\d\s*(dong|d\b|vnd)", folded) is not None
    if len(amounts) == 1 and mentions_money:
        return amounts.pop()
    if not amounts or not mentions_money:
        raise ValueError(_("không đọc được «%(text)s»", text=text))
    raise ValueError(_("có nhiều mức phí khác nhau trong «%(text)s»; nhập mức phí bằng tay", text=text))


def decision_to_data(record: dict, defaults: dict) -> tuple[dict, list[tuple[str, str]]]:
    problems = []
    data = {key: record.get(key) or None for key in ("code", "name", "where_to_apply", "agency_name", "legal_basis",
                                                      "notes", "time_text", "fee_text")}
    data["field"] = record.get("field") or defaults.get("field")
    data["level"] = record.get("level") or defaults.get("level") or "province"
    data["agency_code"] = defaults.get("agency_code")
    try:
        data["time_amount"], data["time_unit"] = parse_time(record.get("time_text") or "")
    except ValueError as error:
        problems.append(("Thời hạn giải quyết", str(error)))
    try:
        data["fee"] = parse_fee(record.get("fee_text") or "")
    except ValueError as error:
        problems.append(("Phí, lệ phí", str(error)))
    return data, problems


# ------------------------------------------------------------------ import


COLUMN_LABELS = {"code": "Mã TTHC", "name": "Tên thủ tục hành chính", "field": "Lĩnh vực", "time_amount": "Thời hạn",
                 "time_unit": "Đơn vị thời hạn", "fee": "Phí, lệ phí", "agency_code": "Cơ quan", "level": "Cấp"}


def import_catalogue(filename: str, content: bytes, *, dry_run=False, user=None, defaults: dict | None = None,
                     progress=None) -> ImportReport:
    """Upsert by national code; writes nothing unless every row is valid (the caller commits)."""
    report = ImportReport()
    try:
        records = records_from(filename, content)
    except services.ProcedureError as error:
        report.errors.append((0, "", error.message))
        return report
    existing = {p.code: p for p in db.session.scalars(
        sa.select(Procedure).options(sa.orm.joinedload(Procedure.current).selectinload(ProcedureVersion.documents)))}
    planned, seen = [], {}
    agencies = {agency.code: agency for agency in db.session.scalars(sa.select(Agency))}
    for number, record in records:
        if record.pop("_decision", False):
            record, problems = decision_to_data(record, defaults or {})
            report.errors.extend((number, column, reason) for column, reason in problems)
            if problems:
                continue
            known = existing.get((clean(record.get("code")) or "").upper())
            if known is not None:  # a decision's table updates what it lists and keeps the rest
                base = services.procedure_to_dict(known.current)
                record = {**base, **{key: value for key, value in record.items() if value not in (None, "")}}
        try:
            cleaned = services.validate(record, agencies=agencies)
        except services.ProcedureError as error:
            report.errors.extend((number, COLUMN_LABELS.get(key, key), message) for key, message in error.errors.items())
            continue
        code = cleaned["code"]
        if code in seen:
            report.errors.append((number, "Mã TTHC", _("trùng mã với dòng %(row)s", row=seen[code])))
            continue
        seen[code] = number
        planned.append((code, cleaned))
        if progress:
            progress(len(planned), len(records))
    for code, cleaned in planned:
        procedure = existing.get(code)
        if procedure is None:
            report.created.append(code)
        elif services.differs(procedure, cleaned):
            report.updated.append(code)
        else:
            report.unchanged.append(code)
    if report.errors or dry_run:
        return report
    with db.session.no_autoflush:  # one flush for the whole file, not one per row
        for code, cleaned in planned:
            procedure = existing.get(code)
            if procedure is None:
                services.create_procedure({}, user, cleaned=cleaned, record=False)
            elif code in report.updated:
                services.update_procedure(procedure, {}, user, cleaned=cleaned, record=False)
    db.session.flush()
    audit.record("procedures_imported", user=user, object_type="Catalogue", object_id=filename[:64],
                 created=len(report.created), updated=len(report.updated))
    report.applied = True
    return report


# ------------------------------------------------------------------ export


def export_records(versions) -> list[dict]:
    records = []
    for version in versions:
        data = services.procedure_to_dict(version)
        data.pop("version")
        records.append(data)
    return records


def document_lines(documents) -> str:
    return "\n".join(f"{d['name']} | {d['kind']} | {d['copies']}" for d in documents)


def export_catalogue(fmt: str, versions) -> bytes:
    records = export_records(versions)
    if fmt == "json":
        return json.dumps({"procedures": records}, ensure_ascii=False, indent=1).encode("utf-8")
    rows = [[record[key] if key != "documents" else document_lines(record[key]) for key in services.EXPORT_FIELDS]
            for record in records]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(services.EXPORT_FIELDS)
        writer.writerows([["" if cell is None else cell for cell in row] for row in rows])
        return buffer.getvalue().encode("utf-8-sig")
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Thu tuc")
        sheet.append(list(services.EXPORT_FIELDS))
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    raise services.ProcedureError(_("Định dạng xuất phải là csv, xlsx hoặc json."))


def all_current_versions():
    return db.session.scalars(
        sa.select(ProcedureVersion).join(Procedure, Procedure.current_version_id == ProcedureVersion.id)
        .options(sa.orm.selectinload(ProcedureVersion.documents), sa.orm.joinedload(ProcedureVersion.agency),
                 sa.orm.joinedload(ProcedureVersion.procedure))
        .order_by(Procedure.code)
    ).all()


def clean_cell(value):
    return clean(value) if isinstance(value, str) else value
