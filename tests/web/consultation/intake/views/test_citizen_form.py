"""The citizen's form: a quick correct second answer passes, a long text is warned about not cut, words are
required, and the receipt says what happens next."""

from __future__ import annotations

import re
import time

import pytest

from minsheng.consultation.intake.challenge import new_challenge
from minsheng.consultation.models import Suggestion


def _answer(page: str) -> str:
    digits = "零一二三四五六七八九"
    a, b = re.search(r"(.)加(.)等于几", page).groups()
    return str(digits.index(a) + digits.index(b))


def _token(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def _opened():
    challenge = new_challenge(now=time.time() - 30)  # the person opened the page half a minute ago
    return {"token": challenge.token, "answer": str(challenge.a + challenge.b)}


@pytest.mark.django_db
def test_a_quick_correct_answer_after_an_error_is_accepted(client, cast, settings):
    settings.CHALLENGE_MIN_SECONDS = 2
    response = client.post("/c/plan/", {"text": "", **_opened()})
    assert response.status_code == 200
    page = response.content.decode()
    response = client.post("/c/plan/", {"text": "建议增加公交班次", "token": _token(page), "answer": _answer(page)})
    assert response.status_code == 302 and Suggestion.objects.count() == 1


@pytest.mark.django_db
def test_a_wrong_answer_points_to_the_question_above(client, cast):
    page = client.post("/c/plan/", {"text": "建议增加公交班次", **_opened(), "answer": "99"}).content.decode()
    assert "请看上面新出的题目" in page and "下面" not in page


@pytest.mark.django_db
def test_the_box_counts_instead_of_cutting_and_too_long_says_by_how_much(client, cast, settings):
    from django import forms

    from minsheng.consultation.intake.forms import SuggestionForm

    page = client.get("/c/plan/").content.decode()
    box = re.search(r"<textarea[^>]*>", page).group()
    assert "maxlength" not in box and f'data-max="{settings.SUGGESTION_MAX_CHARS}"' in box
    assert 'id="text-count"' in page
    limit = SuggestionForm.base_fields["text"]
    assert isinstance(limit, forms.CharField) and limit.max_length == settings.SUGGESTION_MAX_CHARS
    page = client.post("/c/plan/", {"text": "字" * (settings.SUGGESTION_MAX_CHARS + 5),
                                    **_opened()}).content.decode()
    assert f"最多 {settings.SUGGESTION_MAX_CHARS} 个字，现在是 {settings.SUGGESTION_MAX_CHARS + 5} 个字" in page
    counter = re.search(r'<p class="([^"]*)" id="text-count"[^>]*>([^<]*)</p>', page)  # said once, where the count is
    assert "error" in counter.group(1) and "现在是" in counter.group(2) and page.count("现在是") == 1
    assert not Suggestion.objects.exists()


@pytest.mark.django_db
def test_emoji_alone_is_not_a_suggestion(client, cast):
    page = client.post("/c/plan/", {"text": "😊👍🎉！", **_opened()}).content.decode()
    assert "请用文字写下您的建议" in page and not Suggestion.objects.exists()


@pytest.mark.django_db
def test_the_receipt_says_what_happens_next_and_the_campaign_links_its_results(client, cast):
    from minsheng.consultation.intake.services import suggestion_submit
    from minsheng.consultation.publishing.services import campaign_results_publish

    s = suggestion_submit(campaign=cast.campaign, text="建议增加公交班次")
    page = client.get(f"/r/{s.receipt}/?new=1").content.decode()
    assert 'id="next-steps"' in page and 'id="copy-code"' in page
    assert "找不到回执码" in client.get("/r/").content.decode()
    assert 'id="to-results"' not in client.get("/c/plan/").content.decode()
    campaign_results_publish(actor=cast.owner, campaign=cast.campaign)
    assert 'id="to-results"' in client.get("/c/plan/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["好", "修路！", "ok", "１２３"])
def test_a_suggestion_too_short_to_act_on_is_refused_and_kept_in_the_box(client, cast, text):
    """The public page took 好 as a suggestion: nothing an office can act on. Now it says in Chinese how much to
    write, and the box still holds what was typed."""
    response = client.post("/c/plan/", {"text": text, **_opened()})
    page = response.content.decode()
    assert response.status_code == 200 and "请至少写 5 个字" in page and not Suggestion.objects.exists()
    assert re.search(r"<textarea[^>]*>\s*" + re.escape(text) + r"</textarea>", page)
    assert client.post("/c/plan/", {"text": "建议多修路", **_opened()}).status_code == 302


@pytest.mark.django_db
def test_the_receipt_of_a_routed_suggestion_names_the_department_it_went_to(client, cast):
    """Routed to 教育局 with a deadline, the receipt still said its first next step was that staff would analyse it
    and pass it to a department: what had already happened read as still to come."""
    from minsheng.consultation.handling.services import suggestion_dispatch
    from minsheng.consultation.intake.services import suggestion_submit

    s = suggestion_submit(campaign=cast.campaign, text="建议增加中小学课后托管服务")
    waiting = client.get(f"/r/{s.receipt}/").content.decode()
    assert "转交给承办部门" in waiting and "已转交" not in waiting
    suggestion_dispatch(user=cast.owner, suggestion_id=s.pk, department=cast.dept_b)
    routed = client.get(f"/r/{s.receipt}/").content.decode()
    steps = re.search(r'id="next-steps">(.*?)</ol>', routed, re.S).group(1)
    assert "您的建议已转交教育局办理" in steps and "梳理分析" not in steps


@pytest.mark.django_db
def test_a_contact_no_message_can_reach_is_refused_and_kept_in_the_box(client, cast):
    """The form's 联系方式 took anything ("微信 lxy1958") and the receipt then promised 部门答复后…并按您留下的联系方式通知您,
    but only a phone number or an e-mail is ever sent to: the answer never came. The label said 仅工作人员可见,
    yet no page shows the contact to anyone; it serves the notice of the answer only, and says so."""
    page = client.get("/c/plan/").content.decode()
    assert "仅工作人员可见" not in page and "手机号或邮箱" in page
    response = client.post("/c/plan/", {"text": "建议增加公交班次", "contact": "微信 lxy1958", **_opened()})
    page = response.content.decode()
    assert response.status_code == 200 and "请填写手机号或电子邮箱" in page and not Suggestion.objects.exists()
    assert 'value="微信 lxy1958"' in page and "建议增加公交班次</textarea>" in page
    for contact in ("138 0013 8000", "li@example.cn", ""):
        assert client.post("/c/plan/", {"text": "建议增加公交班次", "contact": contact, **_opened()}).status_code == 302
