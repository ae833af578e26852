"""A province of applications (issue 10): each operation of the app beside a reference for the same answer,
measured in the same run, medians of 21.

References: hand-written SQL on the driver's own connection for the lists (the same page, the same columns);
a bare Flask route for the status page; hand-written SQL writes for logging an application; one reportlab page in
the same font for the receipt; a hand-written streaming writer (plain SQL from a server-side cursor into a
write-only sheet) for the register, each export in a process of its own so its peak memory is its own.
"""
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

from .references import Raw, add_reference_routes

REPEAT = 21
ROOT = Path(__file__).resolve().parent.parent
OPEN_RUNNING = "('received', 'transferred', 'processing')"
AT_PROCESSING = "('transferred', 'processing', 'waiting_supplement')"
LIST_COLUMNS = """a.id, a.code, a.status, p.code, v.name, v.number, ag.code, pa.code, a.applicant_kind,
    a.applicant_name, a.applicant_id_number, a.applicant_phone, a.applicant_email, a.applicant_address, a.channel,
    a.documents, a.sets, a.received_at, a.due_at, a.apology_due_at, a.result_at, a.returned_at, a.tracking_key"""
LIST_FROM = """application a JOIN procedure p ON p.id = a.procedure_id
    JOIN procedure_version v ON v.id = a.procedure_version_id JOIN agency ag ON ag.id = a.agency_id
    LEFT JOIN agency pa ON pa.id = a.processing_agency_id"""


def samples_ms(fn, repeat: int = REPEAT, warm: int = 2) -> list[float]:
    """Each of `repeat` timed calls in ms, after `warm` untimed ones."""
    for _ in range(warm):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def median_ms(fn, repeat: int = REPEAT, warm: int = 2) -> float:
    return statistics.median(samples_ms(fn, repeat, warm))


def compared(name, app, reference, *, unit="ms", most_ratio=None, most=None, least=None, note="", higher_better=False):
    """A result row: the app's figure beside its reference, the ratio, the target and whether it is met."""
    ratio = (reference / app if higher_better else app / reference) if app and reference else None
    checks = []
    if most_ratio is not None and ratio is not None:
        checks.append(ratio <= most_ratio)
    if most is not None:
        checks.append(app <= most)
    if least is not None:
        checks.append(app >= least)
    target = " and ".join(part for part in (
        f"≤ {most_ratio}× reference" if most_ratio else "", f"≤ {most} {unit}" if most is not None else "",
        f"≥ {least} {unit}" if least is not None else "") if part)
    return {"name": name, "unit": unit, "app": round(app, 3) if app is not None else None,
            "reference": round(reference, 3) if reference is not None else None,
            "ratio": round(ratio, 2) if ratio is not None else None, "target": target,
            "ok": all(checks) if checks else None, "note": note}


