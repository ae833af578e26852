"""One register export in a process of its own, so its peak memory is its own: `python -m bench.register_child
app|reference <database url> <from> <to>` prints {"seconds", "rows", "bytes", "peak_mb"} as JSON.

app: the API's /api/v1/register.xlsx as the province's supervisor. reference: a hand-written streaming writer,
the same rows by plain SQL from a server-side cursor into openpyxl's write-only sheet, values only.
"""
import json
import resource
import sys
import tempfile
import time
from datetime import date, datetime, time as day_time, timedelta
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")
REFERENCE_SQL = """
SELECT a.code, v.name, a.applicant_name, a.applicant_address, a.applicant_phone, coalesce(pa.name, ag.name),
       a.received_at, coalesce(a.apology_due_at, a.due_at), a.returned_at, a.return_method
FROM application a
JOIN procedure_version v ON v.id = a.procedure_version_id
JOIN agency ag ON ag.id = a.agency_id
LEFT JOIN agency pa ON pa.id = a.processing_agency_id
WHERE a.received_at >= %(start)s AND a.received_at < %(end)s
ORDER BY a.received_at, a.code
"""


def reference(url: str, start: date, end: date) -> tuple[float, int, int]:
    import psycopg
    from openpyxl import Workbook

    clock = time.perf_counter()
    begin, finish = datetime.combine(start, day_time(0), VN), datetime.combine(end, day_time(0), VN) + timedelta(days=1)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sổ theo dõi hồ sơ")
    rows = 0
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        with connection.cursor(name="register") as cursor:
            cursor.itersize = 2000
            cursor.execute(REFERENCE_SQL, {"start": begin, "end": finish})
            for code, name, applicant, address, phone, agency, received, due, returned, method in cursor:
                rows += 1
                sheet.append([rows, code, name, applicant, ", ".join(p for p in (address, phone) if p), agency,
                              received.astimezone(VN).replace(tzinfo=None), due.astimezone(VN).replace(tzinfo=None),
                              returned.astimezone(VN).replace(tzinfo=None) if returned else None,
                              method if returned else "", ""])
    with tempfile.TemporaryFile() as out:
        workbook.save(out)
        return time.perf_counter() - clock, rows, out.tell()


def app(url: str, start: date, end: date) -> tuple[float, int, int]:
    import openpyxl  # noqa: F401  (imported before the clock, as the app has it loaded)

    from onestop import create_app
    from onestop.auth.models import User
    from onestop.extensions import db

    application = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                              "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False,
                              "PUBLIC_BASE_URL": "https://motcua.example.vn"})
    client = application.test_client()
    with application.app_context():
        from onestop.auth import services

        supervisor = db.session.scalar(db.select(User).filter_by(username="supervisor"))
        token = services.issue_token(supervisor, label="bench register")
        db.session.commit()
    clock = time.perf_counter()
    response = client.get(f"/api/v1/register.xlsx?from={start}&to={end}", headers={"Authorization": f"Bearer {token}"},
                          buffered=False)
    assert response.status_code == 200, response.get_data(as_text=True)
    size = sum(len(chunk) for chunk in response.response)
    response.close()
    return time.perf_counter() - clock, -1, size


def high_water_mb() -> float:
    """This process's peak resident memory (VmHWM: getrusage's maxrss would carry the parent's over exec)."""
    for line in open("/proc/self/status", encoding="ascii"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    mode, url, start, end = sys.argv[1], sys.argv[2], date.fromisoformat(sys.argv[3]), date.fromisoformat(sys.argv[4])
    if mode == "app":
        sys.path.insert(0, ".")
    seconds, rows, size = (app if mode == "app" else reference)(url, start, end)
    peak = high_water_mb()
    print(json.dumps({"seconds": round(seconds, 3), "rows": rows, "bytes": size, "peak_mb": round(peak, 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
