"""Sessions end when they should (issue 11, part 5): logout ends the session on the server's side; a new password,
set by the user or reset by an admin, ends every other session of that user and revokes every token."""
import sqlalchemy as sa

from onestop.auth.models import ApiToken
from onestop.extensions import db


def copy_of_the_cookie(client):
    """A second browser holding a copy of the first one's session cookie (stolen, or left on a shared PC)."""
    thief = client.application.test_client()
    cookie = client.get_cookie("session")
    thief.set_cookie("session", cookie.value)
    return thief


def signed_in(client) -> bool:
    return client.get("/desk").status_code == 200


def token_for(client, username="clerk", password="demo"):
    return client.post("/api/v1/tokens", json={"username": username, "password": password}).get_json()["token"]


def token_works(client, token) -> bool:
    return client.get("/api/v1/tokens", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_a_session_cookie_copied_before_logout_no_longer_works_after(client, auth, world):
    auth.login("clerk")
    copy = copy_of_the_cookie(client)
    assert signed_in(copy)
    auth.logout()
    assert not signed_in(copy)
    assert copy.get("/desk").headers["Location"].startswith("/login")


def test_changing_ones_password_ends_the_other_sessions_and_revokes_every_token(client, auth, world):
    api = client.application.test_client()
    token = token_for(api)
    laptop = client.application.test_client()
    laptop.post("/login", data={"username": "clerk", "password": "demo"})
    auth.login("clerk")
    changed = client.post("/password", data={"old_password": "demo", "new_password": "ho-so-mot-cua-2026",
                                             "confirm": "ho-so-mot-cua-2026"})
    assert changed.status_code == 302
    assert signed_in(client)  # the session that changed it stays
    assert not signed_in(laptop)
    assert not token_works(api, token)
    revoked = db.session.scalars(sa.select(ApiToken.revoked_at)).all()
    assert len(revoked) == 1 and revoked[0] is not None


def test_an_admins_reset_ends_the_users_sessions_and_tokens(client, auth, world):
    desk = client.application.test_client()
    desk.post("/login", data={"username": "clerk", "password": "demo"})
    api = client.application.test_client()
    token = token_for(api)
    auth.login("admin")
    reset = client.post("/admin/users/clerk", data={"username": "clerk", "full_name": "Lê Thị Thu Hằng",
                                                    "agency_code": "000.00.01.H38", "roles": ["clerk"], "active": "y",
                                                    "password": "tiep-nhan-ho-so"})
    assert reset.status_code == 302
    assert not signed_in(desk)
    assert not token_works(api, token)
    assert client.get("/admin/users").status_code == 200  # the admin's own session is untouched
    assert desk.post("/login", data={"username": "clerk", "password": "tiep-nhan-ho-so"}).status_code == 302


def test_an_admin_editing_a_name_only_leaves_the_users_sessions_alone(client, auth, world):
    desk = client.application.test_client()
    desk.post("/login", data={"username": "clerk", "password": "demo"})
    auth.login("admin")
    client.post("/admin/users/clerk", data={"username": "clerk", "full_name": "Lê Thu Hằng",
                                            "agency_code": "000.00.01.H38", "roles": ["clerk"], "active": "y"})
    assert signed_in(desk)


def test_an_admin_changing_their_own_password_stays_signed_in_here_only(client, auth, world):
    other = client.application.test_client()
    other.post("/login", data={"username": "admin", "password": "demo"})
    auth.login("admin")
    client.post("/admin/users/admin", data={"username": "admin", "full_name": "Nguyễn Văn Quản",
                                            "agency_code": "000.00.00.H38", "roles": ["admin"], "active": "y",
                                            "password": "quan-tri-tinh-lao-cai"})
    assert client.get("/admin/users").status_code == 200
    assert other.get("/admin/users").status_code == 302


def test_the_command_line_sets_a_password_and_ends_the_sessions(client, auth, world, runner):
    auth.login("clerk")
    done = runner.invoke(args=["users", "password", "clerk", "--password", "mot-cua-lao-cai"])
    assert done.exit_code == 0, done.output
    assert not signed_in(client)
    assert auth.login("clerk", "mot-cua-lao-cai").status_code == 302


def test_a_session_made_before_session_versions_existed_signs_in_again(app, world):
    from onestop.auth import load_user

    clerk = world.users["clerk"]
    assert load_user(str(clerk.id)) is None
    assert load_user(f"{clerk.id}:{clerk.session_version}") is clerk


def test_a_token_works_from_a_client_that_signed_out_of_the_pages_or_read_a_public_page(client, auth, world):
    """A desk program keeps its cookies: signing out of the pages, or a session holding only a public page's
    CSRF token, must not turn its valid token into a 401 (Flask-Login's strong session protection used to
    answer such a request as anonymous before the token was looked at)."""
    token = token_for(client.application.test_client())
    auth.login("clerk")
    auth.logout()
    assert token_works(client, token)
    citizen = client.application.test_client()
    citizen.get("/tra-cuu")  # a public page: the session now holds a flash or a form token, no user
    with citizen.session_transaction() as session:
        session["csrf_token"] = "from a public form"
    assert token_works(citizen, token)


def test_a_revoked_token_with_a_signed_in_session_is_still_refused(client, auth, world):
    token = token_for(client.application.test_client())
    auth.login("clerk")  # the same client holds a valid session: the token it sends is what counts
    listed = client.get("/api/v1/tokens", headers={"Authorization": f"Bearer {token}"}).get_json()["tokens"]
    assert client.delete(f"/api/v1/tokens/{listed[0]['id']}",
                         headers={"Authorization": f"Bearer {token}"}).status_code == 204
    assert client.get("/api/v1/tokens", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_signed_in_session_seen_from_another_browser_is_still_checked_by_flask_login(client, auth, world):
    """Flask-Login's session protection still looks at every signed-in session: the same cookie from another browser
    (another User-Agent) is marked no longer fresh (sessions here are permanent, so "strong" acts as "basic"), while
    the public pages no longer trip it for visitors nobody signed in (tests/test_status_cache.py)."""
    auth.login("clerk")
    thief = copy_of_the_cookie(client)
    thief.environ_base["HTTP_USER_AGENT"] = "Another browser/1.0"
    assert thief.get("/desk").status_code == 200
    with thief.session_transaction() as stolen, client.session_transaction() as own:
        assert (stolen.get("_fresh"), own.get("_fresh")) == (False, True)
