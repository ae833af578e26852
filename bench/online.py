"""Online submissions (issue 16): the upload path beside writing the same bytes to disk with hashing, and accepting
a submission beside writing the same rows by hand-written SQL.

- upload: N submissions (200 unless BENCH_ONLINE_SUBMISSIONS says) of 3 papers of about 1 MB each (a PDF, a phone
  photo as JPEG, a PDF), each posted to POST /api/v1/submissions (multipart), every paper different; the reference
  hashes the same bytes and writes each to a file of its own, flushed to disk (fsync) and renamed into place, as
  the store does. Target: ≤ 2× the reference.
- accept (bench/scale.py, at BENCH_SCALE on PostgreSQL): a submission accepted through the API beside the rows it
  writes (the application, its event, the audit row, 3 stored papers with their files and links, the indicators'
  rollup rows and the stage watch, the submission's update and event), by hand-written SQL on the driver's
  connection, a commit each. Target: ≤ 5× (the counter's reception is 5.0× its reference).
"""
import io
import json
import os
import random
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from .papers import MB, photo, reference_write  # the same papers and reference for both cases


def papers(rng: random.Random) -> list[tuple[str, str, bytes]]:
    """Three distinct papers of about 1 MB: a PDF (a scan), a phone photo, another PDF."""
    from onestop import files

    return [("to-khai.pdf", "application/pdf", files.images_to_pdf([photo(rng)])),
            ("IMG_2041.JPG", "image/jpeg", photo(rng)),
            ("can-cuoc.pdf", "application/pdf", files.images_to_pdf([photo(rng)]))]


def online_procedure(agency, code="9.900001"):
    from onestop.extensions import db
    from onestop.procedures.models import Procedure, ProcedureDocument, ProcedureVersion

    procedure = Procedure(code=code, status="in_force")
    version = ProcedureVersion(procedure=procedure, number=1, name="Thủ tục nộp trực tuyến (đo tốc độ)",
                               field="Hộ tịch", level="province", agency=agency, time_amount=3,
                               time_unit="working_days", online="full", search_text=code)
    version.documents = [ProcedureDocument(position=i, name=name, kind="original", copies=1)
                         for i, name in enumerate(("Tờ khai", "Giấy chứng sinh", "Căn cước"))]
    db.session.add_all([procedure, version])
    db.session.flush()
    procedure.current = version
    db.session.commit()
    return procedure


def use_files_dir(app, folder: Path) -> None:
    """Keep the bench's papers in a folder of the run (never the checkout's instance folder)."""
    from onestop.files import storage

    app.config["FILES_DIR"] = str(folder)
    app.extensions.pop(storage.EXTENSION_KEY, None)


FORM = {"applicant": {"name": "Nguyễn Thị Ngọc Ánh", "id_number": "015190001234", "phone": "0912345678",
                      "address": "Số 12, phường Yên Bái, tỉnh Lào Cai"}}


