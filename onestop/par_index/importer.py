"""Read a criteria set from the province's appendix as it publishes it: a few title rows, then a header row
("STT | Lĩnh vực/Tiêu chí/Tiêu chí thành phần | Điểm tối đa | Cách chấm | Tài liệu kiểm chứng"), then numbered
rows (1, 1.1, 1.1.1; an area may be numbered I, II …). Optional columns: "Loại trả lời" (Có/Không, Số, Tỷ lệ,
Điểm), "Bắt buộc kiểm chứng" (Có/Không), "Chỉ số đo" (an indicator the app measures) and "Thang điểm"
("100:1; 90:0,5; 0:0" — from the threshold, the share of the maximum).

Returns plain rows; sets.import_set writes them. Every problem is named with its row number, all at once."""
import re
import unicodedata
from dataclasses import dataclass, field

from flask_babel import gettext as _

from ..procedures.sheets import TableError, cell_text, read_sheet
from .points import ParError, to_cp

MAX_ERRORS = 30
COLUMNS = {  # what a header cell says (without accents, lower case) -> the column's role
    "number": ("stt", "so thu tu", "tt"),
    "title": ("linh vuc", "tieu chi", "noi dung"),
    "max": ("diem toi da", "diem chuan", "so diem toi da"),
    "scoring": ("cach cham", "huong dan cham", "phuong phap cham"),
    "evidence": ("tai lieu kiem chung", "kiem chung"),
    "kind": ("loai tra loi", "loai"),
    "required": ("bat buoc kiem chung", "bat buoc"),
    "indicator": ("chi so do", "chi so tu dong"),
    "scale": ("thang diem",),
}
KINDS = {"co/khong": "yes_no", "co khong": "yes_no", "yes_no": "yes_no", "so": "number", "number": "number",
         "ty le": "percent", "%": "percent", "percent": "percent", "diem": "points", "points": "points"}
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10, "XI": 11,
         "XII": 12}
NUMBER_RE = re.compile(r"^\d{1,3}(\.\d{1,3}){0,3}$")


def plain(text: str) -> str:
    """Lower case without Vietnamese accents, for matching header words."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return re.sub(r"\s+", " ", "".join(c for c in text if not unicodedata.combining(c))).strip().lower()


@dataclass
class Row:
    line: int  # the row's number in the sheet, as Excel shows it
    number: str
    title: str
    max_cp: int | None
    scoring: str | None = None
    evidence: str | None = None
    evidence_required: bool = False
    answer_kind: str = "points"
    indicator: str | None = None
    scale: list | None = None
    children: list = field(default_factory=list)

    @property
    def level(self) -> str:
        return ("area", "criterion", "sub", "sub")[self.number.count(".")]


def read_rows(filename: str, content: bytes, indicators: dict, survey_cp: int = 0) -> list[Row]:
    """The set's rows in order, each with its children; ParError (400) listing every problem with its row."""
    try:
        table = read_sheet(filename or "bang.xlsx", content)
    except TableError as error:
        raise ParError(str(error)) from None
    header_at, columns = _header(table)
    errors: list[str] = []
    rows: dict[str, Row] = {}
    stated_total = None
    for index, cells in enumerate(table[header_at + 1:], start=header_at + 2):
        value = {role: cell_text(cells[at]) if at < len(cells) else "" for role, at in columns.items()}
        raw = cells[columns["number"]] if columns["number"] < len(cells) else None
        number = _number(raw)
        if not number:
            if plain(value["title"]).startswith("tong"):  # Tổng cộng / Tổng điểm: checked against the sum
                stated_total = (index, value["max"])
            elif value["max"] and not value["title"] and not value["number"]:
                errors.append(_("Dòng %(row)s: có điểm nhưng thiếu số thứ tự và tên tiêu chí.", row=index))
            elif value["number"]:
                errors.append(_("Dòng %(row)s: số thứ tự «%(number)s» không hợp lệ (dạng 1, 1.1, 1.1.1).",
                                row=index, number=value["number"]))
            continue  # a note or an empty row
        try:
            row = _row(index, number, value, indicators)
        except ParError as error:
            errors.append(error.message)
            continue
        if number in rows:
            errors.append(_("Dòng %(row)s: số thứ tự %(number)s đã có ở dòng %(first)s.", row=index, number=number,
                            first=rows[number].line))
            continue
        parent = number.rpartition(".")[0]
        if parent and parent not in rows:
            errors.append(_("Dòng %(row)s: %(number)s nằm dưới %(parent)s nhưng chưa có dòng %(parent)s ở trên.",
                            row=index, number=number, parent=parent))
            continue
        if parent:
            rows[parent].children.append(row)
        rows[number] = row
        if len(errors) >= MAX_ERRORS:
            break
    if not rows and not errors:
        errors.append(_("Bảng không có dòng tiêu chí nào dưới dòng tiêu đề."))
    areas = [row for row in rows.values() if "." not in row.number]
    for area in areas:
        _check_sums(area, errors)
    if stated_total and not errors:
        _check_total(stated_total, areas, survey_cp, errors)
    if errors:
        raise ParError(_("Bảng tiêu chí có %(count)s lỗi; chưa có gì được lưu.", count=len(errors)),
                       errors={"file": errors})
    return list(rows.values())


