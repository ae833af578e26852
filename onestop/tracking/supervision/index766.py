"""Decision 766/QĐ-TTg's index of service to citizens and businesses, scored as the national portal scores it:
the rules in force at the period's end (index766_rules) applied to the figures (index766_figures).

A sub-indicator scores `max × min(1, ratio ÷ full_at)`. With a zero denominator it is full when its rule says so
("full when there were none"), else not applicable: its points are left out of the score and of the maximum.
A sub-indicator that needs a national system or a record the app does not hold is not measured (`measured`:
false), never 0, and left out of both too. A group scores the sum of its sub-indicators, capped at its maximum.
The band (Xuất sắc, Tốt, Khá, Trung bình, Yếu) is read from the settings, on the points as a share of the maximum
that could be measured.
"""
from datetime import date

from ... import settings
from .index766_figures import Period, Target, measure_periods
from .index766_rules import NOT_HELD, rules_on
from .periods import previous_period, tree


def _indicator(rule: dict, found: dict) -> dict:
    entry = {"code": rule["code"], "numerator": None, "denominator": None, "ratio": None, "points": None,
             "max": rule["max"], "measured": rule["measure"] not in NOT_HELD}
    if entry["measured"] and found.get(rule["measure"]) is None:  # not measured for this scope (a procedure's)
        entry["measured"] = False
    if not entry["measured"]:
        return entry
    numerator, denominator = found[rule["measure"]]
    entry.update(numerator=numerator, denominator=denominator)
    if denominator:
        entry["ratio"] = round(numerator / denominator, 4)
        entry["points"] = round(rule["max"] * min(1.0, numerator / denominator / rule["full_at"]), 2)
    elif rule["zero"] == "full":
        entry["points"] = rule["max"]
    return entry


def score(rules: dict, found: dict) -> dict:
    """{groups, total, max, band, rules_version} of one target's figures under one version of the rules."""
    groups, total, most = [], 0.0, 0.0
    for group in rules["groups"]:
        indicators = [_indicator(rule, found) for rule in group["indicators"]]
        counted = [item for item in indicators if item["points"] is not None]
        group_max = min(group["max"], sum(item["max"] for item in counted))
        points = round(min(group_max, sum(item["points"] for item in counted)), 2)
        groups.append({"code": group["code"], "points": points, "max": group_max, "indicators": indicators})
        total, most = total + points, most + group_max
    total = round(total, 2)
    return {"groups": groups, "total": total, "max": round(most, 2), "band": band(total, most),
            "rules_version": rules["version"]}


def band(points: float, most: float) -> str | None:
    """The band of a score, as a share of the maximum measured (settings: index_766_bands, highest first)."""
    if not most:
        return None
    share = 100.0 * points / most
    for name, floor in settings.get("index_766_bands"):
        if share >= floor:
            return name
    return None


def _targets(agency: dict, agency_ids, units: bool) -> list[Target]:
    agencies = tree()

    def holds_commune(ids):
        return ids is None or any(agencies.agencies[i]["level"] == "commune" for i in ids if i in agencies.agencies)

    found = [Target((), agency_ids, holds_commune(agency_ids))]
    if units:
        for child in agencies.children.get(agency["id"], []):
            ids = agencies.below(child)
            found.append(Target(child, ids, holds_commune(ids)))
    return found


def index_for(agency: dict, agency_ids, start: date, end: date, *, units: bool = False, moment=None,
              procedure: dict | None = None) -> dict:
    """The index of one agency (with those below it) for [start, end]; with `units`, each unit directly below it
    too, ranked among its kind (departments, communes) with the change from the previous period; with
    `procedure` ({id, code}), of that procedure's files and catalogue entry only."""
    targets = _targets(agency, agency_ids, units)
    periods = [Period(start, end, targets)]
    if units:
        before = [Target(t.key, t.ids, t.communes) for t in targets[1:]]
        periods.append(Period(*previous_period(start, end), before))
    measure_periods(periods, moment=moment, procedure=procedure["id"] if procedure else None)
    answer = {"agency": {"code": agency["code"], "name": agency["name"]}, "from": start.isoformat(),
              "to": end.isoformat(), **({"procedure": procedure["code"]} if procedure else {}),
              **score(rules_on(end), targets[0].found)}
    if units:
        answer["units"] = ranked(targets[1:], periods[1], end)
    return answer


def _kind(level: str) -> str:
    return "commune" if level == "commune" else "department"


def _rank(rows: list[dict], name: str) -> None:
    """Competition ranking (1, 2, 2, 4) by the score, within each kind, as the portal ranks (a unit with nothing to
    score but complaints, full when there were none, does not outrank one that is scored on everything)."""
    for kind in ("department", "commune"):
        mine = sorted((row for row in rows if row["kind"] == kind),
                      key=lambda row: -row["_score"])
        for position, row in enumerate(mine):
            same = position and mine[position - 1]["_score"] == row["_score"]
            row[name] = mine[position - 1][name] if same else position + 1


def ranked(targets: list[Target], before: Period, end: date) -> list[dict]:
    """Each unit's score, its rank among its kind, and the previous period's (measured in `before`)."""
    agencies = tree()
    rules, previous_rules = rules_on(end), rules_on(before.end)
    rows, earlier = [], []
    for target, old in zip(targets, before.targets):
        agency = agencies.agencies[target.key]
        now_score, old_score = score(rules, target.found), score(previous_rules, old.found)
        rows.append({"code": agency["code"], "name": agency["name"], "kind": _kind(agency["level"]), **now_score,
                     "rank": None, "_score": now_score["total"]})
        earlier.append({"kind": _kind(agency["level"]), "rank": None, "total": old_score["total"],
                        "_score": old_score["total"]})
    _rank(rows, "rank")
    _rank(earlier, "rank")
    for row, old in zip(rows, earlier):
        row["previous"] = {"total": old["total"], "rank": old["rank"],
                           "change": round(row["total"] - old["total"], 2)}
        del row["_score"]
    return sorted(rows, key=lambda row: (row["kind"] != "department", row["rank"] or 10 ** 6, row["code"]))
