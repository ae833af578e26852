"""Headers and caching (issue 11, part 6): every response sends nosniff and a Content-Security-Policy with no inline
script and no framing; pages with personal data, PDFs and exports are never stored in a cache; the status page,
whose address carries the key, sends no referrer; HTTPS deployments send HSTS."""
import re
from datetime import datetime
from pathlib import Path

import pytest

from onestop.timeutil import VN
from tests.conftest import drop_everything, make_app
from tests.factories import make_procedure, receive

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def application(world):
    birth = make_procedure(agency=world.agencies["000.00.04.H38"])
    return receive(world.users["clerk"], birth, datetime(2026, 10, 6, 9, 0, tzinfo=VN))


def policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()}


def assert_guarded(response, framed_by="'none'"):
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    csp = policy(response)
    assert csp["frame-ancestors"] == framed_by
    assert csp["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval', no other host
    assert csp["style-src"] == "'self'" and csp["object-src"] == "'none'"
    assert response.headers["X-Frame-Options"] == {"'none'": "DENY", "'self'": "SAMEORIGIN"}[framed_by]


def test_every_kind_of_response_is_guarded(client, auth, application):
    anonymous = [client.get(url) for url in ("/login", "/thu-tuc", "/static/app.css", "/khong-co-trang-nay",
                                             "/api/v1/openapi.json", "/desk")]
    assert [r.status_code for r in anonymous] == [200, 200, 200, 404, 200, 302]
    auth.login("clerk")
    signed_in = [client.get("/desk"), client.get(f"/applications/{application.code}/forms/supplement.pdf"),
                 client.get("/api/v1/register.xlsx?from=2026-10-06&to=2026-10-06"), client.post("/logout")]
    assert [r.status_code for r in signed_in] == [200, 404, 200, 302]
    for response in anonymous + signed_in:
        assert_guarded(response)


def test_the_desk_may_frame_its_own_printed_forms_and_nobody_else_may(client, auth, application):
    """The desk prints the receipt from a hidden frame of its own page; no other site may frame it."""
    auth.login("clerk")
    receipt = client.get(f"/applications/{application.code}/forms/receipt.pdf")
    assert receipt.status_code == 200
    assert_guarded(receipt, framed_by="'self'")
    api_receipt = client.get(f"/api/v1/applications/{application.code}/forms/receipt.pdf")
    assert_guarded(api_receipt)  # the API's copy is for scripts: no framing at all


def test_personal_data_pdfs_and_exports_are_never_stored(client, auth, application):
    status_page = client.get(f"/tra-cuu/{application.code}?k={application.tracking_key}")
    assert status_page.status_code == 200 and status_page.headers["Cache-Control"] == "no-store"
    auth.login("clerk")
    for url in ("/desk", f"/applications/{application.code}", f"/applications/{application.code}/forms/receipt.pdf",
                "/api/v1/register.xlsx?from=2026-10-06&to=2026-10-06", "/api/v1/register.pdf?from=2026-10-06&to=2026-10-06",
                f"/api/v1/applications/{application.code}"):
        response = client.get(url)
        assert (url, response.status_code, response.headers["Cache-Control"]) == (url, 200, "no-store")


def test_static_files_may_be_cached(client):
    assert "no-store" not in client.get("/static/app.css").headers.get("Cache-Control", "")


def test_the_status_page_sends_no_referrer_since_its_address_carries_the_key(client, application):
    status_page = client.get(f"/tra-cuu/{application.code}?k={application.tracking_key}")
    assert status_page.headers["Referrer-Policy"] == "no-referrer"
    assert client.get("/tra-cuu").headers["Referrer-Policy"] == "no-referrer"
    assert client.get("/thu-tuc").headers["Referrer-Policy"] == "same-origin"


def test_hsts_only_when_the_session_cookie_is_marked_secure(tmp_path):
    answers = {}
    for secure in (False, True):
        app = make_app(tmp_path, SESSION_COOKIE_SECURE=secure)
        with app.app_context():
            answers[secure] = app.test_client().get("/login", base_url="https://motcua.example.vn").headers
            drop_everything()
    assert "Strict-Transport-Security" not in answers[False]
    assert answers[True]["Strict-Transport-Security"] == "max-age=31536000"


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on…= event handler"),
    (re.compile(r"javascript:", re.I), "a javascript: address"),
]


def test_no_template_carries_what_the_policy_blocks():
    """Every script and style element comes from /static: the policy would silently break it otherwise."""
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(ROOT)}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert found == []
