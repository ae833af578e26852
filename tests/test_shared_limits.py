"""Sign-in throttling holds across workers: by default the counters live in the app's database, which every
worker shares; a large site may point RATELIMIT_STORAGE_URI at Redis instead.

Each worker is a separate process. The Redis case runs where ONESTOP_TEST_REDIS_URL names a Redis server (CI sets
it); the last test runs gunicorn itself with four workers.
"""
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from onestop import create_app, demo
from onestop.extensions import db
from tests import conftest
from tests.conftest import drop_everything, make_app

REDIS_URL = os.environ.get("ONESTOP_TEST_REDIS_URL")
ROOT = Path(__file__).resolve().parent.parent
WORKER = """
import json, os, sys
from onestop import create_app
client = create_app(json.loads(os.environ["ONESTOP_WORKER_CONFIG"])).test_client()
attempts = json.loads(sys.argv[1])
print(json.dumps([client.post("/login", data={"username": u, "password": p}).status_code for u, p in attempts]))
"""


def worker(config: dict, attempts: list[tuple[str, str]]) -> list[int]:
    """Sign-in attempts made by a worker process of its own; the HTTP status of each."""
    env = {**os.environ, "ONESTOP_WORKER_CONFIG": json.dumps(config)}
    done = subprocess.run([sys.executable, "-c", WORKER, json.dumps(attempts)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def configs(tmp_path, storage: str, limit: str = "3 per minute") -> dict:
    extra = {"RATELIMIT_ENABLED": True, "LOGIN_LIMIT_PER_ACCOUNT": limit, "RATELIMIT_STORAGE_URI": storage,
             "RATELIMIT_KEY_PREFIX": f"onestop-test-{uuid.uuid4().hex}"}  # runs never share counters
    app = make_app(tmp_path, **extra)
    with app.app_context():
        demo.load_users(demo.load_agencies())
        db.session.commit()
        db.session.remove()
    return conftest.test_config(tmp_path, **extra)


def teardown(tmp_path):
    with create_app(conftest.test_config(tmp_path)).app_context():
        drop_everything()


@pytest.mark.skipif(not REDIS_URL, reason="ONESTOP_TEST_REDIS_URL not set (CI sets it)")
def test_failed_sign_ins_on_two_workers_add_up_with_redis(tmp_path):
    config = configs(tmp_path, REDIS_URL)
    try:
        assert worker(config, [("clerk", "wrong"), ("clerk", "wrong")]) == [200, 200]  # worker A
        assert worker(config, [("clerk", "wrong"), ("clerk", "demo")]) == [200, 429]  # worker B: third failure, then locked
        assert worker(config, [("clerk", "demo"), ("officer", "demo")]) == [429, 302]  # A as well; others unaffected
    finally:
        teardown(tmp_path)


def test_failed_sign_ins_on_two_workers_add_up_in_the_database_by_default(tmp_path):
    config = configs(tmp_path, conftest.test_config(tmp_path).get("RATELIMIT_STORAGE_URI", "database://"))
    assert config["RATELIMIT_STORAGE_URI"] == "database://"  # what a deployment gets when it sets nothing
    try:
        assert worker(config, [("clerk", "wrong"), ("clerk", "wrong")]) == [200, 200]  # worker A
        assert worker(config, [("clerk", "wrong"), ("clerk", "demo")]) == [200, 429]  # worker B: third failure, then locked
        assert worker(config, [("clerk", "demo"), ("officer", "demo")]) == [429, 302]  # A as well; others unaffected
    finally:
        teardown(tmp_path)


def test_with_memory_storage_each_worker_counts_alone(tmp_path):
    """Why production needs RATELIMIT_STORAGE_URI: in-memory counters let an attacker spread guesses over workers."""
    config = configs(tmp_path, "memory://")
    try:
        assert worker(config, [("clerk", "wrong"), ("clerk", "wrong")]) == [200, 200]
        assert worker(config, [("clerk", "wrong"), ("clerk", "demo")]) == [200, 302]
    finally:
        teardown(tmp_path)


def serve_with_gunicorn(tmp_path, config: dict, workers: int):
    """gunicorn on a free port with `workers` processes, configured as a deployment is: by the environment."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("ONESTOP_") and key not in ("RATELIMIT_STORAGE_URI", "DATABASE_URL")}
    env.update({
        "DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "gunicorn-test",
        "ONESTOP_INSTANCE_PATH": str(tmp_path), "ONESTOP_LOGIN_LIMIT_PER_ACCOUNT": config["LOGIN_LIMIT_PER_ACCOUNT"],
        "ONESTOP_RATELIMIT_KEY_PREFIX": config["RATELIMIT_KEY_PREFIX"],
        "ONESTOP_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    })
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", "127.0.0.1:0",
                               "--log-level", "info", "wsgi:app"], cwd=ROOT, env=env, stderr=subprocess.PIPE,
                              text=True)
    port, booted = None, 0
    deadline = time.monotonic() + 60
    while booted < workers and time.monotonic() < deadline:
        line = server.stderr.readline()
        if not line:
            break
        if "Listening at:" in line:
            port = int(line.rsplit(":", 1)[1].split()[0].rstrip(")"))
        booted += "Booting worker" in line
    threading.Thread(target=server.stderr.read, daemon=True).start()  # keep draining its log
    if port is None or booted < workers:
        server.kill()
        pytest.fail("gunicorn did not start")
    return server, f"http://127.0.0.1:{port}"


def post_json(url: str, body: dict) -> int:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.slow
def test_sixty_guesses_at_once_on_four_gunicorn_workers_check_exactly_ten_passwords(tmp_path):
    """The attack of issue 11: 60 wrong passwords spread over 4 workers against a limit of 10 (39 got through
    with per-worker memory). Shared counters, taken before the password is checked, let exactly 10 be tried."""
    config = configs(tmp_path, "database://", limit="10 per 15 minutes")
    server, base = serve_with_gunicorn(tmp_path, config, workers=4)
    try:
        guess = {"username": "clerk", "password": "wrong"}
        with ThreadPoolExecutor(max_workers=16) as pool:
            answers = Counter(pool.map(lambda _: post_json(f"{base}/api/v1/tokens", guess), range(60)))
        assert answers == Counter({401: 10, 429: 50})
        assert post_json(f"{base}/api/v1/tokens", {"username": "clerk", "password": "demo"}) == 429
        assert post_json(f"{base}/api/v1/tokens", {"username": "officer", "password": "demo"}) == 201
    finally:
        server.terminate()
        server.wait(timeout=30)
        teardown(tmp_path)
