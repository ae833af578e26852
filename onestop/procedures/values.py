"""Reading the values of a published table: a processing time, a fee, a procedure code.

Each reader returns what the text says exactly, or a problem saying why it cannot be read; it never
guesses. A wrong value taken silently (15 hours read from "sau 15 giờ") is the worst outcome: a time
that depends on the case, the stage or the channel, and a fee in tiers, are problems for a person.
"""
import re
import unicodedata
from datetime import time
from typing import NamedTuple

from flask_babel import gettext as _

from ..text import clean, fold

TIME_UNITS_READ = {"ngay lam viec": "working_days", "ngay": "calendar_days", "gio lam viec": "working_hours",
                   "ngay lich": "calendar_days"}
UNIT_WORDS = {"ngay lam viec": "ngày làm việc", "ngay": "ngày", "gio lam viec": "giờ làm việc", "gio": "giờ",
              "thang": "tháng", "tuan": "tuần", "nam": "năm", "ngay lich": "ngày theo lịch"}


class TimeReading(NamedTuple):
    amount: int | None = None
    unit: str | None = None  # working_days, calendar_days, working_hours, same_day
    cutoff: time | None = None  # the procedure's own same-day cut-off ("nếu tiếp nhận sau 15 giờ")
    problem: str | None = None
    note: str | None = None  # a longer time for bulky or special requests, or by agreement, as published


class FeeReading(NamedTuple):
    kind: str  # none (the text says no fee), amount, unknown (not stated or set elsewhere), problem
    amount: int | None = None
    problem: str | None = None

    @property
    def value(self) -> int | None:
        """What is stored: 0 for no fee, the amount, None when not known."""
        return {"none": 0, "amount": self.amount}.get(self.kind)


# ------------------------------------------------------------------ numbers written in words

DIGIT_WORDS = {"khong": 0, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "lam": 5,
               "sau": 6, "bay": 7, "tam": 8, "chin": 9}


def words_to_number(words: str) -> int | None:
    """'muoi' -> 10, 'hai muoi mot' -> 21, 'mot tram linh nam' -> 105 (folded words); None if not a number."""
    tokens = words.split()
    if not tokens:
        return None
    total = 0
    if "tram" in tokens:
        index = tokens.index("tram")
        if index != 1 or tokens[0] not in DIGIT_WORDS:
            return None
        total, tokens = DIGIT_WORDS[tokens[0]] * 100, tokens[2:]
        if tokens[:1] in (["linh"], ["le"]):
            tokens = tokens[1:]
    if "muoi" in tokens:
        index = tokens.index("muoi")
        before, after = tokens[:index], tokens[index + 1:]
        if len(before) > 1 or len(after) > 1 or any(word not in DIGIT_WORDS for word in before + after):
            return None
        tens = DIGIT_WORDS[before[0]] if before else 1
        return total + tens * 10 + (DIGIT_WORDS[after[0]] if after else 0)
    if len(tokens) == 1 and tokens[0] in DIGIT_WORDS:
        return total + DIGIT_WORDS[tokens[0]]
    return total if not tokens and total else None


def _spelled_numbers(folded: str) -> tuple[str, str | None]:
    """'muoi (10) ngay' and '02 (hai) ngay' become '10 ngay' / '02 ngay'; a disagreement is a problem."""
    problem = None

    def digits_then_words(match):
        nonlocal problem
        spelled = words_to_number(match[2])
        if spelled is not None and spelled != int(match[1]):
            problem = _("số «%(digits)s» và chữ «%(words)s» không khớp", digits=match[1], words=match[2])
        return f"{match[1]} " if spelled is not None else match[0]

    def words_then_digits(match):
        nonlocal problem
        words = match[1].split()
        for start in range(max(0, len(words) - 5), len(words)):
            spelled = words_to_number(" ".join(words[start:]))
            if spelled is not None:
                if spelled != int(match[2]):
                    problem = _("số «%(digits)s» và chữ «%(words)s» không khớp", digits=match[2],
                                words=" ".join(words[start:]))
                return " ".join(words[:start] + [match[2]]) + " "
        return match[0]

    folded = re.sub(r"(\d+)\s*\(([a-z ]+)\)\s*", digits_then_words, folded)
    folded = re.sub(r"([a-z ]+?)\s*\((\d+)\)\s*", words_then_digits, folded)
    return folded, problem


