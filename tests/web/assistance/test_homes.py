"""Each role lands on its own home after signing in, and the top navigation offers only the homes it opens."""

from __future__ import annotations

import pytest

from ..conftest import PASSWORD


def _sign_in(client, user) -> str:
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    return response.redirect_chain[-1][0]


@pytest.mark.parametrize(("who", "home"), [
    ("grandma_user", "/assistance/me/"),
    ("cadre_a", "/assistance/"),
    ("volunteer", "/assistance/"),
    ("outsider", "/manage/"),
])
def test_each_role_lands_on_its_own_home(client, aid, who, home):
    assert _sign_in(client, getattr(aid, who)) == home


def test_the_recipient_is_led_to_her_own_page_not_refused(client, aid):
    client.force_login(aid.grandma_user)
    response = client.get("/assistance/", follow=True)
    assert response.redirect_chain == [("/assistance/me/", 302)]
    page = response.content.decode()
    assert "我的救助" in page and 'href="/manage/"' not in page


def test_staff_navigation_has_no_recipient_page(client, aid):
    client.force_login(aid.cadre_a)
    page = client.get("/assistance/").content.decode()
    assert 'href="/assistance/"' in page and 'href="/assistance/me/"' not in page and 'href="/manage/"' not in page


@pytest.mark.parametrize(("who", "page", "shown"), [
    (None, "/", True),
    ("outsider", "/manage/", True),
    ("cadre_a", "/assistance/", False),
    ("civil", "/assistance/", False),
    ("grandma_user", "/assistance/me/", False),
])
def test_the_receipt_lookup_is_offered_only_where_suggestions_are(client, aid, who, page, shown):
    """查回执 belongs to the consultation side (a citizen's receipt for a suggestion): assistance staff and
    recipients, whose header offers only their own system, were shown it on every page."""
    from django.urls import reverse

    if who:
        client.force_login(getattr(aid, who))
    html = client.get(page).content.decode()
    assert (f'href="{reverse("receipt-lookup")}"' in html) is shown
