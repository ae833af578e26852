"""Keep, read and verify stored files: the bytes in the store, one row per content in the database."""
import hashlib
from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..database import utcnow
from ..extensions import db
from .models import StoredFile
from .storage import Missing, address, backend


def store(data: bytes, mimetype: str) -> str:
    """Keep the bytes (once, whoever sends them again) and return their SHA-256. Flushes, never commits: a file
    written for a transaction that is then rolled back stays in the store unreferenced, which is harmless."""
    sha256 = address(data)
    backend().put(sha256, data, mimetype)
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    db.session.execute(dialect.insert(StoredFile).values(
        sha256=sha256, size=len(data), mimetype=mimetype, created_at=utcnow()
    ).on_conflict_do_nothing(index_elements=["sha256"]))
    return sha256


def read(sha256: str) -> bytes:
    """The stored bytes; Missing when the store has none under that address."""
    return backend().get(sha256)


def exists(sha256: str) -> bool:
    return backend().has(sha256)


def presigned_or_none(sha256: str, seconds: int = 300) -> str | None:
    """A short-lived direct download address from an S3 store (None on disk). Give it only to someone already
    allowed to read the file."""
    return backend().presigned(sha256, seconds)


def verify() -> Iterator[tuple[str, str]]:
    """(sha256, "missing" | "changed") for every file the database refers to that the store lacks or holds altered."""
    store_ = backend()
    for sha256 in db.session.scalars(sa.select(StoredFile.sha256).order_by(StoredFile.sha256)):
        try:
            data = store_.get(sha256)
        except Missing:
            yield sha256, "missing"
            continue
        if hashlib.sha256(data).hexdigest() != sha256:
            yield sha256, "changed"
