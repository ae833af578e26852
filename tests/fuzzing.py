"""What the fuzz suites share: hostile values, a request counter, row counts, and the stored-value-renders check.

Every request a fuzz test makes goes through `counted(app)`, which wraps the WSGI app: the session summary
(`fuzzed N requests, M server errors`) is the figure the issue's closing note quotes.
"""
import io
import json

import sqlalchemy as sa
from hypothesis import strategies as st

from onestop.extensions import db

TALLY = {"requests": 0, "server_errors": 0}


def one_file_world(tmp_path_factory, name: str):
    """A counted app on a fresh database with the demo agencies and users, one procedure (birth registration at the
    Sở Tư pháp) and one file received at 09:00 on Friday 9 October 2026: (app, the file's code, its tracking key,
    the procedure's code). The caller drops the tables when done."""
    from datetime import datetime

    from onestop import demo
    from onestop.timeutil import VN
    from tests.conftest import make_app
    from tests.factories import make_procedure, receive

    app = counted(make_app(tmp_path_factory.mktemp(name)))
    with app.app_context():
        agencies = demo.load_agencies()
        users = demo.load_users(agencies)
        db.session.commit()
        birth = make_procedure(agency=agencies["000.00.04.H38"])
        first = receive(users["clerk"], birth, datetime(2026, 10, 9, 9, 0, tzinfo=VN))
        found = (app, first.code, first.tracking_key, birth.code)
        db.session.remove()
    return found


def counted(app):
    """Count every request that reaches the app, and each answer of 500 or more (once per app)."""
    if getattr(app, "_fuzz_counted", False):
        return app
    inner = app.wsgi_app

    def wsgi_app(environ, start_response):
        TALLY["requests"] += 1

        def start(status, headers, exc_info=None):
            if int(status.split()[0]) >= 500:
                TALLY["server_errors"] += 1
            return start_response(status, headers, exc_info)

        return inner(environ, start)

    app.wsgi_app, app._fuzz_counted = wsgi_app, True
    return app


# ------------------------------------------------------------------ hostile values

CONTROL = st.sampled_from(["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x7f", "\u0085", "\u2028", "\u202e", "\ufeff"])
SURROGATE = st.sampled_from(["\ud800", "\udfff", "a\udc80b"])
FORMULA = st.sampled_from(["=1+1", "+SUM(A1:A9)", "-2+3", "@cmd", "=HYPERLINK(\"http://x\",\"y\")", "\t=1"])
MARKUP = st.sampled_from(["<script>alert(1)</script>", "{{7*7}}", "' OR 1=1 --", "%(x)s", "../../etc/passwd",
                          "Robert'); DROP TABLE applications;--"])
# any code point, surrogates included (codec=None): what a JSON body may carry as \\ud800
ANY_TEXT = st.text(st.characters(codec=None), max_size=40)
HOSTILE_TEXT = st.one_of(
    ANY_TEXT, CONTROL, SURROGATE, FORMULA, MARKUP,
    st.text(alphabet="Nguyễn Thị Ánh Đặng ", max_size=30),
    st.builds(lambda c, n: c * n, st.sampled_from(["a", "Ư", "😀"]), st.sampled_from([256, 1001, 20000])),
    st.lists(st.one_of(CONTROL, SURROGATE, FORMULA, st.text(max_size=5)), max_size=5).map("".join),
)
WRONG_TYPES = st.one_of(st.none(), st.booleans(), st.integers(min_value=-2**70, max_value=2**70),
                        st.floats(allow_nan=False, allow_infinity=False), st.lists(st.integers(), max_size=3),
                        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
ANY_VALUE = st.one_of(HOSTILE_TEXT, WRONG_TYPES)
# NaN and Infinity are not JSON, yet Python's parser reads them: sent as raw text
RAW_NUMBERS = st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "-0", "1" * 400])


def raw_json(body: dict, raw: dict) -> str:
    """The body as JSON text with some values swapped for raw tokens (NaN, 1e400) the encoder would not write."""
    text = json.dumps(body)
    for key, token in raw.items():
        marker = f"__raw_{key}__"
        text = text.replace(json.dumps(marker), token)
    return text


# ------------------------------------------------------------------ rows before and after


def row_counts(*tables: str) -> dict[str, int]:
    db.session.rollback()
    with db.engine.connect() as conn:
        return {name: conn.execute(sa.text(f"SELECT count(*) FROM {name}")).scalar() for name in tables}


# ------------------------------------------------------------------ what a stored value looks like when printed


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages)


def xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return "\n".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None)


def squeeze(text: str) -> str:
    return " ".join(text.split())
