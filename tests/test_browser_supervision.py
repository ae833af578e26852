"""The supervisors' pages and the public scoreboard in headless Chromium, at desktop and phone widths."""
import pytest

from .test_browser import browser, login, server, shot  # noqa: F401  (the shared fixtures)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 360])
def test_supervisor_reads_the_board_and_the_dashboard(server, browser, width):  # noqa: F811
    page = browser.new_page(viewport={"width": width, "height": 900})
    login(page, server, "supervisor")
    page.goto(f"{server}/overview")
    assert page.locator("h1").inner_text() == "Theo dõi giải quyết hồ sơ"
    assert page.locator("table.board tbody tr").count() >= 10
    shot(page, f"board-{width}")
    page.goto(f"{server}/dashboard")
    charts = page.locator("figure.chart svg")
    assert charts.count() == 4
    assert charts.first.bounding_box()["width"] > 200
    shot(page, f"dashboard-{width}")
    page.goto(f"{server}/reports")
    shot(page, f"reports-{width}")
    page.close()


def test_anyone_reads_the_public_scoreboard_on_a_phone(server, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.goto(f"{server}/ket-qua-giai-quyet")
    assert page.locator("h1").inner_text() == "Kết quả giải quyết thủ tục hành chính"
    shot(page, "scoreboard-360")
    page.close()
