"""Several units' figures at once (the PAR INDEX's ranking, a province's averages), read through indicators
(`indicators.units_figures`): each unit with every agency below it, exactly as indicators.figures() counts it
alone, but in one grouped pass per set of units that share no agency, so that the cost stays near one province's
figures whatever the number of units."""
from datetime import date

import sqlalchemy as sa

from ...extensions import db
from ...fees.counting import unit_fee_figures
from ...procedures.models import ProcedureVersion
from ...timeutil import now
from .indicators import (_answer, _catalogue_block, _catalogue_query, _has_commune, _scoped, _used_query,
                         application_figures, complaint_figures, figures, tree)
from .rollups import Rollup


def units_figures(codes: list[str], start: date, end: date, *, moment=None, with_index=False) -> dict[str, dict]:
    """{code: figures(agency, its agencies, start, end)} for several units at once (the PAR INDEX's ranking, a
    province's averages): each unit with every agency below it, exactly as figures() counts it, but in one grouped
    pass per set of units that share no agency (a group's units never do), so the cost is near one province's
    figures whatever the number of units. Codes of no agency are left out. `with_index` adds each unit's Decision
    766 index as figures(with_index=True) does (one computation per unit: only a criteria set that asks for it)."""
    moment, agencies = moment or now(), tree()
    found = {agencies.by_code(code)["id"]: code for code in codes if agencies.by_code(code) is not None}
    units = {unit: agencies.below(unit) for unit in found}
    passes: list[dict] = []  # units that share no agency, each set counted in one pass
    for unit, ids in units.items():
        free = next((group for group in passes if not any(ids & other for other in group.values())), None)
        if free is None:
            passes.append(free := {})
        free[unit] = ids
    result = {}
    for group in passes:
        if len(group) == 1:
            unit, ids = next(iter(group.items()))
            result[found[unit]] = figures(agencies.agencies[unit], None if agencies.is_everything(ids) else ids,
                                          start, end, moment=moment, with_index=with_index)
            continue
        every = set().union(*group.values())
        # most of the province: read every agency's rows and drop the others when folding (no long IN list)
        narrow = every if 2 * len(every) < len(agencies.agencies) else None
        unit_of = {agency_id: unit for unit, ids in group.items() for agency_id in ids}
        blocks = application_figures(narrow, start, end, by="agency", scope=unit_of, moment=moment)
        complaints = complaint_figures(narrow, start, end, by="agency", scope=unit_of, moment=moment)
        catalogue = unit_catalogue_figures(group, start, end, narrow)
        fees = unit_fee_figures(group, start, end, narrow)
        for unit in group:
            result[found[unit]] = _answer(agencies.agencies[unit], start, end, moment, blocks.get((unit,)),
                                          complaints.get((unit,)), catalogue[unit], fees[unit])
            if with_index:
                from .index766 import index_for  # it reads the rollups through indicators

                result[found[unit]]["index_766"] = index_for(agencies.agencies[unit], group[unit], start, end,
                                                             moment=moment)
    return result


def unit_catalogue_figures(units: dict[int, set], start: date, end: date, agency_ids=None) -> dict:
    """catalogue_figures for several units that share no agency ({unit id: its agency ids}, none of them the whole
    province), in two queries grouped by agency (over `agency_ids` only when given): {unit id: figures}. A
    procedure without an agency of the commune level counts for every unit with a commune, as it does for one."""
    agencies = tree()
    scope = sa.true() if agency_ids is None else sa.or_(
        ProcedureVersion.agency_id.in_(sorted(agency_ids)),
        sa.and_(ProcedureVersion.agency_id.is_(None), ProcedureVersion.level == "commune"))
    per_agency: dict = {}  # agency id -> rows; (None, level) -> rows of the procedures without an agency
    for row in db.session.execute(_catalogue_query(start, end, ProcedureVersion.agency_id, ProcedureVersion.level)
                                  .where(scope).group_by(ProcedureVersion.agency_id, ProcedureVersion.level)):
        per_agency.setdefault(row[0] if row[0] is not None else (None, row[1]), []).append(row[2:])
    used: dict = {}  # agency id -> the procedures it received files of (distinct: not to be added)
    pairs = _used_query(start, end, Rollup.agency_id, ProcedureVersion.procedure_id).distinct()
    for agency_id, procedure_id in db.session.execute(_scoped(pairs, Rollup, agency_ids, "procedure")):
        used.setdefault(agency_id, set()).add(procedure_id)
    result = {}
    for unit, ids in units.items():
        rows = [row for a in ids for row in per_agency.get(a, ())]
        if _has_commune(agencies, ids):
            rows += per_agency.get((None, "commune"), [])
        result[unit] = _catalogue_block([sum(row[i] for row in rows) for i in range(5)],
                                        len(set().union(*(used.get(a, ()) for a in ids))))
    return result
