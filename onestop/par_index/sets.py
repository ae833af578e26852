"""Criteria sets (bộ tiêu chí): imported from the province's table or typed in item by item, read as a tree, edited
by the province until the year's round opens, then frozen. A parent's maximum is always its children's sum."""
import sqlalchemy as sa
from flask_babel import gettext as _

from ..extensions import db
from ..timeutil import now
from . import importer
from .measured import INDICATORS
from .models import ANSWER_KINDS, GROUPS, ParAction, ParAnswer, ParHistory, ParItem, ParRound, ParSet
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


def _refuse_if_frozen(par_set: ParSet) -> None:
    """Take the set's row lock first (PostgreSQL: two admins typing into one set, or the round opening meanwhile,
    wait for each other; the items are read again after it), then refuse a frozen set."""
    db.session.execute(sa.select(ParSet.id).where(ParSet.id == par_set.id).with_for_update())
    db.session.expire(par_set, ["items"])
    if is_frozen(par_set):
        raise ParError(_("Bộ tiêu chí năm %(year)s đã khóa vì đợt chấm điểm đã mở.", year=par_set.year), 409)


def _title(title) -> str:
    title = str(title or "").strip()
    if len(title) > 500:
        raise ParError(_("Tên bộ tiêu chí tối đa 500 ký tự."))
    return title


def import_set(filename: str, content: bytes, year, group, *, title: str = "", survey_weight=0) -> ParSet:
    """Import (or replace, until its round opens) the year's set for the group from the province's table.
    Flushes, never commits; ParError (400 bad table, 409 frozen) leaves what was stored untouched."""
    year, group = check_year(year), check_group(group)
    title = _title(title)
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


EDITABLE = {"title", "scoring", "evidence", "evidence_required", "answer_kind", "indicator", "scale", "max_points"}
NEW_ITEM = EDITABLE | {"number", "parent"}


def create_set(year, group, *, title: str = "", survey_weight=0) -> ParSet:
    """An empty set for the group's year, to be typed in item by item; 409 if the year has one or its round opened."""
    year, group = check_year(year), check_group(group)
    title = _title(title)
    survey_cp = to_cp(survey_weight or 0, _("Điểm điều tra xã hội học"))
    if get_set(year, group) is not None:
        raise ParError(_("Năm %(year)s đã có bộ tiêu chí cho nhóm này.", year=year), 409)
    par_set = ParSet(year=year, group=group, title=title, survey_weight_cp=survey_cp)
    if is_frozen(par_set):
        raise ParError(_("Bộ tiêu chí năm %(year)s đã khóa vì đợt chấm điểm đã mở.", year=year), 409)
    db.session.add(par_set)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:  # created meanwhile by someone else
        raise ParError(_("Năm %(year)s đã có bộ tiêu chí cho nhóm này.", year=year), 409) from None
    return par_set


def find_item(par_set: ParSet, number) -> ParItem:
    item = next((item for item in par_set.items if item.number == number), None)
    if item is None:
        raise ParError(_("Không có tiêu chí %(number)s.", number=number), 404)
    return item


def _key(number: str) -> tuple:
    return tuple(int(part) for part in number.split("."))


def _subtree(par_set: ParSet, item: ParItem) -> list[ParItem]:
    """The item and every item below it."""
    found, ids = [], {item.id}
    for other in par_set.items:  # in the set's order: a parent comes before its children
        if other.id in ids or other.parent_id in ids:
            ids.add(other.id)
            found.append(other)
    return found


def _resum(par_set: ParSet) -> None:
    """Every parent's maximum is the sum of its children's (deepest first)."""
    children: dict[int, list[ParItem]] = {}
    for item in par_set.items:
        if item.parent_id is not None:
            children.setdefault(item.parent_id, []).append(item)
    for item in sorted(par_set.items, key=lambda item: -item.number.count(".")):
        if item.id in children:
            item.max_cp = sum(child.max_cp for child in children[item.id])


def _after(par_set: ParSet, parent: ParItem | None, number: str) -> int:
    """The position the new item goes after: the subtree of its last sibling numbered before it, else its parent."""
    siblings = [item for item in par_set.items if item.parent_id == (parent.id if parent else None)
                and _key(item.number) < _key(number)]
    if siblings:
        return max(item.position for item in _subtree(par_set, max(siblings, key=lambda item: _key(item.number))))
    return parent.position if parent is not None else 0


