"""Where stored files live, addressed by their SHA-256: the local disk under the instance folder (default), or an
S3-compatible bucket (FILES_STORAGE = "s3"). Both keep a file under <ab>/<cd>/<sha256>; writing the same bytes
twice is one file."""
import hashlib
import os
import secrets
import tempfile
from concurrent.futures import Future
from pathlib import Path

from flask import current_app

EXTENSION_KEY = "onestop_files"
INCOMING = ".incoming"  # on disk: files being written whose address is not known yet (DiskStore.put_named)
HOLD_SECONDS = 60


class Missing(LookupError):
    """No stored file has that address."""


def address(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def relative_key(sha256: str) -> str:
    if len(sha256) != 64 or any(ch not in "0123456789abcdef" for ch in sha256):
        raise Missing(sha256)  # never a path built from anything but a hash
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


def wanted(kept: Future | None) -> bool:
    """Whether a file held back (put_named's `kept`) is to be kept; one nobody decides on within a minute is not."""
    if kept is None:
        return True
    try:
        return bool(kept.result(timeout=HOLD_SECONDS))
    except TimeoutError:
        return False


class DiskStore:
    name = "disk"

    def __init__(self, root: Path):
        self.root = Path(root)
        self._made: dict[str, str] = {}  # folders known to exist (at most 65,537)

    def path(self, sha256: str) -> Path:
        return self.root / relative_key(sha256)

    def put(self, sha256: str, data: bytes, mimetype: str) -> None:
        target = self.path(sha256)
        if target.is_file():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        # written beside its final place, then renamed: a reader never sees half a file
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def put_named(self, data: bytes, mimetype: str, named: Future, kept: Future | None = None) -> None:
        """As put, for bytes whose address is still being computed (`named` gives it): the bytes go to a file of
        their own at once and are flushed to disk, then moved to their place under the address once `kept` says
        they are wanted (None: at once); else, or when the same bytes are kept already, the file is dropped. The
        disk works on a paper while it is hashed and while its request finds out whether it wants it (issue 16)."""
        # Few calls into the system: each one hands the interpreter back and forth with the request's thread.
        temporary = os.path.join(self.directory(INCOMING), f"{secrets.token_hex(12)}.part")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        handle = self._in_folder(INCOMING, lambda: os.open(temporary, flags, 0o600))
        try:
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(handle, view):]
                os.fsync(handle)  # before the address is known: the disk's longest step starts at once
            finally:
                os.close(handle)
            sha256 = named.result()
            if self.path(sha256).is_file() or not wanted(kept):  # kept already (the same bytes), or not wanted
                os.unlink(temporary)
                return
            folder = os.path.dirname(relative_key(sha256))
            target = os.path.join(self.directory(folder), sha256)
            self._in_folder(folder, lambda: os.replace(temporary, target))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _in_folder(self, relative: str, call):
        """call() on a path in a folder made before; once more when the folder was removed since (made again)."""
        try:
            return call()
        except FileNotFoundError:
            self._made.clear()
            self.directory(relative)
            return call()

    def directory(self, relative: str) -> str:
        """The folder under the root, made on first use (remembered: most calls find it there)."""
        found = self._made.get(relative)
        if found is None:
            found = str(self.root / relative)
            os.makedirs(found, exist_ok=True)
            self._made[relative] = found
        return found

    def get(self, sha256: str) -> bytes:
        try:
            return self.path(sha256).read_bytes()
        except FileNotFoundError:
            raise Missing(sha256) from None

    def has(self, sha256: str) -> bool:
        try:
            return self.path(sha256).is_file()
        except Missing:
            return False

    def presigned(self, sha256: str, seconds: int) -> str | None:
        return None


class S3Store:
    name = "s3"

    def __init__(self, bucket: str, client):
        self.bucket = bucket
        self.client = client

    def put(self, sha256: str, data: bytes, mimetype: str) -> None:
        if self.has(sha256):
            return
        self.client.put_object(Bucket=self.bucket, Key=relative_key(sha256), Body=data, ContentType=mimetype)

    def put_named(self, data: bytes, mimetype: str, named: Future, kept: Future | None = None) -> None:
        sha256 = named.result()  # a bucket's key is the address: nothing to send before it
        if wanted(kept):
            self.put(sha256, data, mimetype)

    def get(self, sha256: str) -> bytes:
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=relative_key(sha256))["Body"].read()
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise Missing(sha256) from None
            raise

    def has(self, sha256: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=relative_key(sha256))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                return False
            raise
        except Missing:
            return False
        return True

    def presigned(self, sha256: str, seconds: int) -> str | None:
        return self.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": relative_key(sha256)}, ExpiresIn=seconds)


def backend():
    """The app's store, made once per app from its configuration."""
    made = current_app.extensions.get(EXTENSION_KEY)
    if made is None:
        made = current_app.extensions[EXTENSION_KEY] = _make(current_app.config)
    return made


def _make(config):
    if (config.get("FILES_STORAGE") or "disk") == "s3":
        import boto3  # the `s3` extra: only a site that stores in a bucket needs it
        from botocore.config import Config

        client = boto3.client(
            "s3", endpoint_url=config.get("FILES_S3_ENDPOINT_URL") or None,
            region_name=config.get("FILES_S3_REGION") or "us-east-1",
            aws_access_key_id=config.get("FILES_S3_ACCESS_KEY") or None,
            aws_secret_access_key=config.get("FILES_S3_SECRET_KEY") or None,
            config=Config(signature_version="s3v4", retries={"max_attempts": 3}))
        if not config.get("FILES_S3_BUCKET"):
            raise RuntimeError("FILES_STORAGE = 's3' needs FILES_S3_BUCKET")
        return S3Store(config["FILES_S3_BUCKET"], client)
    return DiskStore(Path(config.get("FILES_DIR") or Path(current_app.instance_path) / "files"))
