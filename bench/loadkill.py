"""Load and a hard kill: gunicorn under 16 clients logging applications and reading statuses, SIGKILLed mid-load
and restarted, while an outbox worker delivers each reception to a local counterpart of the national portal and is
SIGKILLed too. Afterwards every acknowledged application exists once with its events, each desk's codes of a
day have no gaps, `applications verify` is clean, and every application's dossier reached the portal (a message
cut off by the kill is sent again under the same key; the portal drops the copy).

    python -m bench.loadkill                                  # SQLite, 2 workers, 20 s
    python -m bench.loadkill --database postgresql+psycopg://postgres@127.0.0.1:5432/loadkill --workers 4

Standard library only (plus the app). The database given is emptied first: use one of its own.
"""
import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DESKS = ("clerk", "clerk.yenbai")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def call(method: str, url: str, body: dict | None = None, token: str | None = None, timeout: float = 30):
    """(status, parsed JSON or None); status 0 when the server did not answer (down, reset)."""
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=json.dumps(body).encode() if body is not None else None,
                                     method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read()
            kind = response.headers.get("Content-Type", "")
            return response.status, json.loads(data) if kind.startswith("application/json") else None
    except urllib.error.HTTPError as error:
        return error.code, None
    except (OSError, ValueError):
        return 0, None


class Server:
    """gunicorn in a process group of its own, so a SIGKILL takes the master and every worker at once."""

    def __init__(self, env: dict, workers: int, port: int):
        self.env, self.workers, self.port, self.process = env, workers, port, None
        self.base = f"http://127.0.0.1:{port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}",
             "--log-level", "error", "--graceful-timeout", "5", "wsgi:app"],
            cwd=ROOT, env=self.env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(600):
            if call("GET", self.base + "/thu-tuc", timeout=2)[0] == 200:
                return
            if self.process.poll() is not None:
                raise RuntimeError(self.process.stderr.read().decode())
            time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> str:
        os.killpg(self.process.pid, signal.SIGTERM)
        return self.process.communicate(timeout=60)[1].decode()


def flask(env: dict, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)


def prepare(env: dict) -> list[str]:
    """An empty database migrated, with the demo's agencies, users and catalogue; the procedure codes to use."""
    sys.path.insert(0, str(ROOT))
    from onestop import create_app, demo
    from onestop.extensions import db
    from onestop.procedures.demo import load_catalogue
    from onestop.procedures.models import Procedure, ProcedureVersion

    app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SECRET_KEY": "loadkill",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        db.session.remove()
    result = flask(env, "db", "upgrade")
    if result.returncode:
        raise RuntimeError(result.stderr)
    with app.app_context():
        agencies = demo.load_agencies()
        demo.load_users(agencies)
        load_catalogue(agencies)
        db.session.commit()
        by_level = {}
        for code, level in db.session.execute(
                db.select(Procedure.code, ProcedureVersion.level)
                .join(ProcedureVersion, Procedure.current_version_id == ProcedureVersion.id)):
            by_level.setdefault(level, []).append(code)
        db.session.remove()
        db.engine.dispose()
    return by_level


class OutboxWorker:
    """`flask outbox work` in a process group of its own, killed with SIGKILL like the web server."""

    def __init__(self, env: dict):
        self.env, self.process = env, None

    def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "outbox", "work", "--idle",
                                         "0.2", "--batch", "20"], cwd=ROOT, env=self.env, start_new_session=True,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> str:
        os.killpg(self.process.pid, signal.SIGTERM)
        return self.process.communicate(timeout=60)[1].decode()