def add_item(par_set: ParSet, fields: dict) -> ParItem:
    """A new area (no `parent`) or an item under `parent`, numbered as the parent's number plus one part (`2`,
    `2.1`, `2.1.3`), unique in the set; its ancestors' maxima become their children's sums."""
    _refuse_if_frozen(par_set)
    unknown = sorted(set(fields) - NEW_ITEM)
    if unknown:
        raise ParError(_("Không sửa được: %(keys)s.", keys=", ".join(unknown)))
    number = str(fields.get("number") or "").strip().rstrip(".")
    if not importer.NUMBER_RE.match(number):
        raise ParError(_("Số thứ tự «%(number)s» không hợp lệ (dạng 1, 1.1, 1.1.1).", number=number))
    parent_number = str(fields.get("parent") or "").strip()
    parent = find_item(par_set, parent_number) if parent_number else None
    if number.rpartition(".")[0] != parent_number:
        if parent is None:
            raise ParError(_("Lĩnh vực mới phải có số thứ tự một phần (ví dụ 4); %(number)s phải nằm dưới "
                             "%(parent)s.", number=number, parent=number.rpartition(".")[0]))
        raise ParError(_("Tiêu chí dưới %(parent)s phải có số dạng %(parent)s.N (không phải %(number)s).",
                         parent=parent_number, number=number))
    if any(item.number == number for item in par_set.items):
        raise ParError(_("Số thứ tự %(number)s đã có trong bộ tiêu chí.", number=number), 409)
    title = str(fields.get("title") or "").strip()
    if not title:
        raise ParError(_("Tên tiêu chí không được để trống."))
    max_cp = to_cp(fields.get("max_points"), _("Điểm tối đa"))
    after = _after(par_set, parent, number)
    item = ParItem(set_id=par_set.id, parent_id=parent.id if parent else None, position=after + 1, number=number,
                   level=("area", "criterion", "sub", "sub")[number.count(".")], title=title, max_cp=max_cp,
                   answer_kind="points", evidence_required=False)
    _apply(item, {key: value for key, value in fields.items() if key in EDITABLE - {"title", "max_points"}})
    db.session.execute(sa.update(ParItem).where(ParItem.set_id == par_set.id, ParItem.position > after)
                       .values(position=ParItem.position + 1).execution_options(synchronize_session="fetch"))
    db.session.add(item)
    db.session.flush()
    db.session.expire(par_set, ["items"])
    _resum(par_set)
    db.session.flush()
    return item


def _apply(item: ParItem, changes: dict) -> None:
    if "answer_kind" in changes and changes["answer_kind"] not in ANSWER_KINDS:
        raise ParError(_("Loại trả lời không hợp lệ."))
    if changes.get("indicator") and changes["indicator"] not in INDICATORS:
        raise ParError(_("Chỉ số đo không có."))
    if "scale" in changes and changes["scale"] not in (None, ""):
        changes["scale"] = importer.parse_scale(changes["scale"])
    if "title" in changes and not str(changes["title"] or "").strip():
        raise ParError(_("Tên tiêu chí không được để trống."))
    for key, value in changes.items():
        setattr(item, key, value or None if key in ("scale", "indicator") else value)
    if item.indicator and not item.scale:
        raise ParError(_("Tiêu chí đo tự động cần thang điểm."))


def update_item(par_set: ParSet, number: str, changes: dict) -> ParItem:
    """Edit an item's texts, evidence rule, answer kind, measured binding, or a leaf's maximum (its ancestors'
    maxima follow)."""
    _refuse_if_frozen(par_set)
    item = find_item(par_set, number)
    unknown = sorted(set(changes) - EDITABLE)
    if unknown:
        raise ParError(_("Không sửa được: %(keys)s.", keys=", ".join(unknown)))
    changes = dict(changes)
    if "max_points" in changes:
        max_cp = to_cp(changes.pop("max_points"), _("Điểm tối đa"))
        if any(other.parent_id == item.id for other in par_set.items):
            raise ParError(_("Điểm tối đa của %(number)s là tổng các tiêu chí bên dưới; sửa điểm của các tiêu chí "
                             "đó.", number=number))
        item.max_cp = max_cp
    _apply(item, changes)
    _resum(par_set)
    db.session.flush()
    return item


def remove_item(par_set: ParSet, number: str, *, with_children: bool = False) -> list[str]:
    """Remove an item (with the items below it when `with_children`); its ancestors' maxima follow. The numbers
    removed."""
    _refuse_if_frozen(par_set)
    item = find_item(par_set, number)
    doomed = _subtree(par_set, item)
    if len(doomed) > 1 and not with_children:
        raise ParError(_("%(number)s có %(count)s tiêu chí bên dưới; chọn xóa cả các tiêu chí đó.", number=number,
                         count=len(doomed) - 1), 409)
    ids = [each.id for each in doomed]
    for table in (ParAnswer, ParAction, ParHistory):
        if db.session.scalar(sa.select(sa.func.count()).select_from(table).where(table.item_id.in_(ids))):
            raise ParError(_("Đã có phiếu chấm dùng tiêu chí %(number)s; không xóa được.", number=number), 409)
    numbers = [each.number for each in doomed]
    db.session.expire(par_set, ["items"])
    for each in doomed:
        db.session.expunge(each)
    # one statement: the items point at each other
    db.session.execute(sa.delete(ParItem).where(ParItem.id.in_(ids)).execution_options(synchronize_session=False))
    _resum(par_set)
    db.session.flush()
    return numbers


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
