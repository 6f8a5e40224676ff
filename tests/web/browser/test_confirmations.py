"""Destructive and mass actions ask first, in Chinese; 取消 leaves everything as it was."""

from __future__ import annotations

import pytest

from ..conftest import PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_revoking_a_key_and_closing_a_campaign_ask_first(browser, live_server, cast):
    from minsheng.consultation.models import Campaign, Channel

    context, page = sign_in(browser, live_server.url, "owner", PHONE, next="/manage/c/plan/")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.click("text=吊销")
    page.wait_for_timeout(300)
    assert Channel.objects.get(pk=cast.channel.pk).is_active and "确定吊销吗" in questions[-1]
    page.once("dialog", lambda d: answer(d, True))
    page.click("text=吊销")
    page.wait_for_load_state()
    assert not Channel.objects.get(pk=cast.channel.pk).is_active
    page.once("dialog", lambda d: answer(d, False))
    page.click("text=结束征集")
    page.wait_for_timeout(300)
    assert Campaign.objects.get(pk=cast.campaign.pk).status == "open" and "确定结束征集吗" in questions[-1]
    context.close()
