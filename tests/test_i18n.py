"""Vietnamese first; the English catalogue is complete and compiled."""
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from onestop.reception.validation import check_person
from tests.factories import applicant, make_procedure
from tests.test_reception_pages import desk_form

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "onestop" / "translations" / "en" / "LC_MESSAGES"
METHODS = [("onestop/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(ROOT), METHODS, keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_ui_text_has_an_english_translation():
    with open(CATALOGUE / "messages.po", "rb") as handle:
        catalogue = read_po(handle)
    translated = {message.id for message in catalogue if message.id and message.string}
    missing = sorted(source_messages() - translated)
    assert missing == [], f"run `make translations` and translate: {missing[:10]}"


def test_compiled_catalogue_matches_the_po_file():
    with open(CATALOGUE / "messages.po", "rb") as handle:
        po = {m.id: m.string for m in read_po(handle) if m.id}
    with open(CATALOGUE / "messages.mo", "rb") as handle:
        mo = {m.id: m.string for m in read_mo(handle) if m.id}
    assert mo == po


def test_footer_switch_changes_the_language(client, world):
    assert "Tra cứu thủ tục hành chính" in client.get("/thu-tuc").get_data(as_text=True)
    response = client.get("/lang/en?next=/thu-tuc")
    assert response.headers["Location"] == "/thu-tuc"
    page = client.get("/thu-tuc").get_data(as_text=True)
    assert "Find an administrative procedure" in page and '<html lang="en">' in page


def test_service_errors_speak_the_clerks_language_and_the_api_stays_vietnamese(app, client, auth, world):
    make_procedure(agency=world.agencies["000.00.04.H38"])
    auth.login("clerk")
    bad = desk_form(applicant_id_number="12345", procedure_code="")

    page = client.post("/desk", data=bad).get_data(as_text=True)
    assert '<div class="flash flash-danger" role="alert">Hồ sơ chưa hợp lệ: vui lòng sửa các ô được đánh dấu.</div>' in page
    assert '<p class="error" role="alert">Số định danh cá nhân (trên thẻ căn cước, CCCD) phải gồm đúng 12 chữ số.</p>' in page
    assert '<p class="error" role="alert">Không tìm thấy thủ tục.</p>' in page

    client.get("/lang/en?next=/")
    response = client.post("/desk", data=bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and '<html lang="en">' in page
    assert ('<div class="flash flash-danger" role="alert">'
            "The application is not valid yet: please correct the marked fields.</div>") in page
    assert '<p class="error" role="alert">The personal identification number (on the citizen identity card, CCCD) must have exactly 12 digits.</p>' in page
    assert '<p class="error" role="alert">Procedure not found.</p>' in page
    assert "Số định danh cá nhân (trên thẻ căn cước, CCCD) phải gồm đúng 12 chữ số." not in page

    # The same service called outside a request (as the CLI does) speaks the default language.
    errors = {}
    check_person(applicant(id_number="1"), "", errors)
    assert errors == {"id_number": "Số định danh cá nhân (trên thẻ căn cước, CCCD) phải gồm đúng 12 chữ số."}

    # An API client carries no session, so no chosen language: its errors stay in Vietnamese.
    api = app.test_client()
    token = api.post("/api/v1/tokens", json={"username": "clerk", "password": "demo"}).get_json()["token"]
    response = api.post("/api/v1/applications", headers={"Authorization": f"Bearer {token}"},
                        json={"procedure_code": "9.999999", "applicant": applicant(), "documents": ["Tờ khai"]})
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "Hồ sơ chưa hợp lệ: vui lòng sửa các ô được đánh dấu."
    assert body["errors"] == {"procedure_code": "Không tìm thấy thủ tục."}


def test_each_request_speaks_its_own_language_though_its_catalogue_is_looked_up_once(app, client, world):
    """Templates look the catalogue up once per request (onestop.i18n.request_translations); a context kept across
    requests, as tests and commands keep it, must not carry one request's language into the next."""
    assert "<h1>Tra cứu tình trạng hồ sơ</h1>" in client.get("/tra-cuu").get_data(as_text=True)
    client.get("/lang/en")
    assert "<h1>Track your application</h1>" in client.get("/tra-cuu").get_data(as_text=True)
    vietnamese = app.test_client()
    assert "<h1>Tra cứu tình trạng hồ sơ</h1>" in vietnamese.get("/tra-cuu").get_data(as_text=True)
