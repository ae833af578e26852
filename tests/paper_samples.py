"""Papers for tests: a real PDF, a phone photo, a screenshot, and the hostile files the desk must refuse."""
import struct
import zipfile
import zlib
from io import BytesIO

from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def pdf(pages: int = 1, text: str = "Căn cước") -> bytes:
    out = BytesIO()
    page = canvas.Canvas(out, pagesize=A4, invariant=1)
    for number in range(pages):
        page.drawString(72, 720, f"{text} {number + 1}")
        page.showPage()
    page.save()
    return out.getvalue()


def jpeg(size=(64, 48), colour=(200, 30, 30)) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG", quality=80)
    return out.getvalue()


def png(size=(40, 30), mode="RGB", colour=(10, 120, 200)) -> bytes:
    out = BytesIO()
    Image.new(mode, size, colour if mode == "RGB" else (*colour, 128)).save(out, format="PNG")
    return out.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png_bomb(width=30_000, height=30_000) -> bytes:
    """A PNG that says it is 30,000 × 30,000 (900 megapixels, 2.7 GB decoded) in a few hundred bytes: its header
    is honest and well-formed, and the image data is a tiny deflate stream, as a bomb's would be (it need not be
    complete: the check must refuse it before reading it)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\x00" * (width * 3 + 1) * 4, 9)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def truncated_pdf() -> bytes:
    return pdf()[:300]


def jpeg_with_pdf_header() -> bytes:
    """A JPEG whose comment carries a PDF header in the first kilobyte: an image to one program, a PDF to another."""
    image = jpeg()
    comment = b"%PDF-1.4\n1 0 obj<<>>endobj\n"
    return image[:2] + b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment + image[2:]


def pdf_with_zip() -> bytes:
    """A valid PDF with a zip archive appended: a PDF to a reader, an archive to an unzipper."""
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.html", "<script>alert(1)</script>")
    return pdf() + out.getvalue()


def encrypted_pdf(user_password: str = "mat-khau") -> bytes:
    """A PDF that opens only with a password (or, with an empty user password, opens for anyone)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf(pages=2))))
    writer.encrypt(user_password, owner_password="chu-so-huu")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
