"""The fees part of the OpenAPI document (issue 17): an application's fee lines and balance, payments and their
receipts, cancellations, refunds, the day's book, online payment. Merged into openapi.PATHS."""
from .openapi import CONTROL, DAY, FMT, LINE, MOMENT, NULLABLE_TEXT, PDF, TEXT, TEXT_IN_JSON, XLSX, op, optional, param

AMOUNT = {"type": "integer", "minimum": 1, "maximum": 10_000_000_000_000, "description": "whole đồng"}
NAME_TEXT = {"type": "string", "maxLength": 255, "pattern": f"^{LINE}*$"}
MULTI_LINE_BAD = "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f"
REASON_TEXT = {"type": "string", "maxLength": 2000,  # lines of text with something in them
               "pattern": f"^[^{MULTI_LINE_BAD}]*[^\\s{MULTI_LINE_BAD}][^{MULTI_LINE_BAD}]*$"}
FEE_LINE = {"type": "object", "required": ["position", "kind", "amount", "collect", "exempt_reason"], "properties": {
    "position": {"type": "integer"}, "kind": {"type": "string", "enum": ["phi", "le_phi"]}, "name": TEXT,
    "collect": {"type": "string", "enum": ["before", "at_return"]},
    "unit_amount": {"type": "integer", "nullable": True}, "unit": NULLABLE_TEXT,
    "quantity": {"type": "integer", "nullable": True},
    "amount": {"type": "integer", "nullable": True, "description": "null while the desk has not given it"},
    "reduction": {"type": "integer"}, "exempt_reason": NULLABLE_TEXT, "due": {"type": "integer", "nullable": True}}}
RECEIPT = {"type": "object", "nullable": True, "required": ["series", "number", "pdf_url"], "properties": {
    "series": TEXT, "form_number": TEXT, "number": {"type": "integer"}, "issued_at": MOMENT,
    "cancelled": {"type": "boolean"}, "pdf_url": TEXT}}
PAYMENT = {"type": "object", "required": ["id", "method", "amount", "status", "receipt"], "properties": {
    "id": {"type": "integer"}, "method": {"type": "string", "enum": ["cash", "transfer", "online"]},
    "amount": {"type": "integer"}, "status": {"type": "string", "enum": ["pending", "paid", "failed"]},
    "payer_name": TEXT, "lines": {"type": "array"}, "paid_at": {**MOMENT, "nullable": True},
    "collector": NULLABLE_TEXT, "cancelled": {"type": "boolean"}, "refunded": {"type": "integer"},
    "receipt": RECEIPT}}
FEES = {"type": "object", "required": ["code", "lines", "due", "paid", "balance"], "properties": {
    "code": TEXT, "lines": {"type": "array", "items": FEE_LINE}, "known": {"type": "boolean"},
    "due": {"type": "integer"}, "paid": {"type": "integer"}, "refunded": {"type": "integer"},
    "balance": {"type": "integer"}, "payments": {"type": "array", "items": PAYMENT}}}
PAYMENT_ID = param("payment_id", "path", type="integer", minimum=0, maximum=2147483647)
BOOK_PARAMS = [param("agency", description="an agency code; default: the caller's"),
               optional(param("day", description="default: today (Vietnam)", **DAY), "today"),
               param("collector", description="one collector's user name")]