# ------------------------------------------------------------------ times

SAME_DAY = re.compile(r"\btrong ngay\b(?! lam viec tiep theo)(?! tiep theo)")
CUTOFF = re.compile(r"\b(?:sau|truoc|qua)\s+(\d{1,2})\s*(?:gio\b|h(?![a-z]))(?:\s*(\d{1,2})(?:\s*phut)?)?")
DURATION = re.compile(r"(?<![\d/.,])(\d{1,4})\s*(ngay lam viec|ngay (?:theo )?(?:duong )?lich|ngay|gio lam viec|gio|thang|"
                      r"tuan|nam)\b")
DATES = re.compile(r"\bngay\s+\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\bnam\s+\d{4}")
REDUCTION_NOTE = re.compile(r"\(\s*(?:da\s+)?(?:cat giam|giam|rut ngan)[^()]*\)")
REDUCED_TO = re.compile(r"(?:xuong|con)\s+(?:con\s+)?(\d{1,4})\s*ngay")
# Where a cell's main time ends and what follows it begins: a sentence, a line, or "…, hoặc có thể kéo dài …"
# (never a semicolon: "nhiều loại bản chính; bản chính có nhiều trang; …" lists the cases of one extension).
CLAUSE_BREAK = re.compile(r"[.]\s+|\n+|\s*(?:,\s*(?:hoac\s+)?|\s+hoac\s+)(?=co the\s+(?:duoc\s+)?keo dai\b)")
EXTENSION = re.compile(r"\bkeo dai\b")
# A heading's unit read into a cell that says only "ngày" (or "giờ" under a working-hours heading).
SHORTHAND = {("ngay", "ngay lam viec"): "ngay lam viec", ("ngay", "ngay"): "ngay",
             ("gio", "gio lam viec"): "gio lam viec"}


def read_time(text: str | None, unit_hint: str | None = None) -> TimeReading:
    """A processing time as published: '10 ngày làm việc', 'Mười (10) ngày làm việc', '27 ngày',
    '04 giờ làm việc', 'ngay trong ngày … nếu tiếp nhận sau 15 giờ …' (same day, 15:00 cut-off).

    unit_hint is the unit the column's heading states ('ngay lam viec' under "Thời hạn giải quyết (ngày làm
    việc)"): it reads a bare number, and a cell's "ngày", in that unit; a cell's own full unit wins; a cell whose
    unit the heading contradicts ("02 ngày" under working hours) is a problem.

    A main time followed by a conditional extension ("… kéo dài thêm không quá 02 ngày làm việc" for bulky
    requests, "hoặc có thể kéo dài hơn theo thỏa thuận") is the main time, with the extension kept as a note.
    Alternatives of equal standing (by outcome, channel or stage) stay a problem."""
    original = clean(text)
    if not original:
        return TimeReading(problem=_("ô thời hạn để trống"))
    whole = _read_time(original, unit_hint)
    if not whole.problem and not EXTENSION.search(fold(original)):
        return whole
    main, extension = split_extension(original)
    if main and extension:
        reading = _read_time(main, unit_hint)
        if not reading.problem:
            return reading._replace(note=extension)
    return whole


