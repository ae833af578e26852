"""What makes a password acceptable (NIST SP 800-63B, 5.1.1.2), and a dummy hash so unknown names take as long.

At least 8 characters, not only spaces, not the user name, not in the shipped lists of common passwords
(`common_passwords/*.txt`, compared ignoring case). No rules on character classes, no forced expiry: NIST
advises against both. Hashing stays werkzeug's scrypt.
"""
from functools import lru_cache
from pathlib import Path

from flask import current_app, has_app_context
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 8
MAX_LENGTH = 256  # long enough for any passphrase; a bound on the work each hash takes
LISTS = Path(__file__).resolve().parent / "common_passwords"


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """Every entry of the shipped lists, case-folded (a line starting "# " is a comment)."""
    found = set()
    for path in sorted(LISTS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("# "):
                found.add(line.strip().casefold())
    return frozenset(found)


def problem(password: str | None, username: str | None = None) -> str | None:
    """Why this password may not be set, in words for the user; None when it is acceptable."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return _("Mật khẩu phải có ít nhất %(n)s ký tự.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Mật khẩu dài quá %(n)s ký tự.", n=MAX_LENGTH)
    if not typeable(password):
        return _("Mật khẩu chứa ký tự không dùng được.")
    if not password.strip():
        return _("Mật khẩu không được chỉ gồm khoảng trắng.")
    if username and password.strip().casefold() == username.strip().casefold():
        return _("Mật khẩu không được trùng với tên đăng nhập.")
    if password.strip().casefold() in common_passwords():
        return _("Mật khẩu này quá phổ biến, dễ bị đoán ra. Hãy chọn mật khẩu khác (ví dụ một câu ngắn dễ nhớ).")
    return None


def hashable(password: str) -> bool:
    """A lone surrogate cannot be encoded, so it can be neither hashed nor ever match."""
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def typeable(password: str) -> bool:
    """No control characters (a password field cannot take them) and nothing that cannot be encoded.

    Also closes HMAC's quirk: a key is padded with NUL bytes, so "demo\x00" would hash exactly like "demo"."""
    return hashable(password) and not any(ord(ch) < 32 or ord(ch) == 127 for ch in password)


def hash_method() -> str:
    return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"


def make_hash(password: str) -> str:
    return generate_password_hash(password, method=hash_method())


def matches(password_hash: str, password: str | None) -> bool:
    """Whether the password fits the hash; a password that cannot be hashed never does."""
    password = password or ""
    if not typeable(password):
        check_password_hash(password_hash, password.encode("utf-8", "replace").decode("utf-8"))  # the same work
        return False
    return check_password_hash(password_hash, password)


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    return generate_password_hash("no account has this password", method=method)


def spend_like_a_check(password: str | None) -> None:
    """Hash the password against a dummy, so a name with no account answers as slowly as one with."""
    matches(_dummy_hash(hash_method()), password)
