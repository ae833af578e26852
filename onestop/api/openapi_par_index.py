"""The PAR INDEX part of the OpenAPI document (issue 20): criteria sets, rounds, a unit's sheet and its writes, lost
points and actions, the ranking. Merged into openapi.PATHS."""
from .openapi import LINE, MOMENT, NULLABLE_TEXT, TEXT, TEXT_IN_JSON, op, param

YEAR = param("year", "path", type="integer", minimum=2000, maximum=2100)
GROUP = param("group", "path", type="string", enum=["departments", "communes"])
CODE = param("code", "path", description="the unit's agency code (mã định danh)")
NUMBER = param("number", "path", description="a sub-criterion's number, e.g. 2.2.1", type="string",
               pattern="^[0-9]{1,3}(\\.[0-9]{1,3}){0,3}$")
POINTS = {"type": "number", "nullable": True}
SCORE_IN = {"type": "number", "minimum": 0, "maximum": 9999.99, "nullable": True, "multipleOf": 0.01}
NOTE_IN = {**TEXT_IN_JSON, "maxLength": 4000, "nullable": True}
NODE = {"type": "object", "required": ["number", "title", "max_points", "children"], "properties": {
    "number": TEXT, "title": TEXT, "level": {"type": "string", "enum": ["area", "criterion", "sub"]},
    "max_points": {"type": "number"}, "children": {"type": "array", "items": {"type": "object"}}}}
SET = {"type": "object", "required": ["year", "group", "total_max", "tree"], "properties": {
    "year": {"type": "integer"}, "group": TEXT, "title": TEXT, "survey_weight": {"type": "number"},
    "total_max": {"type": "number"}, "frozen": {"type": "boolean"}, "counts": {"type": "object"},
    "tree": {"type": "array", "items": NODE}}}
ROUND = {"type": "object", "required": ["year", "opens_at", "self_until", "appraisal_until", "explanation_until",
                                        "second_until"], "properties": {
    "year": {"type": "integer"}, "opens_at": MOMENT, "self_until": MOMENT, "appraisal_until": MOMENT,
    "explanation_until": MOMENT, "second_until": MOMENT,
    "survey_source": {"type": "string", "enum": ["entered", "ratings"]},
    "stage": {"type": "string", "nullable": True, "enum": ["self", "appraisal", "explanation", "second", None]}}}
MEASURED = {"type": "object", "nullable": True, "required": ["indicator", "value", "points"], "properties": {
    "indicator": TEXT, "label": TEXT, "value": {"type": "number", "nullable": True}, "points": {"type": "number"},
    "list_url": NULLABLE_TEXT}}
EVIDENCE = {"type": "object", "required": ["id", "name", "sha256"], "properties": {
    "id": {"type": "integer"}, "name": TEXT, "size": {"type": "integer"}, "mimetype": TEXT,
    "stage": {"type": "string", "enum": ["self", "explanation"]}, "sha256": TEXT, "uploaded_at": MOMENT}}
ITEM = {"type": "object", "required": ["number", "max_points", "declared", "self_score", "appraised_score",
                                       "measured", "evidence"], "properties": {
    "number": TEXT, "title": TEXT, "max_points": {"type": "number"}, "declared": NULLABLE_TEXT,
    "self_score": POINTS, "note": NULLABLE_TEXT, "appraised_score": POINTS, "appraisal_note": NULLABLE_TEXT,
    "explanation_requested": {"type": "boolean"}, "explanation": NULLABLE_TEXT, "second_score": POINTS,
    "second_note": NULLABLE_TEXT, "final_score": {"type": "number"}, "measured": MEASURED,
    "evidence": {"type": "array", "items": EVIDENCE}, "history_count": {"type": "integer"}}}
AREA = {"type": "object", "required": ["number", "max_points", "points", "share"], "properties": {
    "number": TEXT, "title": TEXT, "max_points": {"type": "number"}, "points": {"type": "number"},
    "share": {"type": "number", "nullable": True}}}
RESULT = {"agency": {"type": "object", "properties": {"code": TEXT, "name": TEXT}}, "score": {"type": "number"},
          "adjustments_total": {"type": "number"}, "survey": POINTS, "total": {"type": "number"},
          "total_max": {"type": "number"}, "share": {"type": "number"}, "band": TEXT,
          "emulation_eligible": {"type": "boolean"}, "areas": {"type": "array", "items": AREA},
          "submitted": {"type": "boolean"}}
