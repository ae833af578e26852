"""Schemathesis, an independent OpenAPI fuzzer, against /api/v1/openapi.json: every operation, every check.

It reads the document the API serves, makes schema-valid and schema-invalid requests (WSGI, no server) with a
clerk's bearer token, and runs every check Schemathesis has on each answer: no 5xx, documented status codes,
content types, headers and bodies, invalid input refused, valid input accepted, and the token really needed.
Deterministic (derandomized) and bounded per operation by the hypothesis profile, so CI runs the same requests
every time. (Wrong methods, 405 with Allow, are Schemathesis' coverage phase: tests/test_api_contract.py.)
"""
from datetime import datetime

import pytest
import schemathesis
from hypothesis import given, settings, strategies as st
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from onestop.api import openapi
from tests.conftest import make_app
from tests.factories import make_procedure, receive
from tests.fuzzing import counted

pytestmark = pytest.mark.fuzz

CONFIG = SchemathesisConfig.from_dict({"generation": {"mode": "all", "deterministic": True}})


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory):
    from onestop import demo
    from onestop.extensions import db
    from onestop.timeutil import VN

    app = make_app(tmp_path_factory.mktemp("schemathesis"), WTF_CSRF_ENABLED=True)  # as deployed: cookie writes need it
    with app.app_context():
        agencies = demo.load_agencies()
        users = demo.load_users(agencies)
        db.session.commit()
        birth = make_procedure(agency=agencies["000.00.04.H38"])
        receive(users["clerk"], birth, datetime(2026, 10, 9, 9, 0, tzinfo=VN))
        db.session.remove()
    client = app.test_client()
    token = client.post("/api/v1/tokens", json={"username": "clerk", "password": "demo"}).get_json()["token"]
    yield counted(app), token
    with app.app_context():
        from tests.conftest import drop_everything

        drop_everything()


@pytest.fixture(scope="module")
def api_schema(fuzzed_app):
    app, _token = fuzzed_app
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=CONFIG)


# The operations as the document names them (read without an app, so pytest names one test per operation; the
# test itself fuzzes what the app serves). schemathesis.pytest.from_fixture needs pytest < 9.
OPERATIONS = [(method.upper(), path) for path, item in openapi.PATHS.items() for method in item]


# Rules OpenAPI 3.0 cannot state, which the document gives in words: a schema-valid request may be refused for
# these reasons only (each a 400 with this message), never for another.
EVERYWHERE = ("phải trong khoảng năm 1900 đến 2100",)  # a date or moment outside the years the desk counts in
RULES_IN_WORDS = {
    ("GET", "/api/v1/due-date"): ("«unit» phải là một trong",),
    ("GET", "/api/v1/track/{code}"): ("Cần «k» (mã tra cứu) hoặc «phone»",),
    ("GET", "/api/v1/applications"): ("«after» không hợp lệ",),
    ("GET", "/api/v1/indicators"): ("«to» phải không trước «from»", "Khoảng thời gian tối đa là 3 năm"),
    ("GET", "/api/v1/index-766"): ("«to» phải không trước «from»", "Khoảng thời gian tối đa là 3 năm"),
    ("GET", "/api/v1/index-766/losses"): ("«to» phải không trước «from»", "Khoảng thời gian tối đa là 3 năm",
                                         "Tiêu chí này không có danh sách", "«after» không hợp lệ"),
    ("GET", "/api/v1/reports/cchc.{fmt}"): ("«to» phải không trước «from»", "Khoảng thời gian tối đa là 3 năm"),
    ("GET", "/api/v1/register.{fmt}"): ("«to» phải không trước «from»", "Sổ theo dõi in tối đa"),
    # the catalogue, the applicant's papers and the state machine: refused field by field
    # (and no key of an object, at any depth, may hold a control character: OpenAPI 3.0 has no propertyNames)
    ("POST", "/api/v1/applications"): ("Hồ sơ chưa hợp lệ", "Không tìm thấy thủ tục",
                                       "chứa ký tự điều khiển hoặc ký tự không hợp lệ"),
    ("POST", "/api/v1/applications/{code}/events"): ("",),
    # the online form: refused field by field, paper by paper
    ("POST", "/api/v1/submissions"): ("Hồ sơ chưa hợp lệ", "Phần «data» phải là", "Cần phần «data»",
                                      "Phần không được hỗ trợ", "Khóa không được hỗ trợ", "Không tìm thấy thủ tục",
                                      "không được nộp trực tuyến", "chứa ký tự điều khiển", "multipart"),
    ("POST", "/api/v1/submissions/{number}/{action}"): ("",),
    # a file is judged by its content, which no schema states: any refusal is a 400 with its message
    ("POST", "/api/v1/applications/{code}/papers"): ("",),
    # the PAR INDEX's criteria table and evidence files: judged by their content too
    ("POST", "/api/v1/par-index/sets"): ("",),
    ("POST", "/api/v1/par-index/rounds/{year}/sheets/{code}/items/{number}/evidence"): ("",),
    # a fee line takes the key its kind needs (an amount, a quantity, or a reduction with its reason)
    ("POST", "/api/v1/applications/{code}/fees/{position}"): (
        "Nhập mức phí trước khi miễn, giảm", "do văn bản công bố quy định", "«Số tiền miễn, giảm»", "«Mức phí»",
        "«Số trang, số bản»", "Lý do miễn, giảm", "không được lớn hơn mức phí"),
}
ACCEPTED = {401, 403, 404, 409, 429}  # Schemathesis' own list for valid data, besides 2xx and 3xx


@pytest.mark.parametrize("method, path", OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_every_operation_passes_every_check(api_schema, fuzzed_app, method, path):
    _app, token = fuzzed_app
    operation = api_schema[path][method]
    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))
    in_words = EVERYWHERE + RULES_IN_WORDS.get((method, path), ())

    # as many examples per operation as the hypothesis profile says (dev: 8, ci: 60), the same ones every run
    @settings(derandomize=True, deadline=None, database=None)
    @given(cases)
    def check(case):
        # every check but one; positive_data_acceptance is the same rule with the refusals the document words
        response = case.call_and_validate(headers={"Authorization": f"Bearer {token}"},
                                          excluded_checks=[positive_data_acceptance])
        if case.meta.generation.mode.is_positive and response.status_code >= 400:
            if response.status_code in ACCEPTED:
                return
            message = response.json()["error"] if response.status_code == 400 else response.status_code
            assert response.status_code == 400 and any(words in message for words in in_words), (
                f"a valid request refused: {message}")

    check()