class Scale:
    def __init__(self, app, count: int, migrate: bool):
        self.app, self.count, self.migrate = app, count, migrate
        self.client = app.test_client()
        self.results: list[dict] = []
        self.reference: dict = {}  # the list the reference routes serve now: raw, sql, params, per_page
        add_reference_routes(app, self.reference)

    # ------------------------------------------------------------ set-up

    def seed(self) -> None:
        """Migrate, and seed `count` applications unless the database already holds a --scale province."""
        from onestop import demo_scale
        from onestop.extensions import db
        from onestop.settings import Setting

        if self.migrate:
            from flask_migrate import upgrade

            upgrade(directory=str(ROOT / "migrations"))
        marker = db.session.get(Setting, demo_scale.MARKER)
        seeded_now = marker is None
        if seeded_now:
            demo_scale.scale(self.count)  # its progress on stderr: a bar on a terminal, lines in a log
            marker = db.session.get(Setting, demo_scale.MARKER)
        value = marker.value
        self.results.append(compared(
            f"seed {value['applications']:,} applications (demo --scale)", value["seconds"] / 60, None, unit="min",
            most=10, note=("now" if seeded_now else "as recorded when seeded") + f", seed {value['seed']}"))
        db.session.remove()

    def tokens(self) -> None:
        from onestop.auth import services
        from onestop.auth.models import User
        from onestop.extensions import db

        self.headers = {}
        for username in ("supervisor", "clerk", "officer"):
            user = db.session.scalar(sa.select(User).filter_by(username=username))
            self.headers[username] = {"Authorization": f"Bearer {services.issue_token(user, label='bench')}"}
        db.session.commit()

    # ------------------------------------------------------------ lists

    def page_cursor(self, raw: Raw, sql_keys: str, offset: int, **params):
        """The cursor that follows row `offset` (0-based) of a list, as its next-page link would carry it."""
        from onestop import paging

        found = raw.rows(f"{sql_keys} LIMIT 1 OFFSET {offset}", **params)
        if not found:
            return None
        value, key = found[0]
        if isinstance(value, str):
            value = datetime.fromisoformat(value).replace(tzinfo=timezone.utc)
        return paging.encode([value, key])

    def list_case(self, raw: Raw, label: str, url: str, headers, order_key: str, where: str, order: str,
                  per_page: int, page: int, count_sql_keys: str, html: bool = False, **params):
        """The app's page `page` of a list beside the same page by hand-written SQL."""
        cursor = None
        if page > 1:
            cursor = self.page_cursor(raw, count_sql_keys, (page - 1) * per_page - 1, **params)
            if cursor is None:
                return None
        comparison, bound = ">" if order == "ASC" else "<", {}
        keyset = ""
        if cursor is not None:
            from onestop import paging

            value, key = json.loads(paging.base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
            bound = {"k1": datetime.fromisoformat(value), "k2": key}
            keyset = f" AND ({order_key}, a.id) {comparison} (%(k1)s, %(k2)s)"
        sql = (f"SELECT {LIST_COLUMNS} FROM {LIST_FROM} WHERE {where}{keyset} "
               f"ORDER BY {order_key} {order}, a.id {order} LIMIT {per_page + 1}")
        full_url = url + (("&" if "?" in url else "?") + f"after={cursor}" if cursor else "")

        def app_page():
            response = self.client.get(full_url, headers=headers or {})
            assert response.status_code == 200, (full_url, response.status_code)
            return response

        expected = raw.rows(sql, **params, **bound)
        shown = app_page()
        codes = [row[1] for row in expected[:per_page]]
        if html:
            text = shown.get_data(as_text=True)
            assert all(code in text for code in codes), label
        else:
            assert [item["code"] for item in shown.get_json()["items"]] == codes, label
        self.reference.update(raw=raw, sql=sql, params=dict(params, **bound), per_page=per_page)
        reference_url = "/bench/reference/" + ("inbox" if html else "applications")

        def reference_page():
            response = self.client.get(reference_url, headers=headers or {})
            assert response.status_code == 200, (reference_url, response.status_code)
            return response

        reference_page()
        app_ms = median_ms(app_page)
        route_ms = median_ms(reference_page)
        sql_ms = median_ms(lambda: raw.rows(sql, **params, **bound))
        return compared(f"{label}, page {page}", app_ms, route_ms, most_ratio=3, most=20,
                        note=f"{len(codes)} rows; reference: the same route (sign-in, template or JSON) serving the "
                             f"page from hand-written SQL, {sql_ms:.2f} ms of it the SQL")

    def lists(self) -> None:
        from onestop.auth.models import Agency
        from onestop.extensions import db
        from onestop.timeutil import now

        raw = Raw(db.engine)
        at = now()
        centre = db.session.scalar(sa.select(Agency.id).filter_by(code="000.00.01.H38"))
        justice = db.session.scalar(sa.select(Agency.id).filter_by(code="000.00.04.H38"))
        cases = [
            ("API list (supervisor, every agency)", "/api/v1/applications", self.headers["supervisor"],
             "a.received_at", "TRUE", "DESC", 50, {}),
            ("API list ?due=overdue (supervisor)", "/api/v1/applications?due=overdue", self.headers["supervisor"],
             "a.due_at", f"a.status IN {OPEN_RUNNING} AND a.due_at < %(now)s", "ASC", 50, {"now": at}),
            ("API list (clerk of the province's centre)", "/api/v1/applications", self.headers["clerk"],
             "a.received_at", f"(a.agency_id = {centre} OR a.processing_agency_id = {centre})", "DESC", 50, {}),
            ("inbox (officer, Sở Tư pháp)", "/inbox", None, "a.due_at",
             f"a.status IN {AT_PROCESSING} AND a.processing_agency_id = {justice}", "ASC", 30, {}),
            ("inbox ?due=overdue (supervisor)", "/inbox?due=overdue", None, "a.due_at",
             f"a.status IN {OPEN_RUNNING} AND a.due_at < %(now)s", "ASC", 30, {"now": at}),
        ]
        for label, url, headers, order_key, where, order, per_page, params in cases:
            html = url.startswith("/inbox")
            if html:
                self.client.post("/logout")
                user = "officer" if "officer" in label else "supervisor"
                assert self.client.post("/login", data={"username": user, "password": "demo"}).status_code == 302
            keys_sql = f"SELECT {order_key}, a.id FROM application a WHERE {where} ORDER BY {order_key} {order}, a.id {order}"
            total = raw.rows(f"SELECT count(*) FROM application a WHERE {where}", **params)[0][0]
            last_page = max((total + per_page - 1) // per_page, 1)
            for page in sorted({1, min(200, last_page)}):
                found = self.list_case(raw, label, url, headers, order_key, where, order, per_page, page, keys_sql,
                                       html=html, **params)
                if found:
                    found["note"] += f"; {total:,} in the list"
                    self.results.append(found)
        self.client.post("/logout")
        raw.connection.close()

    # ------------------------------------------------------------ the rest

    def status_page(self, files: int = 101) -> None:
        """The status page asked again for one file (kept in the worker: pagecache), and on a different file each
        request as citizens ask (one indexed look-up and one template), each beside a bare Flask route."""
        from flask import Flask

        from onestop.extensions import db
        from onestop.reception import keys
        from onestop.reception.models import Application

        code, key = db.session.execute(sa.select(Application.code, Application.tracking_key).where(
            Application.status == "returned").order_by(Application.id.desc()).limit(1)).one()
        last = db.session.scalar(sa.select(sa.func.max(Application.id)))
        ids = random.Random(21).sample(range(1, last + 1), min(last, 2 * (files + 2)))
        drawn = db.session.execute(sa.select(Application.code, Application.tracking_key).where(
            Application.id.in_(ids))).all()
        random.Random(22).shuffle(drawn)
        db.session.remove()
        url = f"/tra-cuu/{code}?k={keys.grouped(key)}"
        assert self.client.get(url).status_code == 200
        bare = Flask("bare")
        bare.add_url_rule("/tra-cuu/<code>", "status", lambda code: f"<p>{code}</p>")
        bare_client = bare.test_client()
        app_ms = median_ms(lambda: self.client.get(url))
        bare_ms = median_ms(lambda: bare_client.get(url))
        self.results.append(compared("status page /tra-cuu/<code>, the same file again", app_ms, bare_ms,
                                     most_ratio=3, note="kept in the worker; reference: a bare Flask route"))

        urls = [f"/tra-cuu/{row.code}?k={keys.grouped(row.tracking_key)}" for row in drawn[:files + 2]]
        assert len(urls) == files + 2, "fewer applications than files to ask for"

        def each(client, check=False):
            remaining = iter(urls)

            def one():
                response = client.get(next(remaining))
                assert not check or response.status_code == 200, response.status_code
            return one

        app_ms = median_ms(each(self.client, check=True), repeat=files)
        bare_ms = median_ms(each(bare_client), repeat=files)
        self.results.append(compared("status page /tra-cuu/<code>, a different file each time", app_ms, bare_ms,
                                     most_ratio=5, note=f"{files} files drawn at random; reference: a bare Flask "
                                                        f"route on the same addresses"))

    def logging(self, count: int = 200, warm: int = 5) -> None:
        from onestop.extensions import db
        from onestop.procedures.models import Procedure, ProcedureVersion

        codes = db.session.scalars(sa.select(Procedure.code).join(
            ProcedureVersion, ProcedureVersion.id == Procedure.current_version_id).where(
            Procedure.status == "in_force", ProcedureVersion.level == "province")).all()
        rng = random.Random(10)
        bodies = [{"procedure_code": rng.choice(codes), "documents": ["Đơn đề nghị"], "applicant": {
            "name": "Nguyễn Thị Ngọc Ánh", "id_number": "015190001234", "phone": "0912345678",
            "address": "Số 12, phường Yên Bái, tỉnh Lào Cai"}} for _ in range(warm + count)]
        db.session.remove()
        headers = self.headers["clerk"]
        for body in bodies[:warm]:  # warm, as every other case is: the first statements of a process are compiled
            assert self.client.post("/api/v1/applications", json=body, headers=headers).status_code == 201
        began = time.perf_counter()
        for body in bodies[warm:]:
            response = self.client.post("/api/v1/applications", json=body, headers=headers)
            assert response.status_code == 201, response.get_json()
        app_rate = count / (time.perf_counter() - began)
        sql_rate = self.logging_reference(count)
        self.results.append(compared("logging an application through the API (one process)", app_rate, sql_rate,
                                     unit="/s", least=200, higher_better=True,
                                     note="reference: the same rows written by hand-written SQL, a commit each"))

    def logging_reference(self, count: int) -> float:
        from onestop.auth.models import User
        from onestop.extensions import db
        from onestop.procedures.models import Procedure
        from onestop.timeutil import VN, now

        clerk = db.session.scalar(sa.select(User).filter_by(username="clerk"))
        procedure = db.session.scalar(sa.select(Procedure).filter_by(status="in_force"))
        agency_id, user_id, version = clerk.agency_id, clerk.id, procedure.current
        version_id, procedure_id, field = version.id, procedure.id, version.field
        db.session.remove()
        raw = Raw(db.engine)
        connection = raw.connection
        day = now().astimezone(VN).date()
        if raw.postgresql:
            upsert = ("INSERT INTO daily_sequence (agency_id, day, last_value) VALUES (%(a)s, %(d)s, 1) ON CONFLICT "
                      "(agency_id, day) DO UPDATE SET last_value = daily_sequence.last_value + 1 RETURNING last_value")
            upsert_register = ("INSERT INTO register_sequence (agency_id, field, year, last_value) VALUES "
                               "(%(a)s, %(f)s, %(y)s, 1) ON CONFLICT (agency_id, field, year) DO UPDATE SET "
                               "last_value = register_sequence.last_value + 1 RETURNING last_value")
            insert = ("INSERT INTO application (code, agency_id, procedure_id, procedure_version_id, "
                      "processing_agency_id, applicant_kind, applicant_name, applicant_id_number, channel, documents, "
                      "sets, return_method, register_entry, received_at, reception_moment, due_at, status, "
                      "tracking_key, created_by_id, created_at) VALUES (%(code)s, %(a)s, %(p)s, %(v)s, %(a)s, 'person', "
                      "'Nguyễn Thị Ngọc Ánh', '015190001234', 'in_person', '[]', 1, 'at_desk', %(e)s, %(t)s, %(t)s, "
                      "%(t)s, 'received', 'REFERENCEKEY', %(u)s, %(t)s) RETURNING id")
            event = ("INSERT INTO application_event (application_id, seq, type, at, recorded_at, user_id, to_status) "
                     "VALUES (%(i)s, 1, 'receive', %(t)s, %(t)s, %(u)s, 'received')")
            audit = ("INSERT INTO audit_log (at, user_id, username, action, object_type, object_id) VALUES "
                     "(%(t)s, %(u)s, 'clerk', 'application_received', 'Application', %(code)s)")
        else:
            return None
        began = time.perf_counter()
        for _ in range(count):
            moment = now()
            cursor = connection.cursor()
            cursor.execute(upsert, {"a": agency_id, "d": day})
            number = cursor.fetchone()[0]
            cursor.execute(upsert_register, {"a": agency_id, "f": field, "y": day.year})
            entry = cursor.fetchone()[0]
            code = f"REF-{day:%y%m%d}-{number:05d}"
            cursor.execute(insert, {"code": code, "a": agency_id, "p": procedure_id, "v": version_id, "e": entry,
                                    "t": moment, "u": user_id})
            application_id = cursor.fetchone()[0]
            cursor.execute(event, {"i": application_id, "t": moment, "u": user_id})
            cursor.execute(audit, {"t": moment, "u": user_id, "code": code})
            connection.commit()
        rate = count / (time.perf_counter() - began)
        connection.rollback()
        cursor = connection.cursor()  # the reference's rows go again: only the app's files stay
        cursor.execute("DELETE FROM application_event WHERE application_id IN "
                       "(SELECT id FROM application WHERE code LIKE 'REF-%%')")
        cursor.execute("DELETE FROM application WHERE code LIKE 'REF-%%'")
        cursor.execute("SELECT setval('application_id_seq', (SELECT max(id) FROM application))")
        connection.commit()
        connection.close()
        return rate

    def online_accept(self, count: int = 100) -> None:
        """Accepting an online submission (issue 16) beside the same rows by hand-written SQL."""
        from .online import accept_compared

        app_rate, sql_rate = accept_compared(self.app, self.client, self.headers["clerk"], count)
        self.results.append(compared("accepting an online submission through the API", app_rate, sql_rate,
                                     unit="/s", most_ratio=5, higher_better=True,
                                     note="reference: the same rows (application, event, audit, 3 papers, "
                                          "submission) by hand-written SQL, a commit each"))

    def receipt(self) -> None:
        import io

        from reportlab.lib.pagesizes import A4
        from reportlab.pdfgen.canvas import Canvas

        from onestop.extensions import db
        from onestop.pdf.fonts import REGULAR, register_fonts
        from onestop.reception import printing
        from onestop.reception.models import Application

        application = db.session.scalar(sa.select(Application).order_by(Application.id.desc()).limit(1))
        register_fonts()

        def one_page():
            buffer = io.BytesIO()
            canvas = Canvas(buffer, pagesize=A4)
            canvas.setFont(REGULAR, 13)
            for number, line in enumerate(["GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", f"Mã hồ sơ: {application.code}",
                                           f"Tiếp nhận hồ sơ của: {application.applicant_name}"]):
                canvas.drawString(72, 800 - 20 * number, line)
            canvas.showPage()
            canvas.save()
            return buffer.getvalue()

        app_ms = median_ms(lambda: printing.render_form(application, "receipt"))
        page_ms = median_ms(one_page)
        self.results.append(compared("receipt PDF", app_ms, page_ms, most=15,
                                     note="reference: one reportlab page in the same font"))
        db.session.remove()

    def register(self, rows: int = 50_000) -> None:
        """The supervisor's register of the most recent days that hold about `rows` applications."""
        from onestop.extensions import db
        from onestop.reception.models import Application
        from onestop.timeutil import VN, now

        today = now().astimezone(VN).date()
        total, start = 0, today
        while total < rows and start > today - timedelta(days=400):
            start -= timedelta(days=7)
            begin = datetime.combine(start, datetime.min.time(), VN)
            total = db.session.scalar(sa.select(sa.func.count()).where(Application.received_at >= begin))
        db.session.remove()
        url = self.app.config["SQLALCHEMY_DATABASE_URI"]
        if not url.startswith("postgresql"):
            return
        found = {}
        for mode in ("app", "reference"):
            done = subprocess.run([sys.executable, "-m", "bench.register_child", mode, url, start.isoformat(),
                                   today.isoformat()], cwd=ROOT, capture_output=True, text=True, check=True)
            found[mode] = json.loads(done.stdout.strip().splitlines()[-1])
        self.results.append(compared(f"register to Excel, {total:,} rows", found["app"]["seconds"],
                                     found["reference"]["seconds"], unit="s", most_ratio=1.5,
                                     note=f"{found['app']['bytes']:,} bytes; reference: a hand-written streaming "
                                          f"writer"))
        self.results.append(compared(f"register to Excel, {total:,} rows: peak memory (RSS)",
                                     found["app"]["peak_mb"], found["reference"]["peak_mb"], unit="MB", most=150,
                                     note="each export in a process of its own"))

    def run(self) -> list[dict]:
        from onestop.extensions import db

        self.seed()
        self.tokens()
        self.lists()
        self.status_page()
        self.receipt()
        self.logging()
        db.session.remove()
        self.online_accept()
        self.outbox()
        db.session.remove()
        self.register()
        db.session.remove()
        self.index766()
        return self.results

    def index766(self) -> None:
        """Decision 766: the province and all its units for last year, from the rollups (bench/index766.py)."""
        from onestop.extensions import db
        from onestop.timeutil import local, now

        from .index766 import compared_rows, measure

        year = local(now()).year - 1
        self.results += compared_rows(measure(year), year)
        db.session.remove()

    def outbox(self, count: int = 1000) -> None:
        from .outbox import measure

        app_rate, loop_rate = measure(self.app, self.client, self.headers["clerk"], count)
        self.results.append(compared(f"outbox work: {count:,} dossiers to a local portal counterpart", app_rate,
                                     loop_rate, unit="/s", most_ratio=3, higher_better=True,
                                     note="reference: a bare loop posting the same bodies from one process"))


def print_scale(results: list[dict], load_before, load_after) -> None:
    header = f"{'operation':<58} {'app':>10} {'reference':>10} {'ratio':>6} {'unit':<4}  {'target':<30} ok"
    print(header)
    print("-" * len(header))
    for row in results:
        ok = {True: "yes", False: "NO", None: ""}[row["ok"]]
        show = lambda value: "" if value is None else value  # noqa: E731
        print(f"{row['name']:<58} {show(row['app']):>10} {show(row['reference']):>10} {show(row['ratio']):>6} "
              f"{row['unit']:<4}  {row['target']:<30} {ok}")
    print(f"\nload average (1, 5, 15 min): before {load_before}, after {load_after}")


def loadavg() -> tuple:
    return tuple(round(value, 2) for value in os.getloadavg())
