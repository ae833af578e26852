"""Keep, read and verify stored files: the bytes in the store, one row per content in the database."""
import hashlib
import os
from dataclasses import dataclass
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.dialects import postgresql, sqlite

from ..database import utcnow
from ..extensions import db
from .models import StoredFile
from .storage import Missing, address, backend


def store(data: bytes, mimetype: str) -> str:
    """Keep the bytes (once, whoever sends them again) and return their SHA-256. Flushes, never commits: a file
    written for a transaction that is then rolled back stays in the store unreferenced, which is harmless."""
    return store_many([(data, mimetype)])[0]


def store_many(items: list[tuple[bytes, str]], *, background: bool = False) -> list[str]:
    """Keep several files (data, mimetype) at once and return their SHA-256s in the same order: each hashed here
    while the ones before it are written by the writer threads, one row insert for all of them.

    With `background`, it returns once they are hashed and the writing goes on while the caller carries on; the
    session's commit waits for it (a row is never committed before its file is kept, and a failed write fails the
    commit). Use it only when nothing reads the files before the commit."""
    return finish_storing([start_storing(data, mimetype) for data, mimetype in items], background=background)


@dataclass(frozen=True)
class Storing:
    """A file hashed and being written by a writer thread (start_storing); finish_storing waits for it. One started
    with `hold` is kept only once finish_storing (or keep) says so; drop lets it go."""

    data: bytes
    mimetype: str
    sha256: str
    written: Future
    kept: Future | None = None

    def keep(self) -> None:
        if self.kept is not None and not self.kept.done():
            self.kept.set_result(True)

    def drop(self) -> None:
        if self.kept is not None and not self.kept.done():
            self.kept.set_result(False)


def start_storing(data: bytes, mimetype: str, *, hold: bool = False) -> Storing:
    """Start writing the bytes in a writer thread, and hash them here meanwhile (hashlib lets the writer run): the
    disk writes and flushes the bytes before their address is known, then puts them in their place (DiskStore.
    put_named). Hashing first left the disk idle for the hash and for the writer's turn at the interpreter (about
    1 ms of a three-paper upload); the caller checks its next file while the disk works.

    With `hold`, the file is flushed but not put in its place until the caller keeps it (finish_storing or
    Storing.keep) or drops it (Storing.drop): a caller can start on a paper before it knows it wants it."""
    named, kept = Future(), (Future() if hold else None)
    written = _writers().submit(backend().put_named, data, mimetype, named, kept)
    try:
        sha256 = address(data)
    except BaseException as error:
        named.set_exception(error)  # the writer drops its file
        raise
    named.set_result(sha256)
    return Storing(data, mimetype, sha256, written, kept)


def finish_storing(started: list[Storing], *, background: bool = False) -> list[str]:
    """The SHA-256s of files started with start_storing, their rows inserted in one statement; `background` as in
    store_many."""
    if not started:
        return []
    addresses = []
    for storing in started:
        storing.keep()
        addresses.append(storing.sha256)
    if background:
        db.session().info.setdefault(PENDING, []).extend(storing.written for storing in started)
    else:
        for storing in started:
            storing.written.result()
    rows = {sha256: {"sha256": sha256, "size": len(storing.data), "mimetype": storing.mimetype,
                     "created_at": utcnow()} for sha256, storing in zip(addresses, started)}
    connection = db.session.connection()
    # the rows as parameters of a statement built once (.values([...]) has no cache key: it was compiled every time)
    connection.execute(STORED_ROWS[connection.dialect.name], list(rows.values()))
    return addresses


STORED_ROWS = {  # a content kept twice is one row
    "postgresql": postgresql.insert(StoredFile.__table__).on_conflict_do_nothing(index_elements=["sha256"]),
    "sqlite": sqlite.insert(StoredFile.__table__).on_conflict_do_nothing(index_elements=["sha256"]),
}

PENDING = "onestop_files_pending"  # in Session.info: the background writes the next commit waits for


@event.listens_for(Session, "before_commit")
def _wait_for_writes(session) -> None:
    for write in session.info.pop(PENDING, ()):
        write.result()  # raises the write's error: the commit does not happen


@event.listens_for(Session, "after_soft_rollback")
def _forget_writes(session, previous_transaction) -> None:
    session.info.pop(PENDING, None)  # their rows are gone; the files finish and stay unreferenced (harmless)


WRITERS = 4
_writers_by_process: dict[int, ThreadPoolExecutor] = {}  # a forked worker makes its own


def _writers() -> ThreadPoolExecutor:
    """The process's few threads that write files, made on first use."""
    pool = _writers_by_process.get(os.getpid())
    if pool is None:
        pool = _writers_by_process[os.getpid()] = ThreadPoolExecutor(max_workers=WRITERS,
                                                                     thread_name_prefix="onestop-files")
    return pool


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