def upload(app, agencies, users, folder):
    """The upload path: POST /api/v1/submissions with three 1 MB papers, beside writing them with hashing."""
    from .__main__ import summary

    count = int(os.environ.get("BENCH_ONLINE_SUBMISSIONS") or 200)
    use_files_dir(app, folder / "files")
    procedure = online_procedure(agencies["000.00.01.H38"])
    rng = random.Random(16)
    batches = [papers(rng) for _ in range(count + 2)]
    client = app.test_client()
    body = json.dumps({**FORM, "procedure_code": procedure.code})

    def request(batch) -> dict:
        """The request as it arrives, encoded before the clock starts (encoding is the sender's work)."""
        from werkzeug.test import EnvironBuilder

        data = {"data": body, **{f"paper.{i}": (io.BytesIO(content), name, mime)
                                 for i, (name, mime, content) in enumerate(batch)}}
        builder = EnvironBuilder(path="/api/v1/submissions", method="POST", data=data,
                                 content_type="multipart/form-data")
        try:
            return builder.get_environ()
        finally:
            builder.close()

    def post(environ):
        response = client.open(environ)
        assert response.status_code == 201, response.get_json()

    for batch in batches[:2]:  # warm
        post(request(batch))
    app_samples, ref_samples = [], []
    reference = folder / "reference-files"
    for batch in batches[2:]:  # each submission, then its reference: both meet the disk in the same state
        environ = request(batch)
        began = time.perf_counter()
        post(environ)
        app_samples.append(time.perf_counter() - began)
        began = time.perf_counter()
        for _name, _mime, content in batch:
            reference_write(reference, content)
        ref_samples.append(time.perf_counter() - began)
    app_total, ref_total = sum(app_samples), sum(ref_samples)
    megabytes = sum(len(c) for batch in batches[2:] for _n, _m, c in batch) / MB
    ratio = app_total / ref_total
    return [
        summary(f"online submission, 3 papers of 1 MB (API, {count} of them)", app_samples,
                note=f"{megabytes:,.0f} MB in all"),
        summary("  reference: the same bytes hashed and written (fsync)", ref_samples),
        {"name": "  upload path ÷ reference", "unit": "×", "n": count, "mean": round(ratio, 2), "p95": None,
         "target": "≤ 2×" + (" yes" if ratio <= 2 else " NO"), "note": ""},
    ]


def submissions_for_accepting(procedure, count: int) -> list[str]:
    """`count` waiting submissions with three small distinct papers each (made by the service, not timed)."""
    from onestop.extensions import db
    from onestop.reception import online

    rng = random.Random(17)
    numbers = []
    for _ in range(count):
        uploads = {position: online.accept_upload(position, [(f"p{position}.jpg", photo(rng, 20_000))])
                   for position in (0, 1, 2)}
        numbers.append(online.submit({**FORM, "procedure_code": procedure.code}, uploads).number)
        db.session.commit()
    return numbers