class Load:
    """16 clients: each logs applications at its desk and reads the status pages of what it logged."""

    def __init__(self, base: str, procedures: dict[str, list[str]], clients: int):
        self.base, self.procedures, self.clients = base, procedures, clients
        self.acknowledged: dict[str, str] = {}  # code -> tracking url
        self.latency = defaultdict(list)
        self.failures = defaultdict(int)
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def token(self, username: str) -> str:
        while True:
            status, body = call("POST", self.base + "/api/v1/tokens", {"username": username, "password": "demo"})
            if status == 201:
                return body["token"]
            time.sleep(0.2)

    def client(self, number: int) -> None:
        rng = random.Random(number)
        desk = DESKS[number % len(DESKS)]
        codes = self.procedures["province" if desk == "clerk" else "commune"]
        token = self.token(desk)
        mine = []
        while not self.stop.is_set():
            if mine and rng.random() < 0.5:
                url = rng.choice(mine)
                began = time.perf_counter()
                status, _ = call("GET", url.replace("https://onestop.invalid", self.base))
                self.note("status page", status, 200, began)
                continue
            body = {"procedure_code": rng.choice(codes), "documents": ["Đơn đề nghị"], "channel": "in_person",
                    "applicant": {"kind": "person", "name": "Nguyễn Thị Ngọc Ánh", "id_number": "015190001234",
                                  "phone": "0912345678", "address": "Số 12, phường Yên Bái, tỉnh Lào Cai"}}
            began = time.perf_counter()
            status, answer = call("POST", self.base + "/api/v1/applications", body, token)
            if self.note("reception", status, 201, began):
                with self.lock:
                    self.acknowledged[answer["code"]] = answer["tracking_url"]
                mine.append(answer["tracking_url"])

    def note(self, what: str, status: int, expected: int, began: float) -> bool:
        with self.lock:
            if status == expected:
                self.latency[what].append(time.perf_counter() - began)
                return True
            self.failures[f"{what} {status or 'no answer'}"] += 1
        time.sleep(0.05)  # a server that is down is retried, not hammered
        return False

    def run(self, seconds: float, server: Server, outbox: OutboxWorker) -> dict:
        threads = [threading.Thread(target=self.client, args=(number,)) for number in range(self.clients)]
        for thread in threads:
            thread.start()
        began = time.perf_counter()
        time.sleep(seconds / 3)
        outbox.kill()  # in the middle of its deliveries
        outbox.start()
        time.sleep(seconds / 2 - seconds / 3)
        killed_at = time.perf_counter() - began
        server.kill()
        server.start()
        restarted_at = time.perf_counter() - began
        time.sleep(max(seconds - restarted_at, 1))
        self.stop.set()
        for thread in threads:
            thread.join()
        return {"seconds": round(time.perf_counter() - began, 1), "killed_at": round(killed_at, 1),
                "down_for": round(restarted_at - killed_at, 1)}


def percentiles(samples: list[float]) -> dict:
    if not samples:
        return {"n": 0}
    ordered = sorted(samples)
    pick = lambda q: round(ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000, 1)  # noqa: E731
    return {"n": len(ordered), "p50_ms": pick(0.50), "p95_ms": pick(0.95), "p99_ms": pick(0.99),
            "mean_ms": round(statistics.fmean(ordered) * 1000, 1)}


def check_outbox(env: dict, portal) -> dict:
    """Drain what is left, then: every application's reception reached the portal, nothing waits or is held."""
    from onestop import create_app
    from onestop.extensions import db
    from onestop.outbox.models import OutboxMessage
    from onestop.reception.models import Application

    drained = flask(env, "outbox", "work", "--once")
    app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SECRET_KEY": "loadkill"})
    with app.app_context():
        states = dict(db.session.execute(db.select(OutboxMessage.state, db.func.count())
                                         .group_by(OutboxMessage.state)).all())
        keys = set(db.session.scalars(db.select(OutboxMessage.key)))
        applications = db.session.scalar(db.select(db.func.count()).select_from(Application))
        db.session.remove()
        db.engine.dispose()
    arrived = set(portal.keys_seen)
    return {"outbox_states": states, "outbox_messages": len(keys), "outbox_applications": applications,
            "outbox_not_arrived": len(keys - arrived), "outbox_copies_dropped_by_key": len(portal.keys_seen) - len(arrived),
            "outbox_field_problems": len(portal.problems), "outbox_drain_ok": drained.returncode == 0}


