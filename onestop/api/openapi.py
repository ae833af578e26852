"""The OpenAPI document served at /api/v1/openapi.json (a test keeps it true to the routes, Schemathesis to the code).

Every parameter says its type, bounds and allowed values, every body its required keys, and every response its
status and body, errors included: what the code accepts, the document allows, and what it refuses, the document
forbids, as far as OpenAPI 3.0 can say it. What it cannot say (a code that must exist, `from` not after `to`,
either `k` or `phone`) is written in the descriptions.
"""
from flask import jsonify

from . import bp

CONTROL = "\\u0000-\\u001f\\u007f-\\u009f"
LINE = f"[^{CONTROL}]"  # one line of text: no control characters
TEXT_IN_JSON = {"type": "string", "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$"}

ERRORS = {
    "400": "Invalid input: `error` says why, `errors` by field where there are several",
    "401": "No valid token or session (or, for a token request, a wrong name or password)",
    "403": "The account has no role or scope for this",
    "404": "No such object, or not one this account may see",
    "405": "Method not allowed (the Allow header lists those that are)",
    "409": "Not possible in the application's current state, or done already",
    "413": "The request body is too large",
    "429": "Too many attempts: wait (Retry-After) and try again",
    "502": "The payment platform did not answer, or answered something that cannot be trusted",
}


def error(code: str) -> dict:
    return {"$ref": f"#/components/responses/E{code}"}


def param(name, where="query", description=None, required=None, **schema):
    """One parameter; a path parameter is always required; free text holds no control character (a 400)."""
    item = {"name": name, "in": where, "required": where == "path" if required is None else required,
            "schema": schema or {"type": "string", "pattern": f"^{LINE}*$"}}
    if description:
        item["description"] = description
    return item


def optional(item: dict, empty: str) -> dict:
    """A query parameter that may also be sent empty (`?received_to=`), meaning what `empty` says: as if left out."""
    return {**item, "allowEmptyValue": True,
            "description": "; ".join(part for part in (item.get("description"), f"empty: {empty}") if part)}


def json_content(schema):
    return {"application/json": {"schema": schema}}


def op(summary, *, params=(), body=None, ok="200", ok_description="OK", auth=True, errors=("400",), content=None,
       schema=None, description=None):
    operation = {"summary": summary, "parameters": list(params),
                 "responses": {ok: {"description": ok_description}}}
    if description:
        operation["description"] = description
    if content:
        operation["responses"][ok]["content"] = content
    elif schema:
        operation["responses"][ok]["content"] = json_content(schema)
    for code in ("400", *errors):  # a control character in any address or query is a 400
        operation["responses"][code] = error(code)
    if auth:
        operation["security"] = [{"bearer": []}, {"session": []}]
        operation["responses"]["401"] = error("401")
    else:
        operation["security"] = []
    if body:
        operation["requestBody"] = {"required": True, "content": json_content(body)}
        operation["responses"]["413"] = error("413")
        operation["responses"].setdefault("400", error("400"))
    return operation


PDF = {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}
PAPER_FILE = {"type": "object", "required": ["id", "name", "mimetype", "pages", "sha256", "download_url"],
              "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "mimetype": {"type": "string"},
                             "pages": {"type": "integer"}, "sha256": {"type": "string"},
                             "download_url": {"type": "string"}}}
