"""The appendix table of a publication decision (Quyết định công bố danh mục thủ tục hành chính), as offices lay it out.

Every office writes it a little differently: "TT", "STT" or "Số TT"; a name and its code in one column,
or the code inside the name; a header over two rows with title rows above it; section rows for the
field and the level; a second table of abolished procedures with its own header; several sheets, each
with its own. This module finds the header, follows the sections and hands back each procedure row with
the text of its cells; it reads no value (values.py does) and no file (sheets.py does).
"""
import re
from dataclasses import dataclass, field as dc_field
from datetime import date

from flask_babel import gettext as _

from ..text import fold
from .sheets import MAX_ROWS, TableError, cell_text, read_sheet, read_sheets

HEADER_SEARCH = 30
ROLE_LABELS = {  # what the reader looks for, to say so when a column is missing
    "name": ("Tên thủ tục hành chính", "Tên TTHC", "Thủ tục hành chính"),
    "code": ("Mã TTHC", "Mã số TTHC", "Mã thủ tục hành chính", "Số hồ sơ TTHC"),
    "time": ("Thời hạn giải quyết", "Thời gian giải quyết"),
}


@dataclass
class TableRow:
    """One procedure row: the text of each cell by its role, and what the sections above it say."""

    row: int  # as the sheet numbers it
    status: str  # in_force, or abolished under a "… bị bãi bỏ" heading
    texts: dict[str, str]
    headers: dict[str, str]  # role -> the header as the office wrote it (names the cell in a problem)
    section: str | None = None
    field: str | None = None  # from a field row or the title; None when the table names none
    level: str | None = None
    name_holds_code: bool = False
    fee_unit: str | None = None  # the fee header's unit ("Phí, lệ phí (đồng)"): dong, or nghin dong (thousands)
    time_unit: str | None = None  # the time header names its unit ("Thời hạn giải quyết (ngày làm việc)")
    sheet: str | None = None  # the workbook's sheet it is on (None in a CSV)
    sheet_index: int = 0  # the sheet's place in the workbook, from 0


@dataclass
class DecisionTable:
    rows: list[TableRow]
    header_row: int
    decision: dict = dc_field(default_factory=dict)  # number, date, signer as the title says
    ignored_columns: list[str] = dc_field(default_factory=list)
    problems: list[str] = dc_field(default_factory=list)  # about the whole file
    sheet: str | None = None
    sheet_index: int = 0


@dataclass
class DecisionFile:
    """Every sheet's table (each with its own header), and what was said about the sheets holding none."""

    tables: list[DecisionTable]
    notes: list[str] = dc_field(default_factory=list)  # a sheet with no procedure table (a note, a list)
    problems: list[str] = dc_field(default_factory=list)  # a sheet with procedure codes but no header found


# ------------------------------------------------------------------ headers


def heading_roles(text: str) -> set[str]:
    """The roles a header cell names: 'Tên thủ tục hành chính/ Mã thủ tục hành chính' -> {name, code}."""
    folded = fold(re.sub(r"\[\d+\]|\(\*+\)|\*+", "", text or ""))
    folded = re.sub(r"\((neu co|dong|muc do|vnd|vnđ)\)", "", folded).strip(" .:")
    roles = set()
    for part in re.split(r"\s*/\s*", folded):
        role = _part_role(part.strip())
        if role:
            roles.add(role)
    return roles


def _part_role(part: str) -> str | None:
    if part in ("tt", "stt", "so tt", "so thu tu"):
        return "no"
    if re.match(r"(ma|so hieu|so ho so|ma ho so)\b", part) and (
            "tthc" in part or "thu tuc" in part or part in ("ma", "ma so")):
        return "code"
    if re.match(r"ten (thu tuc|tthc)\b", part) or part in ("ten", "thu tuc hanh chinh", "thu tuc"):
        return "name"
    if "thoi han" in part or re.match(r"thoi gian (giai quyet|thuc hien)", part):
        return "time"
    if re.match(r"(phi|le phi|muc phi|muc thu)\b", part) and not part.startswith("phi dia gioi"):
        return "fee"
    if "dia diem" in part or part.startswith(("noi tiep nhan", "noi nop", "noi thuc hien")):
        return "where"
    if part.startswith(("can cu", "co so phap ly")) or "vbqppl" in part or "van ban quy pham" in part:
        return "legal"
    if part.startswith(("co quan", "don vi thuc hien")):
        return "agency"
    if part.startswith("ghi chu"):
        return "notes"
    if part.startswith("linh vuc"):
        return "field"
    if "dvc" in part or "truc tuyen" in part:
        return "online"
    if part.startswith("cach thuc"):
        return "method"
    return None


