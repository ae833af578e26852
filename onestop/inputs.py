"""Strict input, shared by the pages, the API and the CLI: text of a bounded length with no control characters or
lone surrogates, lists of bounded size, whole numbers, dates between 1900 and 2100, page numbers.

Each check returns the clean value or raises InputError with a Vietnamese message naming the field; `collect`
turns that into an entry of a form's errors. The limits are named here, in one place.
"""
import json
import math
import re
from datetime import date, datetime

from flask_babel import gettext as _

from .text import nfc
from .timeutil import VN

NAME_MAX = 255  # names of people, organisations, agencies, users (the columns are String(255))
ADDRESS_MAX = 500
NOTE_MAX = 2000  # notes, reasons, requests: Text columns, bounded here
ITEM_MAX = 500  # one supplement item, refusal reason or document name
LIST_MAX = 50  # documents, items, reasons in one request
KEY_MAX = 64  # Idempotency-Key, submission_key (the column is String(64))
LABEL_MAX = 120
QUERY_MAX = 200  # a search box
PAGE_MAX = 100_000
FIRST_YEAR, LAST_YEAR = 1900, 2100

# C0 controls, DEL, C1 controls and lone surrogates; a multi-line field keeps tab, line feed and carriage return.
SINGLE_LINE_BAD = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
MULTI_LINE_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class InputError(ValueError):
    """A value that cannot be taken: `message` says why, in Vietnamese; `field` names it."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def has_bad_characters(value: str, multiline: bool = False) -> bool:
    return bool((MULTI_LINE_BAD if multiline else SINGLE_LINE_BAD).search(value))


def text(value, field: str, max_len: int, *, required: bool = False, multiline: bool = False) -> str | None:
    """A string, NFC, trimmed, at most `max_len` characters, without control characters; None when empty."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InputError(_("«%(field)s» phải là một chuỗi chữ.", field=field), field)
    if has_bad_characters(value, multiline):
        raise InputError(_("«%(field)s» chứa ký tự điều khiển hoặc ký tự không hợp lệ.", field=field), field)
    value = nfc(value).strip()
    if len(value) > max_len:
        raise InputError(_("«%(field)s» dài quá %(max)d ký tự.", field=field, max=max_len), field)
    if required and not value:
        raise InputError(_("Nhập «%(field)s».", field=field), field)
    return value or None


def text_list(value, field: str, max_items: int = LIST_MAX, max_len: int = ITEM_MAX) -> list[str]:
    """A list of strings (empty ones dropped), at most `max_items` of at most `max_len` characters each."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(_("«%(field)s» phải là một danh sách.", field=field), field)
    if len(value) > max_items:
        raise InputError(_("«%(field)s» có quá %(max)d mục.", field=field, max=max_items), field)
    return [item for item in (text(item, field, max_len) for item in value) if item]


def integer(value, field: str, lo: int, hi: int) -> int:
    """A whole number from lo to hi: an int, or a string of digits (a form); never a bool, a fraction, NaN."""
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d{1,18}\s*", value):
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
        raise InputError(_("«%(field)s» phải là số nguyên từ %(lo)d đến %(hi)d.", field=field, lo=lo, hi=hi), field)
    return value


def _in_years(value, field: str):
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise InputError(_("«%(field)s» phải trong khoảng năm %(first)d đến %(last)d.", field=field,
                           first=FIRST_YEAR, last=LAST_YEAR), field)
    return value


def day(value, field: str) -> date | None:
    """YYYY-MM-DD between 1900 and 2100; None when empty."""
    if value in (None, ""):
        return None
    try:
        parsed = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise InputError(_("«%(field)s» phải là ngày dạng YYYY-MM-DD.", field=field), field)
    return _in_years(parsed, field)


def moment(value, field: str) -> datetime | None:
    """ISO 8601 between 1900 and 2100; without an offset it is Vietnam time; None when empty."""
    if value in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) and len(value) <= 40 else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise InputError(_("«%(field)s» phải là thời điểm ISO 8601, ví dụ 2026-09-15T10:30:00+07:00.",
                           field=field), field)
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=VN)
    return _in_years(parsed, field)


def page_number(value) -> int:
    """?page=: 1 when absent, else a whole number from 1 to PAGE_MAX."""
    if value in (None, ""):
        return 1
    return integer(value, "page", 1, PAGE_MAX)


def _no_constant(name):
    raise InputError(_("Nội dung JSON không được chứa NaN hay Infinity."))


def _no_big_float(text_value):
    number = float(text_value)
    if not math.isfinite(number):
        raise InputError(_("Nội dung JSON không được chứa NaN hay Infinity."))
    return number


def strict_json(raw: bytes | str):
    """JSON as RFC 8259 has it: no NaN or Infinity (nor a number too large to be finite)."""
    return json.loads(raw, parse_constant=_no_constant, parse_float=_no_big_float)


def first_bad_string(value, path: str = "") -> str | None:
    """Where in a parsed JSON value a key or string holds a control character (other than tab and line breaks)
    or a lone surrogate; None when it holds none. Walked without recursion: any depth is fine."""
    stack = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if has_bad_characters(item, multiline=True):
                return where or "/"
        elif isinstance(item, dict):
            for key, inner in item.items():
                if has_bad_characters(key, multiline=False):
                    return where or "/"
                stack.append((inner, f"{where}.{key}" if where else key))
        elif isinstance(item, list):
            stack.extend((inner, f"{where}.{index}" if where else str(index)) for index, inner in enumerate(item))
    return None


def collect(errors: dict, field: str, check, *args, **kwargs):
    """Run one check; on InputError put its message under `field` in a form's errors and give None."""
    try:
        return check(*args, **kwargs)
    except InputError as error:
        errors[field] = error.message
        return None
