"""The fee lines an application owes (phí, lệ phí): made when it is received, from the version in force, and
completed at the desk (an amount the publication does not state, the pages or copies of a per-unit fee, an
exemption or a reduction with its reason). What was paid is recorded by onestop.fees, which reads these lines.
"""
import re

from flask_babel import gettext as _

from .. import audit, inputs
from ..auth.models import User
from ..extensions import db
from ..procedures.models import ProcedureVersion
from ..procedures.values import MONEY, PER_QUANTITY, REFERS
from ..text import clean, fold
from ..timeutil import now
from .models import FEE_COLLECT, Application, ApplicationFee
from .validation import PermissionDenied, ReceptionError

AMOUNT_MAX = 10_000_000_000_000  # đồng: ten thousand billion, beyond any fee
QUANTITY_MAX = 100_000
NAME_MAX = 500


class LineNotFound(ReceptionError):
    status = 404


def kind_of(text: str | None) -> str:
    """A charge (lệ phí) when the publication says so, else a fee (phí)."""
    return "le_phi" if "le phi" in fold(text or "") else "phi"


def per_unit(text: str | None) -> tuple[int, str] | None:
    """'10.000 đồng/trang' → (10000, 'trang'): one amount per page or per copy, multiplied at the desk."""
    folded = fold(text or "")
    found = {(int(re.sub(r"[.,]", "", number)), unit) for number, _currency, unit in MONEY.findall(folded)
             if unit in PER_QUANTITY}
    return found.pop() if len(found) == 1 else None


AMOUNT_WORDS = re.compile(r"\b(le phi|phi|muc thu|dong|vnd|ho so|moi|lan|trang|ban|to)\b|[\d.,:;/()\-]")


def line_name(version: ProcedureVersion, kind: str) -> str:
    """What the receipt names the line: the publication's words when they say more than the amount
    ("Lệ phí cấp giấy phép: 50.000 đồng"), else the kind and the procedure ("Phí cấp Phiếu lý lịch tư pháp …")."""
    shown = clean(version.fee_text) or ""
    if AMOUNT_WORDS.sub(" ", fold(shown)).strip() and not REFERS.search(fold(shown)):
        return shown[:NAME_MAX]
    label = "Lệ phí" if kind == "le_phi" else "Phí"  # printed on receipts: Vietnamese whatever the page's language
    name = clean(version.name) or ""
    return f"{label} {name[:1].lower()}{name[1:]}"[:NAME_MAX]


def lines_for(version: ProcedureVersion, collect: str = "before") -> list[ApplicationFee]:
    """The lines a new application of this version owes; none for a procedure without a fee."""
    kind = kind_of(version.fee_text)
    name = line_name(version, kind)
    unit = per_unit(version.fee_text)
    if unit is not None:
        return [ApplicationFee(position=1, kind=kind, name=name, collect=collect, unit_amount=unit[0], unit=unit[1],
                               amount=None, stated=True, reduction=0)]
    if version.fee_known and version.fee > 0:
        return [ApplicationFee(position=1, kind=kind, name=name, collect=collect, amount=version.fee, stated=True,
                               reduction=0)]
    if not version.fee_known:  # "Theo quy định của Bộ Tài chính": the clerk gives the amount
        return [ApplicationFee(position=1, kind=kind, name=name, collect=collect, amount=None, stated=False,
                               reduction=0)]
    return []


def add_lines_preview(version: ProcedureVersion) -> list[ApplicationFee]:
    """The lines an application of this version would owe, unattached, collected as its procedure says."""
    collect = getattr(version.procedure, "fee_collect", None) or "before"
    return lines_for(version, collect if collect in FEE_COLLECT else "before")


def add_lines(application: Application, version: ProcedureVersion) -> None:
    """Give a newly received application its lines (before its flush; the application's id is not needed)."""
    for line in add_lines_preview(version):
        line.application = application
        db.session.add(line)


def _desk(user: User, application: Application) -> None:
    if not (user.has_role("clerk") and user.can_see_agency(application.agency_id)):
        raise PermissionDenied(_("Chỉ cán bộ một cửa của nơi tiếp nhận được ghi mức phí."))


def _line(application: Application, position) -> ApplicationFee:
    for line in application.fees:
        if str(line.position) == str(position):
            return line
    raise LineNotFound(_("Hồ sơ không có dòng phí này."), {"line": _("Không có dòng phí này.")})


def complete_line(application: Application, user: User, position, *, amount=None, quantity=None) -> ApplicationFee:
    """The amount of a fee the publication does not state, or the pages or copies of a per-unit fee."""
    _desk(user, application)
    line = _line(application, position)
    errors: dict[str, str] = {}
    if line.unit_amount is not None:
        quantity = inputs.collect(errors, "quantity", inputs.integer, quantity, _("Số trang, số bản"), 1, QUANTITY_MAX)
        if quantity is not None:
            line.quantity, line.amount = quantity, line.unit_amount * quantity
    elif not line.stated:
        amount = inputs.collect(errors, "amount", inputs.integer, amount, _("Mức phí"), 0, AMOUNT_MAX)
        if amount is not None:
            line.amount = amount
    else:
        errors["amount"] = _("Mức phí này do văn bản công bố quy định, không sửa tại quầy.")
    if errors:
        raise ReceptionError(next(iter(errors.values())), errors)
    if line.amount is not None and line.reduction > line.amount:
        line.reduction = line.amount
    line.set_by_id = user.id
    audit.record("fee_line_completed", application, user=user, line=line.position, amount=line.amount,
                 quantity=line.quantity)
    db.session.flush()
    return line


def reduce_line(application: Application, user: User, position, *, reduction, reason) -> ApplicationFee:
    """An exemption (the whole amount) or a reduction (part of it), with its legal reason; kept, and audited."""
    _desk(user, application)
    line = _line(application, position)
    errors: dict[str, str] = {}
    if line.amount is None:
        errors["amount"] = _("Nhập mức phí trước khi miễn, giảm.")
    reduction = inputs.collect(errors, "reduction", inputs.integer, reduction, _("Số tiền miễn, giảm"), 1,
                               AMOUNT_MAX)
    reason = inputs.collect(errors, "reason", inputs.text, reason, _("Lý do miễn, giảm"), inputs.NOTE_MAX,
                            required=True, multiline=True)
    if not errors and reduction > line.amount:
        errors["reduction"] = _("Số tiền miễn, giảm không được lớn hơn mức phí.")
    if not errors and line.exempt_reason:
        errors["reason"] = _("Dòng phí này đã được miễn, giảm.")
    if errors:
        raise ReceptionError(next(iter(errors.values())), errors)
    line.reduction, line.exempt_reason = reduction, reason
    line.exempt_by_id, line.exempt_at = user.id, now()
    audit.record("fee_line_reduced", application, user=user, line=line.position, reduction=reduction, reason=reason)
    db.session.flush()
    return line


def owed(application: Application) -> tuple[int, bool]:
    """(what the lines owe after reductions, whether every amount is known)."""
    known = all(line.due is not None for line in application.fees)
    return sum(line.due or 0 for line in application.fees), known

