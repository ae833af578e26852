"""Rounds (đợt chấm điểm): one a year, with the deadline of each stage; which units take part; each unit's sheet.

A stage is open from the round's opening until its deadline (inclusive); after it, that stage is locked for
everyone. The units of a group: `communes` are the agencies of level commune; `departments` the other agencies right
below the province (departments, centres); the province itself is no unit."""
from datetime import date, datetime, time

from flask_babel import gettext as _, lazy_gettext as _l

from ..auth.models import Agency
from ..extensions import db
from ..timeutil import local, now
from .models import STAGES, SURVEY_SOURCES, ParItem, ParRound, ParSet, ParSheet
from .points import ParError
from .sets import check_year

DEADLINES = tuple(f"{stage}_until" for stage in STAGES)
STAGE_NAMES = {"self": _l("tự đánh giá"), "appraisal": _l("thẩm định"), "explanation": _l("giải trình"),
               "second": _l("thẩm định lại")}


def group_of(agency: Agency) -> str | None:
    """communes: the communes and wards; departments: the agencies right below the province (a unit below a
    department, such as a land registration office, is counted with its department)."""
    if agency.level == "commune":
        return "communes"
    if agency.parent is not None and agency.parent.parent_id is None:
        return "departments"
    return None


def root_id(agency: Agency) -> int:
    """The top of the agency's tree (its province)."""
    while agency.parent is not None:
        agency = agency.parent
    return agency.id


def units(group: str, root: int | None = None) -> list[Agency]:
    """The active units of a group (in one province's tree when `root` is given), by code."""
    agencies = db.session.scalars(db.select(Agency).filter_by(active=True).order_by(Agency.code)).all()
    return [agency for agency in agencies if group_of(agency) == group
            and (root is None or root_id(agency) == root)]


def _moment(value, name: str) -> datetime:
    """A deadline: a date means the end of that day in Vietnam; a time without a zone is Vietnam's."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time(23, 59, 59))
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        try:
            moment = (datetime.combine(date.fromisoformat(text), time(23, 59, 59)) if len(text) == 10
                      else datetime.fromisoformat(text))
        except ValueError:
            raise ParError(_("«%(name)s» phải là ngày (YYYY-MM-DD) hoặc thời điểm ISO 8601.", name=name)) from None
    else:
        raise ParError(_("Thiếu «%(name)s».", name=name))
    return local(moment)


def create_round(year, deadlines: dict, user, *, opens_at=None, survey_source: str = "entered") -> ParRound:
    """Open the year's round with its four deadlines (self_until, appraisal_until, explanation_until,
    second_until), in that order; from `opens_at` (default now) the year's sets are frozen. Flushes."""
    year = check_year(year)
    if db.session.scalar(db.select(ParRound.id).filter_by(year=year)) is not None:
        raise ParError(_("Đã có đợt chấm điểm năm %(year)s.", year=year), 409)
    # the year's sets locked (PostgreSQL): an edit of a set waits for the round, then finds it frozen
    if not db.session.execute(db.select(ParSet.id).filter_by(year=year).with_for_update()).all():
        raise ParError(_("Chưa có bộ tiêu chí năm %(year)s: hãy nhập bộ tiêu chí trước khi mở đợt.", year=year))
    empty = db.session.scalar(db.select(ParSet.group).filter_by(year=year).where(
        ~db.select(ParItem.id).where(ParItem.set_id == ParSet.id).exists()).limit(1))
    if empty is not None:  # a set created to type in, with nothing typed in yet
        raise ParError(_("Bộ tiêu chí năm %(year)s của nhóm «%(group)s» chưa có tiêu chí nào: hãy thêm tiêu chí "
                         "trước khi mở đợt.", year=year, group=empty))
    if survey_source not in SURVEY_SOURCES:
        raise ParError(_("Nguồn điểm điều tra phải là «entered» hoặc «ratings»."))
    moments = {name: _moment(deadlines.get(name), name) for name in DEADLINES}
    opening = _moment(opens_at, "opens_at") if opens_at else local(now())
    order = [opening] + [moments[name] for name in DEADLINES]
    if any(later <= earlier for earlier, later in zip(order, order[1:])):
        raise ParError(_("Các mốc phải theo thứ tự: mở đợt < hạn tự đánh giá < hạn thẩm định < hạn giải trình < "
                         "hạn thẩm định lại."))
    par_round = ParRound(year=year, opens_at=opening, created_by_id=user.id if user else None,
                         survey_source=survey_source, **moments)
    db.session.add(par_round)
    db.session.flush()
    return par_round


def get_round(year: int) -> ParRound | None:
    return db.session.scalar(db.select(ParRound).filter_by(year=year))


def stage_open(par_round: ParRound, stage: str) -> bool:
    moment = now()
    return par_round.opens_at <= moment <= par_round.until(stage)


def refuse_closed(par_round: ParRound, stage: str) -> None:
    """409 when the stage is not open (before the round opens or after the stage's deadline)."""
    if now() < par_round.opens_at:
        raise ParError(_("Đợt chấm điểm năm %(year)s chưa mở.", year=par_round.year), 409)
    if now() > par_round.until(stage):
        raise ParError(_("Đã quá hạn %(stage)s (%(deadline)s): không sửa được nữa.", stage=STAGE_NAMES[stage],
                         deadline=local(par_round.until(stage)).strftime("%H:%M %d/%m/%Y")), 409)


def current_stage(par_round: ParRound) -> str | None:
    """The first stage still open, None before the opening or after the last deadline."""
    if now() < par_round.opens_at:
        return None
    return next((stage for stage in STAGES if now() <= par_round.until(stage)), None)


def round_json(par_round: ParRound) -> dict:
    return {"year": par_round.year, "opens_at": local(par_round.opens_at).isoformat(),
            **{name: local(getattr(par_round, name)).isoformat() for name in DEADLINES},
            "survey_source": par_round.survey_source, "stage": current_stage(par_round)}


def set_for(par_round: ParRound, agency: Agency) -> ParSet | None:
    group = group_of(agency)
    return group and db.session.scalar(db.select(ParSet).filter_by(year=par_round.year, group=group))


def find_sheet(par_round: ParRound, agency: Agency, *, lock: bool = False) -> ParSheet | None:
    query = db.select(ParSheet).filter_by(round_id=par_round.id, agency_id=agency.id)
    return db.session.scalar(query.with_for_update() if lock else query)


def open_sheet(par_round: ParRound, agency: Agency) -> ParSheet:
    """The unit's sheet, locked for a change (made on its first change); ParError 404 for an agency that is no
    unit of any group with a set this year."""
    par_set = set_for(par_round, agency)
    if par_set is None:
        raise ParError(_("%(name)s không thuộc nhóm đơn vị có bộ tiêu chí năm %(year)s.", name=agency.name,
                         year=par_round.year), 404)
    sheet = find_sheet(par_round, agency, lock=True)
    if sheet is None:
        sheet = ParSheet(round=par_round, agency=agency, set=par_set)
        db.session.add(sheet)
        db.session.flush()
    return sheet


def last_year(par_round: ParRound) -> ParRound | None:
    return get_round(par_round.year - 1)

