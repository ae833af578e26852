"""The supervisors' list of back-dated events (ghi lùi thời điểm) for a period: a page and its CSV file (thin
views over reception.backdating; the API answers the same)."""
import csv
import io
from datetime import date

from flask import Response, abort, render_template, request, stream_with_context
from flask_babel import gettext as _
from flask_login import current_user

from .. import inputs
from ..auth import roles_required
from ..labels import label
from ..paging import CursorError
from ..text import csv_text
from ..timeutil import fmt, local, now
from . import backdating, bp

CSV_HEADER = ("Mã hồ sơ", "Sự kiện", "Thời điểm sự kiện", "Ghi vào lúc", "Lùi (giờ)", "Trước ngày làm việc",
              "Người ghi", "Tài khoản", "Lý do ghi lùi")


def period() -> tuple[date, date]:
    """?from=&to= (YYYY-MM-DD, Vietnam days): this month so far unless chosen; a clear 400 otherwise."""
    today = local(now()).date()
    try:
        date_from = inputs.day(request.args.get("from"), "from") or today.replace(day=1)
        date_to = inputs.day(request.args.get("to"), "to") or today
    except inputs.InputError as error:
        abort(400, error.message)
    if date_to < date_from:
        abort(400, _("«to» phải không trước «from»."))
    return date_from, date_to


@bp.get("/board/backdated")
@roles_required("supervisor", "admin")
def backdated():
    date_from, date_to = period()
    try:
        page = backdating.page(current_user, date_from, date_to, request.args.get("after") or None)
    except CursorError:
        abort(400, _("«after» không hợp lệ: hãy dùng giá trị «next» của trang trước."))
    return render_template("reception/backdated.html", page=page, date_from=date_from, date_to=date_to,
                           first_page=not request.args.get("after"))


@bp.get("/board/backdated.csv")
@roles_required("supervisor", "admin")
def backdated_csv():
    date_from, date_to = period()

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_HEADER)
        yield "\ufeff" + buffer.getvalue()  # a byte-order mark, so spreadsheets read the file as UTF-8
        for row in backdating.every_row(current_user, date_from, date_to):
            event = row.event
            buffer.seek(0)
            buffer.truncate()
            user = event.user
            writer.writerow([event.application.code, label(event.type, "event"), fmt(event.at), fmt(event.recorded_at),
                             f"{row.shift.total_seconds() / 3600:.1f}".replace(".", ","),
                             "Có" if row.earlier_day else "Không", csv_text(user.full_name) if user else "",
                             user.username if user else "", csv_text(event.backdate_reason)])
            yield buffer.getvalue()

    response = Response(stream_with_context(lines()), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="ghi-lui-thoi-diem-{date_from:%Y%m%d}-{date_to:%Y%m%d}.csv"')
    return response
