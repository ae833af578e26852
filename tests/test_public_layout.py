"""The status page drawn with the layout kept per language (onestop.public_layout) is the page a full render
draws, byte for byte; a signed-in officer and a visitor with a message waiting still get theirs."""
import re

import pytest
from flask import render_template

from onestop import public_layout
from onestop.timeutil import frozen_at
from tests.factories import event
from tests.test_tracking_status import application, birth, url, vn  # noqa: F401 (fixtures)

OFFICERS = {"request_supplement", "result_ready"}
TOKEN = re.compile(r'name="csrf_token" value="[^"]+"')


def full_page(client, address, at, monkeypatch) -> str:
    """The page as render_template draws it, every part of base.html drawn for this request."""
    drawn = []

    def full(name, **context):
        drawn.append(name)
        return render_template(name, **context)
    with monkeypatch.context() as patched:
        patched.setattr(public_layout, "render_template", full)
        shown = page(client, address, at)
    assert drawn == ["tracking/status.html"]  # the full render really drew it
    return shown


def page(client, address, at) -> str:
    with frozen_at(at):
        response = client.get(address)
    assert response.status_code == 200
    return TOKEN.sub('name="csrf_token" value="…"', response.get_data(as_text=True))  # each visitor has their own


@pytest.mark.parametrize("language", ["vi", "en"])
def test_kept_and_full_layouts_draw_the_same_page_in_every_state(app, world, application, monkeypatch, language):
    """A file followed through its life, looked at after each step with the layout kept and drawn in full (the
    page cache off): the same bytes each time, the footer's links back to this very address included."""
    app.config["STATUS_PAGE_CACHE_SECONDS"] = 0
    kept, full = app.test_client(), app.test_client()
    for client in (kept, full):
        client.get(f"/lang/{language}?next=/")
    address = url(application, k=application.tracking_key.lower(), extra="a'b c&d=ư<>")
    steps = [("transfer", vn(2026, 12, 14, 10, 30), {}),
             ("request_supplement", vn(2026, 12, 15, 9, 0), {"items": ["Bản sao giấy chứng sinh"], "reason": "Thiếu"}),
             ("supplement_received", vn(2026, 12, 16, 9, 0), {}),
             ("result_ready", vn(2026, 12, 17, 15, 0), {}),
             ("return", vn(2026, 12, 18, 9, 0), {})]
    pages = []
    for step, at, data in [(None, vn(2026, 12, 14, 10, 5), {})] + steps:
        if step:
            event(application, world.users["officer" if step in OFFICERS else "clerk"], step, at, **data)
        pages.append(page(kept, address, at))
        assert full_page(full, address, at, monkeypatch) == pages[-1], step
    footer = pages[-1][pages[-1].index('<span class="lang">'):]
    assert f'href="/lang/vi?next=/tra-cuu/{application.code}?k%3D{application.tracking_key.lower()}%26extra%3Da' \
           f'&#39;b+c%26d%3D%C6%B0%3C%3E"' in footer
    texts = ("Đánh giá mức độ hài lòng", "Đăng nhập cán bộ") if language == "vi" else ("Rate the service",
                                                                                    "Staff sign-in")
    assert all(text in pages[-1] for text in texts)  # the page's own text and the layout's, in its language


def test_a_signed_in_clerk_still_sees_the_staff_menu_on_the_status_page(client, auth, application):
    auth.login("clerk")
    shown = page(client, url(application), vn(2026, 12, 14, 11, 0))
    assert ">Tiếp nhận</a>" in shown
    assert "Đăng xuất" in shown and "Đăng nhập cán bộ" not in shown
    auth.logout()
    shown = page(client, url(application), vn(2026, 12, 14, 11, 0))
    assert "Đăng xuất" not in shown and "Đăng nhập cán bộ" in shown and ">Tiếp nhận</a>" not in shown


def test_the_thanks_after_a_rating_still_shows_on_the_page(client, world, application):
    for step, at in (("transfer", vn(2026, 12, 14, 10, 30)), ("result_ready", vn(2026, 12, 16, 15, 0)),
                     ("return", vn(2026, 12, 17, 9, 0))):
        event(application, world.users["officer" if step == "result_ready" else "clerk"], step, at)
    page(client, url(application), vn(2026, 12, 17, 9, 20))  # the page with its form, the layout kept
    with frozen_at(vn(2026, 12, 17, 9, 30)):
        response = client.post(f"/tra-cuu/{application.code}/danh-gia",
                               data={"k": application.tracking_key, "level": "satisfied"})
        assert response.status_code == 302
        shown = client.get(response.headers["Location"]).get_data(as_text=True)
        again = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<div class="flash flash-success" role="status">Cảm ơn Ông/Bà đã đánh giá.' in shown
    assert "Cảm ơn Ông/Bà đã đánh giá." not in again  # shown once, as a message is
    assert "Hồ sơ đã được đánh giá: Hài lòng. Cảm ơn Ông/Bà!" in again


def test_a_template_with_code_outside_its_blocks_is_drawn_in_full(app):
    """An import or a `set` at a template's top level would run only in a full render: such a template is never
    split; one with only its `extends` and blocks is."""
    env = app.jinja_env
    blocks = '{% block title %}x{% endblock %}\n{% block content %}{{ x }}{% endblock %}\n'
    assert public_layout.plain_parent(env, '{% extends "base.html" %}\n' + blocks) == "base.html"
    assert public_layout.plain_parent(env, '{% extends "base.html" %}{% set x = 1 %}' + blocks) is None
    assert public_layout.plain_parent(
        env, '{% extends "base.html" %}{% from "tracking/_public.html" import rating_choices %}' + blocks) is None
    assert public_layout.plain_parent(env, '{% extends "base.html" %}text outside' + blocks) is None
    assert public_layout.plain_parent(env, '{% extends layout %}' + blocks) is None
    assert public_layout.plain_parent(env, blocks) is None
    with app.test_request_context("/"):
        assert public_layout._parent(app, env.get_template("tracking/status.html")).name == "base.html"
