"""Default settings; the instance's config.py and the environment override them."""
import os

SECRET_KEY = None
SQLALCHEMY_DATABASE_URI = None  # filled in create_app: instance/onestop.db
SQLALCHEMY_ENGINE_OPTIONS: dict = {}
# Base of the public status address printed in the receipt's QR code. Set it in production; unset, the receipt
# uses the address the desk reached the app at (so `make run PORT=5050` prints QR codes for port 5050).
PUBLIC_BASE_URL = None
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
# Where every worker's rate-limit counters meet: the app's own database (no extra service), or Redis
# ("redis://host:6379/0") for a large site. "memory://" counts in each process alone: one worker only.
RATELIMIT_STORAGE_URI = "database://"
RATELIMIT_HEADERS_ENABLED = True
# Sign-in throttling (onestop.auth.throttle), failed passwords only: one account from one address, one address
# over all accounts, one account from all addresses (past that, only the owner's recent addresses get in).
LOGIN_LIMIT_PER_ACCOUNT = "10 per 15 minutes"
LOGIN_LIMIT_PER_ADDRESS = "50 per 15 minutes"
LOGIN_LIMIT_PER_ACCOUNT_ALL_ADDRESSES = "100 per hour"
LOGIN_KNOWN_ADDRESS_DAYS = 30
# A count full of attempts still being checked (not yet failures) makes the next attempt wait for them, this long
# at most, instead of refusing a password that may be right.
LOGIN_WAIT_SECONDS = 10
# Reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed (ONESTOP_TRUSTED_PROXIES=1
# behind one nginx). 0: the client's address is the connection's; a client cannot claim another.
TRUSTED_PROXIES = 0
HSTS_MAX_AGE = 365 * 24 * 3600  # sent only with SESSION_COOKIE_SECURE (the site is served over HTTPS)
API_PAGE_SIZE = 50
# The citizens' side (onestop.tracking): look-ups of a file and complaints, limited per client address (and, for
# look-ups by the last 4 digits of a phone, per application code); counters in RATELIMIT_STORAGE_URI.
TRACKING_LOOKUP_LIMIT = "120 per 10 minutes"
TRACKING_FAILED_LOOKUP_LIMIT = "20 per 10 minutes"
TRACKING_PHONE_LIMIT_PER_CODE = "10 per hour"
COMPLAINT_LIMIT_PER_ADDRESS = "5 per hour"
COMPLAINT_MAX_LENGTH = 4000
COMPLAINT_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
COMPLAINT_FILES = None  # where attachments are kept; instance/complaints when unset (never under static/)
# The morning digest's mail server (flask --app wsgi digest send, from cron). No server: nothing is sent.
MAIL_SERVER = None
MAIL_PORT = 25
MAIL_USE_TLS = False  # STARTTLS after connecting
MAIL_USE_SSL = False  # SMTP over TLS from the start (port 465)
MAIL_USERNAME = None
MAIL_PASSWORD = None
MAIL_SENDER = "Một cửa <motcua@localhost>"
MAIL_TIMEOUT = 30
# The outbox (onestop.outbox): delays before each new attempt, then the message is held for an administrator; the
# time a receiver has to answer.
OUTBOX_RETRY_SECONDS = "60,300,1800,7200,21600"
OUTBOX_TIMEOUT = 10
# The national public-service portal (DVCQG): with any of these unset, nothing is queued for it.
PORTAL_LOGIN_URL = None
PORTAL_DOSSIER_URL = None
PORTAL_PROGRESS_URL = None
PORTAL_UNIT_CODE = None
PORTAL_USERNAME = None
PORTAL_PASSWORD = None
PORTAL_LINK_SECONDS = 30 * 24 * 3600  # how long the portal may fetch an attached file by its signed link
# SMS through the province's HTTP gateway: a JSON body made from SMS_TEMPLATE with {phone} and {text}. No SMS_URL:
# no SMS is queued. Without SMS_UNICODE, texts go without tone marks in one 160-character segment.
SMS_URL = None
SMS_USERNAME = None
SMS_PASSWORD = None
SMS_TEMPLATE = '{"to": "{phone}", "text": "{text}"}'
SMS_UNICODE = False
# Base of the staff pages in e-mails (defaults to PUBLIC_BASE_URL).
STAFF_BASE_URL = None
# How long a worker keeps a rendered public status page (dropped at once when it records a change); 0: off.
STATUS_PAGE_CACHE_SECONDS = 30
# How long a worker keeps the working calendar and the settings it read (a change made through the worker itself is
# seen at once; one made on another host within this many seconds); 0: read them on every use.
CONFIG_CACHE_SECONDS = 5
# Digitised papers (onestop.files): per file, per online submission, and the largest image accepted (pixels).
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
SUBMISSION_MAX_BYTES = 50 * 1024 * 1024
UPLOAD_MAX_PIXELS = 100_000_000
# Where stored papers are kept: "disk" (FILES_DIR, default instance/files) or "s3" (an S3-compatible bucket:
# MinIO, Ceph, a cloud's; the `s3` extra installs boto3).
FILES_STORAGE = "disk"
FILES_DIR = None
FILES_S3_BUCKET = None
FILES_S3_ENDPOINT_URL = None
FILES_S3_REGION = None
FILES_S3_ACCESS_KEY = None
FILES_S3_SECRET_KEY = None
# A whole online submission (SUBMISSION_MAX_BYTES) and the form around it fit in one request.
MAX_CONTENT_LENGTH = 64 * 1024 * 1024
# Online submissions (/nop-ho-so, POST /api/v1/submissions), per client address, counted like the look-ups: every
# upload attempt (a form sent with files, a supplement) and, of those, the submissions made.
ONLINE_UPLOAD_LIMIT = "60 per hour"
ONLINE_SUBMISSION_LIMIT = "10 per hour"
# Online payment through the national payment platform (onestop.fees.gateway): its address, our partner code and
# the shared secret of the checksums. With any of the three unset, online payment is not offered.
PAYMENT_URL = None
PAYMENT_PARTNER_CODE = None
PAYMENT_SECRET = None
PAYMENT_TIMEOUT = 10  # seconds to wait for the platform
# The receipts' form number (mẫu số) and series symbol (ký hiệu; {agency} the collecting agency's code, {yy} the year)
FEE_RECEIPT_FORM = "01BLP0-001"
FEE_RECEIPT_SYMBOL = "{agency}-BL{yy}"


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