def check(env: dict, acknowledged: dict[str, str]) -> dict:
    """Every acknowledged application once, with its reception event; no gap in any desk's day; verify clean."""
    from onestop import create_app
    from onestop.extensions import db
    from onestop.reception.models import Application, ApplicationEvent

    app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SECRET_KEY": "loadkill"})
    with app.app_context():
        stored = defaultdict(int)
        for code in db.session.scalars(db.select(Application.code)):
            stored[code] += 1
        missing = sorted(code for code in acknowledged if stored.get(code) != 1)
        duplicated = sorted(code for code, count in stored.items() if count > 1)
        without_events = db.session.scalar(
            db.select(db.func.count()).select_from(Application)
            .where(~db.exists().where(ApplicationEvent.application_id == Application.id,
                                      ApplicationEvent.type == "receive")))
        days = defaultdict(list)
        for code in stored:
            prefix, number = code.rsplit("-", 1)
            days[prefix].append(int(number))
        gaps = {prefix: sorted(set(range(1, max(numbers) + 1)) - set(numbers))
                for prefix, numbers in days.items() if sorted(numbers) != list(range(1, len(numbers) + 1))}
        total = len(stored)
        db.session.remove()
        db.engine.dispose()
    verify = flask(env, "applications", "verify")
    return {"stored": total, "acknowledged": len(acknowledged), "missing": missing, "duplicated": duplicated,
            "without_reception_event": without_events, "gaps": gaps,
            "verify_clean": verify.returncode == 0, "verify_output": verify.stdout.strip()[-500:]}


def run(database: str | None = None, workers: int = 2, clients: int = 16, seconds: float = 20) -> dict:
    instance = Path(tempfile.mkdtemp(prefix="onestop-loadkill-"))
    url = database or f"sqlite:///{instance / 'loadkill.db'}"
    port = free_port()
    # The status-page clients stand for many citizens but all come from 127.0.0.1: the per-address look-up limit
    # (120 per 10 minutes) would answer nearly all of them 429 and measure the limiter, not the page.
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "loadkill", "ONESTOP_INSTANCE_PATH": str(instance),
           "PUBLIC_BASE_URL": "https://onestop.invalid", "ONESTOP_TRACKING_LOOKUP_LIMIT": "1000000 per minute"}
    from tests import outside_servers

    portal = outside_servers.serve(outside_servers.Portal())
    env.update({f"ONESTOP_{name}": value for name, value in portal.settings().items()})
    env["ONESTOP_OUTBOX_RETRY_SECONDS"] = "1,1,1,1,1,1,1,1,1,1"
    procedures = prepare(env)
    server = Server(env, workers, port)
    server.start()
    outbox = OutboxWorker(env)
    outbox.start()
    load = Load(server.base, procedures, clients)
    timing = load.run(seconds, server, outbox)
    errors = server.stop()
    outbox_errors = outbox.stop()
    report = {
        "database": url.split("://", 1)[0], "workers": workers, "clients": clients, **timing,
        "receptions_per_second": round(len(load.latency["reception"]) / timing["seconds"], 1),
        "status_pages_per_second": round(len(load.latency["status page"]) / timing["seconds"], 1),
        "reception": percentiles(load.latency["reception"]),
        "status_page": percentiles(load.latency["status page"]),
        "failed_requests": dict(load.failures),  # mostly while the server was down (no answer)
        "server_errors_logged": "Traceback" in errors or "Traceback" in outbox_errors,
        "errors_tail": (errors + outbox_errors)[-1500:] if "Traceback" in errors + outbox_errors else "",
        **check(env, load.acknowledged),
        **check_outbox(env, portal),
    }
    outside_servers.stop(portal)
    report["ok"] = (not report["missing"] and not report["duplicated"] and not report["gaps"]
                    and report["without_reception_event"] == 0 and report["verify_clean"]
                    and not report["server_errors_logged"]
                    and report["outbox_states"] == {"sent": report["outbox_applications"]}
                    and report["outbox_not_arrived"] == 0 and report["outbox_field_problems"] == 0
                    and report["outbox_drain_ok"]
                    and not any(key.split()[-1].startswith("5") for key in load.failures))
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="SQLAlchemy URL of a database of its own (emptied first); default SQLite")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (4 on PostgreSQL, 2 on SQLite)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    workers = args.workers or (4 if args.database and args.database.startswith("postgres") else 2)
    report = run(args.database, workers, args.clients, args.seconds)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
