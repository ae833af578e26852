"""Stored papers (onestop.files): content checks, content-addressed storage on disk or S3, verification.

Knows no application: callers hand it bytes and get back the SHA-256 they keep; who may read a file is the
caller's question."""
from .checks import Checked, UploadRefused, check_upload, max_upload_bytes  # noqa: F401
from .scans import images_to_pdf  # noqa: F401
from .services import (Storing, exists, finish_storing, presigned_or_none, read, start_storing, store,  # noqa: F401
                       store_many, verify)
from .storage import Missing  # noqa: F401
