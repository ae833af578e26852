"""Issue 21 in headless Chromium: the reports page offers the official periods, the dashboard's figures are links
written with a decimal comma, and the phone scoreboard says which period each set of figures is of."""
import re

import pytest

from .test_browser import browser, login, server, shot  # noqa: F401  (the shared fixtures)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 390])
def test_a_supervisor_picks_an_official_quarter_and_opens_the_files_behind_a_figure(  # noqa: F811
        server, browser, width):  # noqa: F811
    page = browser.new_page(viewport={"width": width, "height": 900})
    login(page, server, "supervisor")
    page.goto(f"{server}/reports")
    official = page.locator("ul.periods").first
    assert re.fullmatch(r"Quý (I|II|III|IV) năm \d{4}", official.locator("li b").nth(1).inner_text())
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"h21-reports-{width}")
    official.locator("li").nth(1).get_by_text("Biểu đồ").click()
    assert page.locator("h1").inner_text() == "Chỉ số giải quyết thủ tục hành chính"
    assert "Quý" in page.locator("h1 + p").inner_text() and "từ ngày 15/" in page.locator("h1 + p").inner_text()
    rate = page.locator(".figure", has_text="Tỷ lệ đúng hạn").locator("b").inner_text()
    assert rate == "–" or re.fullmatch(r"\d+,\d%", rate)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"h21-dashboard-{width}")
    ratings = page.locator(".figure", has_text="Hài lòng").locator("b a").get_attribute("href")
    received = page.locator(".figure", has_text="Tiếp nhận mới").locator("b a")
    count = int(received.inner_text().replace(".", ""))
    received.click()
    assert page.locator("h1").inner_text() == "Hồ sơ cần xử lý"
    assert "Đang lọc: tiếp nhận từ 15/" in page.locator("p.help", has_text="Đang lọc").inner_text()
    assert page.locator("tr[class^=state-row-]").count() == min(count, 30)
    shot(page, f"h21-received-list-{width}")
    page.goto(server + ratings)
    assert page.locator("h1").inner_text() == "Đánh giá mức độ hài lòng"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"h21-ratings-{width}")
    page.goto(f"{server}/reports")  # any official period, by its name and year
    page.select_option("#operiod", "q2")
    page.fill("#oyear", "2026")
    page.locator("form", has=page.locator("#operiod")).get_by_role("button", name="Biểu đồ").click()
    assert page.locator("h1 + p").inner_text().endswith("Quý II năm 2026 (từ ngày 15/03/2026 đến ngày 14/06/2026)")
    page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_scoreboard_says_which_column_is_this_quarter_and_which_the_last(server, browser, width):  # noqa: F811
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{server}/ket-qua-giai-quyet")
    marks = page.locator("table.scoreboard td.period-mark")
    if width == 390:
        first_row = page.locator("table.scoreboard tbody tr").first
        assert [mark.split(" · ")[0] for mark in first_row.locator("td.period-mark").all_inner_texts()] == [
            "Quý này", "Quý trước"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    else:
        assert marks.first.is_hidden()
        assert page.locator("thead th", has_text="Quý này").is_visible()
    shot(page, f"h21-scoreboard-{width}")
    page.close()
