"""The benchmark cases: each takes (app, agencies, users, folder) and returns result rows."""
import random
import time
from datetime import datetime, timedelta

from onestop.extensions import db
from onestop.timeutil import VN

from .__main__ import summary, timed


def due_dates(app, agencies, users, folder):
    from onestop.calendar.services import load_calendar

    calendar = load_calendar()
    rng = random.Random(1)
    start = datetime(2026, 1, 1, tzinfo=VN)
    moments = [start + timedelta(minutes=rng.randint(0, 365 * 24 * 60)) for _ in range(20000)]
    units = [("working_days", 10), ("calendar_days", 15), ("working_hours", 8), ("same_day", 0)]
    began = time.perf_counter()
    for index, moment in enumerate(moments):
        unit, amount = units[index % 4]
        calendar.due_at(moment, amount, unit)
    per = (time.perf_counter() - began) / len(moments)
    return [summary("due time computed (mixed units)", [per], unit="µs", scale=1e6, note="20,000 moments")]


def catalogue(app, agencies, users, folder):
    from onestop.procedures.demo import load_catalogue

    load_catalogue(agencies)
    db.session.commit()
    return []


def reception(app, agencies, users, folder):
    from onestop.database import begin_write
    from onestop.procedures.models import Procedure
    from onestop.reception import lifecycle, printing, services

    clerk_id = users["clerk"].id
    codes = db.session.scalars(db.select(Procedure.code).where(Procedure.status == "in_force")).all()
    rng = random.Random(2)
    count = 500

    def one(index):
        """One reception as a request makes it: a fresh session, the clerk loaded, one commit."""
        from onestop.auth.models import User

        procedure = db.session.scalar(db.select(Procedure).filter_by(code=rng.choice(codes)))
        data = {
            "procedure_code": procedure.code,
            "applicant": {"kind": "person", "name": "Nguyễn Thị Ngọc Ánh", "id_number": "015190001234",
                          "phone": "0912345678", "address": "Số 12, phường Hồng Hà, Yên Bái"},
            "documents": [d.name for d in procedure.current.documents] or ["Đơn đề nghị"],
        }
        begin_write()
        application, _ = services.receive_application(db.session.get(User, clerk_id), data)
        db.session.commit()
        code = application.code
        db.session.remove()  # as at the end of a request: nothing carries over to the next
        return code

    began = time.perf_counter()
    made = [one(index) for index in range(count)]
    elapsed = time.perf_counter() - began
    rows = [{"name": "applications logged by one process (SQLite)", "unit": "/s", "n": count,
             "mean": round(count / elapsed, 1), "p95": None, "target": None,
             "note": "validation, code, due time, event, audit, commit each"}]

    from onestop.reception.models import Application

    application = db.session.scalar(db.select(Application).filter_by(code=made[-1]))
    first = timed(lambda: printing.render_form(application, "receipt"), 1)
    rows.append(summary("receipt PDF, first in the process (fonts load)", first, target="< 1000 ms"))
    rows.append(summary("receipt PDF", timed(lambda: printing.render_form(application, "receipt"), 50),
                        target="< 1000 ms"))

    began = time.perf_counter()
    differences = list(lifecycle.verify_all())
    elapsed = time.perf_counter() - began
    rows.append({"name": "applications verify (recompute due times)", "unit": "/s", "n": count,
                 "mean": round(count / elapsed, 1), "p95": None, "target": None,
                 "note": f"{len(differences)} differences"})
    return rows


