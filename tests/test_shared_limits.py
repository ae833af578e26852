"""Sign-in throttling holds across workers: gunicorn processes on several hosts share one Redis.

Runs where ONESTOP_TEST_REDIS_URL names a Redis server (CI sets it); each worker is a separate process.
"""
import json
import os
import subprocess
import sys
import uuid
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


def configs(tmp_path, storage: str) -> dict:
    extra = {"RATELIMIT_ENABLED": True, "LOGIN_LIMIT_PER_ACCOUNT": "3 per minute", "RATELIMIT_STORAGE_URI": storage,
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


def test_with_memory_storage_each_worker_counts_alone(tmp_path):
    """Why production needs RATELIMIT_STORAGE_URI: in-memory counters let an attacker spread guesses over workers."""
    config = configs(tmp_path, "memory://")
    try:
        assert worker(config, [("clerk", "wrong"), ("clerk", "wrong")]) == [200, 200]
        assert worker(config, [("clerk", "wrong"), ("clerk", "demo")]) == [200, 302]
    finally:
        teardown(tmp_path)
