"""Hostile catalogue files (hypothesis): random bytes under every name, and tables whose cells are hostile text,
as CSV and as Excel. The import plans them without an exception, and the upload page answers below 500 and writes
no procedure unless every row is clean."""
import csv
import io

import pytest
from hypothesis import given, strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from tests.conftest import drop_everything, make_app
from tests.fuzzing import HOSTILE_TEXT, counted, row_counts

pytestmark = pytest.mark.fuzz
CATALOGUE = ("procedure", "procedure_version", "procedure_document", "catalogue_upload")
HEADERS = ["code", "name", "field", "level", "time_amount", "time_unit", "fee", "STT", "Mã TTHC",
           "Tên thủ tục hành chính", "Thời hạn giải quyết", "Phí, lệ phí", "Lĩnh vực"]
CELL = st.one_of(HOSTILE_TEXT, st.sampled_from(["1.000001", "2.002278", "3", "working_days", "province", "Hộ tịch",
                                                "5 ngày làm việc", "Không", "=1+1", "'=cmd"]),
                 st.integers(min_value=-10**12, max_value=10**12).map(str))


@pytest.fixture(scope="module")
def admin_site(tmp_path_factory):
    from onestop import demo
    from onestop.extensions import db

    app = counted(make_app(tmp_path_factory.mktemp("fuzz_import")))
    with app.app_context():
        demo.load_users(demo.load_agencies())
        db.session.commit()
        db.session.remove()
    client = app.test_client()
    client.post("/login", data={"username": "admin", "password": "demo"})
    yield app, client
    with app.app_context():
        drop_everything()


def as_csv(rows, delimiter):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode("utf-8", "surrogatepass")


def as_xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    try:
        for row in rows:
            sheet.append([cell.encode("utf-8", "replace").decode("utf-8") for cell in row])  # no lone surrogates
    except IllegalCharacterError:  # a control character Excel will not hold: no office could have saved it
        return None
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


TABLES = st.tuples(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8, unique=True),
                   st.lists(st.lists(CELL, min_size=1, max_size=8), max_size=6))
FILES = st.one_of(
    st.tuples(st.sampled_from(["t.csv", "t.xlsx", "t.json", "t.txt", "t"]), st.binary(max_size=2000)),
    st.tuples(st.just("t.json"), st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), HOSTILE_TEXT),
                                              lambda inner: st.lists(inner, max_size=3) |
                                              st.dictionaries(st.sampled_from(HEADERS), inner, max_size=4),
                                              max_leaves=20).map(lambda v: __import__("json").dumps(v).encode())),
    st.builds(lambda table, d: ("t.csv", as_csv([table[0], *table[1]], d)), TABLES, st.sampled_from([",", ";", "\t"])),
    st.builds(lambda table: ("t.xlsx", as_xlsx([table[0], *table[1]])), TABLES),
)


@given(file=FILES, dry_run=st.booleans())
def test_a_hostile_catalogue_file_is_planned_and_uploaded_without_a_server_error(admin_site, file, dry_run):
    app, client = admin_site
    filename, content = file
    if content is None:
        return
    with app.app_context():
        from onestop.procedures.imports import plan_import

        plan = plan_import(filename, content)  # never raises: every problem is in the plan
        before = row_counts(*CATALOGUE)
    data = {"file": (io.BytesIO(content), filename), "level": "province"}
    if dry_run:
        data["dry_run"] = "y"
    response = client.post("/staff/procedures/import", data=data, content_type="multipart/form-data")
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    with app.app_context():
        after = row_counts(*CATALOGUE)
    if response.status_code >= 400 or (dry_run and plan.kind == "catalogue"):
        assert after == before, "a refused or dry-run import wrote rows"
    if plan.kind == "catalogue" and not plan.ok:
        assert response.status_code == 400 and after == before
