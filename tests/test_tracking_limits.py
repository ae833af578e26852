"""The citizens' limits hold across workers: failed look-ups and complaints sent from one address add up over
gunicorn processes sharing one Redis (ONESTOP_TEST_REDIS_URL; CI sets it, db 15).

Each worker is a separate process with its own app and its own Limiter, as in production.
"""
import json
import os
import subprocess
import sys
import uuid
from datetime import datetime
from pathlib import Path

import pytest

from onestop import create_app, demo
from onestop.extensions import db
from onestop.timeutil import VN
from tests import conftest
from tests.conftest import drop_everything, make_app
from tests.factories import make_procedure, receive

REDIS_URL = os.environ.get("ONESTOP_TEST_REDIS_URL")
ROOT = Path(__file__).resolve().parent.parent
WORKER = """
import json, os, sys
from onestop import create_app
client = create_app(json.loads(os.environ["ONESTOP_WORKER_CONFIG"])).test_client()
codes = []
for method, url, data in json.loads(sys.argv[1]):
    response = client.get(url) if method == "GET" else client.post(url, data=data)
    codes.append(response.status_code)
print(json.dumps(codes))
"""
COMPLAINT = {"about": "agency", "agency_code": "000.00.04.H38", "sender_name": "Lò Văn Páo",
             "sender_contact": "0915222333", "content": "Góp ý về thời gian chờ."}


def worker(config: dict, requests: list) -> list[int]:
    """Requests made by a worker process of its own; the HTTP status of each."""
    env = {**os.environ, "ONESTOP_WORKER_CONFIG": json.dumps(config)}
    done = subprocess.run([sys.executable, "-c", WORKER, json.dumps(requests)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def setup(tmp_path):
    """A database with one application; the config for workers on a given storage."""
    made = {}

    def configure(storage: str):
        extra = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": storage,
                 "RATELIMIT_KEY_PREFIX": f"onestop-test-{uuid.uuid4().hex}",  # runs never share counters
                 "TRACKING_FAILED_LOOKUP_LIMIT": "3 per minute", "COMPLAINT_LIMIT_PER_ADDRESS": "2 per minute",
                 "COMPLAINT_FILES": str(tmp_path / "files")}
        app = make_app(tmp_path, **extra)
        with app.app_context():
            agencies = demo.load_agencies()
            users = demo.load_users(agencies)
            db.session.commit()
            application = receive(users["clerk"], make_procedure(agency=agencies["000.00.04.H38"]),
                                  datetime(2026, 12, 14, 10, 0, tzinfo=VN))
            made["right"] = f"/tra-cuu/{application.code}?k={application.tracking_key}"
            made["wrong"] = f"/tra-cuu/{application.code}?k=ABCD-EFGH-JKMN"
            db.session.remove()
        return conftest.test_config(tmp_path, **extra)

    yield configure, made
    with create_app(conftest.test_config(tmp_path)).app_context():
        drop_everything()


@pytest.mark.skipif(not REDIS_URL, reason="ONESTOP_TEST_REDIS_URL not set (CI sets it)")
def test_failed_look_ups_and_complaints_on_two_workers_add_up_with_redis(setup):
    configure, made = setup
    config = configure(REDIS_URL)
    right, wrong = ("GET", made["right"], None), ("GET", made["wrong"], None)
    assert worker(config, [wrong, wrong]) == [404, 404]  # worker A
    assert worker(config, [wrong, right]) == [404, 429]  # worker B: the third failure spends the budget
    assert worker(config, [right]) == [429]  # worker A as well
    send = ("POST", "/phan-anh", COMPLAINT)
    assert worker(config, [send]) == [302]
    assert worker(config, [send, send]) == [302, 429]


def test_with_memory_storage_each_worker_counts_alone(setup):
    """Why production needs RATELIMIT_STORAGE_URI: in memory, guesses spread over workers are never stopped."""
    configure, made = setup
    config = configure("memory://")
    right, wrong = ("GET", made["right"], None), ("GET", made["wrong"], None)
    assert worker(config, [wrong, wrong]) == [404, 404]
    assert worker(config, [wrong, right]) == [404, 200]
