"""Messages to contributors carry an absolute link to their receipt, built on MINSHENG_SITE_URL."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test.utils import override_script_prefix

from minsheng.web.env import env_url

pytestmark = pytest.mark.django_db


def _answered(cast, django_capture_on_commit_callbacks, contact: str, **answer):
    from minsheng.consultation.intake.models import Suggestion
    from minsheng.consultation.intake.services import suggestion_submit
    from minsheng.consultation.workbench.services import reply_send

    s = suggestion_submit(campaign=cast.campaign, text="建议在地铁站周边增加非机动车停放点", contact=contact)
    Suggestion.objects.filter(pk=s.pk).update(department=cast.dept_a)  # as routing leaves it
    with django_capture_on_commit_callbacks(execute=True):
        reply_send(user=cast.officer_a, department=cast.dept_a, suggestion_ids=[s.pk], text="已纳入明年计划。", **answer)
    return s


def test_the_e_mail_links_to_the_receipt_on_the_configured_site(client, cast, settings,
                                                                django_capture_on_commit_callbacks):
    settings.MINSHENG_SITE_URL = "https://minsheng.example.gov.cn"
    s = _answered(cast, django_capture_on_commit_callbacks, "liu@example.cn")
    [message] = mail.outbox
    link = f"https://minsheng.example.gov.cn/r/{s.receipt}/"
    assert f"查看详情：{link}" in message.body
    page = client.get(link.removeprefix(settings.MINSHENG_SITE_URL))  # the path is the real receipt page
    assert page.status_code == 200 and "已纳入明年计划" in page.content.decode()


def test_the_sms_link_is_absolute_too(cast, settings, django_capture_on_commit_callbacks, caplog):
    settings.MINSHENG_SITE_URL = "https://gov.example.cn/minsheng"
    s = _answered(cast, django_capture_on_commit_callbacks, "13812345678")
    assert f"https://gov.example.cn/minsheng/r/{s.receipt}/" in caplog.text  # the default provider logs


def test_a_reply_sent_under_the_script_prefix_names_it_once(cast, settings, django_capture_on_commit_callbacks,
                                                            caplog):
    """Served under /minsheng behind a proxy, reverse() names the prefix that MINSHENG_SITE_URL names too."""
    settings.MINSHENG_SITE_URL = "https://gov.example.cn/minsheng"
    with override_script_prefix("/minsheng/"):
        s = _answered(cast, django_capture_on_commit_callbacks, "13812345678")
    assert f"https://gov.example.cn/minsheng/r/{s.receipt}/" in caplog.text and "/minsheng/minsheng/" not in caplog.text


def test_the_default_is_the_local_server(monkeypatch):
    monkeypatch.delenv("MINSHENG_SITE_URL", raising=False)
    assert env_url("MINSHENG_SITE_URL", "http://127.0.0.1:8000") == "http://127.0.0.1:8000"
    monkeypatch.setenv("MINSHENG_SITE_URL", "https://minsheng.example.gov.cn/")
    assert env_url("MINSHENG_SITE_URL", "http://127.0.0.1:8000") == "https://minsheng.example.gov.cn"
    for bad in ("minsheng.example.gov.cn", "ftp://example.cn", "https://example.cn/?a=1"):
        monkeypatch.setenv("MINSHENG_SITE_URL", bad)
        with pytest.raises(ImproperlyConfigured, match="MINSHENG_SITE_URL"):
            env_url("MINSHENG_SITE_URL", "http://127.0.0.1:8000")


def test_the_e_mail_comes_from_the_site_by_its_chinese_name(cast, django_capture_on_commit_callbacks):
    """Django's default sender was webmaster@localhost: what a citizen read as the sender of 您的建议有了答复."""
    from django.conf import settings

    _answered(cast, django_capture_on_commit_callbacks, "liu@example.cn")
    [message] = mail.outbox
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.from_email.startswith("民声 <noreply@") and "webmaster" not in message.message().as_string()


@pytest.mark.parametrize(("outcome", "heading"), [("adopted", "采纳说明："), ("noted", "未采纳的原因：")])
def test_the_message_says_what_was_adopted_or_why_not(cast, django_capture_on_commit_callbacks, outcome, heading):
    """An adopted suggestion's SMS (walked live) read 您的建议…已采纳 and the reply, but not the 采纳说明 the
    officer must write (what was adopted, where): the one thing the citizen most wants to hear. It carries it, as
    the receipt page does, and for 留作参考 the reason why not."""
    _answered(cast, django_capture_on_commit_callbacks, "liu@example.cn", outcome=outcome, note="东风路两处站台明年完工")
    [message] = mail.outbox
    assert f"{heading}东风路两处站台明年完工" in message.body
