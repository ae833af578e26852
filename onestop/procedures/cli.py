"""`flask --app wsgi procedures …`."""
from flask.cli import AppGroup

procedures_cli = AppGroup("procedures", help="Danh mục thủ tục hành chính.")
