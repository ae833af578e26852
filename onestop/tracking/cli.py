"""`flask --app wsgi indicators …` and `flask --app wsgi digest …`."""
import time

import click
from flask.cli import AppGroup

from ..extensions import db

indicators_cli = AppGroup("indicators", help="Số liệu tổng hợp (rollups) cho chỉ số, báo cáo.")
digest_cli = AppGroup("digest", help="Thư tóm tắt buổi sáng.")


@indicators_cli.command("rebuild")
def rebuild_command():
    """Recount every rollup from the applications and their events (after a bulk load or a restore)."""
    from . import recount

    began = time.perf_counter()
    counts = recount.rebuild()
    db.session.commit()
    rows = ", ".join(f"{table}: {count}" for table, count in counts.items())
    click.echo(f"Đã đếm lại trong {time.perf_counter() - began:.1f} giây ({rows}).")


@indicators_cli.command("check")
def check_command():
    """Compare the rollups kept on every write with a full recount; exit non-zero on any difference."""
    from . import recount

    differences = recount.check()
    db.session.rollback()
    for line in differences:
        click.echo(line)
    if differences:
        raise click.ClickException(f"{len(differences)} khác biệt; chạy «indicators rebuild» để đếm lại.")
    click.echo("Số liệu tổng hợp khớp với việc đếm lại toàn bộ.")
