"""Issue 11, part 3: names such as "=1+1" come out of every export as text, never as a live formula. Each file is
opened with openpyxl and every cell that starts like a formula (=, +, -, @, tab, CR; leading spaces skipped) must be
a string cell holding the text as stored."""
import csv
import io
from datetime import datetime
from io import BytesIO

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from onestop.auth.models import Agency
from onestop.extensions import db
from onestop.procedures import transfer
from onestop.reception.models import Application
from onestop.text import looks_like_formula
from onestop.timeutil import VN, frozen_at
from tests.factories import make_procedure, receive

FORMULAS = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1+1", "\r=1", "  =1+1", '=HYPERLINK("http://x.vn","bấm")',
            "=cmd|' /C calc'!A0"]


def vn(*args):
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def formulas(world):
    """One application per formula-like name, received on 5 October 2026, all overdue by December."""
    procedure = make_procedure(agency=world.agencies["000.00.04.H38"], amount=3)
    for number, name in enumerate(FORMULAS):
        application = receive(world.users["clerk"], procedure, vn(2026, 10, 5, 8, number))
        db.session.execute(sa.update(Application).where(Application.id == application.id)
                           .values(applicant_name=name))  # \t and \r are refused at the desk now: old rows
    db.session.commit()
    return procedure


def bearer(client, username):
    token = client.post("/api/v1/tokens", json={"username": username, "password": "demo"}).get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


def formula_cells(data: bytes) -> list:
    """Every cell of the workbook whose text would start a formula, with its type."""
    found = []
    for sheet in load_workbook(BytesIO(data)).worksheets:
        for row in sheet.iter_rows():
            found += [(cell.value, cell.data_type) for cell in row if looks_like_formula(cell.value)]
    return found


def assert_all_text(data: bytes, expected: list[str], own_formulas: tuple[str, ...] = ()):
    """Every formula-like cell is text, but the file's own formulas (totals, rates) which start as given."""
    cells = [(value, kind) for value, kind in formula_cells(data) if not value.startswith(own_formulas or ("\0",))]
    assert [kind for _, kind in cells] == ["s"] * len(cells)
    assert sorted({value for value, _ in cells} & set(expected)) == sorted(expected)


def test_the_register_writes_every_formula_like_name_as_text(client, formulas):
    response = client.get("/api/v1/register.xlsx?from=2026-10-05&to=2026-10-05", headers=bearer(client, "clerk"))
    assert response.status_code == 200
    assert_all_text(response.data, FORMULAS)


def test_the_overdue_report_writes_every_formula_like_name_as_text(client, formulas):
    with frozen_at(vn(2026, 12, 1, 9, 0)):
        response = client.get("/api/v1/reports/overdue.xlsx?agency=000.00.00.H38", headers=bearer(client, "supervisor"))
    assert response.status_code == 200
    assert_all_text(response.data, FORMULAS)  # its count is a number, no formula of its own


def test_the_cchc_report_writes_a_formula_like_agency_name_as_text(client, formulas, world):
    db.session.execute(sa.update(Agency).where(Agency.code == "000.00.04.H38").values(name="=1+1"))
    db.session.commit()
    with frozen_at(vn(2026, 12, 1, 9, 0)):
        response = client.get("/api/v1/reports/cchc.xlsx?agency=000.00.00.H38&from=2026-10-01&to=2026-10-31",
                               headers=bearer(client, "supervisor"))
    assert response.status_code == 200
    assert_all_text(response.data, ["=1+1"])  # its totals and rates are numbers, no formula of its own


def test_the_catalogue_export_keeps_formula_like_names_as_text_and_imports_them_back(app, world):
    for number, name in enumerate(FORMULAS[:4]):
        make_procedure(code=f"1.00{number}", name=name, field="-Hộ tịch")
    versions = transfer.all_current_versions()
    assert_all_text(transfer.export_catalogue("xlsx", versions), FORMULAS[:4] + ["-Hộ tịch"])
    rows = list(csv.reader(io.StringIO(transfer.export_catalogue("csv", versions).decode("utf-8-sig"))))
    names = [row[rows[0].index("name")] for row in rows[1:]]
    assert names == ["'=1+1", "'+1", "'-1", "'@SUM(A1)"]  # OWASP: a leading ' makes a spreadsheet show text
    assert [transfer.clean_cell(name) for name in names] == FORMULAS[:4]
