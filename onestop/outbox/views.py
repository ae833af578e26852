"""The administrator's view of the outbox: what waits, what is held and why, and sending a held message again."""
import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from .. import audit, paging
from ..auth import roles_required
from ..database import begin_write
from ..extensions import db
from . import bp, queries, worker
from .models import STATES, OutboxMessage

PAGE = 50


@bp.get("/admin/outbox")
@roles_required("admin")
def outbox_page():
    state = request.args.get("state") or "held"
    if state not in STATES:
        abort(400, _("Trạng thái không hợp lệ."))
    query = queries.visible(current_user).where(OutboxMessage.state == state)
    try:
        start = paging.after([OutboxMessage.id], True, request.args.get("after") or None)
    except paging.CursorError:
        abort(400, _("Liên kết trang không hợp lệ: hãy mở lại từ trang đầu."))
    if start is not None:
        query = query.where(start)
    rows = db.session.scalars(query.order_by(OutboxMessage.id.desc()).limit(PAGE + 1)).all()
    page = paging.Page(rows[:PAGE], paging.cursor_of(rows[PAGE - 1], [OutboxMessage.id]) if len(rows) > PAGE else None)
    return render_template("admin/outbox.html", page=page, state=state, backlog=worker.backlog(), mask=queries.mask,
                           args={"state": state})


@bp.post("/admin/outbox/<int:message_id>/resend")
@roles_required("admin")
def resend(message_id):
    begin_write()
    message = db.session.scalar(queries.visible(current_user).where(OutboxMessage.id == message_id))
    if message is None:
        abort(404)
    if message.state != "held":
        flash(_("Tin này không ở trạng thái giữ lại; không cần gửi lại."), "warning")
        return redirect(url_for("outbox.outbox_page", state=message.state)), 303
    worker.resend(message.id)
    audit.record("outbox.resend", object_type="outbox_message", object_id=str(message.id), key=message.key)
    db.session.commit()
    flash(_("Đã đưa tin vào hàng đợi gửi lại."), "success")
    return redirect(url_for("outbox.outbox_page", state="held")), 303


@bp.get("/lien-ket/tep/<token>")
def portal_file(token):
    """A stored file by a signed, expiring link handed to the national portal (no session: the signature is the
    permission, for that one file and for PORTAL_LINK_SECONDS)."""
    from itsdangerous import BadSignature, URLSafeTimedSerializer

    from ..reception.paper_models import PaperFile
    from ..reception.paper_views import file_response
    from .portal import LINK_SALT

    try:
        file_id = URLSafeTimedSerializer(current_app.secret_key, salt=LINK_SALT).loads(
            token, max_age=int(current_app.config["PORTAL_LINK_SECONDS"]))
    except BadSignature:  # includes an expired one
        abort(404)
    paper_file = db.session.get(PaperFile, file_id) if isinstance(file_id, int) else None
    if paper_file is None:
        abort(404)
    return file_response(paper_file)


def application_messages(application) -> Markup:
    """On the application's page, for staff: where its messages stand (the portal's sync, e-mails, SMS)."""
    rows = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.application_id == application.id)
                              .order_by(OutboxMessage.id)).all()
    if not rows:
        return Markup("")
    return Markup(render_template("outbox/_application.html", rows=rows, mask=queries.mask))


def board_backlog() -> dict | None:
    """For the board, to administrators: how many messages wait and the age of the oldest."""
    return worker.backlog() if current_user.has_role("admin") else None