def header_map(row: list) -> dict[int, set[str]]:
    return {index: roles for index, value in enumerate(row) if (roles := heading_roles(cell_text(value)))}


def looks_like_header(mapped: dict[int, set[str]]) -> bool:
    roles = set().union(*mapped.values()) if mapped else set()
    return "name" in roles and len(roles & {"no", "code", "time", "fee", "where", "legal", "agency", "field"}) >= 2


def find_header(rows: list[list]) -> int:
    for index, row in enumerate(rows[:HEADER_SEARCH]):
        if looks_like_header(header_map(row)):
            return index
    raise TableError(missing_header_message(rows))


def missing_header_message(rows: list[list]) -> str:
    """Which columns were looked for and not found, and the row that came closest."""
    best_index, best = None, {}
    for index, row in enumerate(rows[:HEADER_SEARCH]):
        mapped = header_map(row)
        if len(mapped) > len(best):
            best_index, best = index, mapped
    found = set().union(*best.values()) if best else set()
    missing = [_("cột «%(role)s» (tìm %(labels)s)", role=labels[0], labels=", ".join(f"«{label}»" for label in labels))
               for role, labels in ROLE_LABELS.items() if role not in found and not (role == "code" and "name" in found)]
    message = _("Không tìm thấy dòng tiêu đề trong %(n)s dòng đầu: thiếu %(missing)s.", n=HEADER_SEARCH,
                missing="; ".join(missing) or _("cột số thứ tự, thời hạn hoặc phí"))
    if best_index is not None:
        closest = " | ".join(cell_text(value) for value in rows[best_index] if cell_text(value))
        message += " " + _("Dòng gần nhất là dòng %(row)s: «%(text)s».", row=best_index + 1, text=closest[:160])
    return message


# ------------------------------------------------------------------ sections and titles

NEW_OR_AMENDED = ("ban hanh moi", "moi ban hanh", "sua doi", "bo sung", "tiep tuc", "chuan hoa", "thay the", "cong bo moi")
ENUMERATOR = re.compile(r"^\s*([IVXLC]+|[A-ZĐ]|\d+)\s*[.)]?\s+", re.IGNORECASE)
FIELD_AFTER = re.compile(r"lĩnh\s+vực\s*[:：\-–]?\s*(.+)$", re.IGNORECASE | re.DOTALL)
FIELD_END = re.compile(r"\s*\(\s*\d+\s*(?:TTHC|thủ tục)[^)]*\)|\s+(?:thuộc|của|tại|được|áp dụng|trên địa bàn|do)\b.*$",
                       re.IGNORECASE | re.DOTALL)
ACRONYM = re.compile(r"^[A-ZĐ&]*&[A-ZĐ&]*$|^(TTHC|UBND|HĐND|CNTT|ĐMST|KH|CN)$")


def abolished_heading(folded: str) -> bool | None:
    """True under 'THỦ TỤC HÀNH CHÍNH BỊ BÃI BỎ', False under a heading of new or amended ones, else None."""
    if any(words in folded for words in NEW_OR_AMENDED):
        return False
    if "bai bo" in folded:
        return True
    return None


def level_of(folded: str) -> str | None:
    if "ap dung chung" in folded or (re.search(r"\bcap tinh\b", folded) and re.search(r"\bxa\b", folded)):
        return "shared"
    for words, level in (("cap tinh", "province"), ("cap xa", "commune"), ("cap huyen", "district")):
        if re.search(rf"\b{words}\b", folded):
            return level
    return None


def field_of(text: str) -> str | None:
    """'LĨNH VỰC: CHỨNG THỰC (12 TTHC)' -> 'Chứng thực'; '… TRONG LĨNH VỰC ĐIỆN LỰC THUỘC …' -> 'Điện lực'."""
    match = FIELD_AFTER.search(text)
    if not match:
        return None
    value = FIELD_END.sub("", " ".join(match[1].split())).strip(" .:;,-–()")
    return sentence_case(value) or None


def sentence_case(text: str) -> str:
    """A heading in capitals as the catalogue writes a field: 'BÁO CHÍ, XUẤT BẢN' -> 'Báo chí, xuất bản'."""
    if not text or text.upper() != text:
        return text
    words = [word if ACRONYM.match(word.strip(",;.()")) else word.lower() for word in text.split()]
    joined = " ".join(words)
    return joined[:1].upper() + joined[1:]


DECISION_NUMBER = re.compile(r"quyết định số\s*:?\s*(\d+\s*/\s*[^\s,;)]+)", re.IGNORECASE)
DECISION_DATE = re.compile(r"ngày\s+(\d{1,2})\s*(?:tháng\s+|[/.-])\s*(\d{1,2})\s*(?:năm\s+|[/.-])\s*(\d{4})",
                           re.IGNORECASE)
