"""A multipart/form-data body as a browser writes it, read by the app's parser (onestop.form_parsing, the
`multipart` library): the same fields and files werkzeug's parser gave, the same limits, nothing lost."""
import io

import pytest

BOUNDARY = "----WebKitFormBoundary7MA4YWxkTrZu0gW"


def body(*parts: tuple[dict, bytes]) -> bytes:
    """Parts as (headers, content), framed as RFC 7578 says (CRLF before every delimiter)."""
    out = b""
    for headers, content in parts:
        out += f"--{BOUNDARY}\r\n".encode()
        out += "".join(f"{name}: {value}\r\n" for name, value in headers.items()).encode("utf-8")
        out += b"\r\n" + content + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


def field(name: str, value: bytes, **extra) -> tuple[dict, bytes]:
    return {"Content-Disposition": f'form-data; name="{name}"', **extra}, value


def upload(name: str, filename: str, content: bytes, mimetype="application/pdf") -> tuple[dict, bytes]:
    return {"Content-Disposition": f'form-data; name="{name}"; filename="{filename}"', "Content-Type": mimetype}, content


def parsed(app, raw: bytes, content_type=f"multipart/form-data; boundary={BOUNDARY}"):
    with app.test_request_context("/nop-ho-so", method="POST", input_stream=io.BytesIO(raw), content_type=content_type,
                                  content_length=len(raw)):
        from flask import request

        return request.form.to_dict(flat=False), {
            name: [(storage.filename, storage.mimetype, storage.read()) for storage in request.files.getlist(name)]
            for name in request.files}


def test_a_browser_form_with_vietnamese_text_two_papers_and_an_empty_file_input(app):
    pdf = b"%PDF-1.4\r\n" + bytes(range(256)) * 4000 + b"\r\n--not-the-boundary\r\n%%EOF"  # CR LF and dashes inside
    raw = body(field("applicant_name", "Nguyễn Thị Ngọc Ánh".encode()), field("reasons", b"a"), field("reasons", b"b"),
               upload("paper.0", "Tờ khai.pdf", pdf), upload("paper.1", "IMG_2041.JPG", b"\xff\xd8\xff\xe0jpeg", "image/jpeg"),
               upload("paper.2", "", b"", "application/octet-stream"))
    form, files = parsed(app, raw)
    assert form == {"applicant_name": ["Nguyễn Thị Ngọc Ánh"], "reasons": ["a", "b"]}
    assert files == {"paper.0": [("Tờ khai.pdf", "application/pdf", pdf)],
                     "paper.1": [("IMG_2041.JPG", "image/jpeg", b"\xff\xd8\xff\xe0jpeg")],
                     "paper.2": [("", "application/octet-stream", b"")]}


def test_a_field_in_latin_1_is_decoded_as_its_part_says_and_bytes_that_are_not_utf_8_become_u_fffd(app):
    raw = body(field("a", "Đà".encode("utf-8")), field("b", "café".encode("latin-1"),
                                                        **{"Content-Type": "text/plain; charset=iso-8859-1"}),
               field("c", b"ok \xff"))
    form, _files = parsed(app, raw)
    assert form == {"a": ["Đà"], "b": ["café"], "c": ["ok \ufffd"]}


def test_a_file_name_with_path_parts_is_kept_as_sent_so_the_upload_check_refuses_it(app):
    _form, files = parsed(app, body(upload("paper.0", "../../x.pdf", b"%PDF-1.4")))
    assert files["paper.0"][0][0] == "../../x.pdf"


def test_a_text_field_over_max_form_memory_size_is_a_413(app):
    app.config["MAX_FORM_MEMORY_SIZE"] = 1000
    with pytest.raises(Exception) as raised:
        parsed(app, body(field("comment", b"x" * 1001)))
    assert getattr(raised.value, "code", None) == 413
    form, files = parsed(app, body(field("comment", b"x" * 1000), upload("paper.0", "a.pdf", b"y" * 5000)))
    assert (len(form["comment"][0]), len(files["paper.0"][0][2])) == (1000, 5000)  # files are not text fields


def test_more_parts_than_max_form_parts_is_a_413(app):
    app.config["MAX_FORM_PARTS"] = 3
    with pytest.raises(Exception) as raised:
        parsed(app, body(*[field(f"f{i}", b"v") for i in range(4)]))
    assert getattr(raised.value, "code", None) == 413
    assert parsed(app, body(*[field(f"f{i}", b"v") for i in range(3)]))[0] == {"f0": ["v"], "f1": ["v"], "f2": ["v"]}


@pytest.mark.parametrize("raw", [
    body(field("a", b"1"))[:-20],  # cut short
    b"no delimiter at all",
    f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"a\"\r\n".encode(),  # headers never end
])
def test_a_body_that_is_not_whole_multipart_reads_as_an_empty_form(app, raw):
    assert parsed(app, raw) == ({}, {})


def test_no_boundary_reads_as_an_empty_form(app):
    assert parsed(app, body(field("a", b"1")), content_type="multipart/form-data") == ({}, {})


def test_a_submission_cut_short_gets_the_apis_400_not_a_500(client):
    raw = body(field("data", b'{"procedure_code": "1.000001"}'), upload("paper.0", "a.pdf", b"%PDF-1.4 ..."))[:-40]
    response = client.post("/api/v1/submissions", data=raw, content_type=f"multipart/form-data; boundary={BOUNDARY}")
    assert response.status_code == 400
    assert "«data»" in response.get_json()["error"]
