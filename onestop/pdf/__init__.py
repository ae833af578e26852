"""Printed output: the desk's official forms (reportlab, Liberation Serif) and the register."""
from .forms import render_apology, render_control, render_receipt, render_refusal, render_stop, render_supplement
from .layout import FONT_NAMES, register_fonts
from .register import render_register_pdf, render_register_xlsx

__all__ = [
    "FONT_NAMES", "register_fonts", "render_apology", "render_control", "render_receipt", "render_refusal",
    "render_register_pdf", "render_register_xlsx", "render_stop", "render_supplement",
]
