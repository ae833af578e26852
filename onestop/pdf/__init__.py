"""Printed output of the one-stop desk: the official forms as PDF (reportlab, Liberation Serif), the register as PDF and Excel.

Pure rendering: every function takes a plain dict and returns bytes, no database and no request needed.
"""
from .fonts import FONT_NAMES, register_fonts
from .forms import render_apology, render_control, render_receipt, render_refusal, render_stop, render_supplement
from .overdue import render_overdue_pdf, render_overdue_xlsx
from .register import render_register_pdf, render_register_xlsx
from .reports import render_cchc_pdf, render_cchc_xlsx

__all__ = [
    "FONT_NAMES", "register_fonts", "render_apology", "render_cchc_pdf", "render_cchc_xlsx", "render_control", "render_receipt", "render_refusal",
    "render_overdue_pdf", "render_overdue_xlsx", "render_register_pdf", "render_register_xlsx", "render_stop",
    "render_supplement",
]
