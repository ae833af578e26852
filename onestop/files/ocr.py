"""An optional text layer for scanned PDFs (ocrmypdf with tesseract's Vietnamese), so staff can search them.
Best effort, after the file is stored: where the tools are not installed nothing happens and nothing breaks."""
import shutil
import subprocess
import tempfile
from pathlib import Path

import sqlalchemy as sa

from ..extensions import db
from .models import StoredFile
from .services import read, store

TIMEOUT_SECONDS = 300


def available() -> bool:
    """ocrmypdf and tesseract with Vietnamese are both on this machine."""
    if shutil.which("ocrmypdf") is None or shutil.which("tesseract") is None:
        return False
    try:
        languages = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return "vie" in languages.stdout.split()


def add_text_layer(pdf: bytes) -> bytes | None:
    """The PDF with a text layer over its scanned pages; None when the tools are absent or fail."""
    if not available():
        return None
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "in.pdf", Path(folder) / "out.pdf"
        source.write_bytes(pdf)
        try:
            done = subprocess.run(["ocrmypdf", "--skip-text", "--quiet", "-l", "vie+eng", str(source), str(target)],
                                  capture_output=True, timeout=TIMEOUT_SECONDS)
        except (OSError, subprocess.SubprocessError):
            return None
        return target.read_bytes() if done.returncode == 0 and target.is_file() else None


def pending(limit: int = 100) -> list[StoredFile]:
    """Stored PDFs that have no text layer yet."""
    return list(db.session.scalars(sa.select(StoredFile).where(
        StoredFile.mimetype == "application/pdf", StoredFile.text_layer_sha256.is_(None)
    ).order_by(StoredFile.created_at).limit(limit)))


def run(limit: int = 100) -> tuple[int, int]:
    """Give pending PDFs a text layer; (done, skipped). Nothing is done, and (0, n) returned, without the tools."""
    files = pending(limit)
    if not available():
        return 0, len(files)
    done = 0
    for stored in files:
        layered = add_text_layer(read(stored.sha256))
        if layered is None:
            continue
        stored.text_layer_sha256 = store(layered, "application/pdf")
        done += 1
    db.session.flush()
    return done, len(files) - done
