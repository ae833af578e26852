"""What each row of a decision's table says, what is wrong with it, and the administrator's corrections.

A row is clean, or carries problems that each name the cell (its column as the office wrote it) and
the value a person must give instead. A correction gives that value; leaving a row out needs a reason.
"""
import re
from dataclasses import dataclass, field as dc_field
from datetime import time

from flask_babel import gettext as _, lazy_gettext as _l

from ..text import clean, fold
from .decisions import TableRow
from .models import LEVELS, TIME_UNITS
from .values import CodeReading, FeeReading, note_contradicts, read_code, read_fee, read_time, split_name_and_code

COLUMN_DEFAULTS = {"code": _l("Mã TTHC"), "name": _l("Tên thủ tục hành chính"), "time": _l("Thời hạn giải quyết"),
                   "fee": _l("Phí, lệ phí"), "field": _l("Lĩnh vực"), "level": _l("Cấp thực hiện"),
                   "notes": _l("Ghi chú"), "agency": _l("Cơ quan thực hiện"), "row": _l("Dòng")}
ONLINE_WORDS = (("toan trinh", "full"), ("muc do 4", "full"), ("mot phan", "partial"), ("muc do 3", "partial"),
                ("muc do 2", "none"), ("truc tiep", "none"), ("khong", "none"))


@dataclass
class Problem:
    column: str  # the header of the cell as the office wrote it
    message: str
    key: str  # the value a correction must give: code, name, field, level, time, fee, skip


@dataclass
class RowPlan:
    """One procedure row: what it says, what would be stored, what is wrong, and what the import does with it."""

    row: int
    status: str  # in_force, draft or abolished
    sheet: str | None = None  # the workbook's sheet (None in a CSV or a catalogue file)
    sheet_index: int = 0
    texts: dict = dc_field(default_factory=dict)  # the cells' text by role
    headers: dict = dc_field(default_factory=dict)
    section: str | None = None
    code: str | None = None
    code_suffix: str | None = None
    name: str | None = None
    field: str | None = None
    level: str | None = None
    online: str | None = None
    time_amount: int | None = None
    time_unit: str | None = None
    same_day_cutoff: time | None = None
    time_note: str | None = None  # the longer time for bulky or special requests, or by agreement
    fee: int | None = None
    fee_kind: str | None = None  # none, amount, unknown
    problems: list[Problem] = dc_field(default_factory=list)
    corrected: set[str] = dc_field(default_factory=set)
    left_out: str | None = None  # the reason the administrator gave
    action: str | None = None  # create, update, unchanged, abolish, absent
    record: dict | None = None  # the data given to the catalogue (native files: the file's own record)
    cleaned: dict | None = None

    def flag(self, role: str, key: str, message: str) -> None:
        column = self.headers.get(role) or str(COLUMN_DEFAULTS.get(role, role))
        self.problems.append(Problem(column, message, key))

    @property
    def clean(self) -> bool:
        return not self.problems

    @property
    def key(self) -> str:
        """The row's name in corrections and on the review page: '12' on the first sheet, '2.12' on the second."""
        return str(self.row) if not self.sheet_index else f"{self.sheet_index + 1}.{self.row}"

    @property
    def place(self) -> str:
        """The row as a message names it: '12', or '«Phụ lục II» 12' beyond the first sheet."""
        return str(self.row) if not self.sheet_index else f"«{self.sheet}» {self.row}"

    def as_json(self) -> dict:
        """The row as `procedures import --dry-run --json` prints it: the values as they would be stored."""
        return {
            "row": self.row, "sheet": self.sheet, "code": self.code, "name": self.name, "field": self.field,
            "level": self.level, "time_amount": self.time_amount, "time_unit": self.time_unit,
            "same_day_cutoff": self.same_day_cutoff.strftime("%H:%M") if self.same_day_cutoff else None,
            "fee": self.fee, "status": self.status,
            "problems": [{"column": problem.column, "message": problem.message} for problem in self.problems],
        }