SHEET = {"type": "object", "required": ["year", "items", "tree", "areas", "total", "band", "emulation_eligible"],
         "properties": {"year": {"type": "integer"}, "group": TEXT, "stage": NULLABLE_TEXT, "round": ROUND,
                        "submitted_at": {**MOMENT, "nullable": True}, "items": {"type": "array", "items": ITEM},
                        "tree": {"type": "array", "items": {"type": "object"}},
                        "adjustments": {"type": "array", "items": {"type": "object"}},
                        "history_count": {"type": "integer"}, **RESULT}}
RANKED = {"type": "object", "required": ["year", "group", "units"], "properties": {
    "year": {"type": "integer"}, "group": TEXT, "total_max": POINTS, "units": {"type": "array", "items": {
        "type": "object", "required": ["agency", "total", "areas", "rank", "band", "emulation_eligible"],
        "properties": {**RESULT, "rank": {"type": "integer"}}}}}}
ACTION = {"type": "object", "required": ["id", "text", "owner", "due_on", "done"], "properties": {
    "id": {"type": "integer"}, "text": TEXT, "owner": TEXT, "due_on": {"type": "string", "format": "date"},
    "done": {"type": "boolean"}, "done_at": {**MOMENT, "nullable": True}}}
DEADLINE = {"type": "string", "pattern": f"^{LINE}*$",
            "description": "YYYY-MM-DD (the end of that day, Vietnam time) or an ISO 8601 moment"}
SHEET_PATH = "/api/v1/par-index/rounds/{year}/sheets/{code}"
UNIT = [YEAR, CODE]
FILE_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary"}}}}}}
WRITE_ERRORS = ("400", "403", "404", "409")
MAX_IN = {"oneOf": [{"type": "number", "minimum": 0, "maximum": 9999.99, "multipleOf": 0.01},
                    {"type": "string", "pattern": "^[0-9]{1,4}([.,][0-9]{1,2})?$"}]}
