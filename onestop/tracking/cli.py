"""`flask --app wsgi indicators …`, `flask --app wsgi digest …` and `flask --app wsgi complaints …` (the sibling of
`applications verify` for complaints, PAKN)."""
import time

import click
from flask.cli import AppGroup

from ..extensions import db

indicators_cli = AppGroup("indicators", help="Số liệu tổng hợp (rollups) cho chỉ số, báo cáo.")
digest_cli = AppGroup("digest", help="Thư tóm tắt buổi sáng.")
complaints_cli = AppGroup("complaints", help="Phản ánh, kiến nghị.")


@indicators_cli.command("rebuild")
def rebuild_command():
    """Recount every rollup from the applications and their events (after a bulk load or a restore)."""
    from ..progress import Progress
    from .supervision import recount

    began = time.perf_counter()
    with Progress("Đang đếm lại số liệu tổng hợp", recount.REBUILD_STEPS, unit="bước") as progress:
        counts = recount.rebuild(progress=progress)
        db.session.commit()
    rows = ", ".join(f"{table}: {count}" for table, count in counts.items())
    click.echo(f"Đã đếm lại trong {time.perf_counter() - began:.1f} giây ({rows}).")


@indicators_cli.command("check")
def check_command():
    """Compare the rollups kept on every write with a full recount; exit non-zero on any difference."""
    from ..progress import Progress
    from .supervision import recount

    from ..fees.counting import verify_closed_days

    with Progress("Đang đếm lại để so sánh", recount.CHECK_STEPS, unit="bước") as progress:
        differences = recount.check(progress=progress) + verify_closed_days()
        db.session.rollback()
    for line in differences:
        click.echo(line)
    if differences:
        raise click.ClickException(f"{len(differences)} khác biệt; chạy «indicators rebuild» để đếm lại.")
    click.echo("Số liệu tổng hợp khớp với việc đếm lại toàn bộ.")


@indicators_cli.command("rules-load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def rules_load_command(path):
    """Load a new version of Decision 766's rules from a JSON file (as the admin page does)."""
    import json

    from .supervision.index766_rules import RulesError, load_version

    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        version = load_version(data)
    except (RulesError, ValueError) as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Đã nạp bộ quy tắc Chỉ số 766 áp dụng từ {version.effective_from:%d/%m/%Y}.")


@indicators_cli.command("rules-show")
@click.option("--on", "day", default=None, help="Ngày (YYYY-MM-DD); mặc định hôm nay.")
def rules_show_command(day):
    """Print the rules in force on a day as the JSON an administrator loads."""
    import json
    from datetime import date

    from ..timeutil import local, now
    from .supervision.index766_rules import as_document, rules_on

    try:
        wanted = date.fromisoformat(day) if day else local(now()).date()
    except ValueError:
        raise click.ClickException("--on phải là ngày dạng YYYY-MM-DD.") from None
    click.echo(json.dumps(as_document(rules_on(wanted)), ensure_ascii=False, indent=1))


@digest_cli.command("send")
@click.option("--force", is_flag=True, help="Gửi lại cả cho người đã nhận thư hôm nay.")
@click.option("--dry-run", is_flag=True, help="Chỉ in thư ra màn hình, không gửi.")
def send_command(force, dry_run):
    """Send the morning digest to every subscriber (run once each working morning from cron)."""
    from .supervision.digest import send_all

    try:
        outcome = send_all(force=force, dry_run=dry_run)
    except (OSError, RuntimeError) as error:
        db.session.rollback()
        raise click.ClickException(f"Không gửi được thư: {error}")
    if dry_run:
        db.session.rollback()
        for message in outcome["messages"]:
            click.echo(message.as_string())
    else:
        db.session.commit()
    click.echo(f"Đã gửi {len(outcome['sent'])} thư; {len(outcome['nothing'])} người không có hồ sơ cần báo; "
               f"{len(outcome['already'])} người đã nhận hôm nay.")


@digest_cli.command("subscribe")
@click.argument("username")
@click.option("--off", is_flag=True, help="Thôi nhận thư.")
def subscribe_command(username, off):
    """Start (or with --off stop) a user's morning digest."""
    from ..auth.models import User
    from .supervision.digest import subscribe

    user = db.session.scalar(db.select(User).filter_by(username=username))
    if user is None:
        raise click.ClickException(f"Không có tài khoản {username}.")
    if not off and not user.email:
        raise click.ClickException(f"Tài khoản {username} chưa có địa chỉ thư điện tử.")
    subscribe(user, not off)
    db.session.commit()
    click.echo(f"{username}: {'thôi nhận' if off else 'nhận'} thư tóm tắt buổi sáng.")


@complaints_cli.command("verify")
def verify_command():
    """Recompute every complaint's stored deadline and state from its events and the calendar; report differences."""
    from ..commands import report_differences
    from .public.complaints import verify_all

    report_differences(verify_all(), "Mọi phản ánh khớp với sự kiện và lịch làm việc.")
