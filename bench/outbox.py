"""The outbox's delivery rate (issue 18): `outbox work` delivering dossiers to a local counterpart of the national
portal, beside a bare loop posting the same bodies to the same kind of server from one process, in the same run.

The applications are logged through the API with the portal configured (so the messages are the ones a desk
makes), then delivered by the worker's own loop (`worker.work(once=True)`: lock a batch, post, mark sent, commit).
The reference posts each body with urllib, one after another, nothing else: what any delivery must at least cost.
"""
import json
import random
import sys
import time
import urllib.request
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent


def measure(app, client, headers, count: int = 1000) -> tuple[float, float]:
    """(the worker's rate, the bare loop's rate), messages a second."""
    sys.path.insert(0, str(ROOT))
    from onestop.extensions import db
    from onestop.outbox import portal_client, worker
    from onestop.outbox.models import OutboxMessage
    from onestop.procedures.models import Procedure, ProcedureVersion
    from tests import outside_servers

    codes = db.session.scalars(sa.select(Procedure.code).join(
        ProcedureVersion, ProcedureVersion.id == Procedure.current_version_id).where(
        Procedure.status == "in_force", ProcedureVersion.level == "province")).all()
    rng = random.Random(18)
    portal = outside_servers.serve(outside_servers.Portal())
    saved = {name: app.config.get(name) for name in portal.settings()}
    app.config.update(portal.settings())
    try:
        first = db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(OutboxMessage.id), 0)))
        db.session.remove()
        for _ in range(count):
            body = {"procedure_code": rng.choice(codes), "documents": ["Đơn đề nghị"], "applicant": {
                "name": "Nguyễn Thị Ngọc Ánh", "id_number": "015190001234", "phone": "0912345678",
                "address": "Số 12, phường Yên Bái, tỉnh Lào Cai"}}
            assert client.post("/api/v1/applications", json=body, headers=headers).status_code == 201
        bodies = [(row.key, row.payload) for row in db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.id > first).order_by(OutboxMessage.id))]
        assert len(bodies) == count, f"{len(bodies)} messages queued for {count} applications"
        db.session.remove()
        began = time.perf_counter()
        outcome = worker.work(once=True, limit=50, idle_seconds=0)
        app_rate = count / (time.perf_counter() - began)
        assert outcome["sent"] == count and len(portal.calls) == count, (outcome, len(portal.calls))
    finally:
        outside_servers.stop(portal)
        portal_client.forget_session()
        app.config.update(saved)
    return app_rate, bare_loop_rate(bodies)


def bare_loop_rate(bodies) -> float:
    """The same bodies posted one after another to a fresh counterpart, with a session token got once."""
    from tests import outside_servers

    portal = outside_servers.serve(outside_servers.Portal())
    settings = portal.settings()
    try:
        def post(url, body):
            request = urllib.request.Request(url, data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
                                             method="POST", headers={"Content-Type": "application/json; charset=utf-8"})
            with urllib.request.urlopen(request, timeout=10) as answer:
                return json.loads(answer.read())

        token = post(settings["PORTAL_LOGIN_URL"], {"username": portal.username, "password": portal.password,
                                                    "madonvi": portal.unit})["session"]
        began = time.perf_counter()
        for key, payload in bodies:
            answer = post(settings["PORTAL_DOSSIER_URL"], {"session": token, "madonvi": portal.unit,
                                                          "service": "ThemMoiHoSo", "key": key,
                                                          "data": [payload["body"]]})
            assert answer["error_code"] == 0, answer
        return len(bodies) / (time.perf_counter() - began)
    finally:
        outside_servers.stop(portal)
