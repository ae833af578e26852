"""`flask --app wsgi applications …`."""
import click
from flask.cli import AppGroup

from ..timeutil import fmt

applications_cli = AppGroup("applications", help="Hồ sơ.")


@applications_cli.command("verify")
def verify_command():
    """Recompute every stored due time and state from the events and the calendar; report differences."""
    from .lifecycle import verify_all

    differences = 0
    for code, field, stored, expected in verify_all():
        differences += 1
        show = lambda value: fmt(value) if hasattr(value, "tzinfo") else value  # noqa: E731
        click.echo(f"{code}  {field}: lưu {show(stored)!s}  ≠  tính lại {show(expected)!s}")
    if differences:
        raise click.ClickException(f"{differences} khác biệt.")
    click.echo("Mọi hồ sơ khớp với sự kiện và lịch làm việc.")