def big_import(app, agencies, users, folder):
    """A 5,000-row CSV (the export format), imported with a dry run and then for real; then search."""
    import csv
    import io

    from onestop.procedures import services, transfer
    from onestop.procedures.demo import CATALOGUE

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(services.EXPORT_FIELDS)
    for index in range(5000):
        code, name, field, agency_code, level, amount, unit, fee, online, documents = CATALOGUE[index % len(CATALOGUE)]
        row = {"code": f"1.{900000 + index:06d}", "status": "in_force", "name": f"{name} (mẫu {index})",
               "field": field, "agency_code": agency_code, "level": level, "time_amount": amount,
               "time_unit": unit, "fee": fee, "online": online, "online_payment": "False", "sets": 1,
               "documents": transfer.document_lines([{"name": n, "kind": k, "copies": c} for n, k, c in documents])}
        writer.writerow([row.get(key, "") for key in services.EXPORT_FIELDS])
    content = buffer.getvalue().encode("utf-8")
    began = time.perf_counter()
    report = transfer.import_catalogue("big.csv", content, dry_run=True)
    dry = time.perf_counter() - began
    db.session.rollback()
    began = time.perf_counter()
    report = transfer.import_catalogue("big.csv", content)
    db.session.commit()
    real = time.perf_counter() - began
    assert len(report.created) == 5000, report.summary()
    rows = [summary("import 5,000-row CSV, dry run", [dry], unit="s", scale=1, target="seconds"),
            summary("import 5,000-row CSV, written and committed", [real], unit="s", scale=1, target="seconds")]
    began = time.perf_counter()
    again = transfer.import_catalogue("big.csv", content)
    db.session.rollback()
    rows.append(summary("re-import the same 5,000 rows (all unchanged)", [time.perf_counter() - began], unit="s",
                        scale=1, note=f"{len(again.unchanged)} unchanged"))
    queries = ["dang ky khai sinh", "ĐĂNG KÝ KẾT HÔN", "chung thuc", "giấy phép xây dựng", "dat dai", "1.001193"]
    rows.append(summary("catalogue search on 5,047 procedures (page of 20)", timed(
        lambda: db.paginate(services.search(q=queries[int(time.perf_counter() * 1000) % len(queries)], public=True),
                            page=1, per_page=20, error_out=False).items, 60)))
    return rows


def http_pages(app, agencies, users, folder):
    """Pages through the test client (no network): the desk and the receipt, as a clerk sees them."""
    from onestop.reception.models import Application

    client = app.test_client()
    assert client.post("/login", data={"username": "clerk", "password": "demo"}).status_code == 302
    code = db.session.scalar(db.select(Application.code).order_by(Application.id.desc()))

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return [
        summary("GET /desk (clerk)", timed(lambda: get("/desk"), 20)),
        summary("GET receipt PDF over HTTP", timed(lambda: get(f"/applications/{code}/forms/receipt.pdf"), 20),
                target="< 1000 ms"),
        summary("GET /thu-tuc?q=khai+sinh (public)", timed(lambda: get("/thu-tuc?q=khai+sinh"), 20)),
    ]


def register(app, agencies, users, folder):
    """The register (sổ theo dõi hồ sơ) of a busy month: 2,000 rows, landscape PDF and Excel."""
    from datetime import date

    from onestop import pdf

    start = datetime(2026, 9, 1, 8, 0, tzinfo=VN)
    rows = []
    for number in range(1, 2001):
        received = start + timedelta(days=number // 100, minutes=4 * (number % 100))
        rows.append({"no": number, "code": f"000.00.01.H38-{received:%y%m%d}-{number:04d}",
                     "procedure": "Đăng ký khai sinh", "applicant": f"Nguyễn Thị Ngọc Ánh {number}",
                     "address_phone": "Số 12, ngõ 34, phường Hồng Hà, thành phố Yên Bái, 0912345678",
                     "lead_agency": "Sở Tư pháp tỉnh Lào Cai", "received_at": received,
                     "due_at": received + timedelta(days=3), "returned_at": None, "delivery_method": "",
                     "signature": ""})
    ctx = {"form_number": "Mẫu số 07", "agency_name": "Sở Tư pháp tỉnh Lào Cai",
           "parent_agency_name": "Ủy ban nhân dân tỉnh Lào Cai", "title": "SỔ THEO DÕI HỒ SƠ", "field": "Hộ tịch",
           "date_from": date(2026, 9, 1), "date_to": date(2026, 9, 30), "rows": rows}
    return [
        summary("register PDF, 2,000 rows", timed(lambda: pdf.render_register_pdf(ctx), 3), unit="s", scale=1.0),
        summary("register Excel, 2,000 rows", timed(lambda: pdf.render_register_xlsx(ctx), 3), unit="s", scale=1.0),
    ]


def tracking(app, agencies, users, folder):
    """The yearly province indicators and the supervisors' board beside hand-written SQL (bench/tracking.py)."""
    from .tracking import case

    return case(app, agencies, users, folder)


def papers(app, agencies, users, folder):
    """Digitised papers checked and stored beside a bare hashed write (bench/papers.py)."""
    from .papers import case

    return case(app, agencies, users, folder)


def online_upload(app, agencies, users, folder):
    """Online submissions through the API (multipart, three 1 MB papers) beside a bare hashed write (bench/online.py)."""
    from .online import upload

    return upload(app, agencies, users, folder)


ALL = [due_dates, catalogue, reception, big_import, register, http_pages, tracking, papers, online_upload]
