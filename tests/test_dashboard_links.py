"""Issue 21, part 7: every figure on the dashboard links to the list of the files behind it, and that list holds
as many files as the figure says (the March 2025 world of tests/tracking_world.py)."""
import html
import re
from datetime import datetime

import pytest

from onestop.timeutil import VN, frozen_at

from . import tracking_world

APRIL = datetime(2025, 4, 15, 10, 0, tzinfo=VN)
FIGURE = re.compile(r'<a href="([^"]+)" title="Xem danh sách hồ sơ">([^<]+)</a>')


@pytest.fixture
def march(world):
    return tracking_world.build(world)


def figures(client, url) -> dict[str, tuple[str, str]]:
    """{label of the figure box: (its first linked figure, the link)}, and the small line's link under 'label/'."""
    with frozen_at(APRIL):
        page = client.get(url).get_data(as_text=True)
    found = {}
    for box in re.findall(r'<div class="figure"[^>]*><small>([^<]+)</small>(.*?)</div>', page, re.S):
        label, body = box
        for position, (link, text) in enumerate(FIGURE.findall(body)):
            found[label + ("/" if position else "")] = (text, html.unescape(link))
    return found


def listed(client, link) -> int:
    """How many files the linked list shows (all on one page here)."""
    with frozen_at(APRIL):
        response = client.get(link)
    assert response.status_code == 200, link
    page = response.get_data(as_text=True)
    if link.startswith("/complaints"):
        return len(re.findall(r'<a href="/complaints/PAKN-', page))
    if link.startswith("/ratings"):
        return page.count('<tr class="rating-row">')
    if link.startswith("/reports/overdue"):
        return len(re.findall(r'<a href="/applications/', page.split('class="data')[1]))
    return page.count('<tr class="state-row-')


def test_each_figure_of_a_closed_month_lists_the_files_it_counts(march, client, auth):
    auth.login("supervisor")
    found = figures(client, "/dashboard?agency=000.00.00.H38&from=2025-03-01&to=2025-03-31")
    assert {label: text for label, (text, _) in found.items()} == {
        "Tiếp nhận mới": "17", "Đã giải quyết": "12", "Tỷ lệ đúng hạn": "75,0%", "Đang quá hạn": "1",
        "Đang quá hạn/": "3", "Trực tuyến": "29,4%", "Trực tuyến/": "5", "Thời gian giải quyết (ngày làm việc)": "2,75",
        "PAKN đúng hạn": "50,0%", "PAKN đúng hạn/": "2", "Hài lòng": "66,7%", "Hài lòng/": "3"}
    counts = {label: listed(client, link) for label, (_, link) in found.items()}
    assert counts == {"Tiếp nhận mới": 17, "Đã giải quyết": 12, "Tỷ lệ đúng hạn": 12, "Đang quá hạn": 1,
                      "Đang quá hạn/": 3, "Trực tuyến": 5, "Trực tuyến/": 5,
                      "Thời gian giải quyết (ngày làm việc)": 12, "PAKN đúng hạn": 2, "PAKN đúng hạn/": 2,
                      "Hài lòng": 3, "Hài lòng/": 3}
    # a closed period's stocks are the files as they stood at its end: the overdue report of that day
    assert found["Đang quá hạn"][1] == "/reports/overdue?agency=000.00.00.H38&at=2025-03-31"
    assert found["Đang quá hạn/"][1] == "/inbox?open_at=2025-03-31&handled_by=000.00.00.H38"
    # the period before and the same period a year before link to their own files
    with frozen_at(APRIL):
        page = client.get("/dashboard?agency=000.00.00.H38&from=2025-03-01&to=2025-03-31").get_data(as_text=True)
    last_year = re.search(r'▲ cùng kỳ năm trước <a href="([^"]+)">0</a>', page).group(1)
    assert html.unescape(last_year) == "/inbox?received_from=2024-03-01&received_to=2024-03-31&handled_by=000.00.00.H38"
    before = re.search(r'<small>kỳ trước <a href="([^"]+)">–</a>', page).group(1)  # the on-time rate of February
    assert html.unescape(before) == "/inbox?resolved_from=2025-02-01&resolved_to=2025-02-28&handled_by=000.00.00.H38"
    assert listed(client, html.unescape(last_year)) == 0 and listed(client, html.unescape(before)) == 0
    # and so do the Decision 766 table's points below their maximum: the on-time ones to the late files of March
    # (3 resolved late, 1 still open and overdue at its end)
    losses = "/index-766/losses?agency=000.00.00.H38&amp;indicator=on_time&amp;from=2025-03-01&amp;to=2025-03-31"
    assert f'<a href="{losses}" title="Xem hồ sơ làm mất điểm">14,67</a>' in page
    with frozen_at(APRIL):
        listed_late = client.get(html.unescape(losses)).get_data(as_text=True)
    assert listed_late.count('<tr class="loss-row">') == 4


