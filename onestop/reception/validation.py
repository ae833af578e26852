"""Checks on what the desk types in: ID numbers, phones, e-mails; messages in Vietnamese, translatable."""
import re

from flask_babel import gettext as _

from ..text import clean

CCCD_RE = re.compile(r"^\d{12}$")
TAX_CODE_RE = re.compile(r"^\d{10}(-?\d{3})?$")
PHONE_RE = re.compile(r"^0(3|5|7|8|9)\d{8}$|^02\d{9}$|^1[89]00\d{4,6}$")
EMAIL_RE = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


class ReceptionError(ValueError):
    """Input the desk must correct; `errors` maps each field to its message."""

    status = 400

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class TransitionError(ReceptionError):
    """A step the application's state or the user's role does not allow."""

    status = 409


def normalise_phone(value: str | None) -> str | None:
    """'+84 912.345.678' -> '0912345678'."""
    value = clean(value)
    if value is None:
        return None
    digits = re.sub(r"[\s.\-()]", "", value)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def check_person(data: dict, prefix: str, errors: dict, *, kind: str = "person", require_address=True) -> dict:
    """Validated name, ID number, phone, e-mail and address of an applicant or representative."""
    name = clean(data.get("name"))
    id_number = (clean(data.get("id_number")) or "").replace(" ", "")
    phone = normalise_phone(data.get("phone"))
    email = clean(data.get("email"))
    address = clean(data.get("address"))
    if not name:
        errors[f"{prefix}name"] = _("Nhập họ tên (hoặc tên tổ chức).")
    elif len(name) > 255:
        errors[f"{prefix}name"] = _("Họ tên dài quá 255 ký tự.")
    if kind == "organisation":
        if not TAX_CODE_RE.match(id_number):
            errors[f"{prefix}id_number"] = _("Mã số thuế phải gồm 10 hoặc 13 chữ số.")
    elif not CCCD_RE.match(id_number):
        errors[f"{prefix}id_number"] = _("Số CCCD phải gồm đúng 12 chữ số.")
    if phone and not PHONE_RE.match(phone):
        errors[f"{prefix}phone"] = _("Số điện thoại không đúng định dạng Việt Nam (ví dụ 0912345678).")
    if email and (len(email) > 255 or not EMAIL_RE.match(email)):
        errors[f"{prefix}email"] = _("Địa chỉ thư điện tử không hợp lệ.")
    if require_address and not address:
        errors[f"{prefix}address"] = _("Nhập địa chỉ.")
    return {"name": name, "id_number": id_number, "phone": phone, "email": email, "address": address}
