"""Online payment through the national payment platform (nền tảng thanh toán trực tuyến): the adapter.

Messages (JSON over HTTP POST), each signed with `checksum` = SHA-256 (hex) of its fields in a fixed order joined
by "|", then "|" and the shared secret:
- INIT  → {PAYMENT_URL}/init: partner_code, reference, amount, currency (VND), application_code, lines (canonical
  JSON), return_url, callback_url; answer: code ("00" accepted), reference, pay_url (signed the same way).
- CALLBACK ← the platform posts partner_code, reference, transaction_id, amount, status (paid | failed), paid_at
  to our callback; the RETURN brings the citizen's browser back with the same fields in the query string.
- QUERY → {PAYMENT_URL}/query: partner_code, reference; answer: the callback's fields, status pending while unpaid.
Nothing is recorded before a message's checksum, partner code and amount are verified; a payment already settled
changes no more (a second callback, a return after the callback, a reconcile after either).
Configuration: PAYMENT_URL, PAYMENT_PARTNER_CODE, PAYMENT_SECRET (PAYMENT_TIMEOUT seconds); with any unset, online
payment is not offered.
"""
import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _

from .. import audit
from ..extensions import db
from ..reception.models import Application
from ..timeutil import local, now
from .models import Payment
from .numbering import lock_books
from .services import FeeConflict, account, allocate, is_closed, issue_receipt

INIT_FIELDS = ("partner_code", "reference", "amount", "currency", "application_code", "lines", "return_url",
               "callback_url")
INIT_ANSWER_FIELDS = ("code", "reference", "pay_url")
RESULT_FIELDS = ("partner_code", "reference", "transaction_id", "amount", "status", "paid_at")
QUERY_FIELDS = ("partner_code", "reference")
CURRENCY = "VND"


class GatewayError(Exception):
    """The platform did not answer, or answered something we cannot trust."""


def offered() -> bool:
    config = current_app.config
    return bool(config.get("PAYMENT_URL") and config.get("PAYMENT_PARTNER_CODE") and config.get("PAYMENT_SECRET"))


def canonical(value) -> str:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "" if value is None else str(value)


def checksum(message: dict, fields: tuple[str, ...], secret: str) -> str:
    joined = "|".join(canonical(message.get(name)) for name in fields) + "|" + secret
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def verified(message: dict, fields: tuple[str, ...], secret: str | None = None) -> bool:
    secret = secret or current_app.config["PAYMENT_SECRET"]
    given = message.get("checksum")
    return isinstance(given, str) and hmac.compare_digest(given.lower(), checksum(message, fields, secret))


def _post(path: str, message: dict) -> dict:
    config = current_app.config
    request = urllib.request.Request(config["PAYMENT_URL"].rstrip("/") + path, method="POST",
                                     data=json.dumps(message, ensure_ascii=False).encode("utf-8"),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=config.get("PAYMENT_TIMEOUT", 10)) as response:
            answer = json.loads(response.read().decode("utf-8"))
    except (OSError, urllib.error.URLError, ValueError) as error:  # a timeout is an OSError
        raise GatewayError(str(error)) from None
    if not isinstance(answer, dict):
        raise GatewayError("answer is not a JSON object")
    return answer


def _signed(message: dict, fields: tuple[str, ...]) -> dict:
    return {**message, "checksum": checksum(message, fields, current_app.config["PAYMENT_SECRET"])}


def start(application: Application) -> Payment:
    """A pending online payment of what the application still owes (flushed; the caller commits before `init`)."""
    current = account(application)
    if any(payment.status == "pending" for payment in current.payments):
        raise FeeConflict(_("Hồ sơ đang chờ kết quả một lần thanh toán trực tuyến."), {"payment": _("Đang chờ.")})
    if not current.known or current.balance <= 0:
        raise FeeConflict(_("Hồ sơ không còn khoản phí phải thu."), {"amount": _("Không còn phải thu.")})
    payment = Payment(application=application, agency=application.agency, method="online", amount=current.balance,
                      status="pending", lines=allocate(current, current.balance),
                      payer_name=application.applicant_name, reference=secrets.token_hex(10), created_at=now())
    db.session.add(payment)
    db.session.flush()
    return payment