PAPERS = {
    "type": "object", "required": ["code", "digitised", "papers_reused", "has_result_paper", "papers", "result"],
    "properties": {
        "code": {"type": "string"},
        "digitised": {"type": "boolean", "description": "every required component digitised or reused"},
        "papers_reused": {"type": "integer"}, "has_result_paper": {"type": "boolean"},
        "papers": {"type": "array", "items": {"type": "object", "required": [
            "component", "name", "required", "digitised", "reused", "sha256", "download_url", "files"], "properties": {
            "component": {"type": "integer"}, "name": {"type": "string"}, "required": {"type": "boolean"},
            "digitised": {"type": "boolean"}, "reused": {"type": "boolean"},
            "stored_paper_id": {"type": "integer", "nullable": True},
            "number": {"type": "string", "nullable": True}, "issuer": {"type": "string", "nullable": True},
            "issued_on": {"type": "string", "format": "date", "nullable": True},
            "valid_until": {"type": "string", "format": "date", "nullable": True},
            "sha256": {"type": "string", "nullable": True}, "download_url": {"type": "string", "nullable": True},
            "files": {"type": "array", "items": PAPER_FILE}}}},
        "result": {"type": "object", "nullable": True, "properties": {
            "number": {"type": "string"}, "signed_on": {"type": "string", "format": "date"},
            "signer": {"type": "string"}, "digitised": {"type": "boolean"},
            "digitised_at": {"type": "string", "nullable": True}, "sha256": {"type": "string", "nullable": True},
            "download_url": {"type": "string", "nullable": True}}},
    },
}
PAPER_UPLOAD = {
    "type": "object",
    "properties": {
        "component": {"type": "string", "pattern": "^[0-9]{1,4}$", "description": "the component's position"},
        "file": {"type": "array", "items": {"type": "string", "format": "binary"}, "maxItems": 30},
        "reuse": {"type": "string", "pattern": "^[0-9]{1,18}$", "description": "a stored paper's id"},
        "result": {"type": "string", "description": "present: the body records the result document"},
        "number": {"type": "string", "maxLength": 64,
                   "description": "the result's number, or with `component` the paper's own (optional)"},
        "signed_on": {"type": "string", "format": "date"}, "signer": {"type": "string", "maxLength": 255},
        "issuer": {"type": "string", "maxLength": 255, "description": "with `component`: who issued the paper"},
        "issued_on": {"type": "string", "format": "date"},
        "valid_until": {"type": "string", "format": "date", "description": "the paper's last valid day"},
    },
}
XLSX = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}}}
APPLICANT = {
    "type": "object",
    "required": ["name", "id_number"],
    "properties": {
        "kind": {**TEXT_IN_JSON, "enum": ["person", "organisation"]},
        "name": {**TEXT_IN_JSON, "maxLength": 255},
        "id_kind": {**TEXT_IN_JSON, "enum": ["personal_id", "cmnd", "passport", "other", "tax_code"], "default": "personal_id",
                    "description": "a person's paper: personal ID number (căn cước or CCCD, 12 digits), old CMND "
                                   "(9 digits), passport, or another paper named in id_paper; an organisation is "
                                   "known by its tax code and its id_kind is tax_code"},
        "id_number": {**TEXT_IN_JSON, "description": "the paper's number; an organisation's tax code: 10 digits, "
                                                       "or 13 written 0101234567-001"},
        "id_paper": {**TEXT_IN_JSON, "maxLength": 100, "description": "the paper's name when id_kind is other"},
        "phone": {**TEXT_IN_JSON, "maxLength": 64},
        "email": {**TEXT_IN_JSON, "maxLength": 255},
        "address": {**TEXT_IN_JSON, "maxLength": 500},
    },
}
NEW_APPLICATION = {
    "type": "object",
    "required": ["procedure_code", "applicant", "documents"],
    "properties": {
        "procedure_code": TEXT_IN_JSON,
        "applicant": APPLICANT,
        "representative": APPLICANT,
        "channel": {**TEXT_IN_JSON, "enum": ["in_person", "online", "postal"]},
        "documents": {"type": "array", "maxItems": 50, "items": {"oneOf": [
            {**TEXT_IN_JSON, "maxLength": 500}, {"type": "object", "properties": {
                "name": {**TEXT_IN_JSON, "maxLength": 500},
                "kind": {**TEXT_IN_JSON, "enum": ["original", "copy", "original_or_copy"]},
                "copies": {"type": "integer", "minimum": 1, "maximum": 99}}}]}},
        "sets": {"type": "integer", "minimum": 1, "maximum": 50},
        "received_at": {**TEXT_IN_JSON, "format": "date-time", "description": "online and postal only"},
        "return_method": {**TEXT_IN_JSON, "enum": ["at_desk", "postal", "online"]},
        "notify": {"type": "boolean", "description": "the applicant agrees to SMS and e-mail at each step"},
        "submission_key": {**TEXT_IN_JSON, "maxLength": 64,
                           "description": "or the Idempotency-Key header: the sender's own (another user's same "
                                          "key is another submission)"},
    },
    "additionalProperties": False,
    "description": "Text holds no control characters (tab and line breaks only in notes and reasons) and no lone "
                   "surrogates; JSON numbers are finite; an unknown key is a 400.",
}
NEW_EVENT = {
    "type": "object",
    "required": ["type"],
    "properties": {
        "type": {**TEXT_IN_JSON, "enum": ["transfer", "step", "request_supplement", "supplement_received",
                                             "apologise", "result_ready", "return", "refuse", "stop"]},
        "at": {**TEXT_IN_JSON, "format": "date-time",
               "description": "when it happened (empty: now); never in the future, never before the previous event. "
                              "A time in the past needs `backdate_reason`; a clerk or an officer may go back only "
                              "within the working day of now, earlier needs the supervisor role"},
        "backdate_reason": {**TEXT_IN_JSON, "maxLength": 2000,
                            "description": "why the event is dated in the past (required then, refused otherwise)"},
        "note": {**TEXT_IN_JSON, "maxLength": 2000},
        "to_agency": {**TEXT_IN_JSON, "description": "agency code; transfer: the implementing agency or its units; "
                                                       "step: the processing agency, its units or the bodies above it"},
        "to_user": {**TEXT_IN_JSON, "description": "username of an officer of that agency"},
        "working_days": {"type": "integer", "minimum": 0, "maximum": 365},
        "signer": {**TEXT_IN_JSON, "maxLength": 255,
                   "description": "apologise, stop: the agency head who signs (empty: by hand)"},
        "items": {"type": "array", "maxItems": 50, "items": {**TEXT_IN_JSON, "maxLength": 500}},
        "reason": {**TEXT_IN_JSON, "maxLength": 2000},
        "new_due_at": {**TEXT_IN_JSON, "format": "date-time"},
        "method": {**TEXT_IN_JSON, "enum": ["at_desk", "postal", "online"]},
        "reasons": {"type": "array", "maxItems": 50, "items": {**TEXT_IN_JSON, "maxLength": 500}},
        "request": {**TEXT_IN_JSON, "maxLength": 2000},
    },
    "additionalProperties": False,
    "description": "Only the keys of the event's type are taken (transfer: to_agency, to_user; step: those and "
                   "working_days; request_supplement: items, reason, signer; apologise: reason, new_due_at, signer; "
                   "return: method; refuse: reasons, signer; stop: request, signer); any other is a 400.",
}

