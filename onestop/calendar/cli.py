"""`flask --app wsgi calendar show|add|remove|due`."""
from datetime import date, datetime, timedelta

import click
from flask.cli import AppGroup

from ..extensions import db
from ..timeutil import VN, fmt

calendar_cli = AppGroup("calendar", help="Lịch làm việc.")
KINDS = {"off": "nghỉ thêm", "work": "làm bù", "half_off_morning": "nghỉ buổi sáng",
         "half_off_afternoon": "nghỉ buổi chiều", "holiday": "ngày lễ", "weekend": "cuối tuần", "working": "làm việc"}


@calendar_cli.command("show")
@click.argument("year", type=int)
def show_command(year):
    """List the year's holidays, days off and make-up working days (weekends omitted)."""
    from .services import load_calendar

    calendar = load_calendar()
    day = date(year, 1, 1)
    while day.year == year:
        kind = calendar.day_kind(day)
        if kind not in ("working", "weekend"):
            name = calendar.holiday_name(day) or ""
            click.echo(f"{day:%d/%m/%Y} {'T2 T3 T4 T5 T6 T7 CN'.split()[day.weekday()]:<3} {KINDS[kind]:<16} {name}")
        day += timedelta(days=1)


@calendar_cli.command("add")
@click.argument("day", type=click.DateTime(["%Y-%m-%d"]))
@click.argument("kind", type=click.Choice(["off", "work", "half_off_morning", "half_off_afternoon"]))
@click.option("--note", default=None)
def add_command(day, kind, note):
    """Add an override: an extra day off, a make-up working day, a half-day closure."""
    from .services import CalendarError, set_override

    try:
        set_override(day.date(), kind, note)
    except CalendarError as error:
        db.session.rollback()
        raise click.ClickException(str(error))
    db.session.commit()
    click.echo(f"Đã đặt {day:%d/%m/%Y}: {KINDS[kind]}.")


@calendar_cli.command("remove")
@click.argument("day", type=click.DateTime(["%Y-%m-%d"]))
def remove_command(day):
    """Remove an override."""
    from .services import CalendarError, remove_override

    try:
        remove_override(day.date())
    except CalendarError as error:
        db.session.rollback()
        raise click.ClickException(str(error))
    db.session.commit()
    click.echo(f"Đã bỏ điều chỉnh ngày {day:%d/%m/%Y}.")


@calendar_cli.command("due")
@click.argument("received_at")
@click.argument("amount", type=int)
@click.argument("unit", type=click.Choice(["working_days", "calendar_days", "working_hours", "same_day"]))
def due_command(received_at, amount, unit):
    """Compute a due time, e.g. `calendar due 2026-10-09T16:00 3 working_days`."""
    from .services import load_calendar

    moment = datetime.fromisoformat(received_at)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=VN)
    calendar = load_calendar()
    click.echo(f"Thời điểm tiếp nhận: {fmt(calendar.reception_moment(moment))}")
    click.echo(f"Hạn trả kết quả:     {fmt(calendar.due_at(moment, amount, unit))}")
