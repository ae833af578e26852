"""Decision 766's pages: the index of an agency with its units ranked, where a sub-indicator's points went, and
the administrator's page for the rules (thin views over index766, index766_losses and index766_rules)."""
import json

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...auth import roles_required
from ...database import begin_write
from ...extensions import db
from ...paging import CursorError
from .. import bp
from .index766 import index_for
from .index766_losses import LossError, losses
from .index766_rules import RulesError, as_document, load_version, rules_on, versions
from .dashboard import requested_period
from .periods import period_label
from .watch import local_today

MAX_RULES_BYTES = 64 * 1024


@bp.get("/index-766")
@roles_required("supervisor", "admin")
def index_page():
    from .views import report_scope

    agency, ids = report_scope()
    start, end = requested_period()
    index = index_for(agency, ids, start, end, units=True)
    return render_template("tracking/index766.html", agency=agency, index=index, start=start, end=end,
                           label=period_label(start, end))


@bp.get("/index-766/losses")
@roles_required("supervisor", "admin")
def losses_page():
    from .views import report_scope

    agency, ids = report_scope()
    start, end = requested_period()
    code = request.args.get("indicator", "")
    try:
        found = losses(code, agency, ids, start, end, cursor=request.args.get("after"))
    except (LossError, CursorError):
        abort(400, _("Tiêu chí này không có danh sách hồ sơ làm mất điểm."))
    args = {"agency": agency["code"], "from": start.isoformat(), "to": end.isoformat(), "indicator": code}
    return render_template("tracking/index766_losses.html", agency=agency, found=found, start=start, end=end,
                           code=code, args=args)


@bp.get("/admin/index-766")
@roles_required("admin")
def rules_page():
    current = rules_on(local_today())
    return render_template("admin/index766_rules.html", current=current, versions=versions(),
                           document=json.dumps(as_document(current), ensure_ascii=False, indent=1))


@bp.post("/admin/index-766")
@roles_required("admin")
def rules_upload():
    """A province's administrator loads a new version of the rules from a JSON file (the same service as the CLI):
    the rules score every unit, so a commune's administrator may read them, not change them."""
    if current_user.agency is None or current_user.agency.level != "province":
        abort(403)
    upload = request.files.get("rules")
    raw = upload.read(MAX_RULES_BYTES + 1) if upload else b""
    try:
        if not raw or len(raw) > MAX_RULES_BYTES:
            raise RulesError(_("Chọn tệp JSON quy tắc (tối đa 64 KB)."))
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise RulesError(_("Tệp không phải JSON hợp lệ (UTF-8).")) from None
        begin_write()
        version = load_version(data, current_user)
        db.session.commit()
    except RulesError as error:
        db.session.rollback()
        return render_template("admin/index766_rules.html", current=rules_on(local_today()), versions=versions(),
                               document=raw.decode("utf-8", "replace")[:MAX_RULES_BYTES], error=str(error)), 400
    flash(_("Đã nạp bộ quy tắc áp dụng từ %(d)s.", d=version.effective_from.strftime("%d/%m/%Y")), "success")
    return redirect(url_for("tracking.rules_page"))