ACCEPT_SQL = {
    "claim": "UPDATE submission SET state = 'accepted', decided_at = %(t)s WHERE id = %(s)s AND state = 'waiting'",
    "day": ("INSERT INTO daily_sequence (agency_id, day, last_value) VALUES (%(a)s, %(d)s, 1) ON CONFLICT "
            "(agency_id, day) DO UPDATE SET last_value = daily_sequence.last_value + 1 RETURNING last_value"),
    "entry": ("INSERT INTO register_sequence (agency_id, field, year, last_value) VALUES (%(a)s, %(f)s, %(y)s, 1) "
              "ON CONFLICT (agency_id, field, year) DO UPDATE SET last_value = register_sequence.last_value + 1 "
              "RETURNING last_value"),
    "application": (
        "INSERT INTO application (code, agency_id, procedure_id, procedure_version_id, processing_agency_id, "
        "applicant_kind, applicant_name, applicant_id_kind, applicant_id_number, applicant_phone, applicant_address, "
        "channel, documents, sets, return_method, register_entry, received_at, reception_moment, due_at, status, "
        "tracking_key, created_by_id, created_at, papers_digitised, papers_reused) VALUES (%(code)s, %(a)s, %(p)s, "
        "%(v)s, %(a)s, 'person', 'Nguyễn Thị Ngọc Ánh', 'personal_id', '015190001234', '0912345678', 'Số 12', "
        "'online', %(docs)s, 1, 'at_desk', %(e)s, %(t)s, %(t)s, %(t)s, 'received', 'REFERENCEKEY', %(u)s, %(t)s, "
        "true, 0) RETURNING id"),
    "event": ("INSERT INTO application_event (application_id, seq, type, at, recorded_at, user_id, to_status, data) "
              "VALUES (%(i)s, 1, 'receive', %(t)s, %(t)s, %(u)s, 'received', %(data)s)"),
    "audit": ("INSERT INTO audit_log (at, user_id, username, action, object_type, object_id) VALUES "
              "(%(t)s, %(u)s, 'clerk', 'application_received', 'Application', %(code)s)"),
    "paper": ("INSERT INTO stored_paper (holder_id_number, holder_name, kind, source_application_id, created_at, "
              "created_by_id) VALUES ('015190001234', 'Nguyễn Thị Ngọc Ánh', %(kind)s, %(i)s, %(t)s, %(u)s) "
              "RETURNING id"),
    "file": ("INSERT INTO paper_file (paper_id, seq, sha256, name, mimetype, pages, added_at, added_by_id) VALUES "
             "(%(paper)s, 1, %(sha)s, 'p.pdf', 'application/pdf', 1, %(t)s, %(u)s)"),
    "link": ("INSERT INTO application_paper (application_id, position, stored_paper_id, reused, at, user_id) VALUES "
             "(%(i)s, %(pos)s, %(paper)s, false, %(t)s, %(u)s)"),
    "rollup": ("INSERT INTO rollup (grain, procedure_version_id, period, agency_id, received_in_person, "
               "received_online, received_postal, resolved_early, resolved_on_time, resolved_late, returned, refused, "
               "stopped, apologised, supplement_requested, days_sum, d_open, d_paused, d_overdue, "
               "rated_very_satisfied, rated_satisfied, rated_not_satisfied, digitised, results_digitised, "
               "papers_reused, synced) VALUES (%(g)s, %(v)s, %(p)s, %(a)s, 0, %(online)s, 0, 0, 0, 0, 0, 0, 0, 0, 0, "
               "0, %(open)s, 0, %(overdue)s, 0, 0, 0, %(online)s, 0, 0, 0) ON CONFLICT (grain, period, agency_id, "
               "procedure_version_id) DO UPDATE SET received_online = rollup.received_online + "
               "excluded.received_online, d_open = rollup.d_open + excluded.d_open, d_overdue = rollup.d_overdue + "
               "excluded.d_overdue, digitised = rollup.digitised + excluded.digitised"),
    "stage": ("INSERT INTO stage_watch (application_id, agency_id, user_id, unit, since, deadline) VALUES (%(i)s, "
              "%(a)s, NULL, 'Bộ phận một cửa', %(t)s, %(t)s) ON CONFLICT (application_id) DO UPDATE SET "
              "agency_id = excluded.agency_id, since = excluded.since, deadline = excluded.deadline"),
    "noted": "UPDATE submission SET application_id = %(i)s WHERE id = %(s)s",
    "submission_event": ("INSERT INTO submission_event (submission_id, seq, type, at, user_id, from_state, to_state, "
                         "data) VALUES (%(s)s, 2, 'accept', %(t)s, %(u)s, 'waiting', 'accepted', %(data)s)"),
}


