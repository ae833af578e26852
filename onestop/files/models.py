"""The stored files the database knows of: one row per content (SHA-256), whoever refers to it."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime, utcnow
from ..extensions import db


class StoredFile(db.Model):
    """A file kept outside the database (files.storage), by its content's SHA-256."""

    __tablename__ = "stored_file"

    sha256: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    size: Mapped[int] = mapped_column(sa.BigInteger)
    mimetype: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the same PDF with a searchable text layer (files ocr), when one was made
    text_layer_sha256: Mapped[str | None] = mapped_column(sa.String(64))
