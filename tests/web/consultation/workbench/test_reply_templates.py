"""常用语: an officer starts a reply from their own department's standard wording, never another's."""

from __future__ import annotations

import pytest

from minsheng.consultation.intake.services import suggestion_submit
from minsheng.consultation.models import ReplyTemplate, Suggestion

pytestmark = pytest.mark.django_db


def test_the_reply_forms_offer_the_departments_own_templates(client, cast):
    ReplyTemplate.objects.create(department=cast.dept_a, title="已纳入规划", text="感谢您的建议，已纳入交通专项规划。")
    ReplyTemplate.objects.create(department=cast.dept_b, title="教育局常用", text="教育局答复")
    s = suggestion_submit(campaign=cast.campaign, text="建议增加公交班次")
    Suggestion.objects.filter(pk=s.pk).update(department=cast.dept_a)
    client.force_login(cast.officer_a)
    page = client.get(f"/manage/inbox/s/{s.pk}/").content.decode()
    assert 'data-text="感谢您的建议，已纳入交通专项规划。"' in page and "已纳入规划" in page
    assert "教育局常用" not in page and "reply_templates.js" in page
    assert ReplyTemplate.objects.filter(department=cast.dept_b).exists()
