"""The receipt's QR code: encoded once, drawn as one filled path.

reportlab's QrCodeWidget draws each dark module as a shape of its own (about 370 for a status address) and picks
the mask by building the whole symbol eight times; together that was most of a receipt's rendering time. Here
the symbol is built with reportlab's encoder, the eight masks are scored on rows held as integers (the penalty
rules of ISO/IEC 18004 §7.8.3), and the dark modules go to the page as rectangles merged along rows and columns,
filled as one path: vector, so as sharp as the printer.
"""
import re
from functools import lru_cache

from reportlab.graphics.barcode.qrencoder import (EXP_TABLE, LOG_TABLE, QRCode, QRErrorCorrectLevel, QRPolynomial,
                                                  QRUtil)
from reportlab.lib import colors
from reportlab.platypus import Flowable

QUIET_ZONE = 4  # modules of light margin on each side
MASKS = [QRUtil.getMask(number) for number in range(8)]  # each (row, column) -> True where it flips


def _remainder(self, divisor):
    """QRPolynomial.mod, the Reed-Solomon remainder, as a loop over the log tables instead of a new polynomial
    (and a recursive call) per data codeword; the same result (tests/test_receipt_qr.py checks it)."""
    num, size = list(self.num), len(divisor.num)
    logs = [LOG_TABLE[coefficient] for coefficient in divisor.num]
    start = 0
    while len(num) - start >= size:
        lead = num[start]
        if lead:
            ratio = LOG_TABLE[lead] - logs[0]
            for index in range(size):
                num[start + index] ^= EXP_TABLE[(logs[index] + ratio) % 255]
        start += 1
    return QRPolynomial(num[start:], 0)  # leading zeros dropped, as reportlab's own does


# reportlab builds the generator polynomial anew for every block of every symbol (it depends only on the number of
# error correction codewords, and nothing changes it once built), and divides by it one codeword at a time.
if not hasattr(QRUtil.getErrorCorrectPolynomial, "cache_info"):
    QRUtil.getErrorCorrectPolynomial = staticmethod(lru_cache(maxsize=64)(QRUtil.getErrorCorrectPolynomial))
REPORTLAB_REMAINDER = QRPolynomial.__dict__.get("reportlab_mod", QRPolynomial.mod)
QRPolynomial.reportlab_mod = REPORTLAB_REMAINDER
QRPolynomial.mod = _remainder
RUN = re.compile(r"00000+|11111+")
FINDER_LIKE = ("00001011101", "10111010000")  # neither overlaps itself: counting is exact
LEVEL = QRErrorCorrectLevel.M


def _row_bits(row) -> int:
    bits = 0
    for dark in row:
        bits = (bits << 1) | bool(dark)
    return bits


def penalty(rows: list[int], size: int) -> int:
    """The mask penalty of a symbol given as one integer per row (the first module the highest bit)."""
    texts = [format(row, f"0{size}b") for row in rows]
    lines = "2".join(texts + ["".join(column) for column in zip(*texts)])  # "2" ends a run at each line's end
    score = sum(len(run) - 2 for run in RUN.findall(lines))  # N1: 3 + (length - 5) for each run of 5 or more
    score += 40 * sum(lines.count(pattern) for pattern in FINDER_LIKE)  # N3
    full, pairs = (1 << size) - 1, (1 << (size - 1)) - 1
    for upper, lower in zip(rows, rows[1:]):  # N2: 2×2 blocks of one colour
        dark = upper & lower & (upper >> 1) & (lower >> 1) & pairs
        light = ~upper & ~lower & ~(upper >> 1) & ~(lower >> 1) & pairs & full
        score += 3 * (dark.bit_count() + light.bit_count())
    dark_share = sum(row.bit_count() for row in rows) * 100 // (size * size)
    return score + 10 * (abs(dark_share - 50) // 5)  # N4


@lru_cache(maxsize=8)
def _layout(version: int):
    """What every symbol of a version shares: the data modules' places (in reportlab's order), the function
    patterns (format bits light, as masks are scored), and each mask as bits over the data modules."""
    code = QRCode(version, LEVEL)
    code.makeImpl(True, 0)
    size = code.moduleCount
    positions = [(r, c) for c, r in code.dataPosIterator()]  # reportlab gives (column, row)
    places = [0] * size
    for r, c in positions:
        places[r] |= 1 << (size - 1 - c)
    fixed = [_row_bits(row) & ~place for row, place in zip(code.modules, places)]
    masks = []
    for mask in MASKS:
        bits = [0] * size
        for r, c in positions:
            if mask(r, c):
                bits[r] |= 1 << (size - 1 - c)
        masks.append(bits)
    return size, positions, places, fixed, masks


def matrix(value: str) -> list[list[bool]]:
    """The modules of `value`'s QR code (error correction M), with the mask of least penalty."""
    code = QRCode(None, LEVEL)
    code.addData(value)
    code.version = code.calculate_version()
    code.dataCache = QRCode.createData(code.version, LEVEL, code.dataList)
    size, positions, places, fixed, masks = _layout(code.version)
    data = [0] * size
    for (r, c), dark in zip(positions, code.dataBitIterator(code.dataCache)):
        if dark:
            data[r] |= 1 << (size - 1 - c)
    symbols = [[f | ((d ^ m) & p) for f, d, m, p in zip(fixed, data, mask, places)] for mask in masks]
    scores = [penalty(rows, size) for rows in symbols]
    best = scores.index(min(scores))
    code.moduleCount = size
    code.modules = [[bool(row >> (size - 1 - c) & 1) for c in range(size)] for row in symbols[best]]
    code.setupTypeInfo(False, best)  # the format bits of the chosen mask, and the dark module
    if code.version >= 7:
        code.setupTypeNumber(False)
    return code.modules


def rectangles(modules: list[list[bool]]) -> list[tuple[int, int, int, int]]:
    """(column, row, width, height) in modules covering the dark ones: runs along each row, stacked down the rows
    while a run repeats exactly."""
    open_runs: dict[tuple[int, int], list[int]] = {}
    done = []
    for r, row in enumerate(modules):
        runs, c, size = set(), 0, len(row)
        while c < size:
            if row[c]:
                start = c
                while c < size and row[c]:
                    c += 1
                runs.add((start, c))
            else:
                c += 1
        for key in list(open_runs):
            if key not in runs:
                top, height = open_runs.pop(key)
                done.append((key[0], top, key[1] - key[0], height))
        for key in runs:
            if key in open_runs:
                open_runs[key][1] += 1
            else:
                open_runs[key] = [r, 1]
    done += [(key[0], top, key[1] - key[0], height) for key, (top, height) in open_runs.items()]
    return sorted(done, key=lambda rect: (rect[1], rect[0]))


class QrCode(Flowable):
    """A square QR code of `size` points, quiet zone included, drawn as one path."""

    def __init__(self, value: str, size: float):
        super().__init__()
        self.value, self.size = value, size
        self.modules = matrix(value)
        self.width = self.height = size

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self):
        count = len(self.modules)
        module = self.size / (count + 2 * QUIET_ZONE)
        top = self.size - QUIET_ZONE * module
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(colors.black)
        path = canvas.beginPath()
        for column, row, width, height in rectangles(self.modules):
            path.rect((QUIET_ZONE + column) * module, top - (row + height) * module, width * module, height * module)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.restoreState()
