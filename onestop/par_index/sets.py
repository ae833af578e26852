"""Criteria sets (bộ tiêu chí): imported from the province's table, read as a tree, edited by the province until
the year's round opens, then frozen."""
from flask_babel import gettext as _

from ..extensions import db
from ..timeutil import now
from . import importer
from .measured import INDICATORS
from .models import ANSWER_KINDS, GROUPS, ParItem, ParRound, ParSet
from .points import ParError, show, to_cp

MIN_YEAR, MAX_YEAR = 2000, 2100


def check_year(year) -> int:
    if isinstance(year, str) and year.strip().isdecimal():
        year = int(year.strip())
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ParError(_("Năm phải là số từ %(low)s đến %(high)s.", low=MIN_YEAR, high=MAX_YEAR))
    return year


def check_group(group) -> str:
    if group not in GROUPS:
        raise ParError(_("Nhóm phải là «departments» (sở, ban, ngành) hoặc «communes» (xã, phường)."))
    return group


def get_set(year: int, group: str) -> ParSet | None:
    return db.session.scalar(db.select(ParSet).filter_by(year=year, group=group))


def is_frozen(par_set: ParSet) -> bool:
    """A set is frozen once its year's round has opened."""
    opens_at = db.session.scalar(db.select(ParRound.opens_at).filter_by(year=par_set.year))
    return opens_at is not None and opens_at <= now()


def _refuse_frozen(year: int, group: str) -> None:
    par_set = get_set(year, group)
    if par_set is not None and is_frozen(par_set):
        raise ParError(_("Bộ tiêu chí năm %(year)s đã khóa vì đợt chấm điểm đã mở.", year=year), 409)


def import_set(filename: str, content: bytes, year, group, *, title: str = "", survey_weight=0) -> ParSet:
    """Import (or replace, until its round opens) the year's set for the group from the province's table.
    Flushes, never commits; ParError (400 bad table, 409 frozen) leaves what was stored untouched."""
    year, group = check_year(year), check_group(group)
    title = str(title or "").strip()
    if len(title) > 500:
        raise ParError(_("Tên bộ tiêu chí tối đa 500 ký tự."))
    _refuse_frozen(year, group)
    survey_cp = to_cp(survey_weight or 0, _("Điểm điều tra xã hội học"))
    rows = importer.read_rows(filename, content, INDICATORS, survey_cp)
    old = get_set(year, group)
    if old is not None:  # replaced whole (one statement: the items point at each other)
        db.session.execute(db.delete(ParItem).where(ParItem.set_id == old.id))
        db.session.execute(db.delete(ParSet).where(ParSet.id == old.id))
        db.session.expunge(old)
    par_set = ParSet(year=year, group=group, title=title, survey_weight_cp=survey_cp)
    db.session.add(par_set)
    made: dict[str, ParItem] = {}
    for position, row in enumerate(rows, start=1):
        parent = made.get(row.number.rpartition(".")[0])
        item = ParItem(set=par_set, position=position, number=row.number, level=row.level, title=row.title,
                       max_cp=row.max_cp, scoring=row.scoring, evidence=row.evidence,
                       evidence_required=row.evidence_required, answer_kind=row.answer_kind,
                       indicator=row.indicator, scale=row.scale)
        db.session.add(item)
        db.session.flush()
        item.parent_id = parent.id if parent is not None else None
        made[row.number] = item
    db.session.flush()
    return par_set


EDITABLE = {"title", "scoring", "evidence", "evidence_required", "answer_kind", "indicator", "scale"}


def update_item(par_set: ParSet, number: str, changes: dict) -> ParItem:
    """Edit an item's texts, evidence rule, answer kind or measured binding (maxima come with the table)."""
    if is_frozen(par_set):
        raise ParError(_("Bộ tiêu chí năm %(year)s đã khóa vì đợt chấm điểm đã mở.", year=par_set.year), 409)
    item = next((item for item in par_set.items if item.number == number), None)
    if item is None:
        raise ParError(_("Không có tiêu chí %(number)s.", number=number), 404)
    unknown = sorted(set(changes) - EDITABLE)
    if unknown:
        raise ParError(_("Không sửa được: %(keys)s.", keys=", ".join(unknown)))
    if "answer_kind" in changes and changes["answer_kind"] not in ANSWER_KINDS:
        raise ParError(_("Loại trả lời không hợp lệ."))
    if changes.get("indicator") and changes["indicator"] not in INDICATORS:
        raise ParError(_("Chỉ số đo không có."))
    if "scale" in changes and changes["scale"] is not None:
        changes["scale"] = importer.parse_scale(changes["scale"])
    if "title" in changes and not str(changes["title"] or "").strip():
        raise ParError(_("Tên tiêu chí không được để trống."))
    for key, value in changes.items():
        setattr(item, key, value)
    if item.indicator and not item.scale:
        raise ParError(_("Tiêu chí đo tự động cần thang điểm."))
    db.session.flush()
    return item


def leaves(par_set: ParSet) -> list[ParItem]:
    """The items a unit scores: those with no item below them, in the set's order."""
    parents = {item.parent_id for item in par_set.items}
    return [item for item in par_set.items if item.id not in parents]


def total_max_cp(par_set: ParSet) -> int:
    return sum(item.max_cp for item in par_set.items if item.parent_id is None) + par_set.survey_weight_cp


def item_json(item: ParItem) -> dict:
    return {"number": item.number, "level": item.level, "title": item.title, "max_points": show(item.max_cp),
            "scoring": item.scoring, "evidence": item.evidence, "evidence_required": item.evidence_required,
            "answer_kind": item.answer_kind, "indicator": item.indicator, "scale": item.scale}


def tree(par_set: ParSet, node=item_json) -> list[dict]:
    """The areas, each with its criteria and theirs (`children`), each node made by `node`."""
    children: dict[int | None, list[ParItem]] = {}
    for item in par_set.items:
        children.setdefault(item.parent_id, []).append(item)

    def build(parent_id):
        return [{**node(item), "children": build(item.id)} for item in children.get(parent_id, [])]
    return build(None)


def set_json(par_set: ParSet) -> dict:
    items = par_set.items
    return {"year": par_set.year, "group": par_set.group, "title": par_set.title,
            "survey_weight": show(par_set.survey_weight_cp), "total_max": show(total_max_cp(par_set)),
            "frozen": is_frozen(par_set), "counts": {level: sum(1 for item in items if item.level == level)
                                                     for level in ("area", "criterion", "sub")},
            "tree": tree(par_set)}