SIGNER = re.compile(r"\bcủa\s+((?:Chủ tịch|Ủy ban|UBND|Giám đốc|Bộ trưởng)[^)]*)", re.IGNORECASE)


def decision_from_title(lines: list[str]) -> dict:
    """Number, date and signer's office from '(Kèm theo Quyết định số 1949/QĐ-UBND ngày 18 tháng 11 năm 2025 của …)'."""
    for line in lines:
        if "quyết định" not in line.lower():
            continue
        found = {"number": None, "date": None, "signer": None}
        number = DECISION_NUMBER.search(line)
        if number:
            found["number"] = re.sub(r"\s+", "", number[1])
        when = DECISION_DATE.search(line)
        if when:
            try:
                found["date"] = date(int(when[3]), int(when[2]), int(when[1]))
            except ValueError:
                pass
        signer = SIGNER.search(line)
        if signer:
            found["signer"] = " ".join(signer[1].split()).rstrip(" .")
        if any(found.values()):
            return found
    return {"number": None, "date": None, "signer": None}


# ------------------------------------------------------------------ the rows


def read_table(filename: str, content: bytes) -> DecisionTable:
    """Every procedure row of the first sheet's appendix table, with its section's field, level and status."""
    return parse_table(read_sheet(filename, content))


PROCEDURE_CODE = re.compile(r"\b\d\.\d{6}\b")


def read_decision(filename: str, content: bytes) -> DecisionFile:
    """The tables of every sheet, each read with its own header. A sheet holding procedure codes but no header the
    reader knows is a problem (its rows would be lost); one holding neither is a note; no table at all is refused."""
    sheets = read_sheets(filename, content)
    found = DecisionFile(tables=[])
    missing = []
    for title, index, rows in sheets:
        try:
            found.tables.append(parse_table(rows, title, index))
        except TableError as error:
            missing.append((title, rows, str(error)))
    if not found.tables:
        raise TableError(missing[0][2] if missing else missing_header_message([]))
    for title, rows, message in missing:
        if any(PROCEDURE_CODE.search(cell_text(value)) for row in rows[:MAX_ROWS] for value in row):
            found.problems.append(_("Trang tính «%(sheet)s» có mã thủ tục nhưng không đọc được: %(message)s",
                                    sheet=title, message=message))
        else:
            found.notes.append(_("Trang tính «%(sheet)s» không có bảng thủ tục (không thấy dòng tiêu đề): bỏ qua.",
                                 sheet=title))
    return found


def parse_table(rows: list[list], sheet: str | None = None, sheet_index: int = 0) -> DecisionTable:
    """One sheet's procedure rows, read under its own header."""
    header_at = find_header(rows)
    columns = header_map(rows[header_at])
    columns, body_from = _second_header_row(rows, header_at, columns)
    titles = [" ".join(cell_text(v) for v in row if cell_text(v)) for row in rows[:header_at]]
    state = {"field": None, "level": None, "status": "in_force", "section": None}
    for title in titles:
        _follow_section(title, state, enumerated_only_for_level=True)
    table = DecisionTable(rows=[], header_row=header_at + 1, decision=decision_from_title(titles), sheet=sheet,
                          sheet_index=sheet_index)
    table.ignored_columns = _ignored(rows[header_at], columns)
    header = rows[header_at]
    for index in range(body_from, len(rows)):
        cells = rows[index]
        texts = [cell_text(value) for value in cells]
        if not any(texts):
            continue
        mapped = header_map(cells)
        if looks_like_header(mapped) and not _integer(_by_role(cells, columns, "no")):
            columns, header = mapped, cells  # a second table with its own header (the abolished ones)
            continue
        first = fold(next(text for text in texts if text))
        if first.startswith(("tong cong", "tong so", "cong:")):
            continue
        row = _procedure_row(index + 1, cells, columns, header, state)
        if row is None:
            _follow_section(" ".join(text for text in texts if text), state)
            continue
        row.sheet, row.sheet_index = sheet, sheet_index
        table.rows.append(row)
    return table


def _second_header_row(rows, header_at, columns):
    """A header over two rows ('Mã TTHC' under 'Tên TTHC'): the second row's roles join the first's."""
    if header_at + 1 >= len(rows):
        return columns, header_at + 1
    below = rows[header_at + 1]
    texts = [cell_text(value) for value in below]
    mapped = header_map(below)
    filled = [index for index, text in enumerate(texts) if text]
    roles = set().union(*mapped.values()) if mapped else set()
    # not a field row ("LĨNH VỰC: CHỨNG THỰC (12 TTHC)"): headings only, no numbers, and something new
    adds = any(not roles_below <= columns.get(index, set()) for index, roles_below in mapped.items())
    if (filled and len(mapped) == len(filled) and "field" not in roles and adds
            and not any(re.search(r"\d", texts[index]) for index in filled)):
        merged = {index: set(roles) for index, roles in columns.items()}
        for index, roles in mapped.items():
            merged.setdefault(index, set()).update(roles)
        return merged, header_at + 2
    return columns, header_at + 1


