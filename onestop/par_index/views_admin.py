"""PAR INDEX pages of the province: the start page, a criteria set imported from the province's Excel table (its
problems listed with their row numbers) or typed in from an empty set, the set's tree edited (items added, changed,
removed) until the year's round opens, a round with its deadlines, and the list of the units' sheets with the stage each has reached."""
import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..auth import roles_required
from ..database import begin_write
from ..extensions import db
from ..text import clean, nfc
from . import rounds, sets, sheets
from .forms import GROUP_CHOICES, ImportSetForm, NewSetForm, RoundForm
from .measured import INDICATORS
from .models import ANSWER_KINDS, ParAnswer, ParRound, ParSet, ParSheet
from .points import ParError
from .views import STAGE_LABELS, bp, round_or_404

GROUP_LABELS = dict(GROUP_CHOICES)
KIND_LABELS = {"yes_no": _l("Có/Không"), "number": _l("Số"), "percent": _l("Tỷ lệ %"), "points": _l("Điểm")}


def is_province_staff() -> bool:
    """Sets and rounds are the province's: its own admin (of the top agency) or the appraiser (Sở Nội vụ)."""
    return current_user.has_role("appraiser") or (current_user.has_role("admin")
                                                   and current_user.agency.parent_id is None)


def require_province_staff() -> None:
    if not is_province_staff():
        abort(403, description=_("Chỉ quản trị cấp tỉnh hoặc Sở Nội vụ quản lý bộ tiêu chí và đợt chấm điểm."))


@bp.get("/")
@login_required
def home():
    """The rounds and sets, and where each user goes next: the unit to its sheet, the appraiser to the list."""
    all_rounds = db.session.scalars(sa.select(ParRound).order_by(ParRound.year.desc())).all()
    all_sets = db.session.scalars(sa.select(ParSet).order_by(ParSet.year.desc(), ParSet.group)).all()
    own_unit = rounds.group_of(current_user.agency) is not None and current_user.has_role("supervisor")
    return render_template("par_index/home.html", rounds=all_rounds, sets=all_sets, own_unit=own_unit,
                           staff=is_province_staff(), group_labels=GROUP_LABELS,
                           stages={r.year: STAGE_LABELS[rounds.current_stage(r)] for r in all_rounds})


@bp.route("/sets/import", methods=["GET", "POST"])
@roles_required("admin", "appraiser")
def import_set():
    require_province_staff()
    form = ImportSetForm()
    problem = None
    if form.validate_on_submit():
        upload = form.file.data
        content = upload.read()
        begin_write()
        try:
            par_set = sets.import_set(upload.filename or "bang.xlsx", content, form.year.data, form.group.data,
                                      title=form.title.data or "", survey_weight=form.survey_weight.data or 0)
        except ParError as error:
            db.session.rollback()
            problem = error
        else:
            db.session.commit()
            flash(_("Đã nhập bộ tiêu chí năm %(year)s: tổng điểm tối đa %(total)s.", year=par_set.year,
                    total=sets.set_json(par_set)["total_max"]), "success")
            return redirect(url_for("par_index.criteria_set", year=par_set.year, group=par_set.group))
    status = problem.status if problem else (400 if form.errors else 200)
    lines = []
    if problem is not None:  # the table's problems, each with its row number
        found = problem.errors
        lines = [line for group in found.values() for line in group] if isinstance(found, dict) else list(found)
    return render_template("par_index/import.html", form=form, problem=problem, lines=lines), status


def set_or_404(year: int, group: str) -> ParSet:
    if group not in GROUP_LABELS:
        abort(404)
    return sets.get_set(year, group) or abort(404)


def form_page(form, template: str, write, done):
    """A province form's page: a valid post is `write()` in one write, then `done(made)` (a redirect); a refusal
    is the page again with its reason and status, nothing stored."""
    status = 200
    if form.validate_on_submit():
        begin_write()
        try:
            made = write()
        except ParError as error:
            db.session.rollback()
            flash(error.message, "danger")
            status = error.status
        else:
            db.session.commit()
            return done(made)
    elif form.errors:
        status = 400
    return render_template(template, form=form), status


@bp.route("/sets/new", methods=["GET", "POST"])
@roles_required("admin", "appraiser")
def new_set():
    """An empty set for a year and group, then typed in on its page."""
    require_province_staff()
    form = NewSetForm()

    def done(par_set):
        flash(_("Đã tạo bộ tiêu chí năm %(year)s; hãy thêm các lĩnh vực và tiêu chí.", year=par_set.year), "success")
        return redirect(url_for("par_index.criteria_set", year=par_set.year, group=par_set.group))
    return form_page(form, "par_index/set_new.html", lambda: sets.create_set(
        form.year.data, form.group.data, title=form.title.data or "", survey_weight=form.survey_weight.data or 0),
        done)


@bp.get("/sets/<int(max=9999):year>/<group>")
@login_required
def criteria_set(year, group, status=200, errors=None, typed=None):
    par_set = set_or_404(year, group)
    data = sets.set_json(par_set)
    return render_template("par_index/set.html", s=data, group_label=GROUP_LABELS[group],
                           editable=is_province_staff() and not data["frozen"], errors=errors or {},
                           typed=typed or {}, kinds=[(kind, KIND_LABELS[kind]) for kind in ANSWER_KINDS],
                           indicators=[(name, label) for name, (label, _read, _list) in INDICATORS.items()]), status


def scale_text(scale) -> str:
    return "; ".join(f"{threshold:g}:{share:g}".replace(".", ",") for threshold, share in scale or [])


