"""Default settings; the instance's config.py and the environment override them."""
import os

SECRET_KEY = None
SQLALCHEMY_DATABASE_URI = None  # filled in create_app: instance/onestop.db
SQLALCHEMY_ENGINE_OPTIONS: dict = {}
# Base of the public status address printed in the receipt's QR code.
PUBLIC_BASE_URL = "http://127.0.0.1:5000"
TIMEZONE = "Asia/Ho_Chi_Minh"
BABEL_DEFAULT_LOCALE = "vi"
LANGUAGES = ("vi", "en")
WTF_CSRF_TIME_LIMIT = None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = False  # set True behind HTTPS (ONESTOP_SESSION_COOKIE_SECURE=true)
REMEMBER_COOKIE_HTTPONLY = True
REMEMBER_COOKIE_SAMESITE = "Lax"
PERMANENT_SESSION_LIFETIME = 8 * 3600
RATELIMIT_STORAGE_URI = "memory://"
RATELIMIT_HEADERS_ENABLED = True
# Login throttling: per account and per client address.
LOGIN_LIMIT_PER_ACCOUNT = "10 per 15 minutes"
LOGIN_LIMIT_PER_ADDRESS = "50 per 15 minutes"
API_PAGE_SIZE = 50
# The morning digest's mail server (flask --app wsgi digest send, from cron). No server: nothing is sent.
MAIL_SERVER = None
MAIL_PORT = 25
MAIL_USE_TLS = False  # STARTTLS after connecting
MAIL_USE_SSL = False  # SMTP over TLS from the start (port 465)
MAIL_USERNAME = None
MAIL_PASSWORD = None
MAIL_SENDER = "Một cửa <motcua@localhost>"
MAIL_TIMEOUT = 30
# Base of the staff pages in e-mails (defaults to PUBLIC_BASE_URL).
STAFF_BASE_URL = None
MAX_CONTENT_LENGTH = 32 * 1024 * 1024


def from_environment() -> dict:
    """The plainly named variables a deployment sets (the rest use the ONESTOP_ prefix)."""
    names = ("DATABASE_URL", "SECRET_KEY", "PUBLIC_BASE_URL", "RATELIMIT_STORAGE_URI")
    found = {name: os.environ[name] for name in names if os.environ.get(name)}
    if "DATABASE_URL" in found:
        found["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(found.pop("DATABASE_URL"))
    return found


def normalise_database_url(url: str) -> str:
    """Point bare PostgreSQL URLs at psycopg 3 (SQLAlchemy would pick psycopg2)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
