"""`flask --app wsgi calendar …`."""
from flask.cli import AppGroup

calendar_cli = AppGroup("calendar", help="Lịch làm việc.")
