"""`flask --app wsgi applications …`."""
from flask.cli import AppGroup


applications_cli = AppGroup("applications", help="Hồ sơ.")


@applications_cli.command("verify")
def verify_command():
    """Recompute every stored due time and state from the events and the calendar; report differences."""
    import sqlalchemy as sa

    from ..commands import report_differences
    from ..extensions import db
    from ..progress import Progress
    from .lifecycle import verify_all
    from .models import Application

    total = db.session.scalar(sa.select(sa.func.count()).select_from(Application))
    with Progress("Đang kiểm tra hồ sơ", total, unit="hồ sơ") as progress:
        differences = list(verify_all(progress=progress))  # printed once the bar is done with the terminal
    report_differences(differences, "Mọi hồ sơ khớp với sự kiện và lịch làm việc.")