def read_row(table_row: TableRow, options: dict) -> RowPlan:
    """The values a row's text says, each exactly or with a problem naming its cell."""
    texts = table_row.texts
    row = RowPlan(row=table_row.row, status=table_row.status, texts=texts, headers=table_row.headers,
                  section=table_row.section, sheet=table_row.sheet, sheet_index=table_row.sheet_index)
    if table_row.name_holds_code:
        row.name, code_text = split_name_and_code(texts.get("name"))
        code = read_code(code_text) if code_text else CodeReading(problem=_("không tìm thấy mã thủ tục trong ô tên"))
        code_role = "name"
    elif not clean(texts.get("code")) and split_name_and_code(texts.get("name"))[1]:  # a blank code cell, the code in the name
        row.name, code_text = split_name_and_code(texts.get("name"))
        code, code_role = read_code(code_text), "name"
    else:
        row.name, code, code_role = clean(texts.get("name")), read_code(texts.get("code")), "code"
    row.code, row.code_suffix = code.code, code.suffix
    if code.problem:
        row.flag(code_role, "code", code.problem)
    if not row.name:
        row.flag("name", "name", _("ô tên thủ tục để trống"))
    row.field = clean(texts.get("field")) or table_row.field or clean(options.get("field"))
    if row.status == "abolished":
        return row
    row.level = table_row.level or options.get("level")
    row.online = online_level(texts.get("online"))
    if options.get("draft"):
        row.status = "draft"
    reading = read_time(texts.get("time"), table_row.time_unit) if "time" in texts else None
    if reading is None:
        row.flag("time", "time", _("bảng không có cột thời hạn giải quyết"))
    elif reading.problem:
        row.flag("time", "time", reading.problem)
    else:
        row.time_amount, row.time_unit, row.same_day_cutoff = reading.amount, reading.unit, reading.cutoff
        row.time_note = reading.note
        contradiction = note_contradicts(reading, texts.get("notes"))
        if contradiction:
            row.flag("notes", "time", contradiction)
    fee = read_fee(texts.get("fee"), table_row.fee_unit) if "fee" in texts else FeeReading("unknown")
    if fee.problem:
        row.flag("fee", "fee", fee.problem)
    else:
        row.fee, row.fee_kind = fee.value, fee.kind
    return row


def online_level(text: str | None) -> str | None:
    folded = fold(text)
    for words, level in ONLINE_WORDS:
        if words in folded:
            return level
    return None


# ------------------------------------------------------------------ corrections


def apply_corrections(row: RowPlan, correction: dict | None) -> None:
    """The administrator's values replace what the row said; each resolves the problems about that value."""
    if not correction:
        return
    if "skip" in correction:
        reason = clean(correction.get("skip"))
        if reason:
            row.left_out = reason
            row.problems = []
        else:
            row.flag("row", "skip", _("nêu lý do bỏ dòng này"))
        return
    resolved = set()
    if clean(correction.get("code")):
        code = read_code(correction["code"])
        if code.problem:
            row.flag("code", "code", code.problem)
        else:
            row.code, row.code_suffix = code.code, code.suffix or row.code_suffix
            resolved.add("code")
    for key in ("name", "field"):
        if clean(correction.get(key)):
            setattr(row, key, clean(correction[key]))
            resolved.add(key)
    if clean(correction.get("level")):
        if correction["level"] in LEVELS:
            row.level = correction["level"]
            resolved.add("level")
        else:
            row.flag("level", "level", _("cấp thực hiện không hợp lệ"))
    if clean(correction.get("time_unit")):
        if _correct_time(row, correction):
            resolved.add("time")
    if clean(correction.get("fee_kind")):
        if _correct_fee(row, correction):
            resolved.add("fee")
    row.problems = [problem for problem in row.problems if problem.key not in resolved]
    row.corrected |= resolved


