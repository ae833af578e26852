"""PAR INDEX results pages: the province's ranking (with its chart, PDF and Excel), a unit's lost points beside the
province's average and last year with the actions that fix them, and the prints of a unit's sheet."""
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import settings
from ..auth.models import Agency
from ..database import begin_write
from ..extensions import db
from ..pdf import charts
from ..pdf.scores import ranking_chart
from ..text import clean, nfc
from . import actions, printing, results, rounds, sheets
from .points import ParError
from .views import STAGE_LABELS, bp, round_and_unit, round_or_404

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(content: bytes, mimetype: str, filename: str, inline: bool = True) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response


def issuer() -> Agency:
    """Who prints the ranking: the appraiser's own department, or the province for everyone else."""
    agency = current_user.agency
    if current_user.has_role("appraiser"):
        return agency
    while agency.parent is not None:
        agency = agency.parent
    return agency


@bp.get("/<int(max=9999):year>/ranking")
@login_required
def ranking(year):
    par_round = round_or_404(year)
    groups = printing.ranking_groups(par_round, rounds.root_id(current_user.agency))
    chart_titles = {group["group"]: _("Tổng điểm Chỉ số CCHC năm %(year)s", year=year) for group in groups}
    svgs = {group["group"]: charts.svg(ranking_chart(chart_titles[group["group"]], group["units"]))
            for group in groups if group["units"]}
    return render_template("par_index/ranking.html", r=par_round, groups=groups, svgs=svgs,
                           limit=settings.get("par_index_emulation_area_share"),
                           stage_label=STAGE_LABELS[rounds.current_stage(par_round)])


@bp.get("/<int(max=9999):year>/ranking.<fmt>")
@login_required
def ranking_file(year, fmt):
    if fmt not in ("pdf", "xlsx"):
        abort(404)
    par_round = round_or_404(year)
    groups = printing.ranking_groups(par_round, rounds.root_id(current_user.agency))
    if fmt == "pdf":
        return download(printing.ranking_pdf(par_round, issuer(), groups), "application/pdf",
                        f"xep-hang-chi-so-cchc-{year}.pdf")
    return download(printing.ranking_xlsx(par_round, issuer(), groups), XLSX, f"xep-hang-chi-so-cchc-{year}.xlsx",
                    inline=False)


@bp.get("/<int(max=9999):year>/sheets/<code>/sheet.pdf")
@login_required
def sheet_pdf(year, code):
    par_round, agency = round_and_unit(year, code)
    view = results.sheet_view(par_round, agency) or abort(404)
    return download(printing.score_sheet_pdf(par_round, agency, view), "application/pdf",
                    f"bang-diem-cchc-{year}-{agency.code}.pdf")


def lost_page(par_round, agency: Agency, status: int = 200, errors: dict | None = None):
    if results.sheet_view(par_round, agency) is None:
        abort(404)
    rows = results.lost_points(par_round, agency)
    for action in (action for row in rows for action in row["actions"]):
        action["due_text"] = printing.day(action["due_on"])  # dd/mm/yyyy
    writer = sheets.is_reform_officer(current_user, agency) or sheets.is_appraiser_of(current_user, agency)
    return render_template("par_index/lost_points.html", r=par_round, agency=agency, rows=rows, writer=writer,
                           errors=errors or {}, total_lost=round(sum(row["lost"] for row in rows), 2)), status


@bp.get("/<int(max=9999):year>/sheets/<code>/lost-points")
@login_required
def lost_points(year, code):
    return lost_page(*round_and_unit(year, code))


@bp.get("/<int(max=9999):year>/sheets/<code>/lost-points.pdf")
@login_required
def lost_points_pdf(year, code):
    par_round, agency = round_and_unit(year, code)
    if results.sheet_view(par_round, agency) is None:
        abort(404)
    return download(printing.lost_points_pdf(par_round, agency, results.lost_points(par_round, agency)),
                    "application/pdf", f"diem-bi-tru-cchc-{year}-{agency.code}.pdf")


@bp.post("/<int(max=9999):year>/sheets/<code>/actions")
@login_required
def add_action(year, code):
    """An action for a sub-criterion below its maximum: what, who is in charge, by when."""
    par_round, agency = round_and_unit(year, code)
    form = request.form
    number = clean(form.get("number")) or ""
    begin_write()
    try:
        actions.add_action(par_round, agency, number, nfc(form.get("text", "")), nfc(form.get("owner", "")),
                           clean(form.get("due_on")) or "", current_user)
    except ParError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return lost_page(par_round, agency, error.status, {number: error.message})
    db.session.commit()
    flash(_("Đã giao nhiệm vụ khắc phục cho tiêu chí %(number)s.", number=number), "success")
    return redirect(url_for("par_index.lost_points", year=year, code=code) + f"#lost-{number}")


@bp.post("/<int(max=9999):year>/sheets/<code>/actions/<int:action_id>/done")
@login_required
def action_done(year, code, action_id):
    par_round, agency = round_and_unit(year, code)
    done = request.form.get("done", "1") == "1"
    begin_write()
    try:
        actions.mark_done(par_round, agency, action_id, current_user, done)
    except ParError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return lost_page(par_round, agency, error.status)
    db.session.commit()
    flash(_("Đã ghi nhiệm vụ hoàn thành.") if done else _("Đã ghi nhiệm vụ chưa hoàn thành."), "success")
    return redirect(url_for("par_index.lost_points", year=year, code=code))
