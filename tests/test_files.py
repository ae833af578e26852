"""Stored papers (onestop.files): what is accepted is judged by content; every hostile file is refused with a
Vietnamese message; the disk store and an S3-compatible store (moto_server, started by the test run) keep and
give back the same bytes, and `files verify` finds a file changed behind the app's back (issue 16, part 5)."""
import hashlib
import re

import pytest
from pypdf import PdfReader

from onestop import files
from onestop.extensions import db
from onestop.files import ocr
from onestop.files.models import StoredFile
from tests import paper_samples as samples
from tests.conftest import make_app
from tests.s3_server import s3_config, s3_endpoint  # noqa: F401  (fixtures)


def test_a_pdf_a_photo_and_a_screenshot_are_recognised_by_content(app):
    paper = files.check_upload("Căn cước.pdf", samples.pdf(pages=2))
    assert (paper.kind, paper.mimetype, paper.name, paper.pages) == ("pdf", "application/pdf", "Căn cước.pdf", 2)
    photo = files.check_upload("IMG_0001.JPG", samples.jpeg())
    assert (photo.kind, photo.mimetype, photo.pages) == ("jpeg", "image/jpeg", 1)
    # a PDF sent under a photo's name is still a PDF; a nameless one gets a name of its kind
    assert files.check_upload("anh.jpg", samples.pdf()).kind == "pdf"
    assert files.check_upload("", samples.png()).name == "giay-to.png"
    # a PDF protected only against editing (an empty password opens it) is read like any other
    assert files.check_upload("ban-sao.pdf", samples.encrypted_pdf(user_password="")).pages == 2


@pytest.mark.parametrize("name, data, message", [
    ("to-khai.pdf", "Đây là văn bản, không phải PDF".encode(), "không phải PDF, JPEG hay PNG"),
    ("to-khai.pdf", b"<html><script>alert(1)</script></html>", "không phải PDF, JPEG hay PNG"),
    ("to-khai.pdf", b"", "rỗng (0 byte)"),
    ("to-khai.pdf", samples.truncated_pdf(), "không đọc được như một tệp PDF"),
    ("to-khai.pdf", samples.pdf()[:-40], "không đọc được như một tệp PDF"),  # only the trailer missing
    ("to-khai.pdf", samples.encrypted_pdf(), "có mật khẩu"),
    ("giay-chung-sinh.png", samples.png_bomb(), "quá lớn (30000 × 30000 điểm ảnh)"),
    ("../../x.pdf", samples.pdf(), "Tên tệp không hợp lệ"),
    ("..\\x.pdf", samples.pdf(), "Tên tệp không hợp lệ"),
    ("x\x00.pdf", samples.pdf(), "Tên tệp không hợp lệ"),
    ("x\u202egpj.pdf", samples.pdf(), "Tên tệp không hợp lệ"),  # right-to-left override: "xfdp.jpg" on screen
    ("anh.jpg", samples.jpeg_with_pdf_header(), "nhiều loại tệp khác nhau"),
    ("to-khai.pdf", samples.pdf_with_zip(), "nhiều loại tệp khác nhau"),
])
def test_every_hostile_file_is_refused_with_a_vietnamese_message(app, name, data, message):
    with pytest.raises(files.UploadRefused) as refused:
        files.check_upload(name, data)
    assert message in str(refused.value)


def test_the_size_limit_comes_from_the_configuration_or_the_caller(app):
    data = samples.pdf()
    app.config["UPLOAD_MAX_BYTES"] = len(data) - 1
    with pytest.raises(files.UploadRefused, match="quá lớn: tối đa"):
        files.check_upload("a.pdf", data)
    assert files.check_upload("a.pdf", data, max_bytes=len(data)).pages == 1


def test_photos_of_a_paper_become_one_pdf_without_re_encoding(app):
    photo, screenshot = samples.jpeg(size=(300, 400)), samples.png(mode="RGBA")
    made = files.images_to_pdf([photo, screenshot])
    reader = PdfReader(__import__("io").BytesIO(made))
    assert len(reader.pages) == 2
    assert photo in made  # the JPEG's bytes are in the PDF as they came: lossless
    assert round(float(reader.pages[0].mediabox.width)) == 595  # A4
    assert files.check_upload("anh.pdf", made).pages == 2


@pytest.fixture(params=["disk", "s3"])
def store_app(request, tmp_path):
    """An app whose papers go to the disk, or to a bucket of its own on the test run's S3 server."""
    extra = request.getfixturevalue("s3_config") if request.param == "s3" else {"FILES_DIR": str(tmp_path / "f")}
    app = make_app(tmp_path, **extra)
    with app.app_context():
        yield app
        from tests.conftest import drop_everything

        drop_everything()


def test_a_file_is_kept_once_under_its_hash_and_read_back(store_app):
    data = samples.pdf()
    sha = files.store(data, "application/pdf")
    assert sha == hashlib.sha256(data).hexdigest()
    assert files.store(data, "application/pdf") == sha  # the same bytes again: the same file, one row
    db.session.commit()
    assert files.read(sha) == data and files.exists(sha)
    assert db.session.scalar(db.select(db.func.count()).select_from(StoredFile)) == 1
    assert db.session.get(StoredFile, sha).size == len(data)
    other = "0" * 64
    assert not files.exists(other)
    with pytest.raises(files.Missing):
        files.read(other)
    with pytest.raises(files.Missing):
        files.read("../../etc/passwd")
    assert list(files.verify()) == []
    if store_app.config.get("FILES_STORAGE") != "s3":  # on disk, nothing half-written is left behind
        from onestop.files import storage

        assert list((storage.backend().root / storage.INCOMING).iterdir()) == []