def _correct_time(row: RowPlan, correction: dict) -> bool:
    unit = correction["time_unit"]
    amount = clean(str(correction.get("time_amount") or ""))
    cutoff = clean(correction.get("same_day_cutoff"))
    if unit not in TIME_UNITS:
        row.flag("time", "time", _("đơn vị thời hạn không hợp lệ"))
        return False
    if unit != "same_day" and not (amount and amount.isdigit() and 0 < int(amount) <= 3650):
        row.flag("time", "time", _("nhập số ngày hoặc số giờ (1 đến 3650)"))
        return False
    parsed = None
    if cutoff:
        match = re.fullmatch(r"(\d{1,2})[:h](\d{2})", cutoff)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            row.flag("time", "time", _("giờ tiếp nhận cuối phải dạng HH:MM"))
            return False
        parsed = time(int(match[1]), int(match[2]))
    row.time_unit = unit
    row.time_amount = 0 if unit == "same_day" else int(amount)
    row.same_day_cutoff = parsed if unit == "same_day" else None
    row.time_note = None
    return True


def _correct_fee(row: RowPlan, correction: dict) -> bool:
    kind = correction["fee_kind"]
    if kind == "amount":
        amount = re.sub(r"[.,\s]", "", str(correction.get("fee") or ""))
        if not amount.isdigit():
            row.flag("fee", "fee", _("nhập mức phí bằng số (đồng)"))
            return False
        row.fee = int(amount)
    elif kind in ("none", "unknown"):
        row.fee = 0 if kind == "none" else None
    else:
        row.flag("fee", "fee", _("loại phí không hợp lệ"))
        return False
    row.fee_kind = kind
    return True


# ------------------------------------------------------------------ checks across rows


def check_across(rows: list[RowPlan]) -> None:
    """A code published twice is reported on each row; a name repeated under another code on the later row."""
    taken = [row for row in rows if not row.left_out and row.code]
    by_code: dict[str, list[RowPlan]] = {}
    for row in taken:
        by_code.setdefault(row.code, []).append(row)
    for code, same in by_code.items():
        if len(same) > 1:
            numbers = ", ".join(row.place for row in same)
            for row in same:
                column = "name" if "code" not in row.texts else "code"
                row.flag(column, "code", _("mã %(code)s có ở các dòng %(rows)s", code=code, rows=numbers))
    seen: dict[tuple, RowPlan] = {}
    for row in taken:
        if row.status == "abolished" or not row.name or "name" in row.corrected:
            continue
        key = (row.section, row.level, fold(row.name))
        earlier = seen.get(key)
        if earlier is not None and earlier.code != row.code:
            row.flag("name", "name", _("tên giống dòng %(row)s (mã %(code)s): có thể chép nhầm tên", row=earlier.place,
                                       code=earlier.code))
        seen.setdefault(key, row)


CORRECTION_KEYS = ("code", "name", "field", "level", "time_amount", "time_unit", "same_day_cutoff", "fee_kind", "fee")


ROW_KEY = r"\d+(?:\.\d+)?"  # '12' on the first sheet, '2.12' on the second


def corrections_from_form(form) -> dict[str, dict]:
    """The review page's inputs ('fix-12-time_unit', 'skip-2.12', 'skip-2.12-reason') as corrections by row key."""
    found: dict[str, dict] = {}
    for name, value in form.items():
        match = re.fullmatch(rf"fix-({ROW_KEY})-(\w+)", name)
        if match and match[2] in CORRECTION_KEYS and clean(value):
            found.setdefault(match[1], {})[match[2]] = clean(value)
        match = re.fullmatch(rf"skip-({ROW_KEY})", name)
        if match:
            found[match[1]] = {"skip": form.get(f"skip-{match[1]}-reason") or ""}
    return found


def correction_key(key, sheets: list[tuple[str | None, int]]) -> str:
    """A correction's row as given ('12', 12, '2.12', or 'Phụ lục II!12' naming the sheet) as a row key."""
    text = str(key).strip()
    sheet, _sep, row = text.rpartition("!")
    if sheet and row.strip().isdigit():
        for title, index in sheets:
            if title is not None and fold(title) == fold(sheet.strip("'\" ")):
                return str(int(row)) if not index else f"{index + 1}.{int(row)}"
    if re.fullmatch(r"1\.\d+", text):  # the first sheet named by its number
        return text.split(".")[1]
    return text
