"""The receipt's QR code: the same symbol reportlab's encoder makes, drawn as one filled path of merged
rectangles (vector: sharp in print), read back by zxing from the rendered page."""
import io
import re

import pypdfium2
import pytest
import zxingcpp
from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas

from onestop.pdf import qr

URLS = ["https://motcua.example.vn/tra-cuu/000.00.01.H38-260915-0001?k=ABCD-EFGH-JKMN", "x",
        "https://motcua.example.vn/tra-cuu/" + "000.26.00.H38-271231-12345" * 8]  # versions 4, 1 and 13


def reportlab_symbol(value: str, mask: int) -> list[list[bool]]:
    code = QRCode(None, QRErrorCorrectLevel.M)
    code.addData(value)
    code.version = code.calculate_version()
    code.makeImpl(False, mask)
    return code.modules


@pytest.mark.parametrize("value", URLS)
def test_the_symbol_is_reportlabs_own_with_one_of_its_eight_masks(value):
    modules = qr.matrix(value)
    assert sum(modules == reportlab_symbol(value, mask) for mask in range(8)) == 1


def test_the_chosen_mask_has_the_least_penalty():
    value = URLS[0]
    scores = []
    for mask in range(8):
        symbol = reportlab_symbol(value, mask)
        size = len(symbol)
        # scored as chosen: format bits and the dark module light
        rows = [qr._row_bits(row) for row in symbol]
        for r, c in [(r, 8) for r in list(range(9)) + list(range(size - 8, size))] + \
                [(8, c) for c in list(range(9)) + list(range(size - 8, size))]:
            if not (r == 6 or c == 6):  # timing pattern modules stay
                rows[r] &= ~(1 << (size - 1 - c))
        scores.append(qr.penalty(rows, size))
    chosen = next(mask for mask in range(8) if reportlab_symbol(value, mask) == qr.matrix(value))
    assert scores[chosen] == min(scores)


@pytest.mark.parametrize("value", URLS[:2])
def test_the_rectangles_cover_exactly_the_dark_modules(value):
    modules = qr.matrix(value)
    covered = set()
    for column, row, width, height in qr.rectangles(modules):
        cells = {(row + dr, column + dc) for dr in range(height) for dc in range(width)}
        assert not cells & covered
        covered |= cells
    assert covered == {(r, c) for r, line in enumerate(modules) for c, dark in enumerate(line) if dark}
    assert len(qr.rectangles(modules)) < 0.5 * len(covered)  # merged, not one per module


def test_the_code_is_one_filled_path_that_zxing_reads_at_72_and_300_dpi():
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(5 * cm, 5 * cm), pageCompression=0)
    code = qr.QrCode(URLS[0], 3 * cm)
    code.wrapOn(canvas, 3 * cm, 3 * cm)
    code.drawOn(canvas, 1 * cm, 1 * cm)
    canvas.showPage()
    canvas.save()
    content = buffer.getvalue().decode("latin-1")
    assert len(re.findall(r" re\b", content)) == len(qr.rectangles(code.modules))
    assert len(re.findall(r"\bf\*?\n", content)) == 1
    for scale in (1, 300 / 72):
        image = pypdfium2.PdfDocument(buffer.getvalue())[0].render(scale=scale).to_pil()
        assert [barcode.text for barcode in zxingcpp.read_barcodes(image)] == [URLS[0]]


def test_the_faster_remainder_is_reportlabs_own_result():
    import random

    from reportlab.graphics.barcode.qrencoder import QRPolynomial, QRUtil

    rng = random.Random(5)
    for _ in range(300):
        codewords = [rng.randrange(256) for _ in range(rng.randint(1, 60))]
        count = rng.choice((7, 10, 15, 18, 22, 26, 28, 30))
        generator = QRUtil.getErrorCorrectPolynomial(count)
        if not any(codewords):
            codewords[0] = 1
        data = QRPolynomial(codewords, count)
        assert data.mod(generator).num == qr.REPORTLAB_REMAINDER(QRPolynomial(codewords, count), generator).num


def test_a_paragraph_pushed_to_the_next_page_is_laid_out_again():
    """A paragraph that does not fit at the foot of a page drops its lines and is wrapped again on the next."""
    from pypdf import PdfReader
    from reportlab.platypus import Spacer

    from onestop.pdf.layout import build, para

    flow = [Spacer(1, 25.0 * cm), para("Dòng đầu<br/>dòng hai<br/>dòng ba<br/>dòng bốn"), para("Đoạn sau")]
    data = build(flow, title="thử")
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    assert len(pages) == 2 and "Dòng đầu" in pages[1] and "Dòng đầu" not in pages[0]