def test_only_the_s3_store_gives_a_direct_address(store_app):
    sha = files.store(samples.jpeg(), "image/jpeg")
    url = files.presigned_or_none(sha)
    if store_app.config.get("FILES_STORAGE") == "s3":
        import urllib.request

        assert urllib.request.urlopen(url).read() == samples.jpeg()
    else:
        assert url is None


def test_files_verify_finds_a_file_changed_on_disk_and_one_missing(tmp_path):
    app = make_app(tmp_path, FILES_DIR=str(tmp_path / "f"))
    with app.app_context():
        kept, changed, lost = (files.store(data, "application/pdf") for data in
                               (samples.pdf(text="a"), samples.pdf(text="b"), samples.pdf(text="c")))
        db.session.commit()
        runner = app.test_cli_runner()
        assert runner.invoke(args=["files", "verify"]).output == "3 tệp, tất cả nguyên vẹn.\n"
        path = tmp_path / "f" / changed[:2] / changed[2:4] / changed
        path.write_bytes(path.read_bytes() + b"%")  # one byte more at the end: still a readable PDF
        (tmp_path / "f" / lost[:2] / lost[2:4] / lost).unlink()
        result = runner.invoke(args=["files", "verify"])
        assert result.exit_code == 1
        assert sorted(result.output.splitlines()[:2]) == sorted([f"{changed}  đã bị thay đổi", f"{lost}  mất"])
        assert "2 tệp mất hoặc bị thay đổi." in result.output
        assert kept not in result.output


def test_a_backup_carries_the_stored_papers(tmp_path):
    app = make_app(tmp_path, FILES_DIR=str(tmp_path / "f"))
    with app.app_context():
        sha = files.store(samples.pdf(), "application/pdf")
        db.session.commit()
        if db.engine.dialect.name != "sqlite":  # the database half is test_backup.py's; here only the files
            from onestop.backup import copy_files

            assert copy_files(tmp_path / "copy") == (1, 0, [])
            assert copy_files(tmp_path / "copy") == (0, 1, [])
            return
        dest = tmp_path / "backup" / "onestop.db"
        result = app.test_cli_runner().invoke(args=["backup", str(dest)])
        assert result.exit_code == 0, result.output
        assert f"Tệp giấy tờ: 1 tệp mới và 0 tệp đã có trong {dest}.files." in result.output
        assert (tmp_path / "backup" / "onestop.db.files" / sha[:2] / sha[2:4] / sha).read_bytes() == samples.pdf()
        again = app.test_cli_runner().invoke(args=["backup", str(dest), "--force"])
        assert "Tệp giấy tờ: 0 tệp mới và 1 tệp đã có" in again.output


def test_without_ocrmypdf_nothing_is_layered_and_nothing_breaks(app, monkeypatch):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    files.store(samples.pdf(), "application/pdf")
    db.session.commit()
    assert ocr.available() is False
    assert ocr.add_text_layer(samples.pdf()) is None
    assert ocr.run() == (0, 1)
    result = app.test_cli_runner().invoke(args=["files", "ocr"])
    assert result.exit_code == 0 and "bỏ qua nhận dạng chữ" in result.output


@pytest.mark.skipif(not ocr.available(), reason="ocrmypdf or tesseract-ocr-vie is not installed")
def test_with_ocrmypdf_a_scanned_pdf_gets_a_text_layer(app):
    sha = files.store(files.images_to_pdf([samples.jpeg(size=(600, 200))]), "application/pdf")
    assert ocr.run() == (1, 0)
    assert re.fullmatch("[0-9a-f]{64}", db.session.get(StoredFile, sha).text_layer_sha256)


def test_a_commit_waits_for_the_papers_written_in_the_background(app):
    data = samples.pdf()
    sha256, = files.store_many([(data, "application/pdf")], background=True)
    db.session.commit()
    assert sha256 == hashlib.sha256(data).hexdigest() and files.read(sha256) == data


def test_a_paper_that_could_not_be_written_fails_the_commit_and_leaves_no_row(app, monkeypatch):
    from onestop.files import storage

    def full_disk(handle):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.os, "fsync", full_disk)  # the disk refuses to keep the bytes
    sha256, = files.store_many([(samples.pdf(), "application/pdf")], background=True)
    with pytest.raises(OSError):
        db.session.commit()
    db.session.rollback()
    incoming = storage.backend().root / storage.INCOMING
    assert list(incoming.iterdir()) == []  # the half-kept file is gone too
    assert db.session.get(StoredFile, sha256) is None and not files.exists(sha256)


def test_a_paper_is_kept_even_when_its_folder_was_removed_meanwhile(tmp_path):
    """The store remembers the folders it made; one removed behind its back (by hand, or a restore) is made again."""
    import shutil

    from onestop.files import storage

    app = make_app(tmp_path, FILES_DIR=str(tmp_path / "f"))
    with app.app_context():
        first = files.store(samples.pdf(text="a"), "application/pdf")
        db.session.commit()
        shutil.rmtree(tmp_path / "f")
        second = files.store(samples.pdf(text="b"), "application/pdf")
        db.session.commit()
        assert files.read(second) == samples.pdf(text="b") and not files.exists(first)
        assert list((storage.backend().root / storage.INCOMING).iterdir()) == []
