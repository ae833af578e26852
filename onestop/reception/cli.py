"""`flask --app wsgi applications …`."""
from flask.cli import AppGroup


applications_cli = AppGroup("applications", help="Hồ sơ.")


@applications_cli.command("verify")
def verify_command():
    """Recompute every stored due time and state from the events and the calendar; report differences."""
    from ..commands import report_differences
    from .lifecycle import verify_all

    report_differences(verify_all(), "Mọi hồ sơ khớp với sự kiện và lịch làm việc.")
