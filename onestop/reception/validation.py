"""Checks on what the desk types in: ID papers, phones, e-mails; messages in Vietnamese, translatable."""
import re

from flask_babel import gettext as _

from .. import inputs
from ..text import clean
from .models import ORGANISATION_ID_KIND, PERSON_ID_KINDS

PERSONAL_ID_RE = re.compile(r"^\d{12}$")  # số định danh cá nhân: căn cước, CCCD
CMND_RE = re.compile(r"^\d{9}$")
PASSPORT_RE = re.compile(r"^(?=.*\d)[A-Z0-9]{5,20}$")  # Vietnamese: C1234567; foreign ones vary
OTHER_PAPER_RE = re.compile(r"^[\w./-]{1,20}$")
TAX_CODE_RE = re.compile(r"^(\d{10})(?:-?(\d{3}))?$")  # 10 digits, or 13 written 0101234567-001
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


def field_text(data: dict, key: str, prefix: str, errors: dict, max_len: int) -> str | None:
    """One text field of a person, strictly a string without control characters, or its error recorded."""
    return inputs.collect(errors, f"{prefix}{key}", inputs.text, data.get(key), f"{prefix}{key}", max_len)


def normalise_phone(value: str | None) -> str | None:
    """'+84 912.345.678' -> '0912345678'."""
    value = clean(value) if isinstance(value, str) else None
    if value is None:
        return None
    digits = re.sub(r"[\s.\-()]", "", value)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def check_id(kind: str, data: dict, prefix: str, errors: dict) -> dict:
    """The ID paper of an applicant or representative, each kind with its own check and message."""
    number = re.sub(r"\s", "", field_text(data, "id_number", prefix, errors, inputs.ITEM_MAX) or "")
    paper = field_text(data, "id_paper", prefix, errors, inputs.ITEM_MAX)
    if kind == "organisation":
        found = TAX_CODE_RE.match(number)
        if not found:
            errors[f"{prefix}id_number"] = _("Mã số thuế gồm 10 chữ số, hoặc 13 chữ số viết dạng 0101234567-001.")
        else:
            number = found.group(1) + (f"-{found.group(2)}" if found.group(2) else "")
        return {"id_kind": ORGANISATION_ID_KIND, "id_number": number, "id_paper": None}
    id_kind = field_text(data, "id_kind", prefix, errors, inputs.KEY_MAX) or "personal_id"
    if id_kind not in PERSON_ID_KINDS:
        errors[f"{prefix}id_kind"] = _("Loại giấy tờ phải là căn cước (CCCD), CMND, hộ chiếu hoặc giấy tờ khác.")
        return {"id_kind": id_kind, "id_number": number, "id_paper": None}
    if id_kind == "passport":
        number = number.upper()
    message = {
        "personal_id": _("Số định danh cá nhân (trên thẻ căn cước, CCCD) phải gồm đúng 12 chữ số."),
        "cmnd": _("Số CMND phải gồm đúng 9 chữ số (CMND 12 số: chọn loại căn cước, CCCD)."),
        "passport": _("Số hộ chiếu gồm 5 đến 20 chữ cái không dấu và chữ số, ví dụ C1234567."),
        "other": _("Nhập số của giấy tờ (tối đa 20 ký tự, không dấu cách)."),
    }[id_kind]
    pattern = {"personal_id": PERSONAL_ID_RE, "cmnd": CMND_RE, "passport": PASSPORT_RE, "other": OTHER_PAPER_RE}
    if not pattern[id_kind].match(number):
        errors[f"{prefix}id_number"] = message
    if id_kind == "other":
        if not paper:
            errors[f"{prefix}id_paper"] = _("Ghi tên giấy tờ, ví dụ: Thẻ thường trú, Giấy khai sinh.")
        elif len(paper) > 100:
            errors[f"{prefix}id_paper"] = _("Tên giấy tờ dài quá 100 ký tự.")
    return {"id_kind": id_kind, "id_number": number, "id_paper": paper if id_kind == "other" else None}


def check_person(data: dict, prefix: str, errors: dict, *, kind: str = "person", require_address=True) -> dict:
    """Validated name, ID paper, phone, e-mail and address of an applicant or representative."""
    name = field_text(data, "name", prefix, errors, 100_000)  # its length has its own message below
    phone = normalise_phone(field_text(data, "phone", prefix, errors, inputs.KEY_MAX))
    email = field_text(data, "email", prefix, errors, inputs.NAME_MAX)
    address = field_text(data, "address", prefix, errors, inputs.ADDRESS_MAX)
    if f"{prefix}name" in errors:  # not a string, or a control character: said already
        name = None
    elif not name:
        errors[f"{prefix}name"] = _("Nhập họ tên (hoặc tên tổ chức).")
    elif len(name) > inputs.NAME_MAX:
        errors[f"{prefix}name"] = _("Họ tên dài quá 255 ký tự.")
    paper = check_id(kind, data, prefix, errors)
    if phone and not PHONE_RE.match(phone):
        errors[f"{prefix}phone"] = _("Số điện thoại không đúng định dạng Việt Nam (ví dụ 0912345678).")
    if email and (len(email) > 255 or not EMAIL_RE.match(email)):
        errors[f"{prefix}email"] = _("Địa chỉ thư điện tử không hợp lệ.")
    if require_address and not address and f"{prefix}address" not in errors:
        errors[f"{prefix}address"] = _("Nhập địa chỉ.")
    return {"name": name, **paper, "phone": phone, "email": email, "address": address}
