"""The catalogue in this software's own format: export to CSV, Excel and JSON, and read such a file back.

Importing (this format and the appendix tables of publication decisions) is planned and applied in
imports.py: all rows or none.
"""
import csv
import io
import json
from pathlib import Path

from flask_babel import gettext as _, lazy_gettext as _l
import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from ..extensions import db
from ..text import clean, csv_text, looks_like_formula, nfc, spreadsheet_text
from . import services
from .sheets import read_sheet
from .models import Procedure, ProcedureVersion

COLUMN_LABELS = {"code": _l("Mã TTHC"), "name": _l("Tên thủ tục hành chính"), "field": _l("Lĩnh vực"),
                 "time_amount": _l("Thời hạn"), "time_unit": _l("Đơn vị thời hạn"), "fee": _l("Phí, lệ phí"),
                 "agency_code": _l("Cơ quan"), "level": _l("Cấp")}


def native_records(filename: str, content: bytes) -> list[tuple[int, dict]] | None:
    """(row number as the user sees it, data) for each procedure of this software's own export; None for other tables."""
    if Path(filename).suffix.lower() == ".json":
        try:
            items = json.loads(content.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise services.ProcedureError(_("Tệp JSON không đọc được: %(error)s", error=error))
        except RecursionError:  # [[[[…]]]] nested deeper than the parser goes
            raise services.ProcedureError(_("Tệp JSON lồng nhau quá sâu: cần một danh sách thủ tục.")) from None
        if isinstance(items, dict):
            items = items.get("procedures") or items.get("items") or []
        if not isinstance(items, list):
            raise services.ProcedureError(_("Tệp JSON phải là một danh sách thủ tục (hoặc {\"procedures\": […]})."))
        return [(index, item) for index, item in enumerate(items, start=1) if isinstance(item, dict)]
    rows = read_sheet(filename, content)
    for index, row in enumerate(rows[:20]):
        header = [nfc(str(cell or "")).strip() for cell in row]
        if "code" in header and "name" in header:
            return [(number, native_record(header, cells)) for number, cells in enumerate(rows[index + 1:], start=index + 2)
                    if any(cell not in (None, "") for cell in cells)]
    return None


EXPORT_KEYS = frozenset(services.EXPORT_FIELDS)


def native_record(header, row) -> dict:
    return {key: nfc(value) for key, value in zip(header, row) if key in EXPORT_KEYS}


def import_catalogue(filename: str, content: bytes, *, dry_run=False, user=None, defaults: dict | None = None,
                     corrections: dict | None = None):
    """Plan and (unless a dry run or a row is flagged) apply; see imports.import_catalogue."""
    from .imports import import_catalogue as run

    return run(filename, content, dry_run=dry_run, user=user, options=defaults, corrections=corrections)


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
        writer.writerows([["" if cell is None else csv_text(cell) for cell in row] for row in rows])
        return buffer.getvalue().encode("utf-8-sig")
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Thu tuc")
        sheet.append(list(services.EXPORT_FIELDS))
        for row in rows:
            sheet.append([text_cell(sheet, value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    raise services.ProcedureError(_("Định dạng xuất phải là csv, xlsx hoặc json."))


def all_current_versions():
    return db.session.scalars(
        sa.select(ProcedureVersion).join(Procedure, Procedure.current_version_id == ProcedureVersion.id)
        .options(sa.orm.selectinload(ProcedureVersion.documents), sa.orm.joinedload(ProcedureVersion.agency),
                 sa.orm.joinedload(ProcedureVersion.procedure).selectinload(Procedure.versions))  # its status today
        .order_by(Procedure.code)
    ).all()


def text_cell(sheet, value):
    """A catalogue value for the sheet: text that looks like a formula is kept as text."""
    cell = WriteOnlyCell(sheet, value=spreadsheet_text(value))
    if looks_like_formula(cell.value):
        cell.data_type = "s"
    return cell


def clean_cell(value):
    """An imported cell; a ' that this export put before a formula-like text (CSV) is taken off again."""
    if isinstance(value, str) and value.startswith("'") and looks_like_formula(value[1:]):
        value = value[1:]
    return clean(value) if isinstance(value, str) else value
