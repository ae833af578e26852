"""`flask --app wsgi procedures import|export`."""
import time
from pathlib import Path

import click
from flask.cli import AppGroup

from ..database import begin_write
from ..extensions import db

procedures_cli = AppGroup("procedures", help="Danh mục thủ tục hành chính.")


@procedures_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Chỉ báo cáo thay đổi, không ghi.")
@click.option("--agency", "agency_code", default=None, help="Cơ quan thực hiện mặc định (bảng phụ lục quyết định).")
@click.option("--level", type=click.Choice(["province", "district", "commune"]), default=None)
@click.option("--field", "field_name", default=None, help="Lĩnh vực mặc định khi bảng không có dòng lĩnh vực.")
def import_command(path, dry_run, agency_code, level, field_name):
    """Import a CSV, XLSX or JSON catalogue, or a decision's appendix table (all-or-nothing)."""
    from .transfer import import_catalogue

    started = time.perf_counter()
    with click.progressbar(length=1, label="Đọc và kiểm tra") as bar:
        def progress(done, total):
            bar.length = total
            bar.update(done - bar.pos)

        begin_write()
        report = import_catalogue(Path(path).name, Path(path).read_bytes(), dry_run=dry_run,
                                  defaults={"agency_code": agency_code, "level": level, "field": field_name},
                                  progress=progress)
    for row, column, reason in report.errors:
        click.echo(f"Dòng {row}, cột «{column}»: {reason}", err=True)
    if report.errors:
        db.session.rollback()
        raise click.ClickException(f"Không nhập gì: {report.summary()}.")
    if dry_run:
        db.session.rollback()
        click.echo(f"Chạy thử: {report.summary()}.")
        return
    db.session.commit()
    click.echo(f"Đã nhập: {report.summary()} trong {time.perf_counter() - started:.1f} giây.")


@procedures_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def export_command(path):
    """Export the catalogue; the format follows the extension (.csv, .xlsx, .json)."""
    from .transfer import all_current_versions, export_catalogue

    versions = all_current_versions()
    Path(path).write_bytes(export_catalogue(Path(path).suffix.lower().lstrip("."), versions))
    click.echo(f"Đã xuất {len(versions)} thủ tục ra {path}.")
