"""The administrative-reform index (PAR INDEX, chỉ số cải cách hành chính), issue 20: each department and commune
scores itself against the province's criteria set, the Department of Home Affairs (Sở Nội vụ, role `appraiser`)
appraises, the survey is added, the units are ranked and the points lost are followed up.

Who: the unit's reform officer is a staff user of the unit's own agency with the role `supervisor`; the appraiser
is any user with the role `appraiser`, for every unit of its province; sets and rounds are the province admin's
(an admin of the top agency) or the appraiser's. Points are kept in hundredths (points.py).

Modules: models (tables), points (points and ParError), importer (the province's Excel table), sets (criteria
sets), rounds (rounds, deadlines, units, sheets), measured (figures the app measures for the round's official year,
via tracking.supervision.indicators.units_figures: a ranking's or an average's units all in one grouped pass), sheets
(the one write path for a sheet), results (views, ranking, lost points), actions (what the unit does about lost
points), api (/api/v1/par-index).

Services the API and the pages call. Every write flushes, never commits: the caller begins the write with
database.begin_write() and commits; a refusal raises ParError(message, status, errors) and the caller rolls the
session back (what the service had flushed goes with it: the sheet is as it was), as api.answers_par_errors does.
- sets.import_set(filename, content: bytes, year, group, *, title="", survey_weight=0) -> ParSet
- sets.get_set(year, group) -> ParSet | None;  sets.set_json(par_set) -> dict;  sets.is_frozen(par_set) -> bool
- sets.create_set(year, group, *, title="", survey_weight=0) -> ParSet  (an empty set, typed in item by item)
- sets.add_item(par_set, fields: dict) -> ParItem  (`number`, `parent`, `title`, `max_points`, texts, binding)
- sets.update_item(par_set, number, changes: dict) -> ParItem  (texts, binding, a leaf's `max_points`)
- sets.remove_item(par_set, number, *, with_children=False) -> list[str]  (the numbers removed)
  (a parent's maximum is always its children's sum; each refused once the year's round opens, 409)
- rounds.create_round(year, deadlines: dict, user, *, opens_at=None, survey_source="entered") -> ParRound
- rounds.get_round(year) -> ParRound | None;  rounds.round_json(par_round) -> dict;
  rounds.current_stage(par_round) -> str | None;  rounds.stage_open(par_round, stage) -> bool;
  rounds.units(group, root=None) -> list[Agency];  rounds.group_of(agency) -> str | None
- sheets.update_answer(par_round, agency, number, changes: dict, user) -> ParAnswer
- sheets.add_evidence(par_round, agency, number, filename, data: bytes, user) -> ParEvidence
- sheets.submit(par_round, agency, user) -> ParSheet
- sheets.add_adjustment(par_round, agency, points, reason, user) -> ParAdjustment
- sheets.set_survey(par_round, agency, points, user) -> ParSheet
- sheets.may_see(user, agency), sheets.is_reform_officer(user, agency), sheets.is_appraiser_of(user, agency)
- actions.add_action(par_round, agency, number, text, owner, due_on, user) -> ParAction
- actions.mark_done(par_round, agency, action_id, user, done=True) -> ParAction
- results.sheet_view(par_round, agency) -> dict | None  (the API's sheet: tree, items, areas, total, band …)
- results.ranking(par_round, group, root=None) -> dict  ({year, group, total_max, units: [… rank, band …]})
- results.read_group(par_round, par_set, agencies) -> Group  (for any all-units view: the units' figures in one
  grouped pass, their sheets, answers and adjustments; pass it to results.score_unit(par_round, agency, par_set,
  group) for each unit instead of reading one unit at a time)
- results.lost_points(par_round, agency) -> list[dict];  results.history(par_round, agency) -> list[dict]
"""


def init_app(app) -> None:
    from . import api, views

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