ITEM_FIELDS = {  # an item's fields a criteria set's API takes
    "title": NOTE_IN, "scoring": NOTE_IN, "evidence": NOTE_IN, "evidence_required": {"type": "boolean"},
    "answer_kind": {"type": "string", "enum": ["yes_no", "number", "percent", "points"]},
    "indicator": {"type": "string", "nullable": True},
    "scale": {"type": "array", "nullable": True, "items": {
        "type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "number"}}}}

PAR_INDEX_PATHS = {
    "/api/v1/par-index/sets": {
        "post": {**op("Import a year's criteria set for a group from the province's table (Excel), or replace it "
                      "until the year's round opens", ok="201", schema=SET, errors=("400", "403", "409", "413"),
                      description="multipart/form-data: `file` (.xlsx as the province publishes it: title rows, a "
                                  "header row «STT | Lĩnh vực/Tiêu chí/Tiêu chí thành phần | Điểm tối đa | Cách "
                                  "chấm | Tài liệu kiểm chứng», numbered rows 1, 1.1, 1.1.1), `year`, `group` "
                                  "(departments | communes), optionally `title` and `survey_weight`. A table with "
                                  "mistakes is a 400 listing every row's problem in `errors.file`; nothing is "
                                  "stored. The province's admin or an appraiser."),
                 "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                     "type": "object", "required": ["file", "year", "group"], "properties": {
                         "file": {"type": "string", "format": "binary"},
                         "year": {"type": "string", "pattern": "^20[0-9]{2}$"},
                         "group": {"type": "string", "enum": ["departments", "communes"]},
                         "title": {"type": "string", "maxLength": 500, "pattern": f"^{LINE}*$"},
                         "survey_weight": {"type": "string", "pattern": "^[0-9]{1,3}([.,][0-9]{1,2})?$"}}}}}}},
    },
    "/api/v1/par-index/sets/{year}/{group}": {
        "get": op("A criteria set: its tree of areas, criteria and sub-criteria with their maxima, and its total",
                  params=[YEAR, GROUP], schema=SET, errors=("404",)),
        "post": op("Create an empty criteria set for the year and group, to type in item by item (409 if the group's "
                   "year has one, or its round has opened)", params=[YEAR, GROUP], ok="201", schema=SET,
                   errors=("400", "403", "404", "409"), body={
                       "type": "object", "additionalProperties": False, "properties": {
                           "title": {**TEXT_IN_JSON, "maxLength": 500, "nullable": True},
                           "survey_weight": MAX_IN}}),
    },
    "/api/v1/par-index/sets/{year}/{group}/items": {
        "post": op("Add an area (no `parent`) or an item under `parent`, numbered as the parent's number plus one "
                   "part (2, 2.1, 2.1.3), unique in the set; every parent's maximum becomes its children's sum "
                   "(refused once the round opens). Answers the set.", params=[YEAR, GROUP], ok="201", schema=SET,
                   errors=WRITE_ERRORS, body={
                       "type": "object", "additionalProperties": False, "required": ["number", "title", "max_points"],
                       "properties": {"parent": {"type": "string", "nullable": True}, "number": {
                           "type": "string", "pattern": "^[0-9]{1,3}(\\.[0-9]{1,3}){0,3}$"}, "max_points": MAX_IN,
                           **ITEM_FIELDS}}),
    },
    "/api/v1/par-index/sets/{year}/{group}/items/{number}": {
        "put": op("Edit an item's texts, evidence rule, answer kind, measured binding, or a leaf's `max_points` (a "
                  "parent's maximum is its children's sum; refused once the round opens)",
                  params=[YEAR, GROUP, NUMBER], errors=WRITE_ERRORS, body={
                      "type": "object", "additionalProperties": False, "properties": {
                          "max_points": MAX_IN, **ITEM_FIELDS}}),
        "delete": op("Remove an item; one with items below it only with `with_children=1` (refused once the round "
                     "opens). Answers the set.", schema=SET, errors=WRITE_ERRORS, params=[
                         YEAR, GROUP, NUMBER, param("with_children", "query", type="string", enum=["0", "1"])]),
    },
    "/api/v1/par-index/rounds": {
        "post": op("Open a year's round with the deadline of each stage (the year's sets freeze when it opens)",
                   ok="201", schema=ROUND, errors=("400", "403", "409"), body={
                       "type": "object", "required": ["year"], "additionalProperties": False, "properties": {
                           "year": {"type": "integer", "minimum": 2000, "maximum": 2100},
                           "self_until": DEADLINE, "appraisal_until": DEADLINE, "explanation_until": DEADLINE,
                           "second_until": DEADLINE, "opens_at": DEADLINE,
                           "deadlines": {"type": "object", "description": "the four deadlines, instead of at the "
                                                                          "top"},
                           "survey_source": {"type": "string", "enum": ["entered", "ratings"]}}},
                   description="The four deadlines are required and in order: self_until < appraisal_until < "
                               "explanation_until < second_until."),
    },
    "/api/v1/par-index/rounds/{year}": {
        "get": op("A round: its deadlines and the stage open now", params=[YEAR], schema=ROUND, errors=("404",)),
    },
    "/api/v1/par-index/rounds/{year}/ranking": {
        "get": op("The ranking of the departments and of the communes of the caller's province: each unit's total, "
                  "areas, rank (equal totals share it), band and whether it may be proposed for emulation awards",
                  params=[YEAR, param("group", type="string", enum=["departments", "communes"])], errors=("404",),
                  schema={"type": "object", "required": ["year"], "properties": {
                      "year": {"type": "integer"}, "departments": RANKED, "communes": RANKED}}),
    },
    SHEET_PATH: {
        "get": op("A unit's score sheet: each sub-criterion with its declared figure, scores, measured figure and "
                  "evidence; the areas, adjustments, survey and total (a unit sees its own, the appraiser all)",
                  params=UNIT, schema=SHEET, errors=("404",)),
    },
    SHEET_PATH + "/items/{number}": {
        "put": op("Change a sub-criterion: the unit's self-assessment (declared, self_score, note) or explanation, "
                  "or the appraiser's appraisal (appraised_score, appraisal_note, explanation_requested) or second "
                  "appraisal (second_score, second_note); one stage a call, refused after its deadline",
                  params=[*UNIT, NUMBER], schema=ITEM, errors=WRITE_ERRORS, body={
                      "type": "object", "additionalProperties": False, "properties": {
                          "declared": {"type": "string", "maxLength": 255, "nullable": True,
                                       "pattern": f"^{LINE}*$"},
                          "self_score": SCORE_IN, "note": NOTE_IN, "explanation": NOTE_IN,
                          "appraised_score": SCORE_IN, "appraisal_note": NOTE_IN,
                          "explanation_requested": {"type": "boolean"}, "second_score": SCORE_IN,
                          "second_note": NOTE_IN}},
                  description="A score may not exceed the sub-criterion's maximum; a measured sub-criterion takes "
                              "only a note."),
    },
    SHEET_PATH + "/items/{number}/evidence": {
        "post": {**op("Add an evidence file (PDF, JPEG or PNG) to a sub-criterion: with the self-assessment, or "
                      "with an explanation that was asked for", params=[*UNIT, NUMBER], ok="201", schema=EVIDENCE,
                      errors=(*WRITE_ERRORS, "413")), "requestBody": FILE_BODY},
    },
    SHEET_PATH + "/evidence/{evidence_id}": {
        "get": op("An evidence file", params=[*UNIT, param("evidence_id", "path", type="integer", minimum=0)],
                  errors=("404",), content={"application/octet-stream": {"schema": {"type": "string",
                                                                                    "format": "binary"}}}),
    },
    SHEET_PATH + "/submit": {
        "post": op("The unit submits its self-assessment (refused while a scored sub-criterion lacks the evidence "
                   "it asks for: `errors.evidence` lists them)", params=UNIT, schema=SHEET, errors=WRITE_ERRORS),
    },
    SHEET_PATH + "/adjustments": {
        "post": op("Bonus (positive) or penalty (negative) points with their reason", params=UNIT, ok="201",
                   schema=SHEET, errors=WRITE_ERRORS, body={
                       "type": "object", "required": ["points", "reason"], "additionalProperties": False,
                       "properties": {"points": {"type": "number", "minimum": -9999.99, "maximum": 9999.99,
                                                 "multipleOf": 0.01, "not": {"enum": [0]}},
                                      "reason": {**NOTE_IN, "minLength": 1, "nullable": False}}}),
    },
    SHEET_PATH + "/survey": {
        "put": op("The survey component's points for the unit (rounds whose survey is entered)", params=UNIT,
                  schema=SHEET, errors=WRITE_ERRORS, body={
                      "type": "object", "required": ["points"], "additionalProperties": False, "properties": {
                          "points": {"type": "number", "minimum": 0, "maximum": 9999.99, "multipleOf": 0.01}}}),
    },
    SHEET_PATH + "/history": {
        "get": op("Every change to the sheet: who, when, stage, sub-criterion, field, old and new", params=UNIT,
                  errors=("404",), schema={"type": "object", "required": ["history"], "properties": {
                      "history": {"type": "array", "items": {"type": "object"}}}}),
    },
    SHEET_PATH + "/lost-points": {
        "get": op("The sub-criteria below their maximum, with the province's average, last year's score and the "
                  "actions", params=UNIT, errors=("404",), schema={"type": "object", "required": ["items"],
                                                                  "properties": {"items": {"type": "array"}}}),
    },
    SHEET_PATH + "/actions": {
        "post": op("An action for a lost sub-criterion: what, who, by when", params=UNIT, ok="201", schema=ACTION,
                   errors=("400", "403", "404"), body={
                       "type": "object", "required": ["number", "text", "owner", "due_on"],
                       "additionalProperties": False, "properties": {
                           "number": {"type": "string", "pattern": "^[0-9]{1,3}(\\.[0-9]{1,3}){0,3}$"},
                           "text": {**NOTE_IN, "nullable": False}, "owner": {**NOTE_IN, "nullable": False},
                           "due_on": {"type": "string", "format": "date"}}}),
    },
    SHEET_PATH + "/actions/{action_id}/done": {
        "post": op("Mark an action done (or not done again)", params=[*UNIT, param(
            "action_id", "path", type="integer", minimum=0)], schema=ACTION, errors=("400", "403", "404"),
                   body={"type": "object", "additionalProperties": False,
                         "properties": {"done": {"type": "boolean"}}}),
    },
}
