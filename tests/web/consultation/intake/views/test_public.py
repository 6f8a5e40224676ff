"""The public campaign page and receipt lookup: anonymous submission, challenge, rate limit, escaping."""

from __future__ import annotations

import re

import pytest

from minsheng.consultation.intake.models import Suggestion
from minsheng.consultation.intake.services import campaign_close, campaign_create, suggestion_submit


def answer_challenge(client, url="/c/plan/"):
    page = client.get(url).content.decode()
    digits = "零一二三四五六七八九"
    a, b = re.search(r"验证：(.)加(.)等于几", page).groups()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    return {"token": token, "answer": str(digits.index(a) + digits.index(b))}


def test_an_anonymous_citizen_submits_and_gets_a_receipt(client, cast):
    response = client.post("/c/plan/", {"text": "建议多建口袋公园，联系我 13812345678", "region": "雁峰区",
                                        "contact": "liu@example.com", **answer_challenge(client)})
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert response["Location"] == f"/r/{suggestion.receipt}/?new=1"
    assert suggestion.source == "web" and suggestion.author is None and "13812345678" not in suggestion.text
    assert "liu@example.com" not in suggestion.contact_encrypted
    page = client.get(response["Location"]).content.decode()
    assert "您的建议已收到" in page and suggestion.receipt[:5] in page and "138****5678" in page
    assert "建议办理情况" in client.get(f"/r/{suggestion.receipt}/").content.decode()


def test_a_signed_in_citizen_is_recorded_as_author(client, cast):
    client.force_login(cast.citizen)
    client.post("/c/plan/", {"text": "建议增加公交班次", **answer_challenge(client)})
    assert Suggestion.objects.get().author == cast.citizen


def test_a_wrong_answer_or_a_filled_honeypot_stores_nothing(client, cast):
    wrong = answer_challenge(client) | {"answer": "99"}
    # the form comes back (200, a page like any other) with the text kept and the answer's fault in Chinese
    page = client.post("/c/plan/", {"text": "建议增加公交班次", **wrong})
    assert page.status_code == 200 and "验证题答得不对" in page.content.decode()
    assert re.search(r"<textarea[^>]*>\s*建议增加公交班次</textarea>", page.content.decode())
    bot = answer_challenge(client) | {"website": "http://spam"}
    assert client.post("/c/plan/", {"text": "建议增加公交班次", **bot}).status_code == 200
    assert Suggestion.objects.count() == 0


def test_too_fast_a_submission_fails_the_challenge(client, cast, settings):
    settings.CHALLENGE_MIN_SECONDS = 60
    response = client.post("/c/plan/", {"text": "建议增加公交班次", **answer_challenge(client)})
    assert "提交得太快了" in response.content.decode() and Suggestion.objects.count() == 0


def test_empty_and_oversized_text_are_refused_with_a_message(client, cast, settings):
    settings.SUGGESTION_MAX_CHARS = 20
    empty = client.post("/c/plan/", {"text": "   ", **answer_challenge(client)})
    assert empty.status_code == 200 and "请填写建议内容" in empty.content.decode()
    long = client.post("/c/plan/", {"text": "长" * 21, **answer_challenge(client)})
    assert long.status_code == 200 and Suggestion.objects.count() == 0


def test_the_address_rate_limit_stops_a_flood(client, cast, settings):
    settings.PUBLIC_RATE_PER_MINUTE = 2
    codes = [client.post("/c/plan/", {"text": f"建议增加公交班次{i}", **answer_challenge(client)}).status_code for i in range(3)]
    assert codes == [302, 302, 429]
    assert Suggestion.objects.count() == 2


def test_behind_a_trusted_proxy_each_citizen_has_an_own_limit(client, cast, settings):
    """Without TRUSTED_PROXIES all of them would share the proxy's address; a forged hop buys nothing."""
    settings.PUBLIC_RATE_PER_MINUTE = 1
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    def post(forwarded: str) -> int:
        return client.post("/c/plan/", {"text": "建议增加公交班次", **answer_challenge(client)}, REMOTE_ADDR="10.1.2.3",
                           HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert [post("203.0.113.7"), post("198.51.100.9")] == [302, 302]
    assert post("1.1.1.1, 203.0.113.7") == 429  # the client prepended a hop: still 203.0.113.7
    assert Suggestion.objects.count() == 2


def test_a_closed_campaign_shows_no_form_and_refuses_posts(client, cast):
    campaign_close(actor=cast.owner, campaign=cast.campaign)
    assert "提交建议" not in client.get("/c/plan/").content.decode()
    client.post("/c/plan/", {"text": "建议增加公交班次", "token": "x", "answer": "1"})
    assert Suggestion.objects.count() == 0


def test_html_in_a_suggestion_is_escaped_on_every_page(client, cast):
    s = suggestion_submit(campaign=cast.campaign, text="<script>alert('x')</script><b>粗</b>",
                          title="<img src=x onerror=alert(1)>")
    client.force_login(cast.owner)
    for url in (f"/r/{s.receipt}/", "/manage/c/plan/"):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html


def test_receipt_lookup_accepts_the_displayed_form_and_rejects_unknown_codes(client, cast):
    s = suggestion_submit(campaign=cast.campaign, text="建议")
    found = client.get("/r/", {"code": f" {s.receipt[:5].lower()}-{s.receipt[5:]} "})
    assert found.status_code == 302 and found["Location"] == f"/r/{s.receipt}/"
    missing = client.get("/r/", {"code": "ZZZZZ-ZZZZZ"})
    assert missing.status_code == 200 and "没有找到这个回执码" in missing.content.decode()


@pytest.mark.parametrize("url", ["/r/NOPE/", "/r/?code=ZZZZZ-ZZZZZ", "/r/?code=" + "Z" * 30])
def test_a_wrong_receipt_code_is_a_page_sent_back_not_a_failed_request(client, cast, url):
    """A mistyped, unknown or over-long code answered 404 (or the form's 404): the page read right, but the
    browser's console showed a failed request for an everyday slip. The form comes back, 200, saying what is wrong."""
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode() and 'class="errorlist' in response.content.decode()


@pytest.mark.parametrize("slug", ["draft", "secret"])
def test_drafts_and_invite_only_campaigns_are_hidden(client, cast, slug):
    is_draft = slug == "draft"
    c = campaign_create(owner=cast.owner, slug=slug, title="内部", question="?", is_public=is_draft,
                        status="draft" if is_draft else "open")
    assert client.get(f"/c/{slug}/").status_code == 404
    assert "内部" not in client.get("/").content.decode()
    if not is_draft:
        assert client.get(f"/c/{slug}/?invite={c.invite_token}").status_code == 200


def test_a_solved_challenge_cannot_be_replayed(client, cast):
    solved = answer_challenge(client)
    assert client.post("/c/plan/", {"text": "建议一：增加公交班次", **solved}).status_code == 302
    replay = client.post("/c/plan/", {"text": "建议二：增加公交班次", **solved})
    assert replay.status_code != 302 and Suggestion.objects.count() == 1
