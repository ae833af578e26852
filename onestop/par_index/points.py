"""Points as whole hundredths (0.25 points is 25), read from what people type and shown back; the package's error."""
import re
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

POINTS_RE = re.compile(r"^-?\d{1,4}([.,]\d{1,2})?$")


class ParError(ValueError):
    """A refused PAR INDEX change: a Vietnamese message, the HTTP status (400 bad input, 403 not allowed, 404 not
    found, 409 locked or out of turn) and, where there are several, the problems by field ({"file": [each row's
    problem]} for an import, {"evidence": [numbers]} for a submission)."""

    def __init__(self, message: str, status: int = 400, errors: dict | None = None):
        super().__init__(message)
        self.message, self.status, self.errors = message, status, errors or {}


def to_cp(value, field: str, *, allow_negative: bool = False) -> int:
    """Hundredths of a point from a number or a text such as "2", "0,5", "1.25"; ParError naming the field."""
    if isinstance(value, bool) or value is None or value == "":
        raise ParError(_("«%(field)s» phải là số điểm (ví dụ 2 hoặc 0,5).", field=field))
    if isinstance(value, float):
        value = repr(round(value, 6))
    text = str(value).strip()
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ParError(_("«%(field)s» phải là số điểm (ví dụ 2 hoặc 0,5).", field=field)) from None
    if not number.is_finite() or abs(number) >= 10000 or number != number.quantize(Decimal("0.01")):
        raise ParError(_("«%(field)s»: tối đa hai chữ số thập phân và nhỏ hơn 10000.", field=field))
    if number < 0 and not allow_negative:
        raise ParError(_("«%(field)s» không được âm.", field=field))
    return int(number * 100)


def show(cp: int | None) -> float | None:
    """The points as a number for JSON and pages (2.5, 10.0), None stays None."""
    return None if cp is None else cp / 100
