"""Storing digitised papers (issue 16): 200 submissions of 3 papers of about 1 MB (two scanned PDFs and a phone
photo), each checked by content (onestop.files.check_upload) and kept by its SHA-256 (files.store: an atomic write
and its database row), beside writing the same bytes to disk with hashing (sha256, temporary file, fsync, rename)
in the same run. Target: within 2x."""
import hashlib
import os
import random
import shutil
import tempfile
import time
from io import BytesIO
from pathlib import Path

SUBMISSIONS, PAPERS = 200, 3
MB = 1024 * 1024


def photo(rng: random.Random, size: int = MB) -> bytes:
    """A JPEG of noise within 2 % of `size` bytes (noise does not compress: the bytes are the photo's own).

    Noise at quality 92 takes about one byte a pixel; the side is guessed from that, then corrected once from
    what the encoder really gave, so the papers are the size the issue names whatever libjpeg Pillow carries.
    """
    from PIL import Image

    def encode(side: int) -> bytes:
        out = BytesIO()
        Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3)).save(out, format="JPEG", quality=92)
        return out.getvalue()

    side = int(size ** 0.5)
    made = encode(side)
    if abs(len(made) - size) > size // 50:
        made = encode(int(side * (size / len(made)) ** 0.5))
    return made


def papers_of(rng: random.Random, index: int) -> list[tuple[str, bytes]]:
    from onestop.files import images_to_pdf

    scans = [images_to_pdf([photo(rng)]) for _ in range(PAPERS - 1)]
    return [(f"to-khai-{index}.pdf", scans[0]), (f"giay-to-{index}.pdf", scans[1]), (f"anh-{index}.jpg", photo(rng))]


def reference_write(folder: Path, data: bytes) -> None:
    sha256 = hashlib.sha256(data).hexdigest()
    target = folder / sha256[:2] / sha256[2:4] / sha256
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, target)


def case(app, agencies, users, folder):
    from onestop import files
    from onestop.extensions import db

    from .__main__ import summary

    rng = random.Random(16)
    app.config["FILES_DIR"] = str(folder / "files")
    app.extensions.pop("onestop_files", None)
    reference = folder / "reference"
    app_seconds = reference_seconds = size = 0
    for index in range(SUBMISSIONS):  # one submission in memory at a time, stored both ways
        batch = papers_of(rng, index)
        size += sum(len(data) for _name, data in batch)
        began = time.perf_counter()
        for name, data in batch:
            checked = files.check_upload(name, data)
            files.store(checked.data, checked.mimetype)
        db.session.commit()
        app_seconds += time.perf_counter() - began
        began = time.perf_counter()
        for _name, data in batch:
            reference_write(reference, data)
        reference_seconds += time.perf_counter() - began
    shutil.rmtree(reference, ignore_errors=True)  # 1.2 GB between them: not left in the run's folder
    shutil.rmtree(folder / "files", ignore_errors=True)
    note = f"{SUBMISSIONS} x {PAPERS} papers, {size / 1e6:.0f} MB"
    return [
        summary("papers checked and stored, per submission", [app_seconds / SUBMISSIONS], note=note),
        summary("reference: hash and write the same bytes", [reference_seconds / SUBMISSIONS], note=note),
        {"name": "papers stored / reference (target <= 2)", "unit": "x", "n": 1,
         "mean": round(app_seconds / reference_seconds, 2), "p95": None, "target": "<= 2", "note": note},
    ]
