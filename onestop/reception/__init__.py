"""The reception desk: applications (hồ sơ), their codes, due times, lifecycle and forms."""
from flask import Blueprint

bp = Blueprint("reception", __name__)

from . import backdated_views, online_views, paper_views, views  # noqa: E402,F401
