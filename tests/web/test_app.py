"""The web application's frame: languages, static files, the page with no election yet."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from saylau.web.app import create_app


@pytest.fixture
def client(migrated_database_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(migrated_database_url)) as client:
        yield client


def test_the_language_follows_accept_language_then_defaults_to_kazakh(client: TestClient) -> None:
    page = client.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9"})
    assert page.status_code == 200
    assert '<html lang="ru">' in page.text
    assert "Пока не опубликовано ни одних выборов." in page.text
    assert page.headers["content-language"] == "ru"
    assert '<html lang="kk">' in client.get("/").text


def test_lang_in_the_query_wins_and_is_remembered_in_a_cookie(client: TestClient) -> None:
    page = client.get("/?lang=en", headers={"Accept-Language": "kk"})
    assert "No election has been published yet." in page.text
    cookie = page.headers["set-cookie"]
    assert "saylau_lang=en" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    again = client.get("/", headers={"Accept-Language": "kk"})
    assert '<html lang="en">' in again.text


def test_an_unknown_lang_is_ignored(client: TestClient) -> None:
    page = client.get("/?lang=de", headers={"Accept-Language": "kk"})
    assert '<html lang="kk">' in page.text
    assert "set-cookie" not in page.headers


def test_the_language_switch_names_each_language_in_itself(client: TestClient) -> None:
    page = client.get("/?lang=en").text
    for code, name in (("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")):
        assert f'href="?lang={code}"' in page and name in page


def test_htmx_is_served_from_the_package_with_its_licence(client: TestClient) -> None:
    script = client.get("/static/vendor/htmx/htmx.min.js")
    assert script.status_code == 200 and "htmx" in script.text
    assert "Zero-Clause BSD" in client.get("/static/vendor/htmx/LICENSE").text
    assert 'src="/static/vendor/htmx/htmx.min.js"' in client.get("/").text
