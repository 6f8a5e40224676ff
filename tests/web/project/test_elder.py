"""长辈模式: a cookie any visitor sets from the header; pages then carry the ``elder`` class."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_elder_mode_switches_on_and_off_and_returns_to_the_page(client):
    response = client.post("/elder/", {"next": "/r/"})
    assert response.status_code == 302 and response["Location"] == "/r/" and response.cookies["elder"].value == "1"
    page = client.get("/r/").content.decode()
    assert '<html lang="zh-Hans" class="elder">' in page and "标准字体" in page
    client.post("/elder/", {"next": "/r/"})
    page = client.get("/r/").content.decode()
    assert '<html lang="zh-Hans">' in page and "长辈模式" in page


@pytest.mark.django_db
def test_elder_mode_never_redirects_off_the_site(client):
    assert client.post("/elder/", {"next": "https://evil.example/"})["Location"] == "/"
