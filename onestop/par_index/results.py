"""Results: a unit's sheet as the pages and the API show it, the ranking of a group, and where the points were lost.

A sub-criterion's final score is the second appraisal's where given, else the appraisal's, else the unit's own
(for a measured one, the measured points). A unit's total = the final scores + bonus − penalty + the survey's
points. Bands and the emulation rule come from the settings (par_index_bands, par_index_emulation_area_share)."""
from dataclasses import dataclass, field

from ..auth.models import Agency
from ..extensions import db
from .. import settings
from ..timeutil import local
from . import rounds, sets
from .measured import measure, needs_index, unit_figures, units_figures
from .models import ParAction, ParAdjustment, ParAnswer, ParHistory, ParRound, ParSet, ParSheet
from .points import show


@dataclass
class Scored:
    """One unit's scores, computed once: every leaf's final, the areas, the adjustments and the survey."""

    agency: Agency
    par_set: ParSet
    sheet: ParSheet | None
    answers: dict = field(default_factory=dict)  # item id -> ParAnswer
    measured: dict = field(default_factory=dict)  # item id -> measure() dict
    finals: dict = field(default_factory=dict)  # item id -> cp
    adjustments: list = field(default_factory=list)
    survey_cp: int | None = None
    figures: dict | None = None


def needs_figures(par_round: ParRound, par_set: ParSet) -> bool:
    """Whether a unit's score reads the app's figures: a measured sub-criterion, or the survey from the ratings."""
    return any(item.indicator for item in sets.leaves(par_set)) or par_round.survey_source == "ratings"


@dataclass
class Group:
    """What scoring a whole group (a ranking, a province's averages) reads once for all its units: their figures
    in one grouped pass (None when the set reads none), their sheets, answers and adjustments."""

    figures: dict | None
    sheets: dict  # agency id -> ParSheet
    answers: dict  # sheet id -> {item id: ParAnswer}
    adjustments: dict  # sheet id -> [ParAdjustment], oldest first


def read_group(par_round: ParRound, par_set: ParSet, agencies) -> Group:
    agencies = list(agencies)
    sheets = {sheet.agency_id: sheet for sheet in db.session.scalars(db.select(ParSheet).where(
        ParSheet.round_id == par_round.id, ParSheet.agency_id.in_(sorted(agency.id for agency in agencies))))}
    answers: dict = {}
    adjustments: dict = {}
    if sheets:
        ids = sorted(sheet.id for sheet in sheets.values())
        for answer in db.session.scalars(db.select(ParAnswer).where(ParAnswer.sheet_id.in_(ids))):
            answers.setdefault(answer.sheet_id, {})[answer.item_id] = answer
        for row in db.session.scalars(db.select(ParAdjustment).where(ParAdjustment.sheet_id.in_(ids))
                                      .order_by(ParAdjustment.id)):
            adjustments.setdefault(row.sheet_id, []).append(row)
    figures = (units_figures([agency.code for agency in agencies], par_round.year,
                             with_index=needs_index(sets.leaves(par_set)))
               if needs_figures(par_round, par_set) else None)
    return Group(figures=figures, sheets=sheets, answers=answers, adjustments=adjustments)


def score_unit(par_round: ParRound, agency: Agency, par_set: ParSet | None = None,
               group: Group | None = None) -> Scored | None:
    """The unit's scores; `group`: read_group's answer for the units the caller scores together (this one among
    them), instead of reading the unit's own rows and figures."""
    par_set = par_set or rounds.set_for(par_round, agency)
    if par_set is None:
        return None
    sheet = group.sheets.get(agency.id) if group is not None else rounds.find_sheet(par_round, agency)
    scored = Scored(agency=agency, par_set=par_set, sheet=sheet)
    if sheet is not None and group is not None:
        scored.answers, scored.adjustments = group.answers.get(sheet.id, {}), group.adjustments.get(sheet.id, [])
    elif sheet is not None:
        scored.answers = {answer.item_id: answer for answer in
                          db.session.scalars(db.select(ParAnswer).filter_by(sheet_id=sheet.id))}
        scored.adjustments = db.session.scalars(db.select(ParAdjustment).filter_by(sheet_id=sheet.id)
                                                .order_by(ParAdjustment.id)).all()
    leaves = sets.leaves(par_set)
    if needs_figures(par_round, par_set):
        known = group.figures if group is not None else None
        scored.figures = (known[agency.code] if known is not None and agency.code in known
                          else unit_figures(agency.code, par_round.year, with_index=needs_index(leaves)))
    for item in leaves:
        found = measure(item, scored.figures, agency.code, par_round.year)
        if found is not None:
            scored.measured[item.id] = found
        answer = scored.answers.get(item.id)
        own = found["points_cp"] if found else (answer.self_cp if answer else None)
        chain = (answer.second_cp, answer.appraised_cp) if answer else ()
        scored.finals[item.id] = next((cp for cp in chain if cp is not None), own) or 0
    if par_round.survey_source == "ratings":
        share = ((scored.figures or {}).get("applications") or {}).get("ratings", {}).get("satisfied_share")
        scored.survey_cp = round(par_set.survey_weight_cp * share / 100) if share is not None else 0
    else:
        scored.survey_cp = sheet.survey_cp if sheet is not None else None
    return scored