def split_extension(text: str) -> tuple[str | None, str | None]:
    """(the main time's clauses, the extension's clauses) of a cell whose first clause names no extension."""
    folded = _fold_in_place(text)
    bounds = [0] + [match.end() for match in CLAUSE_BREAK.finditer(folded)] + [len(text)]
    main, extension = [], []
    for start, end in zip(bounds, bounds[1:]):
        clause, extended = text[start:end].strip(), EXTENSION.search(folded[start:end])
        if not clause:
            continue
        if extended and DURATION.search(folded[start:start + extended.start()]):
            return None, None  # a time before "kéo dài" in its clause: a stage or a case of its own, not an extension
        (extension if extended else main).append(clause)
    if not main or not extension or EXTENSION.search(folded[:bounds[1]]):
        return None, None
    note = " ".join(extension).strip(" ,;")
    note = re.sub(r"^(?:hoặc|và)\s+", "", note, flags=re.IGNORECASE)
    return " ".join(main), note[:1].upper() + note[1:]


def _fold_in_place(text: str) -> str:
    """fold() keeping every character's place, so a match in the folded text marks the original's words."""
    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("d")
        elif ch.isspace():
            out.append(" ")
        else:
            out.append((unicodedata.normalize("NFD", ch)[0].lower() or ch)[:1])
    return "".join(out)


def _read_time(original: str, unit_hint: str | None) -> TimeReading:
    folded = fold(original)
    if unit_hint in TIME_UNITS_READ and re.fullmatch(r"\d{1,4}", folded):
        return TimeReading(int(folded), TIME_UNITS_READ[unit_hint])
    notes = REDUCTION_NOTE.findall(folded)
    folded = REDUCTION_NOTE.sub(" ", folded)
    folded, spelled_problem = _spelled_numbers(folded)
    if spelled_problem:
        return TimeReading(problem=spelled_problem)
    folded = DATES.sub(" ", folded)
    cutoff, cutoff_match = None, CUTOFF.search(folded)
    if cutoff_match:
        hour, minute = int(cutoff_match[1]), int(cutoff_match[2] or 0)
        if hour > 23 or minute > 59:
            return TimeReading(problem=_("giờ tiếp nhận «%(text)s» không có thật", text=cutoff_match[0]))
        cutoff = time(hour, minute)
        folded = CUTOFF.sub(" ", folded)
    same_day = SAME_DAY.search(folded) is not None
    mentions = [(amount, "ngay lich" if unit.endswith("lich") else unit) for amount, unit in DURATION.findall(folded)]
    shown = ", ".join(f"«{amount} {UNIT_WORDS[unit]}»" for amount, unit in mentions)
    if unit_hint in TIME_UNITS_READ:
        for amount, unit in mentions:
            if unit in ("ngay", "gio") and (unit, unit_hint) not in SHORTHAND:
                return TimeReading(problem=_("ô ghi «%(amount)s %(unit)s» nhưng tiêu đề cột ghi «%(heading)s»",
                                             amount=amount, unit=UNIT_WORDS[unit], heading=UNIT_WORDS[unit_hint]))
        mentions = [(amount, SHORTHAND.get((unit, unit_hint), unit)) for amount, unit in mentions]
    if same_day:
        if mentions:
            return TimeReading(problem=_(
                "ngay trong ngày nhưng còn thời hạn khác (%(found)s): thời hạn tùy trường hợp", found=shown))
        return TimeReading(0, "same_day", cutoff)
    if not mentions:
        return TimeReading(problem=_("không có số ngày hoặc số giờ trong «%(text)s»", text=_short(original)))
    if len(mentions) > 1:
        return TimeReading(problem=_(
            "có %(n)s thời hạn (%(found)s): thời hạn tùy trường hợp, giai đoạn hoặc cách nộp", n=len(mentions),
            found=shown))
    amount, unit = int(mentions[0][0]), mentions[0][1]
    if unit == "gio":
        return TimeReading(problem=_("«%(amount)s giờ» không ghi là giờ làm việc", amount=amount))
    if unit not in TIME_UNITS_READ:
        return TimeReading(problem=_("đơn vị «%(unit)s» chưa dùng được cho thời hạn", unit=UNIT_WORDS[unit]))
    for note in notes:  # "(cắt giảm 01/03 ngày làm việc …)": three days cut by one must leave two
        cut = re.search(r"(\d+)\s*/\s*(\d+)", note)
        if cut and int(cut[2]) - int(cut[1]) != amount:
            return TimeReading(problem=_("cắt giảm %(cut)s/%(of)s ngày không khớp với thời hạn %(amount)s ngày",
                                         cut=cut[1], of=cut[2], amount=amount))
    return TimeReading(amount, TIME_UNITS_READ[unit])


