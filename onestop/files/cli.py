"""`flask --app wsgi files verify|ocr`."""
import click
from flask.cli import AppGroup

from ..extensions import db

files_cli = AppGroup("files", help="Tệp giấy tờ đã lưu (số hóa).")


@files_cli.command("verify")
def verify_command():
    """Re-hash every stored file the database refers to; list the missing and the changed (exit 1 if any)."""
    from .services import verify

    labels = {"missing": "mất", "changed": "đã bị thay đổi"}
    count = 0
    for sha256, problem in verify():
        count += 1
        click.echo(f"{sha256}  {labels[problem]}")
    if count:
        raise click.ClickException(f"{count} tệp mất hoặc bị thay đổi.")
    from .models import StoredFile

    total = db.session.scalar(db.select(db.func.count()).select_from(StoredFile))
    click.echo(f"{total} tệp, tất cả nguyên vẹn.")


@files_cli.command("ocr")
@click.option("--limit", default=100, show_default=True, help="Số tệp PDF tối đa mỗi lần chạy.")
def ocr_command(limit):
    """Add a searchable text layer to stored PDFs (needs ocrmypdf and tesseract-ocr-vie; skipped without them)."""
    from . import ocr

    if not ocr.available():
        click.echo("Không có ocrmypdf hoặc tesseract-ocr-vie trên máy này: bỏ qua nhận dạng chữ.")
        return
    done, skipped = ocr.run(limit)
    db.session.commit()
    click.echo(f"Đã thêm lớp chữ cho {done} tệp; {skipped} tệp không làm được.")
