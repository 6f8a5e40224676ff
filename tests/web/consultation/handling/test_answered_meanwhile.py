"""Two officers of one department answer the same suggestion at once: the second, who was shown it waiting, is told
it was answered meanwhile instead of answering over it (a second reply, a second message to the citizen)."""

from __future__ import annotations

import json

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from minsheng.consultation.workbench.models import Reply, SuggestionReply

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(cast):
    from minsheng.accounts.models import Role
    from minsheng.accounts.services import role_grant, user_create

    user = user_create(username="officer_a2", password="x-Pass-2026!", display_name="赵科员")
    role_grant(user=user, role=Role.DEPARTMENT_OFFICER, organisation=cast.dept_a)
    return user


def _post(_client, user, ids, dept, **extra):
    client = Client()  # each officer at their own browser
    client.force_login(user)
    response = client.post("/manage/inbox/act/", {"ids": ids, "dept": dept.pk, "text": "已安排施划人行横道",
                                                  "next": f"/manage/inbox/s/{ids[0]}/", **extra})
    return response, [str(m) for m in get_messages(response.wsgi_request)], client


def test_the_second_of_two_officers_answering_one_suggestion_is_told_and_sends_nothing(cast, routed, colleague, client):
    s = routed(contact="p@example.com")
    client.force_login(colleague)
    shown = client.get(f"/manage/inbox/s/{s.pk}/").content.decode()
    assert 'name="waiting" value="1"' in shown  # the form the colleague fills in was shown for a waiting one
    _post(client, cast.officer_a, [s.pk], cast.dept_a, waiting="1")
    response, said, browser = _post(client, colleague, [s.pk], cast.dept_a, waiting="1", outcome="adopted",
                                    note="已采纳")
    assert response.status_code == 302 and response.url == f"/manage/inbox/s/{s.pk}/"
    assert len(said) == 1 and said[0].startswith("以下建议刚刚已由他人答复，这次未提交")
    assert SuggestionReply.objects.filter(suggestion=s).count() == 1 and s.notifications.count() == 1
    page = browser.get(response.url).content.decode()
    assert "答复人 李科员" in page and 'name="waiting"' not in page  # answering again is a deliberate 再次答复
    kept = json.loads(page.split('id="kept-form" type="application/json">', 1)[1].split("</script>", 1)[0])
    assert "已采纳" in json.dumps(kept, ensure_ascii=False)  # what the colleague typed, put back into 再次答复


def test_a_group_answer_names_the_ones_answered_meanwhile_and_answers_none(cast, routed, colleague, client):
    group = [routed(f"建议学校门口设置减速带{i}") for i in range(3)]
    _post(client, cast.officer_a, [group[1].pk], cast.dept_a, waiting="1")
    _response, said, _browser = _post(client, colleague, [s.pk for s in group], cast.dept_a, waiting="1", scope="group")
    assert said[0].startswith("以下建议刚刚已由他人答复") and str(group[1]) in said[0]
    assert str(group[0]) not in said[0]
    assert Reply.objects.count() == 1


def test_answering_again_on_purpose_still_works(cast, routed, colleague, client):
    s = routed()
    _post(client, cast.officer_a, [s.pk], cast.dept_a, waiting="1")
    _response, said, _browser = _post(client, colleague, [s.pk], cast.dept_a, text="补充：下月完工")
    assert said[0].startswith("已办理 1 条建议") and SuggestionReply.objects.filter(suggestion=s).count() == 2
