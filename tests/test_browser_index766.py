"""Decision 766 in headless Chromium, on a phone and a desk: the index with its units ranked, one click from a
figure below its maximum to the files that cost the points, and no page wider than the screen."""
import pytest

from .test_browser import browser, login, server, shot  # noqa: F401  (the shared fixtures)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 390])
def test_a_supervisor_reads_the_index_and_opens_what_cost_the_points(server, browser, width):  # noqa: F811
    page = browser.new_page(viewport={"width": width, "height": 900})
    login(page, server, "supervisor")
    page.goto(f"{server}/index-766")
    assert page.locator("h1").inner_text() == "Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)"
    assert page.locator("h2", has_text="Xếp hạng các đơn vị").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"h19-index766-{width}")
    lost = page.locator("table.index766 a[title='Xem hồ sơ làm mất điểm']")
    if lost.count():
        lost.first.click()
        assert page.locator("h1").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot(page, f"h19-index766-losses-{width}")
    page.close()
