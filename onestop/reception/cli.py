"""`flask --app wsgi applications …`."""
from flask.cli import AppGroup

applications_cli = AppGroup("applications", help="Hồ sơ.")
