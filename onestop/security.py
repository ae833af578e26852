"""Response headers every page and call carries, and the client's address behind trusted proxies.

- `Content-Security-Policy`: scripts, styles, images, fonts and connections from this site only; no inline script,
  no `<style>` element (style="" attributes stay allowed: reportlab's SVG charts carry them), no plug-ins, no
  framing (`frame-ancestors 'none'`, with `X-Frame-Options: DENY` for older browsers). One exception: a response
  that asks for same-origin framing (`X-Frame-Options: SAMEORIGIN`, the desk's printed forms, which the desk page
  prints from a frame of its own) gets `frame-ancestors 'self'`; no other site may frame it either.
- `X-Content-Type-Options: nosniff`.
- `Cache-Control: no-store` on every page, PDF, export and API answer: they carry personal data or a signed-in
  user's view. Only the static files (and a public page that sets its own caching) may be kept.
- `Referrer-Policy: same-origin`; `no-referrer` on the public status pages (an application's, an online submission's), whose address carries the
  look-up key.
- `Strict-Transport-Security` when the session cookie is marked secure (the site is served over HTTPS).
- TRUSTED_PROXIES: werkzeug's ProxyFix believes that many proxies' X-Forwarded-For and X-Forwarded-Proto, so sign-in
  limits count each client, not the proxy.
"""
from flask import Flask, current_app, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
FRAMED_BY_THE_APP = CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
# Downloads never kept in a cache, whoever asks.
PRIVATE_TYPES = ("application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "text/csv", "application/json")
PUBLIC_STATUS_PREFIX = ("/tra-cuu", "/nop-ho-so/")  # addresses that carry a look-up key


def init_app(app: Flask) -> None:
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    app.after_request(add_security_headers)


def add_security_headers(response):
    headers = response.headers
    framed_by_the_app = headers.get("X-Frame-Options") == "SAMEORIGIN"
    headers["Content-Security-Policy"] = FRAMED_BY_THE_APP if framed_by_the_app else CONTENT_SECURITY_POLICY
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "SAMEORIGIN" if framed_by_the_app else "DENY"
    headers["Referrer-Policy"] = "no-referrer" if request.path.startswith(PUBLIC_STATUS_PREFIX) else "same-origin"
    if keep_out_of_caches(response):
        headers["Cache-Control"] = "no-store"
        headers.pop("Expires", None)
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers["Strict-Transport-Security"] = f"max-age={int(current_app.config.get('HSTS_MAX_AGE', 31536000))}"
    return response


def keep_out_of_caches(response) -> bool:
    """Everything but the static files, and a public page that chose its own caching."""
    if request.endpoint == "static" or request.path.startswith("/static/"):
        return False
    if response.mimetype in PRIVATE_TYPES or request.path.startswith(PUBLIC_STATUS_PREFIX):
        return True
    signed_in = current_user.is_authenticated if current_user else False
    return signed_in or "Cache-Control" not in response.headers
