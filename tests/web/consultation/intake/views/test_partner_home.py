"""The channel partner's 工作台: everything needed to push, without asking anyone for the campaign's code."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_partner_reads_the_whole_address_to_push_to(client, cast):
    client.force_login(cast.partner)
    html = client.get("/manage/").content.decode()
    # <wbr>: where a phone may wrap the address (between its parts, not inside a word); the address reads whole.
    assert "/api<wbr>/v1<wbr>/campaigns" in html
    html = html.replace("<wbr>", "")
    assert "POST /api/v1/campaigns/plan/suggestions" in html and "&lt;活动&gt;" not in html
    assert f"msk_{cast.channel.key_prefix}_" in html and 'href="/api/v1/docs/"' in html
