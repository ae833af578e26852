"""Command-line interface: `flask --app wsgi users|demo|procedures|calendar|applications|files|backup …`."""
import click
from flask.cli import AppGroup

from .extensions import db

users_cli = AppGroup("users", help="Quản lý tài khoản cán bộ.")


def report_differences(differences, all_agree: str) -> None:
    """Print each (code, field, stored, recomputed) a verify command found; fail with their count, or say all agree."""
    from .timeutil import fmt

    def show(value):
        return fmt(value) if hasattr(value, "tzinfo") else value

    count = 0
    for code, field, stored, expected in differences:
        count += 1
        click.echo(f"{code}  {field}: lưu {show(stored)!s}  ≠  tính lại {show(expected)!s}")
    if count:
        raise click.ClickException(f"{count} khác biệt.")
    click.echo(all_agree)


@users_cli.command("create")
@click.argument("username")
@click.option("--agency", "agency_code", required=True, help="Mã định danh cơ quan, ví dụ 000.00.01.H38.")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(["admin", "supervisor", "clerk", "officer"]))
@click.option("--name", "full_name", default=None, help="Họ và tên.")
@click.password_option(help="Mật khẩu (ít nhất 8 ký tự).")
def create_user_command(username, agency_code, roles, full_name, password):
    """Create a staff account."""
    from .auth import services
    from .auth.models import Agency

    agency = db.session.scalar(db.select(Agency).filter_by(code=agency_code.upper()))
    if agency is None:
        raise click.ClickException(f"Không có cơ quan mã {agency_code}.")
    try:
        user = services.create_user(username, password, full_name or username, agency, roles)
    except services.AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error))
    db.session.commit()
    click.echo(f"Đã tạo tài khoản {user.username} ({', '.join(sorted(user.roles))}) tại {agency.code}.")


@users_cli.command("password")
@click.argument("username")
@click.password_option(help="Mật khẩu mới (ít nhất 8 ký tự, không phải mật khẩu phổ biến).")
def set_password_command(username, password):
    """Set a new password; the account's sessions end and its API tokens are revoked."""
    from .auth import services
    from .auth.models import User

    user = db.session.scalar(db.select(User).where(db.func.lower(User.username) == username.strip().lower()))
    if user is None:
        raise click.ClickException(f"Không có tài khoản {username}.")
    try:
        services.reset_password(user, password)
    except services.AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error))
    db.session.commit()
    click.echo(f"Đã đặt mật khẩu mới cho {user.username}; các phiên đăng nhập và mã truy cập cũ đã bị huỷ.")


@users_cli.command("list")
def list_users_command():
    """List staff accounts."""
    from .auth.models import User

    for user in db.session.scalars(db.select(User).order_by(User.username)):
        click.echo(f"{user.username:<16} {user.agency.code:<14} {','.join(sorted(user.roles)):<28} {'' if user.active else '(khoá)'}")


@click.command("demo")
@click.option("--applications", default=300, show_default=True, help="Số hồ sơ mẫu.")
@click.option("--scale", type=click.IntRange(1, 5_000_000), default=None,
              help="Tạo số hồ sơ này trong ba năm, ghi hàng loạt (cơ sở dữ liệu trống hoặc chỉ có dữ liệu mẫu).")
@click.option("--seed", default=2026, show_default=True, help="Hạt giống ngẫu nhiên của --scale.")
def demo_command(applications, scale, seed):
    """Load the demo data once (agencies, users with password 'demo', catalogue, applications); with --scale N,
    a province of N applications over three years."""
    from . import demo

    if scale:
        import time

        from . import demo_scale

        began = time.perf_counter()
        made = demo_scale.scale(scale, seed=seed)
        click.echo(f"Đã tạo {made} hồ sơ trong {time.perf_counter() - began:.0f} giây.")
        return
    if demo.already_loaded():
        click.echo("Dữ liệu mẫu đã có; không nạp lại.")
        return
    demo.load(applications=applications)
    db.session.commit()
    click.echo("Đã nạp dữ liệu mẫu. Đăng nhập: admin / supervisor / clerk / officer / appraiser / supervisor.stp, "
               "mật khẩu: demo")


def init_app(app):
    from .backup import backup_command
    from .calendar.cli import calendar_cli
    from .files.cli import files_cli
    from .fees.cli import fees_cli, payments_cli
    from .procedures.cli import procedures_cli
    from .reception.cli import applications_cli
    from .tracking.cli import complaints_cli, digest_cli, indicators_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(procedures_cli)
    app.cli.add_command(calendar_cli)
    app.cli.add_command(applications_cli)
    app.cli.add_command(complaints_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(indicators_cli)
    app.cli.add_command(digest_cli)
    app.cli.add_command(files_cli)
    app.cli.add_command(payments_cli)
    app.cli.add_command(fees_cli)