def test_the_ratings_behind_the_satisfaction_figure_can_be_narrowed_to_the_unsatisfied(march, client, auth):
    auth.login("supervisor")
    with frozen_at(APRIL):
        page = client.get("/ratings?agency=000.00.04.H38&from=2025-03-01&to=2025-03-31&level=not_satisfied")
        elsewhere = client.get("/ratings?agency=000.00.05.H38&from=2025-03-01&to=2025-03-31")
        before = client.get("/ratings?agency=000.00.04.H38&from=2025-03-01&to=2025-03-19")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and text.count('<tr class="rating-row">') == 1
    assert march["files"]["T1"].code in text and "Chưa hài lòng" in text
    assert elsewhere.get_data(as_text=True).count('<tr class="rating-row">') == 0  # another department's files
    assert before.get_data(as_text=True).count('<tr class="rating-row">') == 0  # rated on the 20th
    assert client.get("/ratings?from=2025-03-31&to=2025-03-01").status_code == 400
    assert client.get("/ratings?after=nonsense").status_code == 400


def test_a_period_still_running_links_its_stocks_to_the_files_overdue_and_open_now(march, client, auth):
    auth.login("supervisor")
    found = figures(client, "/dashboard?agency=000.00.00.H38&from=2025-03-01&to=2025-04-15")
    assert found["Đang quá hạn"] == ("2", "/inbox?due=overdue&handled_by=000.00.00.H38")  # O1, and O2 due 3 April
    assert found["Đang quá hạn/"] == ("3", "/inbox?due=open&handled_by=000.00.00.H38")
    assert listed(client, found["Đang quá hạn"][1]) == 2 and listed(client, found["Đang quá hạn/"][1]) == 3


def test_the_lists_refuse_a_malformed_day_and_say_which_filter_holds(march, client, auth):
    auth.login("supervisor")
    assert client.get("/inbox?received_from=15/03/2025").status_code == 400
    assert client.get("/complaints?from=2025-13-01").status_code == 400
    page = client.get("/inbox?resolved_from=2025-03-01&resolved_to=2025-03-31&channel=online").get_data(as_text=True)
    assert "Đang lọc: có kết quả từ 01/03/2025 đến 31/03/2025; kênh: Trực tuyến" in page
    assert page.count('<tr class="state-row-') == 3  # E2, T2 and L3 were received online and resolved in March


def test_each_chart_clips_to_its_own_frame(march, client, auth):
    """Inline SVGs share the page's ids: with one `clip` id, every chart was cut to the first chart's height."""
    auth.login("supervisor")
    page = client.get("/dashboard?from=2025-03-01&to=2025-03-31").get_data(as_text=True)
    clips = re.findall(r'<clipPath id="([^"]+)"', page)
    assert len(clips) == 4 and len(set(clips)) == 4
    assert [re.search(rf'url\(#{clip}\)', page) is not None for clip in clips] == [True] * 4


def test_the_ratings_list_pages_by_keyset_without_repeats(march):
    from datetime import date

    from onestop.tracking.public.ratings import rating_page

    first = rating_page(None, date(2025, 3, 1), date(2025, 3, 31), per_page=2)
    second = rating_page(None, date(2025, 3, 1), date(2025, 3, 31), cursor=first.next, per_page=2)
    codes = [rating.application.code for rating in first.items + second.items]
    assert len(first.items) == 2 and len(second.items) == 1 and second.next is None
    assert sorted(codes) == sorted(march["files"][name].code for name in ("E1", "E2", "T1"))
