"""Sign-in limits that stop the guesser and let the owner in (issue 11, part 4): one count for the sign-in page and
the token endpoint, per account and address; the same work for known and unknown names; the client's own address
behind a trusted proxy."""
import os
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from onestop import demo
from onestop.auth.models import AuditLog
from onestop.extensions import db
from tests.conftest import drop_everything, make_app

ATTACKER, OWNER = "203.0.113.66", "198.51.100.7"
REDIS_URL = os.environ.get("ONESTOP_TEST_REDIS_URL")


@pytest.fixture
def limited(tmp_path):
    """An app with the sign-in limits on: 3 failures per account and address a minute; its clients by address."""
    def build(**extra):
        app = make_app(tmp_path, **{"RATELIMIT_ENABLED": True, "LOGIN_LIMIT_PER_ACCOUNT": "3 per minute", **extra})
        context = app.app_context()
        context.push()
        demo.load_users(demo.load_agencies())
        db.session.commit()
        contexts.append(context)
        return app

    contexts = []
    yield build
    for context in reversed(contexts):
        drop_everything()
        context.pop()


def from_address(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def sign_in(client, username, password, **headers):
    return client.post("/login", data={"username": username, "password": password}, headers=headers).status_code


def test_after_an_attack_the_owner_signs_in_from_another_address_and_the_attacker_stays_locked(limited):
    app = limited()
    attacker, owner = from_address(app, ATTACKER), from_address(app, OWNER)
    assert [sign_in(attacker, "clerk", guess) for guess in ("123456", "matkhau", "clerk", "demo1")] == [
        200, 200, 200, 429]
    assert sign_in(attacker, "clerk", "demo") == 429  # even the right password: the guesser learns nothing
    assert sign_in(owner, "clerk", "demo") == 302


def test_the_token_endpoint_shares_the_sign_in_pages_count(limited):
    app = limited()
    attacker = from_address(app, ATTACKER)
    for guess in ("a", "b", "c"):
        assert sign_in(attacker, "clerk", guess) == 200
    refused = attacker.post("/api/v1/tokens", json={"username": "clerk", "password": "demo"})
    assert refused.status_code == 429
    assert refused.get_json()["error"] == "Bạn đã thử quá nhiều lần. Vui lòng đợi ít phút rồi thử lại."
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    other = from_address(app, OWNER)
    assert other.post("/api/v1/tokens", json={"username": "clerk", "password": "demo"}).status_code == 201


def test_guesses_at_the_token_endpoint_lock_it_and_the_sign_in_page(limited):
    app = limited()
    attacker = from_address(app, ATTACKER)
    answers = [attacker.post("/api/v1/tokens", json={"username": "clerk", "password": f"guess-{n}"}).status_code
               for n in range(5)]
    assert answers == [401, 401, 401, 429, 429]
    assert sign_in(attacker, "clerk", "demo") == 429


def test_a_stolen_session_cannot_guess_the_password_on_the_change_password_page_faster(limited):
    app = limited()
    thief = from_address(app, ATTACKER)
    assert sign_in(thief, "clerk", "demo") == 302  # a session left open on a shared PC
    answers = [thief.post("/password", data={"old_password": guess, "new_password": "chiem-tai-khoan-nay",
                                              "confirm": "chiem-tai-khoan-nay"}).status_code
               for guess in ("123456", "matkhau", "clerk1", "demo")]
    assert answers == [400, 400, 400, 429]  # each wrong guess is refused as bad input, then the limit


def test_a_right_password_does_not_count_towards_the_limit(limited):
    app = limited()
    owner = from_address(app, OWNER)
    for _ in range(5):  # a clerk who signs in and out all morning is never locked out
        assert sign_in(owner, "clerk", "demo") == 302
        owner.post("/logout")
    assert sign_in(owner, "clerk", "wrong") == 200


def test_the_guesser_may_try_again_once_the_window_has_passed(limited, monkeypatch):
    from onestop.auth import counters

    app = limited()
    attacker = from_address(app, ATTACKER)
    start = 1_790_000_000.0
    monkeypatch.setattr(counters, "clock", lambda: start)
    assert [sign_in(attacker, "clerk", g) for g in ("a", "b", "c", "d")] == [200, 200, 200, 429]
    monkeypatch.setattr(counters, "clock", lambda: start + 30)
    assert sign_in(attacker, "clerk", "e") == 429  # half a minute later, the three still weigh in the window
    monkeypatch.setattr(counters, "clock", lambda: start + 121)
    assert sign_in(attacker, "clerk", "demo") == 302


def test_many_addresses_guessing_one_account_lock_it_except_where_its_owner_signed_in_before(limited):
    app = limited(LOGIN_LIMIT_PER_ACCOUNT_ALL_ADDRESSES="4 per hour")
    owner_desk = from_address(app, OWNER)
    assert sign_in(owner_desk, "clerk", "demo") == 302
    for n in range(4):  # a botnet: each address below its own limit
        assert sign_in(from_address(app, f"192.0.2.{n + 1}"), "clerk", "wrong") == 200
    assert sign_in(from_address(app, "192.0.2.200"), "clerk", "demo") == 429  # a new address: refused
    assert sign_in(from_address(app, OWNER), "clerk", "demo") == 302  # the owner's own desk: still opens


def test_one_address_trying_many_names_is_stopped(limited):
    app = limited(LOGIN_LIMIT_PER_ADDRESS="4 per minute")
    scanner = from_address(app, ATTACKER)
    answers = [sign_in(scanner, name, "123456789") for name in ("admin", "clerk", "officer", "supervisor", "x")]
    assert answers == [200, 200, 200, 200, 429]
    assert sign_in(from_address(app, OWNER), "admin", "demo") == 302


def test_behind_one_trusted_proxy_each_client_has_its_own_count(limited):
    app = limited(TRUSTED_PROXIES=1)
    proxy = from_address(app, "10.0.0.2")
    for guess in ("a", "b", "c"):
        assert sign_in(proxy, "clerk", guess, **{"X-Forwarded-For": ATTACKER}) == 200
    assert sign_in(proxy, "clerk", "demo", **{"X-Forwarded-For": ATTACKER}) == 429
    assert sign_in(proxy, "clerk", "demo", **{"X-Forwarded-For": OWNER}) == 302
    addresses = db.session.scalars(sa.select(AuditLog.ip).where(AuditLog.action.in_(("login", "login_failed")))).all()
    assert set(addresses) == {ATTACKER, OWNER}


def test_without_a_trusted_proxy_a_forged_forwarded_address_does_not_escape_the_count(limited):
    app = limited()
    attacker = from_address(app, ATTACKER)
    for n, guess in enumerate(("a", "b", "c")):
        assert sign_in(attacker, "clerk", guess, **{"X-Forwarded-For": f"192.0.2.{n}"}) == 200
    assert sign_in(attacker, "clerk", "demo", **{"X-Forwarded-For": OWNER}) == 429


def test_an_unknown_name_takes_one_password_hash_like_a_known_one(world, client, monkeypatch):
    from werkzeug import security

    from onestop.auth import passwords

    hashed = []
    real = security.check_password_hash
    monkeypatch.setattr(passwords, "check_password_hash", lambda h, p: hashed.append(p) or real(h, p))
    for name in ("clerk", "khong.co.ai"):
        client.post("/login", data={"username": name, "password": "sai-mat-khau"})
    assert hashed == ["sai-mat-khau", "sai-mat-khau"]
    world.users["officer"].active = False
    db.session.commit()
    client.post("/login", data={"username": "officer", "password": "demo"})
    assert len(hashed) == 3  # a locked account is checked too, then refused


def test_with_scrypt_an_unknown_name_answers_no_faster_than_a_known_one(tmp_path):
    """The measured gap of issue 11 was 80 ms against 8 ms. Tries interleaved and the fastest of each compared
    (a busy machine only ever adds time), loosely."""
    app = make_app(tmp_path, PASSWORD_HASH_METHOD="scrypt")
    with app.app_context():
        demo.load_users(demo.load_agencies())
        db.session.commit()
        client = app.test_client()
        fastest = {"clerk": float("inf"), "khong.co.ai": float("inf")}
        for _ in range(7):
            for name in fastest:
                start = time.perf_counter()
                client.post("/login", data={"username": name, "password": "sai-mat-khau"})
                fastest[name] = min(fastest[name], time.perf_counter() - start)
        drop_everything()
    assert fastest["khong.co.ai"] > 0.5 * fastest["clerk"], fastest


def test_flask_limiters_own_limits_count_in_the_database_by_default(limited):
    """Any @limiter.limit a feature adds is shared by the workers too: its counters are rows of rate_counter."""
    from onestop.auth.models import RateCounter
    from onestop.extensions import limiter

    app = limited()

    @app.get("/_limited")
    @limiter.limit("2 per minute")
    def limited_view():
        return "ok"

    client = from_address(app, OWNER)
    assert [client.get("/_limited").status_code for _ in range(3)] == [200, 200, 429]
    from onestop.auth.counters import counter_engine

    with counter_engine().connect() as connection:  # the app's database (a file beside it on SQLite)
        keys = connection.scalars(sa.select(RateCounter.key)).all()
    assert any("_limited" in key or "limited_view" in key for key in keys), keys


STORAGES = ["database://"] + ([REDIS_URL] if REDIS_URL else [])


def at_once(app, count: int, password: str, monkeypatch) -> Counter:
    """`count` requests for a token for one account from one address, all started at the same moment; each
    password check takes 50 ms, so all are in flight together. The answers' statuses, counted."""
    from werkzeug import security

    from onestop.auth import passwords

    monkeypatch.setattr(passwords, "check_password_hash",
                        lambda hashed, typed: time.sleep(0.05) or security.check_password_hash(hashed, typed))
    start = threading.Barrier(count)

    def one(_):
        client = from_address(app, OWNER)
        start.wait()
        return client.post("/api/v1/tokens", json={"username": "clerk", "password": password}).status_code

    with ThreadPoolExecutor(max_workers=count) as pool:
        return Counter(pool.map(one, range(count)))


@pytest.mark.parametrize("storage", STORAGES)
def test_twenty_four_sign_ins_at_once_with_the_right_password_all_get_in(limited, monkeypatch, storage):
    """Issue 21: twelve at once gave two 429s, the attempts in flight counted as failures against the limit."""
    app = limited(LOGIN_LIMIT_PER_ACCOUNT="10 per 15 minutes", RATELIMIT_STORAGE_URI=storage,
                  RATELIMIT_KEY_PREFIX=f"onestop-test-{uuid.uuid4().hex}")
    assert at_once(app, 24, "demo", monkeypatch) == Counter({201: 24})
    assert sign_in(from_address(app, OWNER), "clerk", "wrong") == 200  # and none of them left a failure behind


@pytest.mark.parametrize("storage", STORAGES)
def test_twenty_four_guesses_at_once_check_exactly_the_limits_number_of_passwords(limited, monkeypatch, storage):
    app = limited(LOGIN_LIMIT_PER_ACCOUNT="10 per 15 minutes", RATELIMIT_STORAGE_URI=storage,
                  RATELIMIT_KEY_PREFIX=f"onestop-test-{uuid.uuid4().hex}")
    assert at_once(app, 24, "wrong", monkeypatch) == Counter({401: 10, 429: 14})
    assert sign_in(from_address(app, OWNER), "clerk", "demo") == 429  # the account is locked for this address


def test_a_crashed_attempt_holds_its_place_only_as_long_as_the_wait(limited, monkeypatch):
    """An attempt that never finished (its worker died) is neither given back nor a failure: the next attempt waits
    LOGIN_WAIT_SECONDS for it, then is refused as before, never let through beyond the limit."""
    from onestop.auth import throttle

    app = limited(LOGIN_WAIT_SECONDS=0.3)
    with app.test_request_context("/login", method="POST", environ_base={"REMOTE_ADDR": OWNER}):
        taken = [throttle.begin("clerk") for _ in range(3)]
    assert not any(attempt.refused for attempt in taken)
    began = time.monotonic()
    assert sign_in(from_address(app, OWNER), "clerk", "demo") == 429
    assert 0.3 <= time.monotonic() - began < 3
    with app.test_request_context("/login", method="POST", environ_base={"REMOTE_ADDR": OWNER}):
        throttle.give_back(taken[0])  # one of them turns out to have been the owner
    assert sign_in(from_address(app, OWNER), "clerk", "demo") == 302