def note_contradicts(reading: TimeReading, note: str | None) -> str | None:
    """A note such as 'Cắt giảm thời gian giải quyết từ 26 ngày xuống 24 ngày' that the time cell does not match."""
    if reading.problem or reading.unit == "same_day" or not clean(note):
        return None
    targets = {int(value) for value in REDUCED_TO.findall(fold(note))}
    if targets and reading.amount not in targets:
        return _("ghi chú ghi thời hạn %(note)s ngày, ô thời hạn ghi %(amount)s",
                 note=", ".join(str(value) for value in sorted(targets)), amount=reading.amount)
    return None


# ------------------------------------------------------------------ fees

NO_FEE = re.compile(r"(khong|khong co|khong thu|khong thu phi|khong thu le phi|khong thu phi,? le phi|khong phi|"
                    r"mien|mien phi|mien le phi|mien phi,? le phi|0|0 dong|-)")
NOT_SET = re.compile(r"(khong|chua) (co )?(quy|qui) dinh( cu the)?|khong xac dinh")
REFERS = re.compile(r"\btheo\b|nghi quyet|thong tu|nghi dinh|quyet dinh|\bluat\b|bo tai chinh|hdnd|quy dinh")
LABEL = re.compile(r"^(?:phi,? ?le phi|le phi|phi|muc thu|muc phi)\s*:\s*")
DOCUMENT_NUMBER = re.compile(r"\b\d+/\d{4}/[a-z0-9\-]+|\bso\s+\d+/[a-z0-9\-/]+")
MONEY = re.compile(r"(?<![\d.,])(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(dong|d|vnd)\b(?:\s*/\s*(\w+(?: \w+)?))?")
GROUPED = re.compile(r"(?<![\d.,/])\d{1,3}(?:[.,]\d{3})+(?![\d/,.])")
FOREIGN = re.compile(r"\b(usd|eur|euro|do la|yen)\b|\$")
PER_QUANTITY = ("trang", "ban", "ban sao", "to")


def read_fee(text: str | None, unit_hint: str | None = None) -> FeeReading:
    """A fee as published: 'Không' is no fee, '50.000 đồng/hồ sơ' one amount (dates are not amounts),
    'Không quy định' or a reference to another text is not known, tiers are a problem. A blank cell is
    not known either: it is 0 only when the text says there is none."""
    original = clean(text)
    if not original:
        return FeeReading("unknown")
    folded = LABEL.sub("", fold(original).strip(" .;:"))
    if NO_FEE.fullmatch(folded):
        return FeeReading("none", 0)
    if NOT_SET.fullmatch(folded):
        return FeeReading("unknown")
    scrubbed = DOCUMENT_NUMBER.sub(" ", DATES.sub(" ", folded))
    if FOREIGN.search(scrubbed):
        return FeeReading("problem", problem=_("có mức phí bằng ngoại tệ: nhiều mức theo nơi nộp"))
    money = MONEY.findall(scrubbed)
    grouped = GROUPED.findall(scrubbed)
    count = max(len(money), len(grouped))
    amounts = sorted({int(re.sub(r"[.,]", "", number)) for number, *_rest in money} |
                     {int(re.sub(r"[.,]", "", number)) for number in grouped})
    if count > 1:
        return FeeReading("problem", problem=_(
            "có %(n)s mức phí (%(amounts)s): phí theo bậc, theo thời gian hoặc theo trường hợp", n=count,
            amounts=", ".join(_money(amount) for amount in amounts)))
    if count == 1:
        per = money[0][2] if money else ""
        if per in PER_QUANTITY or re.search(r"/\s*trang\b|\btrang thu\b|\bmoi trang\b", scrubbed):
            return FeeReading("problem", problem=_("phí tính theo trang hoặc theo bản: không có một mức cho hồ sơ"))
        if "%" in scrubbed:
            return FeeReading("problem", problem=_("mức phí có phần giảm theo tỷ lệ: tùy cách nộp"))
        if not money and unit_hint == "nghin dong":
            return FeeReading("problem", problem=_("số «%(n)s» dưới tiêu đề nghìn đồng: ghi rõ số đồng", n=grouped[0]))
        if not money and unit_hint != "dong":
            return FeeReading("problem", problem=_("số «%(n)s» không ghi đơn vị tiền", n=grouped[0]))
        return FeeReading("amount", amounts[0])
    if unit_hint in ("dong", "nghin dong") and re.fullmatch(r"\d+", folded):  # "Phí, lệ phí (đồng)": a bare number
        return FeeReading("amount", int(folded) * (1000 if unit_hint == "nghin dong" else 1))
    if REFERS.search(folded):
        return FeeReading("unknown")
    return FeeReading("problem", problem=_("không có mức phí bằng số trong «%(text)s»", text=_short(original)))


