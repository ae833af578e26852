"""Supervisors' JSON API: the indicators, the overdue report and the CCHC report (the same services as the pages)."""
from datetime import date

from flask import Response, request
from flask_babel import gettext as _
from flask_login import current_user

from ... import inputs
from ...api import ApiError, api_blueprint, api_login_required
from . import indicators

bp = api_blueprint("tracking_api", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_DAYS = 3 * 366 + 1  # a range longer than three years is a mistake, not a report


def parse_day(value, name: str) -> date | None:
    try:
        return inputs.day(value, name)
    except inputs.InputError as error:
        raise ApiError(error.message, 400) from None


def period_args(args) -> tuple[date, date]:
    """from/to as dates (both required), in order, and not absurdly long."""
    start, end = parse_day(args.get("from"), "from"), parse_day(args.get("to"), "to")
    if start is None or end is None:
        raise ApiError(_("Cần «from» và «to» (YYYY-MM-DD)."), 400)
    if end < start:
        raise ApiError(_("«to» phải không trước «from»."), 400)
    if (end - start).days > MAX_DAYS:
        raise ApiError(_("Khoảng thời gian tối đa là 3 năm."), 400)
    return start, end


def scope_arg(args):
    """The agency asked for (default: the user's own), with every agency below it; 403 if not the user's to see."""
    code = args.get("agency") or None
    agency, ids = indicators.scope_of(code, current_user)
    if agency is None:
        if code and indicators.tree().by_code(code) is None:
            raise ApiError(_("Không tìm thấy cơ quan."), 404)
        raise ApiError(_("Tài khoản không được xem số liệu của cơ quan này."), 403)
    return agency, ids


@bp.get("/indicators")
@api_login_required("supervisor", "admin", "officer", "clerk")
def indicator_figures():
    args = request.args
    start, end = period_args(args)
    group_by = args.get("group_by") or None
    if group_by and group_by not in indicators.GROUPS:
        raise ApiError(_("«group_by» phải là agency, procedure, field hoặc month."), 400)
    agency, ids = scope_arg(args)
    return indicators.compared(agency, ids, start, end, by=group_by)


def download(data: bytes, filename: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    disposition = "inline" if mimetype == "application/pdf" else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@bp.get("/reports/overdue.<fmt>")
@api_login_required("supervisor", "admin")
def overdue_file(fmt):
    from ... import pdf
    from . import reports, watch

    if fmt not in ("pdf", "xlsx"):
        raise ApiError(_("Báo cáo có dạng pdf hoặc xlsx."), 404)
    agency, ids = scope_arg(request.args)
    day = parse_day(request.args.get("at"), "at")
    if day is not None and day > watch.local_today():
        raise ApiError(_("«at» không được ở tương lai."), 400)
    report = reports.overdue_report(agency, ids, day, request.args.get("field") or None)
    name = f"ho-so-qua-han-{report['at']:%Y%m%d}"
    if fmt == "pdf":
        return download(pdf.render_overdue_pdf(report), name + ".pdf", "application/pdf")
    return download(pdf.render_overdue_xlsx(report), name + ".xlsx", XLSX)


@bp.get("/reports/cchc.<fmt>")
@api_login_required("supervisor", "admin")
def cchc_file(fmt):
    from ... import pdf
    from . import reports

    if fmt not in ("pdf", "xlsx"):
        raise ApiError(_("Báo cáo có dạng pdf hoặc xlsx."), 404)
    start, end = period_args(request.args)
    agency, ids = scope_arg(request.args)
    report = reports.cchc_report(agency, ids, start, end)
    name = f"bao-cao-tthc-{agency['code']}-{start:%Y%m%d}-{end:%Y%m%d}"
    if fmt == "pdf":
        return download(pdf.render_cchc_pdf(report), name + ".pdf", "application/pdf")
    return download(pdf.render_cchc_xlsx(report), name + ".xlsx", XLSX)


def _units_arg(args) -> bool:
    value = args.get("units") or "0"
    if value not in ("0", "1"):
        raise ApiError(_("«units» là 0 hoặc 1."), 400)
    return value == "1"


@bp.get("/index-766")
@api_login_required("supervisor", "admin", "officer", "clerk")
def index_766():
    """Decision 766's index of an agency and period, as the national portal scores it (units=1: each unit below,
    ranked, with the change from the previous period)."""
    from .index766 import index_for

    start, end = period_args(request.args)
    units = _units_arg(request.args)
    agency, ids = scope_arg(request.args)
    procedure = None
    if request.args.get("procedure"):
        procedure = procedure_of(request.args["procedure"])
        if procedure is None:
            raise ApiError(_("Không tìm thấy thủ tục."), 404)
    return index_for(agency, ids, start, end, units=units, procedure=procedure)


def procedure_of(code: str) -> dict | None:
    """{id, code} of a procedure by its national code."""
    import sqlalchemy as sa

    from ...extensions import db
    from ...procedures.models import Procedure

    found = db.session.scalar(sa.select(Procedure.id).where(Procedure.code == code))
    return None if found is None else {"id": found, "code": code}


@bp.get("/index-766/losses")
@api_login_required("supervisor", "admin", "officer", "clerk")
def index_766_losses():
    """Where one sub-indicator's points went: its files (or complaints, procedures), a keyset page at a time."""
    from ...paging import CursorError
    from .index766_losses import LossError, losses

    start, end = period_args(request.args)
    agency, ids = scope_arg(request.args)
    try:
        return losses(request.args.get("indicator", ""), agency, ids, start, end, cursor=request.args.get("after"))
    except LossError:
        raise ApiError(_("Tiêu chí này không có danh sách hồ sơ làm mất điểm."), 400) from None
    except CursorError:
        raise ApiError(_("«after» không hợp lệ."), 400) from None