def _header(table: list[list]) -> tuple[int, dict[str, int]]:
    for at, cells in enumerate(table[:30]):
        found = {}
        for column, cell in enumerate(cells):
            text = plain(cell_text(cell))
            for role, words in COLUMNS.items():
                if role not in found and text and any(text == word or text.startswith(word) for word in words):
                    found[role] = column
                    break
        if {"number", "title", "max"} <= set(found):
            return at, found
    raise ParError(_("Không tìm thấy dòng tiêu đề bảng (cần các cột «STT», «Lĩnh vực/Tiêu chí/Tiêu chí thành "
                     "phần» và «Điểm tối đa») trong 30 dòng đầu."))


def _number(raw) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        text = str(int(raw)) if float(raw).is_integer() else repr(raw)
    else:
        text = cell_text(raw).rstrip(".").strip()
    if text.upper() in ROMAN:
        return str(ROMAN[text.upper()])
    return text if NUMBER_RE.match(text) else None


def _row(line: int, number: str, value: dict, indicators: dict) -> Row:
    if not value["title"]:
        raise ParError(_("Dòng %(row)s: thiếu tên tiêu chí.", row=line))
    max_cp = None
    if value["max"]:
        try:
            max_cp = to_cp(value["max"], _("Điểm tối đa"))
        except ParError as error:
            raise ParError(_("Dòng %(row)s: %(problem)s", row=line, problem=error.message)) from None
    kind_text = plain(value.get("kind", ""))
    if kind_text and kind_text not in KINDS:
        raise ParError(_("Dòng %(row)s: loại trả lời «%(kind)s» không rõ (Có/Không, Số, Tỷ lệ, Điểm).", row=line,
                         kind=value["kind"]))
    evidence = value.get("evidence") or None
    required_text = plain(value.get("required", ""))
    required = required_text in ("co", "x", "yes", "bat buoc") if required_text else bool(
        evidence and plain(evidence) not in ("khong", "-"))
    indicator = value.get("indicator") or None
    if indicator and indicator not in indicators:
        raise ParError(_("Dòng %(row)s: chỉ số đo «%(name)s» không có; các chỉ số: %(known)s.", row=line,
                         name=indicator, known=", ".join(sorted(indicators))))
    scale = None
    if value.get("scale"):
        try:
            scale = parse_scale(value["scale"])
        except ParError as error:
            raise ParError(_("Dòng %(row)s: %(problem)s", row=line, problem=error.message)) from None
    if indicator and scale is None:
        raise ParError(_("Dòng %(row)s: tiêu chí đo tự động cần «Thang điểm».", row=line))
    return Row(line=line, number=number, title=value["title"], max_cp=max_cp, scoring=value.get("scoring") or None,
               evidence=evidence, evidence_required=required, answer_kind=KINDS.get(kind_text, "points"),
               indicator=indicator, scale=scale)


def parse_scale(text) -> list[list[float]]:
    """"100:1; 90:0,5; 0:0" (or a list [[100, 1], …]) -> [[100, 1.0], [90, 0.5], [0, 0.0]], highest first."""
    if isinstance(text, list):
        pairs = text
    else:
        pairs = [part.split(":") for part in re.split(r"[;\n]", str(text)) if part.strip()]
    scale = []
    for pair in pairs:
        try:
            threshold, share = (float(str(item).strip().replace(",", ".").rstrip("%")) for item in pair)
        except (TypeError, ValueError):
            raise ParError(_("Thang điểm phải có dạng «100:1; 90:0,5; 0:0» (ngưỡng : phần của điểm tối đa)."))\
                from None
        if not 0 <= share <= 1:
            raise ParError(_("Thang điểm: phần của điểm tối đa phải từ 0 đến 1."))
        scale.append([threshold, share])
    if not scale:
        raise ParError(_("Thang điểm phải có dạng «100:1; 90:0,5; 0:0» (ngưỡng : phần của điểm tối đa)."))
    return sorted(scale, key=lambda pair: -pair[0])


def _check_sums(row: Row, errors: list[str]) -> int:
    """A parent's maximum is the sum of its children's (filled in when the table leaves it blank)."""
    if not row.children:
        if row.max_cp is None:
            errors.append(_("Dòng %(row)s: thiếu điểm tối đa.", row=row.line))
            return 0
        return row.max_cp
    total = sum(_check_sums(child, errors) for child in row.children)
    if row.max_cp is None:
        row.max_cp = total
    elif row.max_cp != total:
        errors.append(_("Dòng %(row)s: điểm tối đa của %(number)s là %(stated)s nhưng tổng các tiêu chí bên dưới là "
                        "%(sum)s.", row=row.line, number=row.number, stated=_fmt(row.max_cp), sum=_fmt(total)))
    return row.max_cp


def _check_total(stated: tuple[int, str], areas: list[Row], survey_cp: int, errors: list[str]) -> None:
    """The table's "Tổng cộng" row: the areas' sum, with or without the survey's points."""
    line, text = stated
    if not text:
        return
    try:
        total = to_cp(text, _("Tổng điểm"))
    except ParError as error:
        errors.append(_("Dòng %(row)s: %(problem)s", row=line, problem=error.message))
        return
    found = sum(area.max_cp or 0 for area in areas)
    if total not in (found, found + survey_cp):
        errors.append(_("Dòng %(row)s: tổng điểm ghi %(stated)s nhưng tổng các lĩnh vực là %(sum)s.", row=line,
                        stated=_fmt(total), sum=_fmt(found)))


def _fmt(cp: int) -> str:
    return f"{cp / 100:g}".replace(".", ",")
