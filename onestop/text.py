"""Text normalisation: NFC for everything that comes in, a folded form for search."""
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
