"""The Decision 766 part of the OpenAPI document (issue 19): the index of an agency and its units, and where a
sub-indicator's points went. Merged into openapi.PATHS."""
from .openapi import DAY, TEXT, op, optional, param

NUMBER = {"type": "number"}
NULLABLE_NUMBER = {"type": "number", "nullable": True}
INDICATOR = {"type": "object", "required": ["code", "numerator", "denominator", "ratio", "points", "max", "measured"],
             "properties": {
                 "code": TEXT, "numerator": {"type": "integer", "nullable": True},
                 "denominator": {"type": "integer", "nullable": True}, "ratio": NULLABLE_NUMBER,
                 "points": {**NULLABLE_NUMBER, "description": "null: not measured, or not applicable (a zero "
                                                              "denominator whose rule gives no points)"},
                 "max": NUMBER, "measured": {"type": "boolean", "description": "false where the app holds no data"}}}
GROUP = {"type": "object", "required": ["code", "points", "max", "indicators"], "properties": {
    "code": {"type": "string", "enum": ["transparency", "progress", "online_service", "online_payment",
                                        "satisfaction", "digitisation"]},
    "points": NUMBER, "max": {**NUMBER, "description": "what could be measured and applied, at most the group's"},
    "indicators": {"type": "array", "items": INDICATOR}}}
SCORED = {"groups": {"type": "array", "items": GROUP}, "total": NUMBER, "max": NUMBER,
          "band": {"type": "string", "nullable": True, "description": "from the settings' bands, on total ÷ max"},
          "rules_version": {**TEXT, "description": "the effective date of the rules in force at the period's end"}}
UNIT = {"type": "object", "required": ["code", "name", "kind", "groups", "total", "band", "rules_version", "rank",
                                       "previous"],
        "properties": {"code": TEXT, "name": TEXT, "kind": {"type": "string", "enum": ["department", "commune"]},
                       **SCORED, "rank": {"type": "integer", "nullable": True},
                       "previous": {"type": "object", "properties": {
                           "total": NUMBER, "rank": {"type": "integer", "nullable": True}, "change": NUMBER}}}}
INDEX = {"type": "object", "required": ["agency", "from", "to", "groups", "total", "band", "rules_version"],
         "properties": {"agency": {"type": "object"}, "from": TEXT, "to": TEXT, "procedure": TEXT, **SCORED,
                        "units": {"type": "array", "items": UNIT}}}
PERIOD = [param("agency"), param("from", required=True, **DAY), param("to", required=True, **DAY)]

INDEX_PATHS = {
    "/api/v1/index-766": {
        "get": op("Decision 766/QĐ-TTg's index of an agency (with those below it) for a period, as the national "
                  "portal scores it", schema=INDEX, errors=("400", "403", "404"),
                  description="`to` may not be before `from`, and a period is at most 3 years. The rules are those "
                              "in force on `to`. `units=1` adds each unit directly below the agency, ranked among "
                              "departments and among communes, with the previous period's total, rank and change.",
                  params=[*PERIOD, optional(param("units", type="string", enum=["0", "1"]), "0"),
                          param("procedure", description="a procedure's national code: that procedure's files and "
                                                         "catalogue entry only (complaints are not measured then)")]),
    },
    "/api/v1/index-766/losses": {
        "get": op("Where one sub-indicator's points went: the points lost per class, and a page of the files "
                  "(complaints, procedures) that cost them", schema={"type": "object", "required": [
                      "indicator", "lost", "items", "next"], "properties": {
                      "indicator": INDICATOR, "lost": NUMBER, "classes": {"type": "array", "nullable": True},
                      "items": {"type": "array"}, "next": {"type": "string", "nullable": True}}},
                  errors=("400", "403", "404"),
                  description="`indicator` is a sub-indicator's code in the rules in force on `to`; a code with no "
                              "list (not measured) is a 400. `after` is the previous page's `next`; `classes` is "
                              "given on the first page only.",
                  params=[*PERIOD, param("indicator", required=True), optional(param("after"), "the first page")]),
    },
}
