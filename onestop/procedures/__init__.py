"""The procedure catalogue (TTHC): staff pages, public pages, import and export."""
from flask import Blueprint

bp = Blueprint("procedures", __name__)

from . import views, views_import  # noqa: E402,F401
