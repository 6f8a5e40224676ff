"""A citizen's words are kept and shown as written (only personal data masked); the analysis normalises its
own copy, and moderation screens the normalised spelling."""

from __future__ import annotations

import pytest

from minsheng.consultation.intake.services import suggestion_submit
from minsheng.consultation.models import Suggestion

WRITTEN = "家门口的站点😊，老人们都很满意…谢谢！電話：１３８１２３４５６７８"


@pytest.mark.django_db
def test_the_receipt_shows_the_words_as_written_with_the_phone_masked(client, cast):
    s = suggestion_submit(campaign=cast.campaign, text=WRITTEN)
    assert s.text == "家门口的站点😊，老人们都很满意…谢谢！電話：138****5678"
    page = client.get(f"/r/{s.receipt}/").content.decode()
    assert "站点😊，老人们都很满意…谢谢！" in page and "１３８１２３４５６７８" not in page


@pytest.mark.django_db
def test_moderation_reads_the_normalised_spelling(cast):
    s = suggestion_submit(campaign=cast.campaign, text="出售六合彩資料，加ｑｑ")  # 資 is traditional, the word is not
    assert s.status == Suggestion.Status.HELD
    traditional = suggestion_submit(campaign=cast.campaign, text="有人在代開發票，請查處")
    assert traditional.status == Suggestion.Status.HELD and "代開發票" in traditional.text


@pytest.mark.django_db
def test_the_api_keeps_the_words_as_written(client, cast):
    response = client.post("/api/v1/campaigns/plan/suggestions", {"items": [{"external_id": "w1", "text": WRITTEN}]},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {cast.key}")
    assert response.status_code in (200, 201, 207), response.content
    assert Suggestion.objects.get(external_id="w1").text.startswith("家门口的站点😊，")