DAY = {"type": "string", "format": "date"}
MOMENT = {"type": "string", "format": "date-time"}
FMT = param("fmt", "path", enum=["pdf", "xlsx"], type="string")
TEXT = {"type": "string"}
NULLABLE_TEXT = {"type": "string", "nullable": True}
APPLICATION = {
    "type": "object",
    "required": ["code", "status", "procedure", "agency", "applicant", "received_at", "due_at", "tracking_url"],
    "properties": {
        "code": TEXT, "status": {"type": "string", "enum": list(("received", "transferred", "processing",
                                                                   "waiting_supplement", "result_ready", "returned",
                                                                   "refused", "stopped"))},
        "procedure": {"type": "object", "properties": {"code": TEXT, "name": TEXT, "version": {"type": "integer"}}},
        "agency": TEXT, "processing_agency": NULLABLE_TEXT, "applicant": {"type": "object"},
        "representative": {"type": "object", "nullable": True}, "channel": TEXT, "documents": {"type": "array"},
        "sets": {"type": "integer"}, "received_at": MOMENT, "due_at": MOMENT,
        "apology_due_at": {**MOMENT, "nullable": True}, "result_at": {**MOMENT, "nullable": True},
        "returned_at": {**MOMENT, "nullable": True}, "tracking_url": TEXT,
        "events": {"type": "array", "items": {"type": "object", "required": ["seq", "type", "at"], "properties": {
            "seq": {"type": "integer"}, "type": TEXT, "at": MOMENT, "user": NULLABLE_TEXT,
            "from_status": NULLABLE_TEXT, "to_status": NULLABLE_TEXT, "note": NULLABLE_TEXT,
            "data": {"type": "object", "nullable": True}, "recorded_at": MOMENT,
            "backdate_reason": {**NULLABLE_TEXT, "description": "set when `at` was typed in the past: why"}}}},
    },
}
BACKDATED_EVENT = {
    "type": "object",
    "required": ["application", "seq", "type", "at", "recorded_at", "user", "backdate_reason", "earlier_day"],
    "properties": {
        "application": TEXT, "seq": {"type": "integer"}, "type": TEXT, "at": MOMENT, "recorded_at": MOMENT,
        "user": NULLABLE_TEXT, "backdate_reason": TEXT,
        "earlier_day": {"type": "boolean", "description": "dated before the working day it was recorded in"}},
}
LOGGED = {"type": "object", "required": ["code", "status", "received_at", "due_at", "tracking_url"], "properties": {
    "code": TEXT, "status": TEXT, "received_at": MOMENT, "due_at": MOMENT, "tracking_url": TEXT}}
