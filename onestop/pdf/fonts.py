"""The bundled Liberation Serif 2.1 faces (full Vietnamese), registered once per process as one family.

Helvetica and Times, reportlab's built-ins, drop Vietnamese letters: nothing here may fall back to them.
"""
import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
# Face -> name registered with reportlab. Unique names: two fonts with one name in a PDF share glyphs.
FONT_NAMES = {
    "regular": "OnestopSerif",
    "bold": "OnestopSerif-Bold",
    "italic": "OnestopSerif-Italic",
    "bold_italic": "OnestopSerif-BoldItalic",
}
FONT_FILES = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "bold_italic": "LiberationSerif-BoldItalic.ttf",
}
REGULAR = FONT_NAMES["regular"]
BOLD = FONT_NAMES["bold"]
ITALIC = FONT_NAMES["italic"]
BOLD_ITALIC = FONT_NAMES["bold_italic"]

_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the four faces and their family (so <b> and <i> in paragraphs work); cheap after the first call."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for face, name in FONT_NAMES.items():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / FONT_FILES[face])))
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
        _registered = True
