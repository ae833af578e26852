"""Command-line interface: `flask --app wsgi users|demo|procedures|calendar|applications …`."""
import click
from flask.cli import AppGroup

from .extensions import db

users_cli = AppGroup("users", help="Quản lý tài khoản cán bộ.")


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


@users_cli.command("list")
def list_users_command():
    """List staff accounts."""
    from .auth.models import User

    for user in db.session.scalars(db.select(User).order_by(User.username)):
        click.echo(f"{user.username:<16} {user.agency.code:<14} {','.join(sorted(user.roles)):<28} {'' if user.active else '(khoá)'}")


@click.command("demo")
@click.option("--applications", default=300, show_default=True, help="Số hồ sơ mẫu.")
def demo_command(applications):
    """Load the demo data once (agencies, users with password 'demo', catalogue, applications)."""
    from . import demo

    if demo.already_loaded():
        click.echo("Dữ liệu mẫu đã có; không nạp lại.")
        return
    demo.load(applications=applications)
    db.session.commit()
    click.echo("Đã nạp dữ liệu mẫu. Đăng nhập: admin / supervisor / clerk / officer, mật khẩu: demo")


def init_app(app):
    from .calendar.cli import calendar_cli
    from .procedures.cli import procedures_cli
    from .reception.cli import applications_cli
    from .tracking.cli import digest_cli, indicators_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(procedures_cli)
    app.cli.add_command(calendar_cli)
    app.cli.add_command(applications_cli)
    app.cli.add_command(indicators_cli)
    app.cli.add_command(digest_cli)
