"""Charts drawn once as reportlab Drawings: SVG for the dashboard (`svg()`), the same Drawing in the PDF report.

Plain data in; the bundled serif everywhere (Helvetica would drop Vietnamese letters), no JavaScript.
"""
import itertools

from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from ..numbers import figure
from ..text import nfc
from .fonts import BOLD, REGULAR, register_fonts

BLUE = colors.HexColor("#1f5fa8")
LIGHT = colors.HexColor("#9db9dc")
RED = colors.HexColor("#b3261e")
GREEN = colors.HexColor("#1e7b34")
AMBER = colors.HexColor("#e0a100")
GREY = colors.HexColor("#8a8a8a")
WIDTH, HEIGHT = 480, 240


def _drawing(title: str, width=WIDTH, height=HEIGHT) -> Drawing:
    register_fonts()
    drawing = Drawing(width, height, initialFontName=REGULAR)
    drawing.add(String(width / 2, height - 14, nfc(title), fontName=BOLD, fontSize=11, textAnchor="middle"))
    return drawing


def _axis_fonts(chart, size=8):
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = REGULAR
        axis.labels.fontSize = size


def _short(label: str, limit: int = 34) -> str:
    label = nfc(str(label))
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _bars(title: str, rows: list[tuple[str, float, bool]], *, empty: str, kind: str, maximum: float, step: float,
          row_height: int, label_dx: int) -> Drawing:
    """Horizontal bars, one per (label, value, marked) row in the order given from the bottom; marked rows red."""
    height = max(130, 70 + row_height * len(rows))
    drawing = _drawing(title, height=height)
    if not rows:
        drawing.add(String(WIDTH / 2, height / 2, empty, fontName=REGULAR, fontSize=9, textAnchor="middle"))
        return drawing
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 190, 24, WIDTH - 220, height - 56
    chart.data = [[float(value) for _, value, _ in rows]]
    chart.categoryAxis.categoryNames = [_short(label) for label, _, _ in rows]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, maximum, step
    chart.bars[0].fillColor = BLUE
    for index, (_, _, marked) in enumerate(rows):
        if marked:
            chart.bars[(0, index)].fillColor = RED
    chart.barLabelFormat = lambda value: figure(value, kind)
    chart.barLabels.fontName, chart.barLabels.fontSize, chart.barLabels.dx = REGULAR, 7, label_dx
    _axis_fonts(chart)
    drawing.add(chart)
    return drawing


def rate_bars(title: str, rows: list[tuple[str, float | None]], target: float | None = None) -> Drawing:
    """Horizontal bars of a percentage per label (on-time rate per agency), worst first."""
    rows = sorted(((label, value) for label, value in rows if value is not None), key=lambda row: row[1])
    return _bars(title, [(label, value, target is not None and value < target) for label, value in rows],
                 empty="Chưa có hồ sơ được giải quyết", kind="rate", maximum=100, step=20, row_height=24,
                 label_dx=16)


def score_bars(title: str, rows: list[tuple[str, float | None, bool]], maximum: float = 100) -> Drawing:
    """Horizontal bars of a score per label, best at the top (the PAR INDEX ranking); a marked row in red."""
    rows = sorted(((label, value, marked) for label, value, marked in rows if value is not None),
                  key=lambda row: row[1])  # the chart draws the first category at the bottom
    return _bars(title, rows, empty="Chưa có kết quả", kind="decimal", maximum=maximum,
                 step=10 if maximum <= 100 else 20, row_height=22, label_dx=14)


def line_chart(title: str, categories: list[str], series: list[tuple[str, list, object, bool]]) -> Drawing:
    """Lines over categories (months): series are (name, values, colour, dashed)."""
    drawing = _drawing(title)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 40, 48, WIDTH - 60, HEIGHT - 86
    chart.data = [[value or 0 for value in values] for _, values, _, _ in series]
    chart.categoryAxis.categoryNames = categories
    chart.valueAxis.valueMin = 0
    top = max([max(row) for row in chart.data if row] + [1])
    chart.valueAxis.valueMax = top * 1.15 if top > 4 else 5
    for index, (_, _, colour, dashed) in enumerate(series):
        chart.lines[index].strokeColor = colour
        chart.lines[index].strokeWidth = 1.8
        if dashed:
            chart.lines[index].strokeDashArray = (4, 3)
    _axis_fonts(chart)
    drawing.add(chart)
    drawing.add(_legend([(colour, name) for name, _, colour, _ in series], 16))
    return drawing


def grouped_bars(title: str, categories: list[str], series: list[tuple[str, list, object]]) -> Drawing:
    """Vertical bars, one group per category, one bar per series (this period against the previous one)."""
    drawing = _drawing(title)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 48, WIDTH - 60, HEIGHT - 86
    chart.data = [[value or 0 for value in values] for _, values, _ in series]
    chart.categoryAxis.categoryNames = [_short(name, 22) for name in categories]
    chart.valueAxis.valueMin = 0
    top = max([max(row) for row in chart.data if row] + [1])
    chart.valueAxis.valueMax = top * 1.2 if top > 4 else 5
    for index, (_, _, colour) in enumerate(series):
        chart.bars[index].fillColor = colour
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName, chart.barLabels.fontSize, chart.barLabels.dy = REGULAR, 7, 6
    _axis_fonts(chart)
    drawing.add(chart)
    drawing.add(_legend([(colour, name) for name, _, colour in series], 16))
    return drawing


def _legend(pairs, y) -> Legend:
    """One line of colour keys, centred under the chart."""
    legend = Legend()
    step = min(120, (WIDTH - 40) / max(len(pairs), 1))
    legend.x, legend.y = (WIDTH - step * len(pairs)) / 2 + 10, y
    legend.fontName, legend.fontSize = REGULAR, 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = step
    legend.colorNamePairs = [(colour, nfc(name)) for colour, name in pairs]
    return legend


def svg(drawing: Drawing) -> str:
    """The drawing as inline SVG for a page (the page serves the same font through @font-face). Its ids are made
    unique: several charts share a page, and a `url(#clip)` resolves to the first element with that id, so every
    chart would be clipped to the first chart's size (a shorter first chart cut the others' titles off)."""
    text = renderSVG.drawToString(drawing)
    start = text.find("<svg")
    text = text[start:] if start >= 0 else text
    suffix = next(_svg_ids)
    return (text.replace('id="clip"', f'id="clip-{suffix}"').replace("url(#clip)", f"url(#clip-{suffix})")
            .replace('id="group"', f'id="group-{suffix}"'))


_svg_ids = itertools.count(1)
