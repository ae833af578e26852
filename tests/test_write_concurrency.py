"""Writes never fail because another desk writes at the same time: the app is served as `make run` serves it
(threads) and as production does (gunicorn, several workers), and a dozen sign-ins, token requests, receptions,
events and catalogue edits arrive at the same moment. Each one succeeds, or gets a 4xx that says why; none a 500."""
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from onestop.extensions import db as _db
from onestop.procedures.models import ProcedureVersion
from tests.factories import make_procedure
from tests.http_clients import Client

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
AT_ONCE = 12


def at_once(calls) -> list:
    """Run the calls in threads released together, as simultaneous requests; their results in order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


@contextmanager
def threaded_server(app):
    """The development server with a thread per request, as `make run` serves."""
    from werkzeug.serving import make_server

    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn_server(database_url: str, instance: Path, workers: int = 4):
    """gunicorn with several worker processes on the same database, as in production."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "concurrency", "ONESTOP_INSTANCE_PATH": str(instance),
           "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"}
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
                                "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if Client(base).get("/thu-tuc", timeout=2).status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(process.stdout.read1().decode() if process.poll() is not None else "gunicorn did not start")
        yield base
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0].decode()
        assert "Traceback" not in output, output


def scenario(base: str, procedure_code: str) -> dict[str, list[int]]:
    """A dozen of each kind of write at the same moment; the statuses answered, by kind."""
    statuses = {}
    browsers = [Client(base) for _ in range(AT_ONCE)]
    forms = [client.form("/login") for client in browsers]
    for fields in forms:
        fields.update(username=["clerk"], password=["demo"])
    signins = at_once([lambda c=c, f=f: c.post("/login", data=f)
                       for c, f in zip(browsers, forms)])
    statuses["sign-in"] = [r.status for r in signins]

    answers = at_once([lambda: Client(base).post("/api/v1/tokens", json_body={"username": "clerk", "password": "demo",
                                                                                "label": "desk script"})
                       for _ in range(AT_ONCE)])
    statuses["token"] = [r.status for r in answers]
    clerks = [Client(base, r.json()["token"]) for r in answers if r.status == 201]

    new = {"procedure_code": procedure_code, "documents": ["Tờ khai"], "sets": 1,
           "applicant": {"kind": "person", "name": "Nguyễn Thị Ngọc Ánh", "id_number": "015190001234",
                         "phone": "0912345678", "address": "Số 12, phường Yên Bái, tỉnh Lào Cai"}}
    answers = at_once([lambda c=c: c.post("/api/v1/applications", json_body=new) for c in clerks])
    statuses["reception"] = [r.status for r in answers]
    codes = [r.json()["code"] for r in answers if r.status == 201]
    statuses["distinct codes"] = [len(set(codes))]

    answers = at_once([lambda c=c, code=code: c.post(f"/api/v1/applications/{code}/events", json_body={"type": "transfer"})
                       for c, code in zip(clerks, codes)])
    statuses["event"] = [r.status for r in answers]
    refusal = {"type": "refuse", "reasons": ["Hồ sơ không thuộc thẩm quyền giải quyết."]}
    answers = at_once([lambda c=c: c.post(f"/api/v1/applications/{codes[0]}/events", json_body=refusal)
                       for c in clerks])  # every desk refuses the same file: one does it, the rest are told why
    statuses["same file"] = sorted(r.status for r in answers)

    admins = [Client(base) for _ in range(8)]
    for admin in admins:
        assert admin.login("admin").status == 302
    edits = []
    for number, admin in enumerate(admins, start=1):
        fields = admin.form(f"/staff/procedures/{procedure_code}/edit")
        fields["name"] = [f"Đăng ký khai sinh (sửa lần {number})"]
        edits.append(lambda a=admin, f=fields: a.post(f"/staff/procedures/{procedure_code}/edit", data=f))
    statuses["catalogue edit"] = [r.status for r in at_once(edits)]
    return statuses


def check(statuses: dict[str, list[int]]) -> None:
    assert statuses["sign-in"] == [302] * AT_ONCE
    assert statuses["token"] == [201] * AT_ONCE
    assert statuses["reception"] == [201] * AT_ONCE
    assert statuses["distinct codes"] == [AT_ONCE]
    assert statuses["event"] == [201] * AT_ONCE
    assert statuses["same file"] == [201] + [409] * (AT_ONCE - 1)
    assert statuses["catalogue edit"] == [302] * 8


@pytest.fixture
def served(app, world, tmp_path):
    code = make_procedure(agency=world.agencies["000.00.04.H38"]).code
    _db.session.remove()
    return {"url": app.config["SQLALCHEMY_DATABASE_URI"], "procedure": code, "instance": tmp_path}


def versions_are_consecutive(procedure_code: str, expected: int) -> None:
    numbers = _db.session.scalars(sa.select(ProcedureVersion.number).join(ProcedureVersion.procedure)
                                  .where(sa.text("procedure.code = :code")).params(code=procedure_code)).all()
    assert sorted(numbers) == list(range(1, expected + 1))


def test_a_dozen_desks_at_once_on_the_threaded_server(app, served):
    from onestop import create_app

    served_app = create_app({"SECRET_KEY": "concurrency", "SQLALCHEMY_DATABASE_URI": served["url"],
                             "PUBLIC_BASE_URL": "http://127.0.0.1"})
    with threaded_server(served_app) as base:
        statuses = scenario(base, served["procedure"])
    check(statuses)
    versions_are_consecutive(served["procedure"], 9)


def test_a_dozen_desks_at_once_on_gunicorn_with_four_workers(app, served):
    with gunicorn_server(served["url"], served["instance"]) as base:
        statuses = scenario(base, served["procedure"])
    check(statuses)
    versions_are_consecutive(served["procedure"], 9)