# ------------------------------------------------------------------ codes

NATIONAL = re.compile(r"(\d\.\d{6})(?:\.([0-9A-Z][0-9A-Z.]*))?")
CODE_LIKE = re.compile(r"\d\.\d+(?:\.[0-9A-Z]+)*")


class CodeReading(NamedTuple):
    code: str | None = None  # the national code, e.g. 2.000908
    suffix: str | None = None  # the portal's suffix as published, e.g. 000.00.00.H61 or H50
    problem: str | None = None


def read_code(value) -> CodeReading:
    """'2.000908.00 0.00.00.H61' -> 2.000908 with suffix 000.00.00.H61; '1.01443' is a problem, never a heading."""
    if isinstance(value, float):  # a spreadsheet that stored the code as a number
        value = f"{value:.6f}"
    text = clean(value)
    if not text:
        return CodeReading(problem=_("ô mã thủ tục để trống"))
    compact = re.sub(r"\s+", "", text).upper().strip(".;,")
    found = CODE_LIKE.findall(compact)
    if len(found) > 1:
        return CodeReading(problem=_("ô có %(n)s mã (%(codes)s): mỗi dòng một thủ tục", n=len(found),
                                     codes=", ".join(found)))
    match = NATIONAL.fullmatch(compact)
    if not match:
        return CodeReading(problem=_(
            "mã «%(code)s» không đúng dạng: một chữ số, dấu chấm và sáu chữ số (ví dụ 1.004122)", code=text))
    return CodeReading(match[1], match[2])


# A code written inside the name cell: "… (1.004122)", "…. Mã TTHC: 2.002755", "…; 1.013401.H50", a second line.
EMBEDDED = (
    re.compile(r"[\s.;,]*\bMã\s*(?:số\s*)?(?:TTHC|thủ tục(?: hành chính)?)\s*[:：]?\s*(?P<code>\d\.[\d .;A-Z]+?)[\s.]*$",
               re.IGNORECASE),
    re.compile(r"\s*\((?P<code>\d\.[\d .;,A-Z]+)\)[\s.]*$"),
    re.compile(r"\s*[;\n]\s*(?P<code>\d\.\d[\d .A-Z]*?)[\s.]*$"),
)


def split_name_and_code(text: str | None) -> tuple[str | None, str | None]:
    """(name, code text) from a cell that holds both; code text None when the cell names no code."""
    text = clean(text)
    if not text:
        return None, None
    for pattern in EMBEDDED:
        match = pattern.search(text)
        if match:
            return clean(text[:match.start()].rstrip(" ;:,")), match["code"].strip()
    return text, None


def _short(text: str, size: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[:size - 1] + "…"


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"
