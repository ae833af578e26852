"""Rate limits of the citizens' pages, counted in RATELIMIT_STORAGE_URI (Redis in production) so they hold
across worker processes and hosts.

Look-ups of a file or a complaint (page and API alike) share one budget per client address, and failed ones a
stricter one; a look-up by the last 4 digits of a phone also counts against the application code itself, so
10 000 possible endings cannot be tried from many addresses. Complaints are limited per address when sent.
"""
from flask import current_app, request

from ...extensions import limiter


def _failed(response) -> bool:
    return response.status_code == 404


def _by_phone() -> bool:
    return bool(request.values.get("phone"))


def _looked_up_code() -> str:
    code = (request.view_args or {}).get("code") or request.values.get("application_code") or ""
    return "tracking-code:" + code.strip().upper()[:64]


def lookup_limits(view):
    """Every look-up counts against the address; a failed one also against the failures' budget; one by phone
    also against the code. Exhausted, the answer is 429 whatever was asked (nothing to learn from it)."""
    view = limiter.shared_limit(lambda: current_app.config["TRACKING_PHONE_LIMIT_PER_CODE"], scope="tracking-phone",
                                key_func=_looked_up_code, exempt_when=lambda: not _by_phone(),
                                deduct_when=_failed)(view)
    view = limiter.shared_limit(lambda: current_app.config["TRACKING_FAILED_LOOKUP_LIMIT"], scope="tracking-failed",
                                deduct_when=_failed)(view)
    return limiter.shared_limit(lambda: current_app.config["TRACKING_LOOKUP_LIMIT"], scope="tracking-lookup")(view)


def complaint_limit(view):
    """Complaints sent from one address (every attempt counts: screening spam); one about an application proved
    by a phone's last digits, not accepted, also spends the code's budget (the form is no back door for guesses)."""
    view = limiter.shared_limit(lambda: current_app.config["TRACKING_PHONE_LIMIT_PER_CODE"], scope="tracking-phone",
                                key_func=_looked_up_code, methods=["POST"],
                                exempt_when=lambda: not (_by_phone() and request.values.get("application_code")),
                                deduct_when=lambda response: response.status_code != 302)(view)
    return limiter.limit(lambda: current_app.config["COMPLAINT_LIMIT_PER_ADDRESS"], methods=["POST"])(view)
