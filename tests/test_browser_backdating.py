"""Back-dating has rules, seen in Chromium (issue 21, item 6): a file received on Wednesday 7 October 2026; on
Thursday morning the clerk tries to date the transfer back to Wednesday afternoon and is refused, then dates it back
to earlier that morning with a reason; on Friday the supervisor records the result as of Thursday afternoon with a
reason; both are marked on the file and listed for the supervisor."""
import pytest

from tests.test_browser import browser, login, shot  # noqa: F401  (fixtures)
from tests.test_browser_events import desk, timeline, vn  # noqa: F401  (the same desk, on a clock the test moves)

pytestmark = pytest.mark.browser


def test_back_dating_is_refused_then_marked_and_listed(desk, browser):
    clerk = browser.new_page(viewport={"width": 1280, "height": 900})
    desk.clock.moment = vn(2026, 10, 8, 9, 0)  # Thursday morning
    login(clerk, desk.base, "clerk")
    clerk.goto(f"{desk.base}/applications/{desk.code}?action=transfer")
    clerk.fill("#transfer-at", "2026-10-07T16:00")
    clerk.fill("#transfer-backdate", "Quên bấm chuyển chiều qua.")
    clerk.click("#action-transfer button[type=submit]")
    assert ("Chỉ được ghi lùi thời điểm trong ngày làm việc hiện tại (từ 00:00 08/10/2026); ghi lùi sớm hơn phải do "
            "lãnh đạo (vai trò giám sát) thực hiện.") in clerk.locator(".flash").inner_text()
    assert [line.split(" – ")[0] for line in timeline(clerk)] == ["Tiếp nhận"]
    shot(clerk, "backdating-refused-to-a-clerk")

    clerk.fill("#transfer-at", "2026-10-08T07:40")
    clerk.fill("#transfer-backdate", "")
    clerk.click("#action-transfer button[type=submit]")
    assert "Thời điểm đã qua: nhập lý do ghi lùi thời điểm." in clerk.locator(".flash").inner_text()
    assert clerk.locator("#action-transfer .has-error #transfer-backdate").count() == 1
    clerk.fill("#transfer-backdate", "Giao hồ sơ đầu giờ, quên bấm chuyển.")
    clerk.click("#action-transfer button[type=submit]")
    assert "Đã ghi: Chuyển xử lý." in clerk.locator(".flash").inner_text()
    assert timeline(clerk)[1].endswith("Ghi lùi thời điểm ghi vào lúc 09:00 08/10/2026 – Giao hồ sơ đầu giờ, quên "
                                       "bấm chuyển.")

    supervisor = browser.new_page(viewport={"width": 1280, "height": 900})
    desk.clock.moment = vn(2026, 10, 9, 10, 0)  # Friday
    login(supervisor, desk.base, "supervisor")
    supervisor.goto(f"{desk.base}/applications/{desk.code}?action=result_ready")
    supervisor.fill("#result_ready-at", "2026-10-08T16:00")
    supervisor.fill("#result_ready-backdate", "Kết quả ký chiều thứ Năm, mất điện nên ghi bù.")
    supervisor.click("#action-result_ready button[type=submit]")
    assert "Đã ghi: Có kết quả." in supervisor.locator(".flash").inner_text()
    supervisor.goto(f"{desk.base}/board/backdated?from=2026-10-08&to=2026-10-09")
    rows = [" ".join(text.split()) for text in supervisor.locator("#backdated tbody tr").all_inner_texts()]
    assert rows == [
        f"{desk.code} Có kết quả 16:00 08/10/2026 10:00 09/10/2026 18 giờ 0 phút Trước ngày làm việc Trần Thị Lãnh "
        "Kết quả ký chiều thứ Năm, mất điện nên ghi bù.",
        f"{desk.code} Chuyển xử lý 07:40 08/10/2026 09:00 08/10/2026 1 giờ 20 phút Lê Thị Thu Hằng "
        "Giao hồ sơ đầu giờ, quên bấm chuyển.",
    ]
    shot(supervisor, "backdated-events-list")
    supervisor.goto(f"{desk.base}/applications/{desk.code}")
    shot(supervisor, "backdated-events-on-the-file")
