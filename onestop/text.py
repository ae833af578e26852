"""Text normalisation: NFC for everything that comes in, a folded form for search."""
import re
import unicodedata


def nfc(value):
    """NFC-normalise a string (decomposed Vietnamese prints with misplaced marks); pass others through."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return value


def clean(value):
    """NFC and surrounding whitespace removed; None for empty."""
    if value is None:
        return None
    value = nfc(str(value)).strip()
    return value or None


def fold(value: str | None) -> str:
    """Lower case without diacritics, đ as d, spaces collapsed: 'ĐĂNG KÝ' -> 'dang ky'."""
    if not value:
        return ""
    value = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    value = "".join(ch for ch in value if unicodedata.category(ch) != "Mn")
    return " ".join(value.lower().split())


# What a page, a PDF or a spreadsheet cannot show: controls other than tab and line breaks, and lone surrogates.
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
PRINT_MAX = 2000  # characters of one stored field put on paper: a 1 MiB note must not take a worker 30 s
CELL_MAX = 32_000  # Excel holds 32,767 characters in a cell
FORMULA_SIGNS = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet may read a cell starting so as a formula (OWASP)


def printable(value, limit: int = PRINT_MAX) -> str:
    """Any stored text made safe to render: unprintable characters dropped, NFC, cut at `limit` with '…'."""
    if value is None:
        return ""
    value = unicodedata.normalize("NFC", UNPRINTABLE.sub("", str(value)))
    return value if len(value) <= limit else value[:limit - 1] + "…"


def looks_like_formula(value) -> bool:
    """Text a spreadsheet would run as a formula (leading spaces are skipped by some, so they are here too)."""
    return isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_SIGNS)


def spreadsheet_text(value):
    """A value for a spreadsheet cell: text printable and within a cell's size; other values unchanged."""
    return printable(value, CELL_MAX) if isinstance(value, str) else value


def csv_text(value):
    """A CSV field: text that would start a formula is prefixed with ' (OWASP's advice on CSV injection)."""
    value = spreadsheet_text(value)
    return "'" + value if looks_like_formula(value) else value