FEES_PATHS = {
    "/api/v1/applications/{code}/fees": {
        "get": op("The fee lines an application owes (phí, lệ phí), what it has paid and what is left",
                  params=[param("code", "path")], errors=("404",), schema=FEES),
    },
    "/api/v1/applications/{code}/fees/{position}": {
        "post": op("The desk completes a fee line: `amount` (a fee the publication does not state), `quantity` "
                   "(a per-page or per-copy fee), or an exemption or reduction (`reduction` with its `reason`)",
                   params=[param("code", "path"), param("position", "path", type="integer", minimum=0, maximum=999)],
                   body={"type": "object", "additionalProperties": False, "properties": {
                       "amount": {"type": "integer", "minimum": 0, "maximum": 10_000_000_000_000},
                       "quantity": {"type": "integer", "minimum": 1, "maximum": 100_000},
                       "reduction": AMOUNT, "reason": REASON_TEXT}},
                   description="Which key a line takes depends on the line; a reduction needs its reason.",
                   schema=FEES, errors=("400", "403", "404")),
    },
    "/api/v1/applications/{code}/payments": {
        "post": op("Take a payment at the desk (cash or transfer) and issue its receipt",
                   params=[param("code", "path")], ok="201", schema=PAYMENT,
                   body={"type": "object", "required": ["method", "amount"], "additionalProperties": False,
                         "properties": {"method": {"type": "string", "enum": ["cash", "transfer"]}, "amount": AMOUNT,
                                        "payer_name": NAME_TEXT}},
                   description="The amount may not exceed what is left to pay; every line's amount must be known.",
                   errors=("400", "403", "404", "409")),
    },
    "/api/v1/applications/{code}/payments/online": {
        "post": op("Start paying online: the payment platform's address", auth=False, ok="201",
                   params=[param("code", "path")],
                   body={"type": "object", "additionalProperties": False, "properties": {"key": TEXT_IN_JSON}},
                   description="A desk that sees the application, or the applicant with the receipt's look-up key. "
                               "404 when online payment is not configured.",
                   schema={"type": "object", "required": ["reference", "amount", "pay_url"], "properties": {
                       "reference": TEXT, "amount": {"type": "integer"}, "currency": TEXT, "pay_url": TEXT}},
                   errors=("400", "404", "409", "502")),
    },
    "/api/v1/payments/callback": {
        "post": op("The payment platform reports a result (signed with the shared secret's SHA-256 checksum)",
                   auth=False, body={"type": "object"}, schema={"type": "object", "properties": {
                       "code": TEXT, "outcome": TEXT}}, errors=("400", "404")),
    },
    "/api/v1/payments/return": {
        "get": op("The citizen's browser back from the payment platform (the same signed fields)", auth=False,
                  content={"text/html": {"schema": {"type": "string"}}}, errors=("400", "404"),
                  params=[param(name) for name in ("partner_code", "reference", "transaction_id", "amount", "status",
                                                   "paid_at", "checksum")]),
    },
    "/api/v1/payments/{payment_id}/cancel": {
        "post": op("Cancel a receipt with its reason (it stays readable); `reissue` takes the payment again on a new "
                   "receipt", params=[PAYMENT_ID], ok="201",
                   body={"type": "object", "required": ["reason"], "additionalProperties": False, "properties": {
                       "reason": REASON_TEXT, "reissue": {"type": "object", "additionalProperties": False,
                                                          "required": ["method", "amount"], "properties": {
                           "method": {"type": "string", "enum": ["cash", "transfer"]}, "amount": AMOUNT,
                           "payer_name": NAME_TEXT}}}},
                   schema={"type": "object", "required": ["cancelled"], "properties": {
                       "cancelled": PAYMENT, "reissued": {**PAYMENT, "nullable": True}}},
                   errors=("400", "403", "404", "409")),
    },
    "/api/v1/payments/{payment_id}/refund": {
        "post": op("Refund (part of) a payment of a refused or stopped application, with the reason and who decided",
                   params=[PAYMENT_ID], ok="201",
                   body={"type": "object", "required": ["amount", "reason", "decided_by"], "additionalProperties": False,
                         "properties": {"amount": AMOUNT, "reason": REASON_TEXT,
                                        "decided_by": {**NAME_TEXT, "pattern": f"^{LINE}*[^\\s{CONTROL}]{LINE}*$"},
                                        "method": {"type": "string", "enum": ["cash", "transfer"]}}},
                   schema={"type": "object", "required": ["refund", "payment"], "properties": {
                       "refund": {"type": "object"}, "payment": PAYMENT}},
                   errors=("400", "403", "404", "409")),
    },
    "/api/v1/receipts/{series}/{number}.pdf": {
        "get": op("A receipt as printed (A5; `paper=A4`), with a mark if it was cancelled", content=PDF,
                  params=[param("series", "path"), param("number", "path", type="integer", minimum=0, maximum=9999999),
                          optional(param("paper", type="string", enum=["A4", "A5"]), "A5")], errors=("400", "404")),
    },
    "/api/v1/daybook": {
        "get": op("The day's book of fees: receipts, cancellations and refunds of the day, totals by method and by "
                  "collector", params=BOOK_PARAMS, schema={"type": "object", "required": ["agency", "day", "totals"]},
                  errors=("400", "403", "404")),
    },
    "/api/v1/daybook.{fmt}": {
        "get": op("The day's book as pdf or xlsx", content={**PDF, **XLSX}, params=[FMT, *BOOK_PARAMS],
                  errors=("400", "403", "404")),
    },
    "/api/v1/daybook/close": {
        "post": op("A supervisor closes a day's book (today or before); a closed day cannot change", ok="201",
                   body={"type": "object", "additionalProperties": False, "properties": {"agency": TEXT_IN_JSON,
                                                                                        "day": DAY}},
                   schema={"type": "object", "required": ["agency", "day", "closed_at"]},
                   errors=("400", "403", "404", "409")),
    },
}
