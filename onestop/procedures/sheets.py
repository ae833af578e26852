"""A table file's sheets as rows of cell values: CSV in the encodings offices save, every sheet of a workbook.

Bounded whatever the file declares: MAX_ROWS rows in all and MAX_COLUMNS columns. Reads no meaning (decisions.py
finds the header and the rows; values.py reads the values).
"""
import codecs
import csv
import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

from flask_babel import gettext as _
from openpyxl import load_workbook

from ..text import nfc

MAX_ROWS, MAX_COLUMNS = 20000, 60


class TableError(ValueError):
    """The file cannot be read as a table (wrong type, no header): one message for the whole file."""


def read_sheet(filename: str, content: bytes) -> list[list]:
    """The first sheet's rows as lists of cell values, capped (a declared dimension can lie)."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        return [list(row[:MAX_COLUMNS]) for row, _n in zip(open_workbook(content).active.iter_rows(values_only=True),
                                                            range(MAX_ROWS))]
    if suffix == ".csv":
        text = csv_text(content)
        return [row[:MAX_COLUMNS] for row, _n in zip(csv.reader(io.StringIO(text), csv_dialect(text)), range(MAX_ROWS))]
    raise TableError(_("Tệp phải là .csv, .xlsx hoặc .json."))


def read_sheets(filename: str, content: bytes) -> list[tuple[str | None, int, list[list]]]:
    """(title, place, rows) of every sheet that holds anything; a CSV is one sheet with no title. The rows of all
    sheets together are capped as one sheet's are."""
    if Path(filename).suffix.lower() != ".xlsx":
        return [(None, 0, read_sheet(filename, content))]
    sheets, left = [], MAX_ROWS
    for index, sheet in enumerate(open_workbook(content).worksheets):
        if left <= 0:
            break
        rows = [list(row[:MAX_COLUMNS]) for row, _n in zip(sheet.iter_rows(values_only=True), range(left))]
        left -= len(rows)
        if any(any(cell not in (None, "") for cell in row) for row in rows):
            sheets.append((sheet.title, index, rows))
    return sheets


def open_workbook(content: bytes):
    """The workbook read lazily (read-only: rows come one at a time, whatever dimension the file declares)."""
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise TableError(_("Tệp .xlsx này không phải bảng tính Excel: hãy mở bằng Excel và lưu lại dạng .xlsx."))
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # a damaged or mislabelled file: say so, never a 500
        raise TableError(_("Tệp Excel bị hỏng hoặc không phải dạng .xlsx: hãy mở bằng Excel và lưu lại dạng .xlsx."))


# Offices save CSV from Excel as UTF-8, UTF-16 ("Unicode text") or the Vietnamese Windows code page.
CSV_ENCODINGS = ("utf-8", "cp1258")


def csv_text(content: bytes) -> str:
    """The CSV's text: UTF-16 or UTF-8 by their byte-order mark, else UTF-8, else Windows-1258; a binary file is
    refused by name rather than read as a table of noise."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif content.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    else:
        candidates = list(CSV_ENCODINGS)
    for encoding in candidates:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not BINARY.search(text[:65536]):
            return nfc(text)
    raise TableError(_("Tệp CSV không đọc được: hãy lưu bảng dạng CSV UTF-8 (hoặc .xlsx)."))


BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # no text table holds these


def csv_dialect(text: str):
    """The delimiter the table uses (comma, semicolon or tab); a clear refusal when none can be seen."""
    if not text.strip():
        return csv.excel
    sample = text[:4096]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        pass
    counts = {delimiter: sample.count(delimiter) for delimiter in ",;\t"}  # title rows above the header have none
    delimiter = max(counts, key=counts.get)
    if counts[delimiter] == 0:
        raise TableError(_("Không nhận ra dấu phân cách cột của tệp CSV: các cột phải cách nhau bằng dấu phẩy (,), "
                           "chấm phẩy (;) hoặc tab."))
    dialect = type("Found", (csv.excel,), {"delimiter": delimiter})
    return dialect


def cell_text(value, role: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if role == "code":  # 2.00091 stored as a number was 2.000910
            return f"{value:.6f}"
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, (datetime, date)):
        return value.strftime("%d/%m/%Y")
    return nfc(str(value)).strip()