def _subtotals(scored: Scored) -> dict[int, int]:
    """Every item's points: a leaf's final, a parent's the sum of its children's."""
    totals = dict(scored.finals)
    for item in reversed(scored.par_set.items):  # children come after their parent in the set's order
        if item.parent_id is not None:
            totals[item.parent_id] = totals.get(item.parent_id, 0) + totals.get(item.id, 0)
    return totals


def band(share: float) -> str:
    return next((name for threshold, name in settings.get("par_index_bands") if share >= threshold), "")


def summary(scored: Scored) -> dict:
    """The unit's total, areas (points, share of max), adjustments, survey, band and emulation mark."""
    totals = _subtotals(scored)
    limit = settings.get("par_index_emulation_area_share")
    areas = [{"number": item.number, "title": item.title, "max_points": show(item.max_cp),
              "points": show(totals.get(item.id, 0)),
              "share": round(100 * totals.get(item.id, 0) / item.max_cp, 1) if item.max_cp else None}
             for item in scored.par_set.items if item.parent_id is None]
    score_cp = sum(scored.finals.values())
    adjust_cp = sum(row.points_cp for row in scored.adjustments)
    total_cp = score_cp + adjust_cp + (scored.survey_cp or 0)
    total_max = sets.total_max_cp(scored.par_set)
    share = 100 * total_cp / total_max if total_max else 0
    return {"agency": {"code": scored.agency.code, "name": scored.agency.name}, "score": show(score_cp),
            "adjustments_total": show(adjust_cp), "survey": show(scored.survey_cp), "total": show(total_cp),
            "total_cp": total_cp, "total_max": show(total_max), "share": round(share, 2), "band": band(share),
            "emulation_eligible": all(area["share"] is None or area["share"] >= limit for area in areas),
            "areas": areas, "submitted": scored.sheet is not None and scored.sheet.submitted_at is not None}


def _leaf_json(item, scored: Scored, history: dict) -> dict:
    answer = scored.answers.get(item.id)
    found = scored.measured.get(item.id)
    get = (lambda name: getattr(answer, name)) if answer else (lambda name: None)
    return {"number": item.number, "title": item.title, "level": item.level, "max_points": show(item.max_cp),
            "scoring": item.scoring, "evidence_asked": item.evidence, "evidence_required": item.evidence_required,
            "answer_kind": item.answer_kind, "declared": get("declared"),
            "self_score": show(found["points_cp"]) if found else show(get("self_cp")), "note": get("note"),
            "appraised_score": show(get("appraised_cp")), "appraisal_note": get("appraisal_note"),
            "explanation_requested": bool(get("explanation_requested")), "explanation": get("explanation"),
            "second_score": show(get("second_cp")), "second_note": get("second_note"),
            "final_score": show(scored.finals[item.id]),
            "measured": None if found is None else {
                "indicator": found["indicator"], "label": found["label"], "value": found["value"],
                "points": show(found["points_cp"]), "list_url": found["list_url"]},
            "evidence": [{"id": row.id, "name": row.name, "size": row.size, "mimetype": row.mimetype,
                          "stage": row.stage, "sha256": row.sha256, "uploaded_at": local(row.uploaded_at).isoformat()}
                         for row in (answer.evidence if answer else [])],
            "history_count": history.get(item.id, 0)}


def sheet_view(par_round: ParRound, agency: Agency) -> dict | None:
    """The unit's whole sheet: the tree with every score, evidence and measured figure, the flat list of
    sub-criteria (`items`), the areas' summary, adjustments, survey and total; None when the agency is no unit
    with a set this year."""
    scored = score_unit(par_round, agency)
    if scored is None:
        return None
    history = {}
    if scored.sheet is not None:
        history = dict(db.session.execute(db.select(ParHistory.item_id, db.func.count()).filter_by(
            sheet_id=scored.sheet.id).group_by(ParHistory.item_id)).all())
    totals = _subtotals(scored)
    leaf_ids = set(scored.finals)

    def node(item):
        if item.id in leaf_ids:
            return _leaf_json(item, scored, history)
        return {"number": item.number, "title": item.title, "level": item.level, "max_points": show(item.max_cp),
                "points": show(totals.get(item.id, 0))}
    tree = sets.tree(scored.par_set, node)
    items = [_leaf_json(item, scored, history) for item in sets.leaves(scored.par_set)]
    sheet = scored.sheet
    return {"year": par_round.year, "group": scored.par_set.group, "stage": rounds.current_stage(par_round),
            "round": rounds.round_json(par_round),
            "submitted_at": local(sheet.submitted_at).isoformat() if sheet and sheet.submitted_at else None,
            "survey_source": par_round.survey_source, "survey_weight": show(scored.par_set.survey_weight_cp),
            "adjustments": [{"points": show(row.points_cp), "reason": row.reason, "at": local(row.at).isoformat()}
                            for row in scored.adjustments],
            "history_count": sum(history.values()), "tree": tree, "items": items,
            "missing_evidence": [item["number"] for item in items if item["evidence_required"]
                                 and not item["measured"] and (item["self_score"] or 0) > 0
                                 and not item["evidence"]],
            **summary(scored)}