def _ignored(header: list, columns: dict[int, set[str]]) -> list[str]:
    used = {"no", "code", "name", "time", "fee", "where", "legal", "agency", "notes", "field", "online"}
    return [cell_text(value) for index, value in enumerate(header)
            if cell_text(value) and not (columns.get(index, set()) & used)]


def _by_role(cells, columns, role) -> str:
    for index, roles in columns.items():
        if role in roles and index < len(cells):
            return cell_text(cells[index], role)
    return ""


def _integer(text: str) -> bool:
    return bool(re.fullmatch(r"\d{1,4}\.?", text or ""))


def _procedure_row(number, cells, columns, header, state) -> TableRow | None:
    """The row as a procedure, or None when it is a section row (a field, a level, a sub-heading)."""
    texts, headers = {}, {}
    for index, roles in columns.items():
        for role in roles:
            if index < len(cells) and role not in texts:
                texts[role] = cell_text(cells[index], role)
                headers[role] = cell_text(header[index]) if index < len(header) else ""
    name_holds_code = "code" in columns.get(_column_of(columns, "name"), set()) or "code" not in texts
    if name_holds_code:
        texts.pop("code", None)
    code_like = re.compile(r"\d\s*\.\s*\d")  # a heading typed into the code column is not a code
    has_code = bool(code_like.search(texts.get("code", ""))) or (
        name_holds_code and re.search(r"\d\.\d{3,}", texts.get("name", "")))
    has_data = has_code or texts.get("time") or texts.get("fee")
    heading = fold(texts.get("name") or texts.get("no") or "")
    if not has_data and not (_integer(texts.get("no", "")) and texts.get("name")
                             and not heading.startswith(("linh vuc", "thu tuc hanh chinh", "danh muc"))):
        return None
    headers["row"] = ""
    return TableRow(row=number, status=state["status"], texts=texts, headers=headers, section=state["section"],
                    field=state["field"], level=state["level"], name_holds_code=bool(name_holds_code),
                    fee_unit=heading_unit(headers.get("fee"), FEE_UNITS),
                    time_unit=heading_unit(headers.get("time"), TIME_UNITS))


# A unit the heading states, in brackets or after a dash: "Thời hạn giải quyết (Ngày làm việc)",
# "THỜI GIAN GIẢI QUYẾT - NGÀY", "Phí, lệ phí (đồng)", "Mức thu (nghìn đồng)".
TIME_UNITS = ("ngay lam viec", "gio lam viec", "ngay")
FEE_UNITS = ("nghin dong", "ngan dong", "dong", "vnd", "vnđ")
UNIT_LEAD = r"(?:(?:don vi(?: tinh)?|tinh theo|tinh bang|theo|so)\s*:?\s*)?"


def heading_unit(heading: str | None, units: tuple[str, ...]) -> str | None:
    """The unit a column's heading states, folded ('ngay lam viec', 'dong', 'nghin dong'), or None."""
    folded = fold(heading)
    alternatives = "|".join(re.escape(unit) for unit in units)
    match = (re.search(rf"\(\s*{UNIT_LEAD}({alternatives})\s*(?:/\s*[a-z ]+)?\)", folded)  # "(đồng/hồ sơ)" too
             or re.search(rf"\s[-–—:]\s*{UNIT_LEAD}({alternatives})\s*$", folded))
    if not match:
        return None
    unit = match[1]
    return {"ngan dong": "nghin dong", "vnd": "dong", "vnđ": "dong"}.get(unit, unit)


def _column_of(columns, role):
    for index, roles in columns.items():
        if role in roles:
            return index
    return None


def _follow_section(text: str, state: dict, enumerated_only_for_level=False) -> None:
    """A section row sets what follows: abolished or not, then the field and the level it names."""
    folded = fold(text)
    abolished = abolished_heading(folded)
    if abolished is not None:
        state["status"] = "abolished" if abolished else "in_force"
    if not enumerated_only_for_level:
        state["section"] = ENUMERATOR.sub("", text).strip() or None
    if state["status"] == "abolished":
        return  # an abolished table's heading never names the field of the rows that stay in force
    found = field_of(text)
    if found:
        state["field"] = found
    if not enumerated_only_for_level or ENUMERATOR.match(text):
        level = level_of(folded)
        if level:
            state["level"] = level
