"""An administrator uploads whatever the office's computer saved: each odd file gets a clear message and a 400,
never a traceback or a 500; the memory stays bounded; a value too long for the database fails the dry run."""
import codecs
import html
import io
import re
import time
import unicodedata
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from onestop.procedures import services
from onestop.procedures.imports import plan_import

HEADER = "code,name,field,level,time_amount,time_unit,fee\n"
ROW = "1.000001,Đăng ký khai sinh,Hộ tịch,province,3,working_days,0\n"


def catalogue_xlsx(dimension: str | None = None) -> bytes:
    """This software's own export as Excel; `dimension` rewrites what the sheet says its size is."""
    workbook = Workbook()
    sheet = workbook.active
    for row in (HEADER, ROW):
        sheet.append(row.strip().split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    if dimension is None:
        return buffer.getvalue()
    source, out = zipfile.ZipFile(buffer), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]+"/>', f'<dimension ref="{dimension}"/>'.encode(), data)
                assert dimension.encode() in data
            target.writestr(item, data)
    return out.getvalue()


UNDECODABLE = "Tệp CSV không đọc được: hãy lưu bảng dạng CSV UTF-8 (hoặc .xlsx)."
NO_DELIMITER = ("Không nhận ra dấu phân cách cột của tệp CSV: các cột phải cách nhau bằng dấu phẩy (,), chấm phẩy (;) "
                "hoặc tab.")
NOT_ZIP = "Tệp .xlsx này không phải bảng tính Excel: hãy mở bằng Excel và lưu lại dạng .xlsx."
BROKEN_ZIP = "Tệp Excel bị hỏng hoặc không phải dạng .xlsx: hãy mở bằng Excel và lưu lại dạng .xlsx."
TOO_DEEP = "Tệp JSON lồng nhau quá sâu: cần một danh sách thủ tục."
NOT_A_LIST = 'Tệp JSON phải là một danh sách thủ tục (hoặc {"procedures": […]}).'

REFUSED = [
    ("binary.csv", bytes(range(256)) * 4, UNDECODABLE),
    ("one-column.csv", "Mã thủ tục và tên thủ tục\n1.000001 Đăng ký khai sinh\n".encode(), NO_DELIMITER),
    ("report.xlsx", b"%PDF-1.7 a PDF renamed .xlsx", NOT_ZIP),
    ("broken.xlsx", b"PK\x05\x06" + b"\0" * 18, BROKEN_ZIP),  # an empty zip: no workbook inside
    ("deep.json", b"[" * 100_000 + b"]" * 100_000, TOO_DEEP),
    ("number.json", b"42", NOT_A_LIST),
]


@pytest.mark.parametrize("filename, content, message", REFUSED, ids=[case[0] for case in REFUSED])
def test_a_file_that_is_no_table_is_refused_with_one_clear_message(app, world, auth, client, filename, content, message):
    plan = plan_import(filename, content)
    assert (plan.problems, plan.rows) == ([message], [])
    auth.login("admin")
    response = client.post("/staff/procedures/import", data={"file": (io.BytesIO(content), filename), "dry_run": "y",
                                                              "level": "province"},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert message in html.unescape(response.get_data(as_text=True))


def windows_1258(text: str) -> bytes:
    """As Windows saves Vietnamese: â, ê, ô, ơ, ư, ă as one byte each, the tone mark as a combining byte after."""
    out = []
    for char in text:
        base, *marks = unicodedata.normalize("NFD", char)
        for mark in marks:  # the vowel's own mark joins it; the tone stays apart
            joined = unicodedata.normalize("NFC", base + mark)
            if len(joined) == 1 and joined.encode("cp1258", "ignore"):
                base, marks = joined, [m for m in marks if m != mark]
                break
        out.append(base + "".join(marks))
    return "".join(out).encode("cp1258")


@pytest.mark.parametrize("encoding, prefix", [("cp1258", b""), ("utf-16", b""), ("utf-16-be", codecs.BOM_UTF16_BE),
                                              ("utf-8", codecs.BOM_UTF8)])
def test_a_catalogue_saved_as_windows_1258_or_utf_16_reads_as_its_vietnamese(app, world, encoding, prefix):
    text = HEADER + ROW
    content = windows_1258(text) if encoding == "cp1258" else prefix + text.encode(encoding)
    plan = plan_import("catalogue.csv", content)
    assert (plan.kind, plan.problems, plan.created) == ("catalogue", [], ["1.000001"])
    assert (plan.rows[0].name, plan.rows[0].field) == ("Đăng ký khai sinh", "Hộ tịch")


def test_a_windows_1258_file_keeps_its_tone_marks_as_composed_letters(app, world):
    content = windows_1258(HEADER + ROW)
    assert "ộ".encode("utf-8") not in content and b"\xf4\xf2" in content  # ô, then the combining dot below
    plan = plan_import("catalogue.csv", content)
    assert plan.rows[0].field == "Hộ tịch" and len(plan.rows[0].field) == 7


def test_a_semicolon_table_with_title_rows_above_is_still_read(app, world):
    content = ("Danh mục thủ tục\n" + (HEADER + ROW).replace(",", ";")).encode()
    plan = plan_import("catalogue.csv", content)
    assert (plan.problems, plan.created) == ([], ["1.000001"])


def test_a_sheet_that_declares_a_million_rows_and_every_column_is_read_in_bounded_time_and_memory(app, world):
    content = catalogue_xlsx("A1:XFD1048576")
    tracemalloc.start()
    started = time.perf_counter()
    plan = plan_import("catalogue.xlsx", content)
    elapsed, peak = time.perf_counter() - started, tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert (plan.problems, plan.created) == ([], ["1.000001"])
    assert elapsed < 5 and peak < 50_000_000, (elapsed, peak)


def test_a_value_too_long_for_its_column_fails_the_dry_run_and_names_the_cell(app, world, runner, tmp_path):
    long_field = "Hộ tịch " + "x" * 300
    content = (HEADER + ROW.replace("Hộ tịch", long_field)).encode()
    plan = plan_import("catalogue.csv", content)
    assert [(row, column, message) for row, column, message in plan.errors] == [
        (2, "Lĩnh vực", "Tối đa 255 ký tự (đã nhập 308).")]
    path = tmp_path / "catalogue.csv"
    path.write_bytes(content)
    result = runner.invoke(args=["procedures", "import", str(path)])
    assert result.exit_code == 1
    assert "Tối đa 255 ký tự (đã nhập 308)." in result.output
    assert services.get_by_code("1.000001") is None


def test_a_decision_number_too_long_for_its_column_is_reported_before_anything_is_written(app, world):
    title = "(Kèm theo Quyết định số 1" + "2" * 80 + "/QĐ-UBND ngày 3 tháng 11 năm 2025 của Chủ tịch UBND tỉnh)"
    table = [title, "STT,Mã TTHC,Tên thủ tục hành chính,Thời hạn giải quyết,Phí, lệ phí",
             "1,1.000001,Đăng ký khai sinh,3 ngày làm việc,Không"]
    plan = plan_import("decision.csv", "\n".join(table).encode(), options={"field": "Hộ tịch"})
    assert not plan.ok
    assert "Tối đa 64 ký tự (đã nhập 89)." in [message for _row, _column, message in plan.errors]


def test_the_cli_says_the_same_for_a_file_that_is_no_table(app, world, runner, tmp_path):
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"%PDF-1.7")
    result = runner.invoke(args=["procedures", "import", str(path), "--dry-run"])
    assert NOT_ZIP in result.output
    assert "Traceback" not in result.output
