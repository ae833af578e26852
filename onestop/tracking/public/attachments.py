"""A complaint's attachment: a PDF or an image, judged by its content (never by its name or the browser's word),
size-limited, stored under the instance folder (outside the web root, under a name of our own) and served only
to staff who may see the complaint."""
import uuid
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from ...text import clean
from ...timeutil import local, now

IMAGES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
PDF_MAGIC = b"%PDF-"


class AttachmentError(ValueError):
    """A file the rules refuse; the message is for the sender."""


@dataclass(frozen=True)
class Attachment:
    data: bytes
    mimetype: str
    extension: str
    name: str  # as the sender named it, for staff (never used as a path)


def max_bytes() -> int:
    return int(current_app.config["COMPLAINT_ATTACHMENT_MAX_BYTES"])


def folder() -> Path:
    return Path(current_app.config.get("COMPLAINT_FILES") or Path(current_app.instance_path) / "complaints")


def read_upload(upload) -> tuple[str, bytes] | None:
    """(file name, bytes) of an uploaded file, reading at most one byte over the limit; None when none was sent."""
    if upload is None or not getattr(upload, "filename", ""):
        return None
    return upload.filename, upload.stream.read(max_bytes() + 1)


def check(name: str, data: bytes) -> Attachment:
    """The file if it is a PDF or a JPEG, PNG or WebP image within the size limit; else AttachmentError."""
    limit = max_bytes()
    if not data:
        raise AttachmentError(_("Tệp đính kèm rỗng."))
    if len(data) > limit:
        raise AttachmentError(_("Tệp đính kèm tối đa %(size)s MB.", size=f"{limit / 1024 / 1024:g}"))
    shown = (clean(Path(name.replace("\\", "/")).name) or "tep")[:200]
    if data.startswith(PDF_MAGIC):
        return Attachment(data, "application/pdf", "pdf", shown)
    try:
        with Image.open(BytesIO(data)) as image:
            kind = image.format
            image.verify()  # reads the whole structure: a truncated or forged file fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        kind = None
    if kind not in IMAGES:
        raise AttachmentError(_("Chỉ nhận tệp PDF hoặc ảnh (JPG, PNG, WebP)."))
    mimetype, extension = IMAGES[kind]
    return Attachment(data, mimetype, extension, shown)


def store(attachment: Attachment) -> str:
    """Write the file under a random name; the path relative to the attachments folder."""
    month = local(now())
    relative = Path(f"{month:%Y}") / f"{month:%m}" / f"{uuid.uuid4().hex}.{attachment.extension}"
    target = folder() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "xb") as handle:
        handle.write(attachment.data)
    return relative.as_posix()


def path_of(relative: str) -> Path | None:
    """The stored file's full path, only if it lies inside the attachments folder and exists."""
    base = folder().resolve()
    target = (base / relative).resolve()
    if base not in target.parents or not target.is_file():
        return None
    return target


def remove(relative: str | None) -> None:
    """Delete a file written for a complaint that was then not saved."""
    target = path_of(relative) if relative else None
    if target is not None:
        target.unlink(missing_ok=True)
