"""After the desk: the citizens' status page, complaints (PAKN) and ratings; the supervisors' watch and reports."""
from flask import Blueprint

bp = Blueprint("tracking", __name__)

from .public import complaint_views, scoreboard, views  # noqa: E402,F401
from .supervision import dashboard, index766_views, views as supervision_views  # noqa: E402,F401
from .. import outbox  # noqa: E402
from .supervision.rollups import count_synced  # noqa: E402

outbox.on_synced(count_synced)  # the files the national portal accepted count on their reception day
