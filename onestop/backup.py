"""`flask --app wsgi backup DEST`: a consistent copy of the database, taken while the server keeps running.

SQLite: the online backup API copies one snapshot (WAL lets the workers write meanwhile); the copy is checked and
left as one self-contained file. PostgreSQL: `pg_dump --format=custom` (one snapshot too), restored with
`pg_restore`; without pg_dump on this machine the command prints exactly what to run where it is.

The stored papers (onestop.files) go beside it, into the folder DEST.files/ (<ab>/<cd>/<sha256>, the store's own
layout), each checked against its hash as it is copied; a file already there from an earlier backup is kept
(content-addressed: the same name is the same bytes). From an S3 store they are fetched the same way.
"""
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from sqlalchemy.engine import URL

from .extensions import db


class BackupError(click.ClickException):
    """A backup that could not be taken; the message says why and what to do."""


@click.command("backup")
@click.argument("dest", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Ghi đè tệp DEST đã có.")
def backup_command(dest: Path, force: bool):
    """Sao lưu cơ sở dữ liệu (nhất quán, không cần dừng máy chủ) vào tệp DEST."""
    if dest.exists() and not force:
        raise BackupError(f"{dest} đã có. Chọn tên khác hoặc thêm --force để ghi đè.")
    dest.parent.mkdir(parents=True, exist_ok=True)
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        pages = copy_sqlite(url.database, dest)
        click.echo(f"Đã sao lưu {url.database} vào {dest} ({pages} trang, kiểm tra toàn vẹn: ok).")
        click.echo(f"Khôi phục: dừng máy chủ, chép {dest} thành tệp cơ sở dữ liệu (hoặc đặt "
                   f"DATABASE_URL=sqlite:///{dest.resolve()}), rồi chạy `flask --app wsgi applications verify`.")
    elif url.get_backend_name() == "postgresql":
        dump_postgresql(url, dest)
        click.echo(f"Đã sao lưu cơ sở dữ liệu {url.database} vào {dest} (pg_dump, định dạng custom).")
        click.echo(f"Khôi phục: createdb TEN_MOI && pg_restore --no-owner --dbname TEN_MOI {dest}, rồi đặt "
                   "DATABASE_URL tới TEN_MOI và chạy `flask --app wsgi applications verify`.")
    else:
        raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {url.get_backend_name()}.")
    folder = files_folder(dest)
    copied, kept, bad = copy_files(folder)
    click.echo(f"Tệp giấy tờ: {copied} tệp mới và {kept} tệp đã có trong {folder}.")
    if bad:
        raise BackupError(f"{len(bad)} tệp mất hoặc bị thay đổi trong kho, không sao lưu được: " + ", ".join(bad)
                          + ". Chạy `flask --app wsgi files verify`.")


def files_folder(dest: Path) -> Path:
    return dest.with_name(dest.name + ".files")


def copy_files(folder: Path) -> tuple[int, int, list[str]]:
    """Copy every stored file the database refers to into folder; (copied, already there, missing or changed).
    The database copy was taken first: a file stored after it is not needed to restore it."""
    import hashlib

    from .files import Missing, read
    from .files.models import StoredFile
    from .files.storage import DiskStore

    target = DiskStore(folder)
    copied, kept, bad = 0, 0, []
    for sha256 in db.session.scalars(db.select(StoredFile.sha256).order_by(StoredFile.sha256)):
        if target.has(sha256):
            kept += 1
            continue
        try:
            data = read(sha256)
        except Missing:
            bad.append(sha256)
            continue
        if hashlib.sha256(data).hexdigest() != sha256:
            bad.append(sha256)
            continue
        target.put(sha256, data, "")
        copied += 1
    return copied, kept, bad


def copy_sqlite(source_path: str | None, dest: Path) -> int:
    """Copy a live SQLite database through its backup API in one step (one snapshot); returns the pages copied."""
    if not source_path or source_path == ":memory:" or not Path(source_path).exists():
        raise BackupError(f"Không thấy tệp cơ sở dữ liệu SQLite {source_path!r}.")
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{Path(source_path).resolve()}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(partial)
    try:
        source.backup(target, pages=-1)  # every page in one step: a single consistent snapshot
        target.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
        check = target.execute("PRAGMA integrity_check").fetchone()[0]
        pages = target.execute("PRAGMA page_count").fetchone()[0]
    finally:
        target.close()
        source.close()
    if check != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"Bản sao không toàn vẹn ({check}); chưa ghi {dest}.")
    os.replace(partial, dest)
    return pages


def pg_dump_arguments(url: URL, dest: Path) -> tuple[list[str], dict[str, str]]:
    """pg_dump's command line (no password in it: it goes in PGPASSWORD) and the environment it needs."""
    libpq = url._replace(drivername="postgresql", password=None).render_as_string(hide_password=False)
    command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(dest), "--dbname", libpq]
    return command, ({"PGPASSWORD": url.password} if url.password else {})


def dump_postgresql(url: URL, dest: Path) -> None:
    partial = dest.with_name(dest.name + ".partial")
    command, extra_env = pg_dump_arguments(url, partial)
    executable = shutil.which("pg_dump")
    if executable is None:
        shown, _ = pg_dump_arguments(url, dest)
        raise BackupError(
            "Không có pg_dump trên máy này (gói postgresql-client, cùng phiên bản chính với máy chủ). "
            "Cài nó, hoặc chạy ở nơi có pg_dump:\n  "
            + ("PGPASSWORD=… " if extra_env else "") + " ".join(_quoted(part) for part in shown))
    done = subprocess.run([executable, *command[1:]], env={**os.environ, **extra_env}, capture_output=True,
                          text=True)
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(f"pg_dump không thành công (mã {done.returncode}):\n{done.stderr.strip()}")
    os.replace(partial, dest)


def _quoted(part: str) -> str:
    return f"'{part}'" if any(ch in part for ch in " ?&;$") else part
