"""Public tracking of applications by QR code (later: complaints, ratings, indicators)."""
from flask import Blueprint

bp = Blueprint("tracking", __name__)

from . import dashboard, scoreboard, supervision, views  # noqa: E402,F401
