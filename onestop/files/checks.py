"""What an uploaded paper is, judged by its content (never by its name or the browser's word): a PDF that parses,
or a JPEG or PNG photo or scan of reasonable size. Anything else, or anything that could be read as two kinds at
once (a polyglot), is refused with a message for the sender."""
import threading
import unicodedata
import zipfile
from dataclasses import dataclass
from io import BytesIO

from flask import current_app, has_app_context
from flask_babel import gettext as _

PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MIMETYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PIXELS = 100_000_000  # a 108-megapixel phone photo is the largest honest scan
MAX_NAME_LENGTH = 200
# A PDF reader looks for its header anywhere in the first kilobyte; a file of another kind carrying one there is
# read as a PDF by some programs and as its own kind by others.
PDF_HEADER_WINDOW = 1024
PDFIUM_PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD
_PDFIUM = threading.Lock()


class UploadRefused(ValueError):
    """A file the rules refuse; str(error) is the Vietnamese message for the sender."""


@dataclass(frozen=True)
class Checked:
    """A file that passed every check: its kind, bytes, MIME type, a safe display name and its page count."""

    kind: str  # pdf | jpeg | png
    data: bytes
    mimetype: str
    name: str
    pages: int

    @property
    def size(self) -> int:
        return len(self.data)


def _config(name: str, default: int) -> int:
    return int(current_app.config.get(name) or default) if has_app_context() else default


def max_upload_bytes() -> int:
    return _config("UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


def check_upload(name: str, data: bytes, *, max_bytes: int | None = None) -> Checked:
    """The file if it is a PDF, JPEG or PNG within the limits and unambiguous; else UploadRefused."""
    limit = max_bytes if max_bytes is not None else max_upload_bytes()
    shown = safe_name(name)
    if not data:
        raise UploadRefused(_("Tệp %(name)s rỗng (0 byte).", name=shown))
    if len(data) > limit:
        raise UploadRefused(_("Tệp %(name)s quá lớn: tối đa %(size)s MB mỗi tệp.", name=shown,
                              size=f"{limit / 1024 / 1024:g}"))
    kind = sniff(data)
    if kind is None:
        raise UploadRefused(_("Tệp %(name)s không phải PDF, JPEG hay PNG (nhận biết theo nội dung, không theo "
                              "tên tệp).", name=shown))
    _refuse_polyglot(kind, data, shown)
    pages = _pdf_pages(data, shown) if kind == "pdf" else _image_pages(kind, data, shown)
    if "." not in shown:
        shown = f"{shown}.{EXTENSIONS[kind]}"
    return Checked(kind=kind, data=data, mimetype=MIMETYPES[kind], name=shown, pages=pages)


def safe_name(name: str | None) -> str:
    """The name to show and to offer on download. A name with path parts or control characters is refused (a
    sender who typed them meant something we must not guess at); no name at all becomes "giay-to"."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name:
        return "giay-to"
    if "/" in name or "\\" in name or name in (".", "..") or any(
            unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in name):
        raise UploadRefused(_("Tên tệp không hợp lệ (có đường dẫn hoặc ký tự điều khiển): hãy đổi tên tệp rồi "
                              "gửi lại."))
    if len(name) > MAX_NAME_LENGTH:
        raise UploadRefused(_("Tên tệp dài quá %(count)d ký tự.", count=MAX_NAME_LENGTH))
    return name


def sniff(data: bytes) -> str | None:
    if data.startswith(PDF_MAGIC):
        return "pdf"
    if data.startswith(JPEG_MAGIC):
        return "jpeg"
    if data.startswith(PNG_MAGIC):
        return "png"
    return None


def _refuse_polyglot(kind: str, data: bytes, shown: str) -> None:
    ambiguous = (kind != "pdf" and PDF_MAGIC in data[:PDF_HEADER_WINDOW]) or _is_zip(data)
    if ambiguous:
        raise UploadRefused(_("Tệp %(name)s có thể được đọc thành nhiều loại tệp khác nhau nên không được nhận; "
                              "hãy lưu lại thành PDF hoặc ảnh rồi gửi.", name=shown))


def _is_zip(data: bytes) -> bool:
    # a zip is found from its end (the central directory), whatever comes first
    if data.rfind(b"PK\x05\x06", max(0, len(data) - (65536 + 22))) < 0:  # searched in place, not copied
        return False
    return zipfile.is_zipfile(BytesIO(data))


def _pdf_pages(data: bytes, shown: str) -> int:
    """The page count of a PDF that PDFium (the parser of Chromium, through pypdfium2) opens without a password;
    else UploadRefused. PDFium is C: about 0.03 ms for a 1 MB scan where pypdf took 0.4 ms."""
    import pypdfium2

    try:
        with _PDFIUM:  # PDFium is not safe to call from two threads at once
            document = pypdfium2.PdfDocument(data)
            try:
                pages = len(document)
            finally:
                document.close()
    except pypdfium2.PdfiumError as error:
        if getattr(error, "err_code", None) == PDFIUM_PASSWORD_ERROR:
            raise UploadRefused(_("Tệp PDF %(name)s có mật khẩu: hãy gửi bản không đặt mật khẩu.", name=shown)) from None
        pages = 0
    if pages < 1:
        raise UploadRefused(_("Tệp %(name)s không đọc được như một tệp PDF (hỏng hoặc không đầy đủ).", name=shown))
    return pages


def _image_pages(kind: str, data: bytes, shown: str) -> int:
    from PIL import Image, UnidentifiedImageError

    broken = UploadRefused(_("Ảnh %(name)s hỏng hoặc không đầy đủ.", name=shown))
    if kind == "png" and len(data) >= 24 and data[12:16] == b"IHDR":  # before Pillow's own, larger, guard
        _refuse_too_many_pixels(int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big"), shown)
    try:
        with Image.open(BytesIO(data), formats=["JPEG" if kind == "jpeg" else "PNG"]) as image:
            _refuse_too_many_pixels(*image.size, shown)  # read from the header: nothing is decoded yet
            image.verify()  # walks the structure and its checksums without decoding the pixels
    except UploadRefused:
        raise
    except Image.DecompressionBombError:
        raise UploadRefused(_("Ảnh %(name)s quá lớn.", name=shown)) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise broken from None
    return 1


def _refuse_too_many_pixels(width: int, height: int, shown: str) -> None:
    if width * height > _config("UPLOAD_MAX_PIXELS", DEFAULT_MAX_PIXELS):
        raise UploadRefused(_("Ảnh %(name)s quá lớn (%(width)d × %(height)d điểm ảnh).", name=shown,
                              width=width, height=height))
