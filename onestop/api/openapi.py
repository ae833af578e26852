"""The OpenAPI document served at /api/v1/openapi.json (a test keeps it true to the routes)."""
from flask import jsonify

from . import bp

ERROR = {"$ref": "#/components/responses/Error"}


def op(summary, *, params=(), body=None, ok="200", ok_description="OK", auth=True, errors=("400",), content=None):
    operation = {
        "summary": summary,
        "parameters": [
            {"name": name, "in": where, "required": where == "path", "schema": {"type": kind}}
            for name, where, kind in params
        ],
        "responses": {ok: {"description": ok_description, **({"content": content} if content else {})}},
    }
    for code in errors:
        operation["responses"][code] = ERROR
    if auth:
        operation["security"] = [{"bearer": []}, {"session": []}]
        operation["responses"]["401"] = ERROR
    else:
        operation["security"] = []
    if body:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return operation


PDF = {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}
XLSX = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}}}
APPLICANT = {
    "type": "object",
    "required": ["name", "id_number"],
    "properties": {
        "kind": {"type": "string", "enum": ["person", "organisation"]},
        "name": {"type": "string", "maxLength": 255},
        "id_kind": {"type": "string", "enum": ["personal_id", "cmnd", "passport", "other"], "default": "personal_id",
                    "description": "a person's paper: personal ID number (căn cước or CCCD, 12 digits), old CMND "
                                   "(9 digits), passport, or another paper named in id_paper; an organisation is "
                                   "known by its tax code and its id_kind is tax_code"},
        "id_number": {"type": "string", "description": "the paper's number; an organisation's tax code: 10 digits, "
                                                       "or 13 written 0101234567-001"},
        "id_paper": {"type": "string", "maxLength": 100, "description": "the paper's name when id_kind is other"},
        "phone": {"type": "string", "maxLength": 64},
        "email": {"type": "string", "maxLength": 255},
        "address": {"type": "string", "maxLength": 500},
    },
}
NEW_APPLICATION = {
    "type": "object",
    "required": ["procedure_code", "applicant", "documents"],
    "properties": {
        "procedure_code": {"type": "string"},
        "applicant": APPLICANT,
        "representative": APPLICANT,
        "channel": {"type": "string", "enum": ["in_person", "online", "postal"]},
        "documents": {"type": "array", "maxItems": 50, "items": {"oneOf": [
            {"type": "string", "maxLength": 500}, {"type": "object", "properties": {
                "name": {"type": "string", "maxLength": 500},
                "kind": {"type": "string", "enum": ["original", "copy", "original_or_copy"]},
                "copies": {"type": "integer", "minimum": 1, "maximum": 99}}}]}},
        "sets": {"type": "integer", "minimum": 1, "maximum": 50},
        "received_at": {"type": "string", "format": "date-time", "description": "online and postal only"},
        "return_method": {"type": "string", "enum": ["at_desk", "postal", "online"]},
        "submission_key": {"type": "string", "maxLength": 64,
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
        "type": {"type": "string", "enum": ["transfer", "step", "request_supplement", "supplement_received",
                                             "apologise", "result_ready", "return", "refuse", "stop"]},
        "at": {"type": "string", "format": "date-time"},
        "note": {"type": "string", "maxLength": 2000},
        "to_agency": {"type": "string", "description": "agency code; transfer: the implementing agency or its units; "
                                                       "step: the processing agency, its units or the bodies above it"},
        "to_user": {"type": "string", "description": "username of an officer of that agency"},
        "working_days": {"type": "integer", "minimum": 0, "maximum": 365},
        "signer": {"type": "string", "maxLength": 255,
                   "description": "apologise, stop: the agency head who signs (empty: by hand)"},
        "items": {"type": "array", "maxItems": 50, "items": {"type": "string", "maxLength": 500}},
        "reason": {"type": "string", "maxLength": 2000},
        "new_due_at": {"type": "string", "format": "date-time"},
        "method": {"type": "string", "enum": ["at_desk", "postal", "online"]},
        "reasons": {"type": "array", "maxItems": 50, "items": {"type": "string", "maxLength": 500}},
        "request": {"type": "string", "maxLength": 2000},
    },
    "additionalProperties": False,
    "description": "Only the keys of the event's type are taken (transfer: to_agency, to_user; step: those and "
                   "working_days; request_supplement: items, reason, signer; apologise: reason, new_due_at, signer; "
                   "return: method; refuse: reasons, signer; stop: request, signer); any other is a 400.",
}

PATHS = {
    "/api/v1/openapi.json": {"get": op("This document", auth=False, errors=())},
    "/api/v1/tokens": {
        "post": op("Issue an API token for a user name and password", auth=False, ok="201",
                   body={"type": "object", "required": ["username", "password"], "properties": {
                       "username": {"type": "string"}, "password": {"type": "string"}, "label": {"type": "string"}}},
                   errors=("400", "401", "429")),
        "get": op("List my tokens", errors=()),
    },
    "/api/v1/tokens/{token_id}": {
        "delete": op("Revoke a token", params=[("token_id", "path", "integer")], ok="204", errors=("404",)),
    },
    "/api/v1/due-date": {
        "get": op("Due time of a period received at a moment", auth=False, errors=("400", "404"), params=[
            ("received_at", "query", "string"), ("amount", "query", "integer"), ("unit", "query", "string"),
            ("procedure", "query", "string")]),
    },
    "/api/v1/procedures": {
        "get": op("Search the published catalogue (with or without diacritics)", auth=False, params=[
            ("q", "query", "string"), ("field", "query", "string"), ("level", "query", "string"),
            ("online", "query", "string"), ("agency", "query", "string"), ("page", "query", "integer")]),
    },
    "/api/v1/procedures/{code}": {
        "get": op("One procedure", auth=False, params=[("code", "path", "string")], errors=("404",)),
    },
    "/api/v1/applications": {
        "post": op("Log an application at the desk", body=NEW_APPLICATION, ok="201",
                   ok_description="Created (200 when the submission key was already used)",
                   errors=("400", "403", "409")),
        "get": op("List applications (keyset pages: pass `next` back as `after`; soonest due first when filtered "
                  "by `due` or `overdue`, else newest first)", params=[
            ("status", "query", "string"), ("agency", "query", "string"), ("procedure", "query", "string"),
            ("received_from", "query", "string"), ("received_to", "query", "string"),
            ("overdue", "query", "boolean"), ("due", "query", "string"), ("handled_by", "query", "string"),
            ("after", "query", "string"), ("per_page", "query", "integer")]),
    },
    "/api/v1/applications/{code}": {
        "get": op("One application with its events", params=[("code", "path", "string")], errors=("404",)),
    },
    "/api/v1/applications/{code}/events": {
        "post": op("Record a lifecycle event", params=[("code", "path", "string")], body=NEW_EVENT, ok="201",
                   errors=("400", "403", "404", "409")),
    },
    "/api/v1/applications/{code}/forms/{form}.pdf": {
        "get": op("A printed form: receipt, supplement, refusal, apology, stop, control", content=PDF,
                  params=[("code", "path", "string"), ("form", "path", "string")], errors=("404",)),
    },
    "/api/v1/track/{code}": {
        "get": op("The public status of an application, by its look-up key or the last 4 digits of the phone given "
                  "(no personal data; a wrong code, key or phone all answer 404)", auth=False,
                  params=[("code", "path", "string"), ("k", "query", "string"), ("phone", "query", "string")],
                  errors=("400", "404", "429")),
    },
    "/api/v1/indicators": {
        "get": op("Indicators of an agency (with the agencies below it) for a period, beside the previous period "
                  "and the same period last year", params=[
                      ("agency", "query", "string"), ("from", "query", "string"), ("to", "query", "string"),
                      ("group_by", "query", "string")], errors=("400", "403", "404")),
    },
    "/api/v1/reports/overdue.{fmt}": {
        "get": op("The overdue report (báo cáo hồ sơ quá hạn) as pdf or xlsx, now or at the end of a past day",
                  content={**PDF, **XLSX}, params=[("fmt", "path", "string"), ("agency", "query", "string"),
                                                   ("at", "query", "string"), ("field", "query", "string")],
                  errors=("400", "403", "404")),
    },
    "/api/v1/reports/cchc.{fmt}": {
        "get": op("The periodic CCHC report (tình hình, kết quả giải quyết TTHC) as pdf or xlsx",
                  content={**PDF, **XLSX}, params=[("fmt", "path", "string"), ("agency", "query", "string"),
                                                   ("from", "query", "string"), ("to", "query", "string")],
                  errors=("400", "403", "404")),
    },
    "/api/v1/register.{fmt}": {
        "get": op("The register (sổ theo dõi hồ sơ) as pdf or xlsx", content={**PDF, **XLSX}, params=[
            ("fmt", "path", "string"), ("field", "query", "string"), ("from", "query", "string"),
            ("to", "query", "string")], errors=("400", "404")),
    },
}


def document() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {"title": "onestop API", "version": "1", "description": "Bộ phận một cửa: thủ tục, hồ sơ, biểu mẫu."},
        "paths": PATHS,
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
            "responses": {"Error": {"description": "Error", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"error": {"type": "string"}, "status": {"type": "integer"},
                                                 "errors": {"type": "object"}}}}}}},
        },
    }


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())
