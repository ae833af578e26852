"""`flask --app wsgi outbox work|status|resend` and `flask --app wsgi portal resync`."""
import signal
from datetime import datetime, time

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db

outbox_cli = AppGroup("outbox", help="Hàng đợi tin gửi ra ngoài (Cổng DVCQG, thư điện tử, SMS).")
portal_cli = AppGroup("portal", help="Đồng bộ với Cổng Dịch vụ công quốc gia.")


@outbox_cli.command("work")
@click.option("--once", is_flag=True, help="Gửi những gì đến hạn rồi dừng (cho cron).")
@click.option("--batch", default=50, show_default=True, help="Số tin khóa và gửi mỗi lượt.")
@click.option("--idle", default=2.0, show_default=True, help="Giây nghỉ khi không có tin đến hạn.")
def work_command(once, batch, idle):
    """Deliver the outbox; several workers may run at once on PostgreSQL (one on SQLite)."""
    from . import worker

    stopping = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.append(True))

    def report(outcome):
        click.echo(", ".join(f"{name} {count}" for name, count in sorted(outcome.items())))

    total = worker.work(once=once, limit=batch, idle_seconds=idle, stop=lambda: bool(stopping), report=report)
    click.echo(f"Đã gửi {total['sent']}, thử lại sau {total['retry']}, giữ lại {total['held']}.")


@outbox_cli.command("status")
def status_command():
    """How many messages wait, how many are held, and the age of the oldest waiting."""
    from . import worker

    backlog = worker.backlog()
    click.echo(f"Đang chờ {backlog['waiting']}, giữ lại {backlog['held']}, tin chờ lâu nhất "
               f"{backlog['oldest_seconds']} giây.")


@outbox_cli.command("resend")
@click.argument("message_id", type=int)
def resend_command(message_id):
    """Send a held message again."""
    from . import worker

    message = worker.resend(message_id)
    if message is None:
        raise click.ClickException(f"Không có tin số {message_id}.")
    db.session.commit()
    click.echo(f"Tin {message_id}: {message.state}.")


@portal_cli.command("resync")
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Từ ngày nhận (YYYY-MM-DD).")
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Đến ngày nhận (YYYY-MM-DD).")
def resync_command(start, end):
    """Queue again, for the portal, every application received in the period (its state as it stands)."""
    from ..timeutil import VN
    from . import portal, resync

    if not portal.configured(current_app.config):
        raise click.ClickException("Chưa cấu hình Cổng DVCQG (PORTAL_*): không có gì để đồng bộ.")
    if end < start:
        raise click.ClickException("«--to» phải không trước «--from».")
    queued = resync.queue_period(datetime.combine(start.date(), time(0), VN),
                                 datetime.combine(end.date(), time(23, 59, 59, 999999), VN))
    click.echo(f"Đã xếp {queued} hồ sơ vào hàng đợi gửi Cổng DVCQG.")