def accept_reference(engine, procedure_id: int, count: int) -> float | None:
    """Accepting `count` waiting submissions by hand-written SQL (PostgreSQL): the same rows, a commit each."""
    from onestop.timeutil import VN, now

    from .references import Raw

    raw = Raw(engine)
    if not raw.postgresql:
        raw.connection.close()
        return None
    connection = raw.connection
    cursor = connection.cursor()
    cursor.execute("SELECT s.id, s.agency_id, s.procedure_version_id, v.field FROM submission s JOIN "
                   "procedure_version v ON v.id = s.procedure_version_id WHERE s.state = 'waiting' AND "
                   "s.procedure_id = %s ORDER BY s.id LIMIT %s", (procedure_id, count))
    waiting = cursor.fetchall()
    cursor.execute("SELECT u.id FROM \"user\" u WHERE u.username = 'clerk'")
    user_id = cursor.fetchone()[0]
    cursor.execute("SELECT sha256 FROM submission_paper WHERE submission_id = %s ORDER BY position", (waiting[0][0],))
    shas = [row[0] for row in cursor.fetchall()]
    connection.rollback()
    docs = json.dumps([{"name": n, "kind": "original", "copies": 1} for n in ("Tờ khai", "Giấy chứng sinh", "Căn cước")])
    began = time.perf_counter()
    for submission_id, agency_id, version_id, field in waiting:
        moment = now()
        day = moment.astimezone(VN).date()
        cursor = connection.cursor()
        cursor.execute(ACCEPT_SQL["claim"], {"t": moment, "s": submission_id})
        cursor.execute(ACCEPT_SQL["day"], {"a": agency_id, "d": day})
        number = cursor.fetchone()[0]
        cursor.execute(ACCEPT_SQL["entry"], {"a": agency_id, "f": field, "y": day.year})
        entry = cursor.fetchone()[0]
        code = f"RON-{day:%y%m%d}-{number:05d}"  # kept: the submissions name them
        cursor.execute(ACCEPT_SQL["application"], {"code": code, "a": agency_id, "p": procedure_id, "v": version_id,
                                                   "docs": docs, "e": entry, "t": moment, "u": user_id})
        application_id = cursor.fetchone()[0]
        cursor.execute(ACCEPT_SQL["event"], {"i": application_id, "t": moment, "u": user_id,
                                             "data": json.dumps({"channel": "online", "submission": "TT"})})
        cursor.execute(ACCEPT_SQL["audit"], {"t": moment, "u": user_id, "code": code})
        for position, sha in enumerate(shas):
            cursor.execute(ACCEPT_SQL["paper"], {"kind": "Tờ khai", "i": application_id, "t": moment, "u": user_id})
            paper = cursor.fetchone()[0]
            cursor.execute(ACCEPT_SQL["file"], {"paper": paper, "sha": sha, "t": moment, "u": user_id})
            cursor.execute(ACCEPT_SQL["link"], {"i": application_id, "pos": position, "paper": paper, "t": moment,
                                                "u": user_id})
        # the indicators' counts (a day's and a month's, all procedures and this one; the due day's overdue count)
        # and the stage the application waits at, as the app keeps them
        due_day = day + timedelta(days=4)
        cursor.executemany(ACCEPT_SQL["rollup"], [
            {"g": grain, "v": version, "p": period, "a": agency_id, "online": received, "open": received,
             "overdue": overdue}
            for grain, period, received, overdue in (("d", day, 1, 0), ("d", due_day, 0, 1),
                                                     ("m", day.replace(day=1), 1, 1))
            for version in (0, version_id)])
        cursor.execute(ACCEPT_SQL["stage"], {"i": application_id, "a": agency_id, "t": moment})
        cursor.execute(ACCEPT_SQL["noted"], {"i": application_id, "s": submission_id})
        cursor.execute(ACCEPT_SQL["submission_event"], {"s": submission_id, "t": moment, "u": user_id,
                                                        "data": json.dumps({"application": code})})
        connection.commit()
    rate = len(waiting) / (time.perf_counter() - began)
    connection.close()
    return rate


def accept_compared(app, client, headers, count: int = 100, warm: int = 5):
    """Accepting through the API beside the reference, both at the scale of the database they run on."""
    from onestop.auth.models import User
    from onestop.extensions import db

    import sqlalchemy as sa

    clerk = db.session.scalar(sa.select(User).filter_by(username="clerk"))
    if not app.config.get("FILES_DIR") and app.config.get("FILES_STORAGE", "disk") == "disk":
        use_files_dir(app, Path(tempfile.mkdtemp(prefix="onestop-bench-files-")))
    procedure = online_procedure(clerk.agency, code=f"9.9{int(time.time()) % 100000:05d}")
    numbers = submissions_for_accepting(procedure, warm + 2 * count)
    procedure_id = procedure.id
    db.session.remove()
    for number in numbers[:warm]:
        assert client.post(f"/api/v1/submissions/{number}/accept", headers=headers).status_code == 201
    began = time.perf_counter()
    for number in numbers[warm:warm + count]:
        response = client.post(f"/api/v1/submissions/{number}/accept", headers=headers)
        assert response.status_code == 201, response.get_json()
    app_rate = count / (time.perf_counter() - began)
    return app_rate, accept_reference(db.engine, procedure_id, count)
