"""GET /api/v1/due-date: the due time of a period received at a moment (public)."""
from datetime import datetime

from flask import jsonify, request
from flask_babel import gettext as _

from .. import inputs
from ..api import ApiError, api_blueprint
from ..timeutil import VN
from . import rules
from .services import load_calendar
from .working_time import UNITS

bp = api_blueprint("calendar_api", __name__)


def parse_received_at(value: str | None) -> datetime:
    if not value:
        raise ApiError(_("Thiếu «received_at» (ISO 8601, ví dụ 2026-09-15T10:30:00+07:00)."), 400)
    try:  # a '+' left unescaped in a query string arrives as a space
        return inputs.moment(value.replace(" ", "+") if "T" in value and " " in value else value, "received_at")
    except inputs.InputError as error:
        raise ApiError(error.message, 400) from None


@bp.get("/due-date")
def due_date():
    args = request.args
    received_at = parse_received_at(args.get("received_at"))
    cutoff = None
    if args.get("procedure"):
        from ..procedures.publishing import version_on
        from ..procedures.services import get_by_code

        procedure = get_by_code(args["procedure"])
        # the version in force at the reception moment: the one an application received then would get
        version = version_on(procedure, load_calendar().reception_moment(received_at).astimezone(VN).date()) \
            if procedure is not None else None
        if version is None or version.status != "in_force" or procedure.admin_status != "in_force":
            raise ApiError(_("Không tìm thấy thủ tục."), 404)
        amount, unit, cutoff = version.time_amount, version.time_unit, version.same_day_cutoff
    else:
        unit = args.get("unit")
        if unit not in UNITS:
            raise ApiError(_("«unit» phải là một trong: %(units)s.", units=", ".join(UNITS)), 400)
        try:
            amount = int(args.get("amount", "0" if unit == "same_day" else ""))
        except ValueError:
            raise ApiError(_("«amount» phải là số nguyên không âm."), 400)
        if not 0 <= amount <= 3650:
            raise ApiError(_("«amount» phải từ 0 đến 3650."), 400)
    calendar = load_calendar()
    return jsonify(
        received_at=received_at.astimezone(VN).isoformat(),
        reception_moment=calendar.reception_moment(received_at).isoformat(),
        due_at=rules.statutory_due(calendar, received_at, amount, unit, cutoff).isoformat(),
    )
