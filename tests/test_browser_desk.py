"""The desk at keyboard speed, in headless Chromium: a standard application logged with the keyboard alone, the
interactions counted from the search to the receipt in the print dialog."""
import io

import pytest
from pypdf import PdfReader

from tests.test_browser import browser, login, server, shot  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser
# window.print is recorded, not run: printing a PDF frame crashes headless Chromium (a real desk gets the dialog)
RECORD_PRINTS = "window.print = function () { (window.top.__prints = window.top.__prints || []).push(location.href); };"


def open_desk(page, server, username="clerk"):
    login(page, server, username)
    page.wait_for_url("**/desk")
    page.wait_for_load_state("load")  # desk.js in place


def focused(page) -> str:
    return page.evaluate("document.activeElement.id")


class Keyboard:
    """The clerk's hands: every text typed into a field and every key pressed counts as one interaction."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def type(self, text):
        self.count += 1
        self.page.keyboard.type(text)

    def press(self, key):
        self.count += 1
        self.page.keyboard.press(key)


def test_a_clerk_logs_a_standard_application_with_the_keyboard_alone_in_8_interactions(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.add_init_script(RECORD_PRINTS)
    open_desk(page, server)
    assert focused(page) == "procedure_search"
    keys = Keyboard(page)

    keys.type("khai sinh")
    page.wait_for_selector("#procedure_results li[aria-selected=true]")
    assert page.locator("#procedure_results li[aria-selected=true]").inner_text() == "1.001193 – Đăng ký khai sinh"
    keys.press("Enter")  # takes the highlighted procedure
    page.wait_for_selector("#due-at")
    assert page.input_value("#procedure_code") == "1.001193" and focused(page) == "applicant_name"
    assert page.locator("input[name=doc_received]:checked").count() == 2  # its documents, ticked
    keys.type("Hoàng Thị Ngọc Ánh")
    keys.press("Enter")  # on to the next required field still empty
    assert focused(page) == "applicant_id_number"
    keys.type("015190009876")
    keys.press("Enter")
    assert focused(page) == "applicant_address"
    keys.type("Số 5, đường Yên Ninh, phường Yên Bái")
    with page.expect_response("**/forms/receipt.pdf") as receipt:
        keys.press("Enter")  # nothing required is left: saves
    page.wait_for_function("window.__prints && window.__prints.length === 1")

    assert keys.count == 8
    code = page.locator("#received").get_attribute("data-code")
    assert code.startswith("000.00.01.H38-")
    assert page.evaluate("window.__prints") == [f"{server}/applications/{code}/forms/receipt.pdf"]
    assert receipt.value.status == 200
    pdf = page.request.get(f"{server}/applications/{code}/forms/receipt.pdf").body()
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert f"Mã hồ sơ: {code}" in text and "Hoàng Thị Ngọc Ánh" in text
    # the next person finds an empty desk, the search ready
    assert focused(page) == "procedure_search"
    assert [page.input_value(f"#{name}") for name in ("procedure_search", "applicant_name", "applicant_id_number")] \
        == ["", "", ""]
    shot(page, "desk-after-saving")


def test_arrows_move_through_the_suggestions_and_enter_in_the_search_never_submits(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    open_desk(page, server)
    page.keyboard.press("Enter")  # nothing typed yet
    page.keyboard.type("khai sinh")
    page.wait_for_selector("#procedure_results li[aria-selected=true]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    selected = page.locator("#procedure_results li[aria-selected=true]")
    assert selected.count() == 1 and selected.inner_text() == "2.000635 – Đăng ký khai sinh có yếu tố nước ngoài"
    assert page.get_attribute("#procedure_search", "aria-activedescendant") == "procedure-option-1"
    page.keyboard.press("Enter")
    page.wait_for_selector("#due-at")
    assert page.input_value("#procedure_code") == "2.000635"
    assert page.url.endswith("/desk")  # picked, not submitted

    page.focus("#procedure_search")
    page.fill("#procedure_search", "khong co thu tuc nay")
    page.wait_for_selector("#procedure_results li.muted")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert page.url.endswith("/desk") and page.locator("#received").count() == 0


def test_in_english_the_desk_script_speaks_english(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    open_desk(page, server)
    page.goto(f"{server}/lang/en?next=/desk")
    page.fill("#procedure_search", "khai sinh")
    page.wait_for_selector("#procedure_results li[aria-selected=true]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#due-at")
    assert page.locator("#preview").inner_text().startswith("Processing time: Same day · Due if saved now: ")
    assert page.get_attribute("select[name=doc_kind] >> nth=0", "aria-label") == "Kind"
    page.select_option("#applicant_kind", "organisation")
    assert page.locator("label[for=applicant_id_number]").inner_text().startswith("Tax code")
    assert not page.is_visible("#applicant_id_kind")
    page.select_option("#applicant_kind", "person")
    page.select_option("#applicant_id_kind", "other")
    assert page.is_visible("#applicant_id_paper")