def start_for_submission(submission) -> Payment:
    """A pending online payment of what an online submission owes before acceptance (reception.online: anything
    with number, procedure_version_id, agency_id, applicant_name). Once accepted, the desk attaches its payments to
    the new application (services.attach_submission_payments)."""
    from ..auth.models import Agency
    from .services import _submission_version, unpaid_before_acceptance

    pending = db.session.scalar(sa.select(Payment.id).where(Payment.submission_number == submission.number,
                                                            Payment.status == "pending"))
    if pending is not None:
        raise FeeConflict(_("Hồ sơ đang chờ kết quả một lần thanh toán trực tuyến."), {"payment": _("Đang chờ.")})
    version = _submission_version(submission)
    left = unpaid_before_acceptance(version, submission.number)
    if left <= 0:
        raise FeeConflict(_("Hồ sơ không còn khoản phí phải thu."), {"amount": _("Không còn phải thu.")})
    from ..reception.fee_lines import add_lines_preview

    lines, rest = [], left
    for line in add_lines_preview(version):
        if line.collect == "before" and line.due and rest > 0:
            take = min(line.due, rest)
            lines.append({"line": line.position, "kind": line.kind, "name": line.name, "amount": take})
            rest -= take
    payment = Payment(submission_number=submission.number, agency=db.session.get(Agency, submission.agency_id),
                      method="online", amount=left, status="pending", lines=lines,
                      payer_name=submission.applicant_name, reference=secrets.token_hex(10), created_at=now())
    db.session.add(payment)
    db.session.flush()
    return payment


def init(payment: Payment) -> str:
    """Send the INIT message; the address where the citizen pays. A failure marks the payment failed (flushed)."""
    config = current_app.config
    message = _signed({
        "partner_code": config["PAYMENT_PARTNER_CODE"], "reference": payment.reference, "amount": payment.amount,
        "currency": CURRENCY,
        "application_code": payment.application.code if payment.application else payment.submission_number,
        "lines": [{"kind": item["kind"], "name": item["name"], "amount": item["amount"]} for item in payment.lines],
        "return_url": url_for("fees_api.payment_return", _external=True),
        "callback_url": url_for("fees_api.payment_callback", _external=True),
    }, INIT_FIELDS)
    try:
        answer = _post("/init", message)
        if not verified(answer, INIT_ANSWER_FIELDS) or answer.get("reference") != payment.reference:
            raise GatewayError("INIT answer not signed by the platform")
        if answer.get("code") != "00" or not isinstance(answer.get("pay_url"), str):
            raise GatewayError(f"INIT refused: {answer.get('code')}")
    except GatewayError:
        payment.status = "failed"
        db.session.flush()
        raise
    return answer["pay_url"]


def _parse_moment(value) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return now()
    return moment if moment.tzinfo else moment.replace(tzinfo=local(now()).tzinfo)


def _book_day(agency, day):
    """The day's book an online payment goes in: today's, or, when a supervisor has closed it already (a callback
    late in the evening), the next day's still open. The agency's books are held for the transaction."""
    lock_books(agency.id, agency.code, day.year)
    while is_closed(agency.id, day):
        day += timedelta(days=1)
    return day


def settle(message: dict) -> tuple[str, Payment | None]:
    """Record a result message (callback, return or query answer) after verifying it. Returns (outcome, payment):
    bad_checksum, unknown, wrong_amount, ignored (already settled, or still pending), paid, failed."""
    if not verified(message, RESULT_FIELDS) or message.get("partner_code") != current_app.config["PAYMENT_PARTNER_CODE"]:
        return "bad_checksum", None
    query = sa.select(Payment).where(Payment.reference == str(message.get("reference")), Payment.method == "online")
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    payment = db.session.scalar(query)
    if payment is None:
        return "unknown", None
    # A payment given up on (its INIT timed out) that the platform says was paid after all is recorded: the money
    # was taken. Anything already paid, or a failure of what is no longer pending, changes nothing.
    settles = (message.get("status") == "paid" and payment.status in ("pending", "failed")) or (
        message.get("status") == "failed" and payment.status == "pending")
    if not settles:
        return "ignored", payment
    if str(message.get("amount")) != str(payment.amount):
        return "wrong_amount", payment
    if message["status"] == "failed":
        payment.status = "failed"
        db.session.flush()
        return "failed", payment
    at = now()
    day = _book_day(payment.agency, local(at).date())
    payment.status, payment.paid_at, payment.day = "paid", _parse_moment(message.get("paid_at")), day
    payment.gateway_transaction = str(message.get("transaction_id") or "")[:64] or None
    receipt = issue_receipt(payment, None)
    receipt.issued_at, receipt.day = at, day
    audit.record("fee_paid_online", payment.application or payment, user=None, amount=payment.amount,
                 reference=payment.reference, username="gateway")
    db.session.flush()
    return "paid", payment


def query(payment: Payment) -> dict:
    """Ask the platform for a payment's status (the signed answer, not yet verified)."""
    config = current_app.config
    return _post("/query", _signed({"partner_code": config["PAYMENT_PARTNER_CODE"], "reference": payment.reference},
                                   QUERY_FIELDS))


def pending_references() -> list[str]:
    return list(db.session.scalars(sa.select(Payment.reference).where(Payment.status == "pending",
                                                                      Payment.method == "online")
                                   .order_by(Payment.id)))
