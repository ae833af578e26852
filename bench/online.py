"""Online submissions (issue 16): the upload path beside writing the same bytes to disk with hashing, and accepting
a submission beside writing the same rows by hand-written SQL.

- upload: N submissions (200 unless BENCH_ONLINE_SUBMISSIONS says) of 3 papers of about 1 MB each (a PDF, a phone
  photo as JPEG, a PDF), each posted to POST /api/v1/submissions (multipart), every paper different; the reference
  hashes the same bytes and writes each to a file of its own, flushed to disk (fsync) and renamed into place, as
  the store does. Target: ≤ 2× the reference.
- accept (bench/scale.py, at BENCH_SCALE on PostgreSQL): a submission accepted through the API beside the rows it
  writes, by hand-written SQL on the driver's connection, a commit each. Target: ≤ 5× (the counter's reception is
  5.0× its reference).
"""
import hashlib
import io
import json
import os
import random
import tempfile
import time
from pathlib import Path

MB = 1024 * 1024


def photo(rng: random.Random, size: int = MB) -> bytes:
    """A JPEG of noise close to `size` bytes (noise does not compress: the bytes are the photo's own)."""
    from PIL import Image

    side = int((size / 1.6) ** 0.5 / 1.0)
    raw = rng.randbytes(side * side * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), raw).save(out, format="JPEG", quality=92)
    return out.getvalue()


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


FORM = {"applicant": {"name": "Nguyễn Thị Ngọc Ánh", "id_number": "015190001234", "phone": "0912345678",
                      "address": "Số 12, phường Yên Bái, tỉnh Lào Cai"}}


def reference_write(folder: Path, data: bytes) -> None:
    """What storing a paper must do at least: hash it, write it to a file of its own, flush it to disk, rename."""
    sha256 = hashlib.sha256(data).hexdigest()
    target = folder / sha256[:2] / sha256
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, target)


def upload(app, agencies, users, folder):
    """The upload path: POST /api/v1/submissions with three 1 MB papers, beside writing them with hashing."""
    from .__main__ import summary

    count = int(os.environ.get("BENCH_ONLINE_SUBMISSIONS") or 200)
    app.config["FILES_DIR"] = str(folder / "files")
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
