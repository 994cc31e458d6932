"""Signing in: the session cookie, CSRF, the rate limit, sign-out, a changed password."""

from __future__ import annotations

from fastapi.testclient import TestClient
from staff_scenario import PASSWORD, Meeting, csrf_of, sign_in


def test_a_secretary_signs_in_and_sees_its_councils_contests(
    staff_client: TestClient, meeting: Meeting
) -> None:
    assert staff_client.get("/staff", follow_redirects=False).status_code == 303
    sign_in(staff_client, "secretary")
    cookie = next(c for c in staff_client.cookies.jar if c.name == "saylau_session")
    assert cookie.has_nonstandard_attr("HttpOnly") or "httponly" in str(cookie._rest).lower()
    page = staff_client.get("/staff?lang=en")
    assert page.status_code == 200
    for post in ("Derkul", "Zachagansk", "Krugloozerny"):
        assert post in page.text
    assert "Sign out" in page.text


def test_the_session_cookie_is_httponly_lax_and_secure_over_tls(staff_client: TestClient) -> None:
    response = staff_client.post(
        "/login",
        data={"name": "chair", "password": PASSWORD, "csrf_token": csrf_of(staff_client)},
        follow_redirects=False,
    )
    cookie = next(h for h in response.headers.get_list("set-cookie") if "saylau_session" in h)
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    tls = TestClient(staff_client.app, base_url="https://testserver")
    response = tls.post(
        "/login",
        data={"name": "chair", "password": PASSWORD, "csrf_token": csrf_of(tls)},
        follow_redirects=False,
    )
    cookie = next(h for h in response.headers.get_list("set-cookie") if "saylau_session" in h)
    assert "Secure" in cookie


def test_a_wrong_password_is_refused_with_the_same_words_as_an_unknown_user(
    staff_client: TestClient,
) -> None:
    for name, password in (("chair", "not the password"), ("nobody", PASSWORD)):
        response = staff_client.post(
            "/login?lang=en",
            data={"name": name, "password": password, "csrf_token": csrf_of(staff_client)},
        )
        assert response.status_code == 401
        assert "Unknown user or wrong password." in response.text


def test_a_form_without_its_csrf_token_is_refused(staff_client: TestClient) -> None:
    response = staff_client.post("/login", data={"name": "chair", "password": PASSWORD})
    assert response.status_code == 403
    sign_in(staff_client, "chair")
    assert staff_client.post("/logout", data={"csrf_token": "forged"}).status_code == 403
    # The token of the anonymous page is not the session's: a new one is issued at sign-in.
    response = staff_client.post(
        "/staff/sittings/1/open", data={"csrf_token": "0" * 64}, follow_redirects=False
    )
    assert response.status_code == 403


def test_sign_in_is_rate_limited_per_account(staff_client: TestClient) -> None:
    for _ in range(5):
        response = staff_client.post(
            "/login",
            data={
                "name": "chair",
                "password": "wrong password!",
                "csrf_token": csrf_of(staff_client),
            },
        )
        assert response.status_code == 401
    response = staff_client.post(
        "/login?lang=en",
        data={"name": "chair", "password": PASSWORD, "csrf_token": csrf_of(staff_client)},
    )
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert "Too many failed attempts" in response.text
    # Another account from the same address is not locked yet.
    sign_in(staff_client, "secretary")


def test_sign_out_ends_the_session(staff_client: TestClient) -> None:
    sign_in(staff_client, "chair")
    token = csrf_of(staff_client, "/staff")
    assert (
        staff_client.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code
        == 303
    )
    assert staff_client.get("/staff", follow_redirects=False).status_code == 303


def test_a_new_password_ends_the_sessions_signed_in_before(
    staff_client: TestClient, migrated_database_url: str
) -> None:
    from saylau.db.engine import make_engine, make_session_factory
    from saylau.services import users

    sign_in(staff_client, "chair")
    assert staff_client.get("/staff", follow_redirects=False).status_code == 200
    engine = make_engine(migrated_database_url)
    with make_session_factory(engine)() as session:
        admin = users.principal_of(session=session, name="admin")
        users.set_password(
            session=session, principal=admin, name="chair", password="another password 2"
        )
    engine.dispose()
    response = staff_client.get("/staff", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")
