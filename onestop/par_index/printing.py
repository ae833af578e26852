"""The PAR INDEX prints built from results (the same figures the pages show), rendered by onestop.pdf.scores and
par_index.exports: the unit's score sheet for its head's signature, the province's ranking (PDF with its chart,
and Excel), the unit's lost points with their actions."""
from datetime import date, datetime

from .. import settings
from ..auth.models import Agency
from ..pdf import scores
from ..reception.printing import heading
from ..timeutil import now
from . import exports, results

STAGE_TITLES = {"self": "Đang tự đánh giá", "appraisal": "Đang thẩm định", "explanation": "Đang giải trình",
                "second": "Đang thẩm định lại", None: "Kết quả sau thẩm định"}
GROUP_TITLES = {"departments": ("Các sở, ban, ngành", "So, ban, nganh"), "communes": ("Các xã, phường", "Xa, phuong")}
PREFIX = "Ủy ban nhân dân "


def short_name(name: str) -> str:
    """'Sở Tư pháp tỉnh Lào Cai' -> 'Sở Tư pháp'; 'Ủy ban nhân dân phường Yên Bái' -> 'phường Yên Bái'."""
    if name.startswith(PREFIX):
        name = name[len(PREFIX):]
    at = name.find(" tỉnh ")
    return name[:at] if at > 0 else name


def _leaf_row(leaf: dict, appraised: bool) -> dict:
    """A sub-criterion's row; once the appraisal has begun its 'Thẩm định' column is the points that count (the
    appraiser's, or the unit's own where the appraiser kept them)."""
    measured = leaf.get("measured")
    shown_measure = None
    if measured:
        unit = "" if measured["indicator"] == "index_766" else "%"  # the 766 index is a score, the rest shares
        value = "không phát sinh" if measured["value"] is None else f"{measured['value']:g}{unit}".replace(".", ",")
        shown_measure = f"Số liệu hệ thống: {measured['label']}: {value} → {scores.points(measured['points'])} điểm"
    return {"level": 2, "number": leaf["number"], "title": leaf["title"], "max_points": leaf["max_points"],
            "self_score": leaf["self_score"], "appraised_score": leaf["final_score"] if appraised else None,
            "note": leaf.get("note"),
            "measured": shown_measure, "evidence": ", ".join(row["name"] for row in leaf["evidence"]) or None}


def _rows(nodes: list[dict], appraised: bool, depth: int = 0) -> tuple[list[dict], float]:
    """The tree as printed rows (a parent with the sums of the scores below it) and the self-scores' sum."""
    rows, self_total = [], 0.0
    for node in nodes:
        if not node.get("children"):
            row = _leaf_row(node, appraised)
            rows.append(row)
            self_total += row["self_score"] or 0
            continue
        below, own = _rows(node["children"], appraised, depth + 1)
        rows.append({"level": min(depth, 1), "number": node["number"], "title": node["title"],
                     "max_points": node["max_points"], "self_score": own,
                     "appraised_score": node["points"] if appraised else None})
        rows += below
        self_total += own
    return rows, self_total


def sheet_ctx(par_round, agency: Agency, view: dict) -> dict:
    appraised = view["submitted_at"] is not None and view["stage"] != "self"
    rows, self_total = _rows(view["tree"], appraised)
    limit = settings.get("par_index_emulation_area_share")
    areas = [{**area, "below_threshold": area["share"] is not None and area["share"] < limit}
             for area in view["areas"]]
    remarks = []
    if not view["emulation_eligible"]:
        remarks.append(f"(*) Lĩnh vực đạt dưới {limit}% điểm tối đa: đơn vị không đủ điều kiện xét thi đua, "
                       "khen thưởng theo quy định của tỉnh.")
    return {**heading(agency, "par_index_sheet"), "at": now(), "year": par_round.year, "unit_name": agency.name,
            "stage": STAGE_TITLES[view["stage"]], "rows": rows,
            "adjustments": [{"label": "Điểm thưởng" if row["points"] > 0 else "Điểm trừ", "reason": row["reason"],
                             "points": row["points"]} for row in view["adjustments"]],
            "survey": {"label": "Điểm điều tra xã hội học", "max_points": view["survey_weight"],
                       "points": view["survey"]} if view["survey_weight"] else None,
            "totals": {"max_points": view["total_max"], "self_score": round(self_total, 2),
                       "total": view["total"] if appraised else None, "band": view["band"] if appraised else None},
            "areas": areas, "remarks": remarks, "signer_title": "Thủ trưởng đơn vị"}


def score_sheet_pdf(par_round, agency: Agency, view: dict) -> bytes:
    return scores.render_score_sheet_pdf(sheet_ctx(par_round, agency, view))


def ranking_groups(par_round, root: int) -> list[dict]:
    """Both groups' rankings as the prints and the page's charts take them."""
    limit = settings.get("par_index_emulation_area_share")
    groups = []
    for group, (title, sheet_name) in GROUP_TITLES.items():
        found = results.ranking(par_round, group, root)
        units = found["units"]
        areas = [(area["number"], area["title"], area["max_points"]) for area in units[0]["areas"]] if units else []
        groups.append({"group": group, "title": title, "sheet": sheet_name, "areas": areas,
                       "max_points": found["total_max"],
                       "survey_max": (found["total_max"] or 0) - sum(most or 0 for _n, _t, most in areas),
                       "units": [{"rank": unit["rank"], "code": unit["agency"]["code"], "name": unit["agency"]["name"],
                                  "short_name": short_name(unit["agency"]["name"]),
                                  "areas": {area["number"]: area["points"] for area in unit["areas"]},
                                  "low_areas": [area["number"] for area in unit["areas"]
                                                if area["share"] is not None and area["share"] < limit],
                                  "survey": unit["survey"], "total": unit["total"], "max_points": unit["total_max"],
                                  "share": unit["share"], "band": unit["band"], "submitted": unit["submitted"],
                                  "emulation_eligible": unit["emulation_eligible"]} for unit in units]})
    return groups


def ranking_ctx(par_round, issuer: Agency, groups: list[dict]) -> dict:
    limit = settings.get("par_index_emulation_area_share")
    return {**heading(issuer, "par_index_ranking"), "at": now(), "year": par_round.year, "groups": groups,
            "rule": f"Đơn vị có lĩnh vực đạt dưới {limit}% điểm tối đa của lĩnh vực không đủ điều kiện xét thi đua, "
                    "khen thưởng (Chỉ thị 09/CT-UBND).",
            "signer_title": "Thủ trưởng cơ quan"}


def ranking_pdf(par_round, issuer: Agency, groups: list[dict]) -> bytes:
    return scores.render_ranking_pdf(ranking_ctx(par_round, issuer, groups))


def ranking_xlsx(par_round, issuer: Agency, groups: list[dict]) -> bytes:
    return exports.render_ranking_xlsx(ranking_ctx(par_round, issuer, groups))


def day(value) -> str:
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return value.strftime("%d/%m/%Y") if isinstance(value, (date, datetime)) else ""


def lost_points_pdf(par_round, agency: Agency, rows: list[dict]) -> bytes:
    ctx = {**heading(agency, "par_index_lost_points"), "at": now(), "year": par_round.year,
           "unit_name": agency.name, "total_lost": round(sum(row["lost"] for row in rows), 2),
           "rows": [{**row, "points": row["score"],
                     "actions": [{"task": action["text"], "owner": action["owner"], "due": day(action["due_on"]),
                                  "done": action["done"]} for action in row["actions"]]} for row in rows],
           "signer_title": "Thủ trưởng đơn vị"}
    return scores.render_lost_points_pdf(ctx)
