"""The working calendar: statutory holidays, the administrator's overrides, due-time arithmetic."""
from flask import Blueprint

bp = Blueprint("calendar", __name__, url_prefix="/admin/calendar")

from . import views  # noqa: E402,F401