CATALOGUE_DAY = {"type": "string", "format": "date", "nullable": True}
CHANGED_FIELDS = ["name", "field", "agency_code", "agency_name", "level", "time", "time_text", "time_note", "fee", "fee_text",
                  "online", "online_payment", "sets", "applicants", "steps", "result", "has_result_paper", "conditions",
                  "legal_basis",
                  "where_to_apply", "notes", "documents"]
PROCEDURE_VERSION = {"type": "object", "required": ["code", "name"], "properties": {"code": TEXT, "name": TEXT}}
PROCEDURE = {"type": "object", "required": ["code", "name", "effective_from", "coming"], "properties": {
    "code": TEXT, "name": TEXT,
    "effective_from": {**CATALOGUE_DAY, "description": "the first day of this version (null: since the catalogue "
                                                       "began); a day after today: published ahead, not yet received"},
    "coming": {"type": "array", "description": "changes published ahead, in the order they take effect",
               "items": {"type": "object", "required": ["effective_from", "abolished", "changed", "version"],
                         "properties": {
                             "effective_from": {"type": "string", "format": "date"},
                             "abolished": {"type": "boolean"},
                             "changed": {"type": "array", "items": {"type": "string", "enum": CHANGED_FIELDS}},
                             "version": {**PROCEDURE_VERSION, "nullable": True,
                                         "description": "the content from that day (null for an abolition)"}}}}}}
PAGE_SIZE = {**param("per_page", description="items per page, 1 to 200 (beyond: the nearest); empty: 50",
                    type="integer"), "allowEmptyValue": True}

