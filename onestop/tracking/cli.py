"""`flask --app wsgi complaints …`: the sibling of `applications verify` for complaints (PAKN)."""
import click
from flask.cli import AppGroup

from ..timeutil import fmt

complaints_cli = AppGroup("complaints", help="Phản ánh, kiến nghị.")


@complaints_cli.command("verify")
def verify_command():
    """Recompute every complaint's stored deadline and state from its events and the calendar; report differences."""
    from .complaints import verify_all

    differences = 0
    for code, field, stored, expected in verify_all():
        differences += 1
        show = lambda value: fmt(value) if hasattr(value, "tzinfo") else value  # noqa: E731
        click.echo(f"{code}  {field}: lưu {show(stored)!s}  ≠  tính lại {show(expected)!s}")
    if differences:
        raise click.ClickException(f"{differences} khác biệt.")
    click.echo("Mọi phản ánh khớp với sự kiện và lịch làm việc.")