def item_fields(form) -> dict:
    """An item's fields as the set page's forms send them (the maximum only where the form has it: a leaf)."""
    fields = {"title": nfc(form.get("title", "")), "scoring": clean(form.get("scoring")),
              "evidence": clean(form.get("evidence")), "evidence_required": form.get("evidence_required") == "1",
              "answer_kind": form.get("answer_kind", "points"), "indicator": clean(form.get("indicator")),
              "scale": clean(form.get("scale"))}
    if "max_points" in form:
        fields["max_points"] = clean(form.get("max_points"))
    return fields


def set_write(year, group, key: str, write, done: str, anchor: str):
    """Run one change of the set: on a refusal the set's page again with the reason beside the form `key` (and
    what was typed), the set as it was; else back to the set at `anchor`."""
    require_province_staff()
    begin_write()
    par_set = set_or_404(year, group)
    try:
        write(par_set)
    except ParError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return criteria_set(year, group, status=error.status, errors={key: error.message},
                            typed={key: request.form})
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("par_index.criteria_set", year=year, group=group) + anchor)


@bp.post("/sets/<int(max=9999):year>/<group>/items")
@roles_required("admin", "appraiser")
def add_item(year, group):
    """A new area (no parent) or an item under `parent`."""
    parent = clean(request.form.get("parent")) or ""
    number = clean(request.form.get("number")) or ""
    fields = {**item_fields(request.form), "number": number, "parent": parent or None}
    return set_write(year, group, f"add-{parent}", lambda par_set: sets.add_item(par_set, fields),
                     _("Đã thêm tiêu chí %(number)s.", number=number), f"#item-{number}")


@bp.post("/sets/<int(max=9999):year>/<group>/items/<number>")
@roles_required("admin", "appraiser")
def edit_item(year, group, number):
    changes = item_fields(request.form)
    return set_write(year, group, number, lambda par_set: sets.update_item(par_set, number, changes),
                     _("Đã sửa tiêu chí %(number)s.", number=number), f"#item-{number}")


@bp.post("/sets/<int(max=9999):year>/<group>/items/<number>/delete")
@roles_required("admin", "appraiser")
def remove_item(year, group, number):
    with_children = request.form.get("with_children") == "1"
    parent = number.rpartition(".")[0]
    return set_write(year, group, f"remove-{number}",
                     lambda par_set: sets.remove_item(par_set, number, with_children=with_children),
                     _("Đã xóa tiêu chí %(number)s.", number=number), f"#item-{parent}" if parent else "")


@bp.route("/rounds/new", methods=["GET", "POST"])
@roles_required("admin", "appraiser")
def new_round():
    require_province_staff()
    form = RoundForm()

    def done(par_round):
        flash(_("Đã mở đợt chấm điểm năm %(year)s; bộ tiêu chí của năm đã khóa.", year=par_round.year), "success")
        return redirect(url_for("par_index.sheet_list", year=par_round.year))
    return form_page(form, "par_index/round_new.html", lambda: rounds.create_round(
        form.year.data, {name: getattr(form, name).data for name in rounds.DEADLINES}, current_user,
        survey_source=form.survey_source.data), done)


def sheet_states(par_round) -> dict[int, dict]:
    """Per agency id: submitted or not, and how many sub-criteria were asked about, explained, appraised again."""
    found = {sheet_id: {"agency_id": agency_id, "submitted_at": submitted_at, "asked": 0, "explained": 0,
                        "second": 0}
             for sheet_id, agency_id, submitted_at in db.session.execute(
                 sa.select(ParSheet.id, ParSheet.agency_id, ParSheet.submitted_at).filter_by(round_id=par_round.id))}
    counts = sa.select(ParAnswer.sheet_id, sa.func.count(), sa.func.count(ParAnswer.explanation),
                       sa.func.count(ParAnswer.second_cp)).where(
        ParAnswer.sheet_id.in_(list(found) or [0]), ParAnswer.explanation_requested.is_(True)).group_by(
        ParAnswer.sheet_id)
    for sheet_id, asked, explained, second in db.session.execute(counts):
        found[sheet_id].update(asked=asked, explained=explained, second=second)
    return {state["agency_id"]: state for state in found.values()}


def state_label(state: dict | None) -> tuple[str, str]:
    """(what the sheet waits for, badge class)."""
    if state is None or state["submitted_at"] is None:
        return _("Chưa nộp"), "warn"
    if state["asked"] and state["explained"] < state["asked"]:
        return _("Chờ giải trình (%(n)s tiêu chí)", n=state["asked"] - state["explained"]), "warn"
    if state["asked"] and state["second"] < state["asked"]:
        return _("Đã giải trình, chờ thẩm định lại"), ""
    if state["asked"]:
        return _("Đã thẩm định lại"), "ok"
    return _("Đã nộp"), "ok"


@bp.get("/<int(max=9999):year>/sheets")
@login_required
def sheet_list(year):
    """The units' sheets the user may read (the appraiser: every unit of the province), with their stage."""
    par_round = round_or_404(year)
    root = rounds.root_id(current_user.agency)
    states = sheet_states(par_round)
    groups = []
    for group, label in GROUP_CHOICES:
        units = [unit for unit in rounds.units(group, root) if sheets.may_see(current_user, unit)]
        groups.append((label, [(unit, *state_label(states.get(unit.id))) for unit in units]))
    return render_template("par_index/sheets.html", r=par_round, groups=groups,
                           stage_label=STAGE_LABELS[rounds.current_stage(par_round)])