PATHS = {
    "/api/v1/openapi.json": {"get": op("This document", auth=False, errors=(), schema={"type": "object"})},
    "/api/v1/tokens": {
        "post": op("Issue an API token for a user name and password", auth=False, ok="201",
                   body={"type": "object", "required": ["username", "password"], "properties": {
                       "username": {"type": "string", "maxLength": 64, "pattern": f"^{LINE}*[^\\s{CONTROL}]{LINE}*$"},
                       "password": {"type": "string"},
                       "label": {"type": "string", "maxLength": 120, "pattern": f"^{LINE}*$"}}},
                   schema={"type": "object", "required": ["token"], "properties": {"token": TEXT}},
                   errors=("400", "401", "429")),
        "get": op("List my tokens", errors=(), schema={"type": "object", "required": ["tokens"], "properties": {
            "tokens": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"type": "integer"}, "label": NULLABLE_TEXT, "created_at": MOMENT,
                "last_used_at": {**MOMENT, "nullable": True}, "revoked": {"type": "boolean"}}}}}}),
    },
    "/api/v1/tokens/{token_id}": {
        "delete": op("Revoke a token (mine, or one of an account I administer)", ok="204", errors=("404",),
                     params=[param("token_id", "path", type="integer", minimum=0, maximum=2147483647)]),
    },
    "/api/v1/due-date": {
        "get": op("Due time of a period received at a moment", auth=False, errors=("400", "404"),
                  description="Either `procedure` (its period), or `unit` with `amount` (`amount` may be left out "
                              "for same_day).",
                  schema={"type": "object", "required": ["received_at", "reception_moment", "due_at"],
                          "properties": {"received_at": MOMENT, "reception_moment": MOMENT, "due_at": MOMENT}},
                  params=[param("received_at", required=True, description="ISO 8601 in the years 1900 to 2100; without an "
                                                                            "offset, Vietnam time",
                                **MOMENT),
                          param("amount", type="integer", minimum=0, maximum=3650),
                          param("unit", type="string", enum=["working_days", "calendar_days", "working_hours",
                                                             "same_day"]),
                          param("procedure", description="a procedure code in the catalogue")]),
    },
    "/api/v1/procedures": {
        "get": op("Search the published catalogue (with or without diacritics)", auth=False,
                  schema={"type": "object", "required": ["items", "page", "pages", "per_page", "total"],
                          "properties": {"items": {"type": "array", "items": PROCEDURE}, "page": {"type": "integer"},
                                         "pages": {"type": "integer"}, "per_page": {"type": "integer"},
                                         "total": {"type": "integer"}}},
                  params=[param("q"), param("field"), param("level"), param("online"), param("agency"),
                          {**param("page", description="empty: 1", type="integer", minimum=1, maximum=100000), "allowEmptyValue": True}, PAGE_SIZE]),
    },
    "/api/v1/procedures/{code}": {
        "get": op("One procedure (the version in force today)", auth=False, params=[param("code", "path")],
                  errors=("404",), schema=PROCEDURE),
    },
    "/api/v1/applications": {
        "post": op("Log an application at the desk", body=NEW_APPLICATION, ok="201", schema=LOGGED,
                   ok_description="Created (200 when the submission key was already used)",
                   description="The procedure must be in the catalogue and its papers complete; the applicant's "
                               "number must fit its kind of paper. A submission key (or the Idempotency-Key "
                               "header) already used answers 200 with the same application.",
                   params=[param("Idempotency-Key", "header", maxLength=255, type="string")],
                   errors=("400", "403", "409")),
        "get": op("List applications (keyset pages: pass `next` back as `after`; soonest due first when filtered "
                  "by `due` or `overdue`, else newest first)", errors=("400",),
                  schema={"type": "object", "required": ["items", "next", "per_page"], "properties": {
                      "items": {"type": "array", "items": APPLICATION}, "next": NULLABLE_TEXT,
                      "per_page": {"type": "integer"}, "total": {"type": "integer", "nullable": True},
                      "total_exact": {"type": "boolean", "nullable": True}}},
                  params=[
                      optional(param("status", type="string", enum=[
                          "received", "transferred", "processing", "waiting_supplement", "result_ready", "returned",
                          "refused", "stopped"]), "every status"),
                      param("agency"), param("procedure"), optional(param("received_from", **DAY), "no lower bound"),
                      optional(param("received_to", **DAY), "no upper bound"),
                      optional(param("overdue", type="string", enum=["true", "false", "1", "0"]), "either"),
                      optional(param("due", type="string", enum=["overdue", "today", "soon", "paused", "open"]),
                               "every file"),
                      param("handled_by"),
                      param("after", description="the `next` of the previous page, as it was given"), PAGE_SIZE]),
    },
    "/api/v1/applications/{code}": {
        "get": op("One application with its events", params=[param("code", "path")], errors=("404",),
                  schema=APPLICATION),
    },
    "/api/v1/applications/{code}/events": {
        "post": op("Record a lifecycle event", params=[param("code", "path")], body=NEW_EVENT, ok="201",
                   description="Which keys an event needs depends on its type and the application's state.",
                   schema={"type": "object", "required": ["event", "application"],
                           "properties": {"event": {"type": "object"}, "application": APPLICATION}},
                   errors=("400", "403", "404", "409")),
    },
    "/api/v1/events/backdated": {
        "get": op("Back-dated events (ghi lùi thời điểm) recorded in a period, on the applications of the agencies "
                  "I see, newest recorded first (keyset pages: pass `next` back as `after`)",
                  description="`to` may not be before `from`; the days are Vietnam's.",
                  schema={"type": "object", "required": ["items", "next", "per_page"], "properties": {
                      "items": {"type": "array", "items": BACKDATED_EVENT}, "next": NULLABLE_TEXT,
                      "per_page": {"type": "integer"}}},
                  params=[param("from", required=True, **DAY), param("to", required=True, **DAY),
                          param("after", description="the `next` of the previous page, as it was given"), PAGE_SIZE],
                  errors=("400", "403")),
    },
    "/api/v1/applications/{code}/messages": {
        "get": op("What was sent about the application (national portal, e-mail, SMS), to whom (masked), when, and "
                  "whether it arrived", params=[param("code", "path")], errors=("404",),
                  schema={"type": "object", "required": ["code", "items"], "properties": {
                      "code": TEXT, "items": {"type": "array", "items": {"type": "object", "required": [
                          "channel", "event", "to", "state", "arrived", "attempts", "created_at", "sent_at"],
                          "properties": {
                              "channel": {"type": "string", "enum": ["portal", "email", "sms"]},
                              "event": NULLABLE_TEXT, "to": TEXT,
                              "state": {"type": "string", "enum": ["pending", "sent", "held"]},
                              "arrived": {"type": "boolean"}, "attempts": {"type": "integer"},
                              "created_at": MOMENT, "sent_at": {**MOMENT, "nullable": True},
                              "error": NULLABLE_TEXT, "answer": NULLABLE_TEXT}}}}}),
    },
    "/api/v1/applications/{code}/forms/{form}.pdf": {
        "get": op("A printed form: receipt, supplement, refusal, apology, stop, control", content=PDF,
                  params=[param("code", "path"), param("form", "path", type="string",
                                                       enum=["receipt", "supplement", "refusal", "apology", "stop",
                                                             "control"])],
                  errors=("404",)),
    },
    "/api/v1/applications/{code}/papers": {
        "get": op("The application's papers per component (digitised, reused, file) and its result document",
                  params=[param("code", "path")], errors=("404",), schema=PAPERS),
        "post": {**op("Digitise a component (one or more files), reuse a stored paper for it, or record the result "
                      "document (with its scan)", params=[param("code", "path")], ok="201", schema=PAPERS,
                      description="multipart/form-data. A component: `component` (its position in the procedure "
                                  "version) with `file` (PDF, JPEG or PNG, recognised by content; several photos "
                                  "become one PDF) or `reuse` (the id of a valid paper in the applicant's store). "
                                  "The result: `result` (any value) with `number`, `signed_on` (YYYY-MM-DD), "
                                  "`signer` and optionally `file`. A refused file is a 400 with a Vietnamese "
                                  "message, and nothing of the application changes.",
                      errors=("400", "403", "404", "413")),
                 "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": PAPER_UPLOAD}}}},
    },
    "/api/v1/track/{code}": {
        "get": op("The public status of an application, by its look-up key or the last 4 digits of the phone given "
                  "(no personal data; a wrong code, key or phone all answer 404)", auth=False,
                  description="`k` or `phone` is required.", schema={"type": "object", "required": ["code", "status"],
                                                                      "properties": {"code": TEXT, "status": TEXT}},
                  params=[param("code", "path"), param("k"), param("phone")], errors=("400", "404", "429")),
    },
    "/api/v1/submissions": {
        "post": {**op("Submit an application online (public): the form's fields and a paper per component", auth=False,
                      ok="201", errors=("400", "413", "429"),
                      description="multipart/form-data: a part `data` holding a JSON object with the form's fields "
                                  "(`procedure_code`, `applicant` as for the desk, `representative`, `return_method`, "
                                  "`postal_address` when by post), then one file part per paper named "
                                  "`paper.<position>` after the component's position in the procedure's version "
                                  "(several photos of one paper: repeat the part; they become one PDF). Files are "
                                  "PDF, JPEG or PNG recognised by content. The procedure's version in force must "
                                  "be offered online (toàn trình or một phần). A refused file is named in "
                                  "`errors` under its part, and the 400 carries `kept`: a field per paper already "
                                  "accepted (`kept.<position>`), to send back as is with the corrected parts, so "
                                  "nothing uploaded is lost. `reuse` takes papers of the applicant's own earlier "
                                  "application: {\"code\", \"key\", \"papers\": {\"<position>\": stored paper id}}.",
                      schema={"type": "object", "required": ["number", "key", "state", "status_url"],
                              "properties": {"number": TEXT, "key": TEXT, "state": TEXT, "status_url": TEXT}}),
                 "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                     "type": "object", "required": ["data"],
                     "properties": {"data": {"type": "string", "description": "the JSON object of the form's fields"}},
                     "additionalProperties": {"type": "string", "format": "binary"}}}}}},
        "get": op("The desk's online submissions in a state, oldest first (clerks; supervisors see the agencies "
                  "below too)", errors=("400", "403"),
                  schema={"type": "object", "required": ["items"], "properties": {
                      "items": {"type": "array", "items": {"type": "object"}}}},
                  params=[{**param("state", description="empty: waiting", type="string",
                                   enum=["waiting", "supplement_requested", "lapsed", "accepted", "refused"]),
                           "allowEmptyValue": True}]),
    },
    "/api/v1/submissions/{number}": {
        "get": op("One online submission: with its key `k` the citizen's view (no personal data), else the desk's",
                  auth=True, errors=("400", "403", "404"), params=[param("number", "path"), param("k")],
                  schema={"type": "object", "required": ["number", "state"],
                          "properties": {"number": TEXT, "state": TEXT}}),
    },
    "/api/v1/submissions/{number}/{action}": {
        "post": {**op("The desk's decision: accept (201, the application's code, due time and status address), "
                      "request (items and reason: the citizen uploads them from the status page) or refuse "
                      "(reasons)", ok="201", errors=("400", "403", "404", "409"),
                      params=[param("number", "path"),
                              param("action", "path", type="string", enum=["accept", "request", "refuse"])],
                      schema={"type": "object"},
                      description="accept answers 201 with `code`, `due_at`, `tracking_url`; request and refuse "
                                  "answer 200 with the submission. Only a submission waiting for the desk is decided "
                                  "(409 otherwise)."),
                 "requestBody": {"required": False, "content": json_content({"type": "object", "properties": {
                     "items": {"type": "array", "items": {**TEXT_IN_JSON, "maxLength": 500}, "maxItems": 50},
                     "reason": {**TEXT_IN_JSON, "maxLength": 2000},
                     "reasons": {"type": "array", "items": {**TEXT_IN_JSON, "maxLength": 500}, "maxItems": 50}}})}},
    },
    "/api/v1/indicators": {
        "get": op("Indicators of an agency (with the agencies below it) for a period, beside the previous period "
                  "and the same period last year", schema={"type": "object"},
                  description="`to` may not be before `from`, and a period is at most 3 years.",
                  params=[param("agency"), param("from", required=True, **DAY), param("to", required=True, **DAY),
                          optional(param("group_by", type="string", enum=["agency", "procedure", "field", "month"]),
                                   "no breakdown")],
                  errors=("400", "403", "404")),
    },
    "/api/v1/reports/overdue.{fmt}": {
        "get": op("The overdue report (báo cáo hồ sơ quá hạn) as pdf or xlsx, now or at the end of a past day",
                  content={**PDF, **XLSX}, params=[FMT, param("agency"), optional(param("at", **DAY), "now"),
                                                     param("field")],
                  errors=("400", "403", "404")),
    },
    "/api/v1/reports/cchc.{fmt}": {
        "get": op("The periodic CCHC report (tình hình, kết quả giải quyết TTHC) as pdf or xlsx",
                  description="`to` may not be before `from`, and a period is at most 3 years.",
                  content={**PDF, **XLSX}, params=[FMT, param("agency"), param("from", required=True, **DAY),
                                                   param("to", required=True, **DAY)],
                  errors=("400", "403", "404")),
    },
    "/api/v1/register.{fmt}": {
        "get": op("The register (sổ theo dõi hồ sơ) as pdf or xlsx", content={**PDF, **XLSX}, params=[
            FMT, param("field"), param("from", required=True, **DAY), param("to", required=True, **DAY)],
                  description="`to` may not be before `from`; a register covers at most a year.", errors=("400", "403", "404")),
    },
}

from .openapi_fees import FEES_PATHS  # noqa: E402  (its schemas use the helpers above)
from .openapi_index766 import INDEX_PATHS  # noqa: E402
from .openapi_par_index import PAR_INDEX_PATHS  # noqa: E402

PATHS.update(FEES_PATHS)
PATHS.update(PAR_INDEX_PATHS)
PATHS.update(INDEX_PATHS)


def document() -> dict:
    error_body = {"type": "object", "required": ["error", "status"], "properties": {
        "error": {"type": "string"}, "status": {"type": "integer"}, "errors": {"type": "object"}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "onestop API", "version": "1", "description": "Bộ phận một cửa: thủ tục, hồ sơ, biểu mẫu."},
        "paths": PATHS,
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
            "responses": {f"E{code}": {"description": text, "content": json_content(error_body),
                                       **({"headers": {"Allow": {"schema": {"type": "string"}}}} if code == "405" else {}),
                                       **({"headers": {"Retry-After": {"schema": {"type": "integer"}}}}
                                          if code == "429" else {})}
                          for code, text in ERRORS.items()},
        },
    }


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())
