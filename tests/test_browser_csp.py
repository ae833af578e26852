"""The pages work under their Content-Security-Policy in a real browser: no script, style or handler is blocked
(issue 11, part 6). Chromium reports every blocked resource as a `securitypolicyviolation` event."""
import pytest

from tests.test_browser import browser, login, server, shot  # noqa: F401  (fixtures shared with the browser suite)

pytestmark = pytest.mark.browser

WATCH = """
window.__blocked = [];
document.addEventListener("securitypolicyviolation",
  function (e) { window.__blocked.push(e.violatedDirective + " " + (e.blockedURI || "inline")); });
"""


def watched_page(browser, width=1280):  # noqa: F811
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.add_init_script(WATCH)
    return page


def blocked(page) -> list[str]:
    page.wait_for_load_state("load")
    return page.evaluate("window.__blocked")


def test_public_pages_run_under_the_policy(server, browser):  # noqa: F811
    page = watched_page(browser, width=360)
    for path in ("/thu-tuc", "/thu-tuc?q=khai+sinh", "/tra-cuu", "/login"):
        page.goto(f"{server}{path}")
        assert (path, blocked(page)) == (path, [])
    page.goto(f"{server}/thu-tuc/niem-yet/000.00.04.H38")
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.click("[data-print]")  # the print button works without its old onclick attribute
    assert page.evaluate("window.__printed") == 1
    assert blocked(page) == []


def test_the_desk_and_the_admin_pages_run_under_the_policy(server, browser):  # noqa: F811
    page = watched_page(browser)
    login(page, server, "clerk")
    page.goto(f"{server}/desk")
    page.fill("#procedure_search", "khai sinh")
    page.locator("#procedure_results li").first.click()  # desk.js draws the document rows, with style attributes
    page.wait_for_selector("#documents label.check")
    assert blocked(page) == []
    page.goto(f"{server}/inbox")
    page.locator("table a").first.click()
    assert blocked(page) == []
    page.context.clear_cookies()
    login(page, server, "admin")
    for path in ("/admin/calendar/", "/admin/agencies", "/admin/users", "/admin/audit"):
        page.goto(f"{server}{path}")
        assert (path, blocked(page)) == (path, [])
    page.goto(f"{server}/admin/calendar/?year=2026")
    holiday = page.locator("td.day-holiday").first  # the year view's colours come from app.css now
    assert holiday.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(253, 236, 234)"
    shot(page, "calendar-under-csp")