def ranking(par_round: ParRound, group: str, root: int | None = None) -> dict:
    """The group's units (in one province's tree when `root` is given) by total, highest first; equal totals
    share a rank (1, 1, 3)."""
    par_set = sets.get_set(par_round.year, group)
    if par_set is None:
        return {"year": par_round.year, "group": group, "total_max": None, "units": []}
    agencies = rounds.units(group, root)
    read = read_group(par_round, par_set, agencies)
    found = [summary(score_unit(par_round, agency, par_set, read)) for agency in agencies]
    found.sort(key=lambda unit: (-unit["total_cp"], unit["agency"]["code"]))
    for place, unit in enumerate(found):
        same = place and found[place - 1]["total_cp"] == unit["total_cp"]
        unit["rank"] = found[place - 1]["rank"] if same else place + 1
    return {"year": par_round.year, "group": group, "total_max": show(sets.total_max_cp(par_set)),
            "units": [{key: value for key, value in unit.items() if key != "total_cp"} for unit in found]}


def lost_points(par_round: ParRound, agency: Agency) -> list[dict]:
    """The sub-criteria the unit scored below their maximum, with the province's average for each (over the units
    of its group with a sheet), the unit's score last year (same number) and the actions recorded for it."""
    par_set = rounds.set_for(par_round, agency)
    if par_set is None:
        return []
    sheets = db.session.scalars(db.select(ParSheet).filter_by(round_id=par_round.id, set_id=par_set.id)).all()
    read = read_group(par_round, par_set, {agency, *(sheet.agency for sheet in sheets)})
    scored = score_unit(par_round, agency, par_set, read)
    others = [score_unit(par_round, sheet.agency, par_set, read) for sheet in sheets]
    previous = rounds.last_year(par_round)
    before = score_unit(previous, agency) if previous is not None else None
    before_by_number = ({item.number: before.finals[item.id] for item in sets.leaves(before.par_set)}
                        if before is not None and before.sheet is not None else {})
    actions = {}
    if scored.sheet is not None:
        for action in db.session.scalars(db.select(ParAction).filter_by(sheet_id=scored.sheet.id)
                                         .order_by(ParAction.id)):
            actions.setdefault(action.item_id, []).append(action_json(action))
    areas = {item.id: item for item in scored.par_set.items}
    found = []
    for item in sets.leaves(scored.par_set):
        final = scored.finals[item.id]
        if final >= item.max_cp:
            continue
        area = item
        while area.parent_id is not None:
            area = areas[area.parent_id]
        average = (sum(other.finals[item.id] for other in others) / len(others)) if others else None
        found.append({"number": item.number, "title": item.title, "area": area.number,
                      "max_points": show(item.max_cp), "score": show(final), "lost": show(item.max_cp - final),
                      "province_average": round(average / 100, 2) if average is not None else None,
                      "last_year": show(before_by_number.get(item.number)),
                      "actions": actions.get(item.id, [])})
    return found


def action_json(action: ParAction) -> dict:
    return {"id": action.id, "text": action.text, "owner": action.owner, "due_on": action.due_on.isoformat(),
            "done": action.done_at is not None,
            "done_at": local(action.done_at).isoformat() if action.done_at else None}


def history(par_round: ParRound, agency: Agency) -> list[dict]:
    """Every change to the unit's sheet, oldest first: who, when, stage, item, field, old and new value."""
    sheet = rounds.find_sheet(par_round, agency)
    if sheet is None:
        return []
    numbers = {item.id: item.number for item in sheet.set.items}
    return [{"at": local(row.at).isoformat(), "user": row.user.username, "full_name": row.user.full_name,
             "stage": row.stage, "number": numbers.get(row.item_id), "field": row.field, "old": row.old,
             "new": row.new}
            for row in db.session.scalars(db.select(ParHistory).filter_by(sheet_id=sheet.id).order_by(ParHistory.id))]
