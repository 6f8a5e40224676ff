"""The admin in a real browser: a form left wanting is met by the site's Chinese words, not the browser's."""

from __future__ import annotations

import pytest

from ..conftest import PASSWORD, sign_in
from .a11y import SIZES, browser_worded_messages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_admin_forms_speak_chinese_when_left_wanting(browser, live_server, cast):
    """The suggestions' list in the admin asked "Please select an item in the list." of its action menu, and an
    add form "Please fill out this field.": the admin did not load the script that words them (validity.js)."""
    cast.owner.is_staff = cast.owner.is_superuser = True
    cast.owner.set_password(PASSWORD)
    cast.owner.save()
    context, page = sign_in(browser, live_server.url, cast.owner.username, SIZES["desktop"])
    for path in ("/admin/consultation/suggestion/", "/admin/consultation/campaign/add/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert browser_worded_messages(page) == [], path
    context.close()
