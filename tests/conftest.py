"""Fixtures: an app on a fresh database (SQLite file, or PostgreSQL via ONESTOP_TEST_DATABASE_URL)."""
import os
import re

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings

from onestop import create_app
from onestop.extensions import db as _db

PG_URL = os.environ.get("ONESTOP_TEST_DATABASE_URL")

# Hypothesis profiles (tests marked fuzz): `dev` is what `make test` runs; CI reruns the fuzz suites with
# `--hypothesis-profile=ci` (more examples, the same ones every run). HYPOTHESIS_PROFILE picks one too.
_FUZZ = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                                   HealthCheck.data_too_large, HealthCheck.filter_too_much],
             print_blob=True)
settings.register_profile("dev", max_examples=8, derandomize=True, **_FUZZ)
settings.register_profile("ci", max_examples=60, derandomize=True, **_FUZZ)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def _terminate_empty_parts_headers() -> None:
    """werkzeug's test client writes an empty part (a file input left empty, a 0-byte file) without the blank line
    that ends its headers (werkzeug.sansio.multipart.MultipartEncoder: the line break goes only before data). A
    browser or an HTTP library always writes it (RFC 7578, RFC 2046 5.1.1), and the app's parser (the `multipart`
    library, onestop.form_parsing) reads only such bodies; werkzeug's own decoder tolerated the gap. The test client
    is made to write what real clients write."""
    from werkzeug.sansio import multipart as encoding

    send_event = encoding.MultipartEncoder.send_event

    def conforming(self, event):
        if isinstance(event, encoding.Data) and self.state == encoding.State.DATA_START and not event.data:
            self.state = encoding.State.DATA
            return b"\r\n"
        return send_event(self, event)

    encoding.MultipartEncoder.send_event = conforming


_terminate_empty_parts_headers()


def pytest_terminal_summary(terminalreporter):
    """The fuzz suites' tally, for the issue's closing note."""
    from tests.fuzzing import TALLY

    if TALLY["requests"]:
        terminalreporter.write_line(f"fuzzed {TALLY['requests']} requests, {TALLY['server_errors']} server errors")


def test_config(tmp_path, **extra) -> dict:
    url = PG_URL or f"sqlite:///{tmp_path / 'test.db'}"
    from onestop.config import normalise_database_url

    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "RATELIMIT_ENABLED": False,
        "PUBLIC_BASE_URL": "https://motcua.example.vn",
        "FILES_DIR": str(tmp_path / "files"),  # stored papers: the test's own folder, never the checkout's instance/
        **extra,
    }


def drop_everything():
    """Close every session, then drop the tables (an idle transaction would block DROP TABLE)."""
    _db.session.remove()
    if _db.engine.dialect.name == "sqlite":  # a throw-away file per test: nothing to drop
        _db.engine.dispose()
        return
    if _db.engine.dialect.name == "postgresql":
        with _db.engine.begin() as conn:
            conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND state LIKE 'idle in transaction%%'"
            )
    _db.drop_all()
    with _db.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    _db.engine.dispose()


def make_app(tmp_path, **extra):
    app = create_app(test_config(tmp_path, **extra))
    with app.app_context():
        drop_everything()
        _db.create_all()
    return app


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path)
    with app.app_context():
        yield app
        drop_everything()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def world(app):
    """The demo agencies and users (password 'demo'), committed."""
    from onestop import demo

    agencies = demo.load_agencies()
    users = demo.load_users(agencies)
    _db.session.commit()
    return type("World", (), {"agencies": agencies, "users": users})


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, username="clerk", password="demo"):
        return self.client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


def csrf_token_from(html: str) -> str:
    """The CSRF token in a page's form, as a browser would submit it."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, "no csrf_token in the page"
    return match.group(1)
