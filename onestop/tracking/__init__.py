"""After the desk: the citizens' status page, complaints (PAKN) and ratings; the supervisors' watch and reports."""
from flask import Blueprint

bp = Blueprint("tracking", __name__)

from . import complaint_views, dashboard, scoreboard, supervision, views  # noqa: E402,F401
