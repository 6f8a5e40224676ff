"""POST /api/v1/campaigns/{slug}/suggestions: single, batch, idempotency and every kind of bad input."""

from __future__ import annotations

import json
import re

import pytest

from minsheng.consultation.intake.models import Suggestion
from minsheng.consultation.intake.services import campaign_close, channel_create, channel_revoke

URL = "/api/v1/campaigns/plan/suggestions"


def post(client, key, payload, *, url=URL, raw=None):
    body = raw if raw is not None else json.dumps(payload, ensure_ascii=False)
    return client.post(url, data=body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")


def test_it_creates_one_suggestion_and_masks_personal_data(client, cast):
    response = post(client, cast.key, {"external_id": "x-1", "text": "建议修路，电话13812345678", "region": "珠晖区"})
    assert response.status_code == 201
    body = response.json()
    assert body["created"] is True and re.fullmatch(r"[2-9A-Y]{5}-[2-9A-Y]{5}", body["receipt"])
    stored = Suggestion.objects.get(receipt=body["receipt"].replace("-", ""))
    assert stored.channel == cast.channel and stored.source == "api"
    assert "13812345678" not in stored.text and "138****5678" in stored.text


def test_a_retry_returns_the_first_receipt_and_stores_nothing_new(client, cast):
    first = post(client, cast.key, {"external_id": "x-1", "text": "建议增加公交线路一"}).json()
    again = post(client, cast.key, {"external_id": "x-1", "text": "建议增加公交线路一"})
    assert again.status_code == 200
    assert again.json()["receipt"] == first["receipt"] and again.json()["created"] is False
    assert Suggestion.objects.count() == 1


def test_the_same_external_id_from_two_channels_is_two_suggestions(client, cast):
    _other, other_key = channel_create(actor=cast.owner, campaign=cast.campaign, code="cctv", name="央视网")
    post(client, cast.key, {"external_id": "7", "text": "建议甲：增设路灯"})
    post(client, other_key, {"external_id": "7", "text": "建议乙：增设路灯"})
    assert Suggestion.objects.count() == 2


def test_a_batch_stores_good_items_and_reports_each_bad_one(client, cast, settings):
    settings.SUGGESTION_MAX_CHARS = 50
    items = [
        {"external_id": "b-1", "text": "一条好的建议"},
        {"external_id": "b-2", "text": "   "},
        {"external_id": "b-3", "text": "长" * 51},
        {"text": "这一条没有编号"},
        "not an object",
        {"external_id": "b-1", "text": "同一批次重复"},
        {"external_id": "b-7", "text": "这一条时间不对", "submitted_at": "yesterday"},
        {"external_id": "b-8", "text": 42},
        {"external_id": "b-9", "text": "另一条好建议", "submitted_at": "2020-08-16T10:00:00+08:00"},
    ]
    response = post(client, cast.key, {"items": items})
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["errors"], body["duplicates"]) == (2, 7, 0)
    codes = [r["error"]["code"] if not r["ok"] else "ok" for r in body["results"]]
    assert codes == ["ok", "empty", "too_long", "required", "invalid_item", "duplicate_in_batch",
                     "invalid_datetime", "invalid_type", "ok"]
    assert body["results"][3]["error"]["field"] == "external_id"
    assert set(Suggestion.objects.values_list("external_id", flat=True)) == {"b-1", "b-9"}


def test_a_replayed_batch_reports_duplicates_with_the_original_receipts(client, cast):
    items = [{"external_id": f"r-{i}", "text": f"建议增加公交{i}"} for i in range(20)]
    first = post(client, cast.key, items).json()
    items.append({"external_id": "r-new", "text": "新的一条建议"})
    second = post(client, cast.key, {"items": items}).json()
    assert (second["created"], second["duplicates"]) == (1, 20)
    assert [r["receipt"] for r in second["results"][:20]] == [r["receipt"] for r in first["results"]]
    assert Suggestion.objects.count() == 21


def test_a_batch_over_the_limit_is_refused_whole(client, cast, settings):
    settings.API_BATCH_MAX = 5
    response = post(client, cast.key, [{"external_id": str(i), "text": "建议增设路灯"} for i in range(6)])
    assert response.status_code == 413 and response.json()["error"]["code"] == "batch_too_large"
    assert Suggestion.objects.count() == 0


def test_an_oversized_body_gets_413(client, cast, settings):
    settings.API_MAX_BODY_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    response = post(client, cast.key, {"external_id": "big", "text": "长" * 1000})
    assert response.status_code == 413 and response.json()["error"]["code"] == "payload_too_large"
    assert Suggestion.objects.count() == 0


def test_a_body_that_is_not_utf8_gets_400_in_chinese(client, cast):
    response = post(client, cast.key, None, raw="{\"text\": \"建议\"}".encode("gb18030"))
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_json"
    assert response.json()["error"]["message"] == "请求体必须是 UTF-8 编码：第 11 个字节无法按 UTF-8 读取"


def test_broken_json_says_where_in_chinese(client, cast):
    """A partner's developer reads where the body breaks, not Python's English parser message."""
    response = post(client, cast.key, None, raw='{"external_id": "1",\n "text": "建议",}')
    message = response.json()["error"]["message"]
    assert message == "请求体不是合法的 JSON：第 2 行第 15 列附近有误（缺少用双引号括起的字段名）"


@pytest.mark.parametrize(("raw", "code"), [("{not json", "invalid_json"), ("[]", "empty_batch"),
                                           ('"text"', "invalid_payload"), ('{"items": 3}', "invalid_payload")])
def test_malformed_bodies_get_400(client, cast, raw, code):
    response = post(client, cast.key, None, raw=raw)
    assert response.status_code == 400 and response.json()["error"]["code"] == code


def test_a_single_bad_item_gets_422_naming_the_field(client, cast):
    response = post(client, cast.key, {"external_id": "e", "text": ""})
    assert response.status_code == 422
    assert response.json()["error"] == {"code": "empty", "message": "建议内容不能为空", "field": "text"}


@pytest.mark.parametrize("header", ["", "Bearer", "Basic abc", "Bearer msk_nothere_abc", "Bearer garbage"])
def test_missing_or_wrong_keys_get_401(client, cast, header):
    response = client.post(URL, data="{}", content_type="application/json", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401 and response.json()["error"]["code"] in {"unauthorized", "invalid_key"}


def test_a_tampered_key_with_a_real_prefix_gets_401(client, cast):
    assert post(client, cast.key[:-3] + "AAA", {"external_id": "1", "text": "建议增设路灯"}).status_code == 401


def test_a_revoked_key_gets_403_and_stores_nothing(client, cast):
    channel_revoke(actor=cast.owner, channel=cast.channel)
    response = post(client, cast.key, {"external_id": "1", "text": "建议增设路灯"})
    assert response.status_code == 403 and response.json()["error"]["code"] == "key_revoked"
    assert Suggestion.objects.count() == 0


def test_revoking_a_key_in_use_takes_effect_at_once(client, cast):
    assert post(client, cast.key, {"external_id": "1", "text": "建议增设路灯"}).status_code == 201
    channel_revoke(actor=cast.owner, channel=cast.channel)
    assert post(client, cast.key, {"external_id": "2", "text": "建议增设路灯"}).status_code == 403
    campaign_close(actor=cast.owner, campaign=cast.campaign)
    assert Suggestion.objects.count() == 1


def test_closing_a_campaign_in_use_takes_effect_at_once(client, cast):
    assert post(client, cast.key, {"external_id": "1", "text": "建议增设路灯"}).status_code == 201
    campaign_close(actor=cast.owner, campaign=cast.campaign)
    assert post(client, cast.key, {"external_id": "2", "text": "建议增设路灯"}).status_code == 409


def test_a_key_cannot_tell_another_campaign_from_a_missing_one(client, cast):
    from minsheng.consultation.intake.services import campaign_create

    campaign_create(owner=cast.owner, slug="other", title="另一个", question="?", status="open")
    unknown = post(client, cast.key, {"external_id": "1", "text": "建议增设路灯"}, url="/api/v1/campaigns/nope/suggestions")
    foreign = post(client, cast.key, {"external_id": "1", "text": "建议增设路灯"}, url="/api/v1/campaigns/other/suggestions")
    assert unknown.status_code == foreign.status_code == 404
    assert unknown.json()["error"]["code"] == foreign.json()["error"]["code"] == "campaign_not_found"
    assert foreign.json()["error"]["message"] == unknown.json()["error"]["message"].replace("nope", "other")


def test_a_closed_campaign_gets_409(client, cast):
    campaign_close(actor=cast.owner, campaign=cast.campaign)
    response = post(client, cast.key, {"external_id": "1", "text": "建议增设路灯"})
    assert response.status_code == 409 and response.json()["error"]["code"] == "campaign_closed"


def test_the_channel_rate_limit_answers_429_with_retry_after(client, cast):
    cast.channel.rate_per_minute = 3
    cast.channel.save()
    assert post(client, cast.key, [{"external_id": str(i), "text": "建议增设路灯"} for i in range(3)]).status_code == 200
    response = post(client, cast.key, {"external_id": "4", "text": "建议增设路灯"})
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert Suggestion.objects.count() == 3


def test_html_in_text_is_stored_as_text_and_returned_as_json(client, cast):
    response = post(client, cast.key, {"external_id": "h", "text": "<script>alert(1)</script>建议"})
    stored = Suggestion.objects.get(receipt=response.json()["receipt"].replace("-", ""))
    assert "<script>" in stored.text  # stored verbatim; every page escapes it (see the view tests)


def test_other_methods_get_405(client, cast):
    response = client.put(URL, HTTP_AUTHORIZATION=f"Bearer {cast.key}")
    assert response.status_code == 405


def test_an_external_id_reused_for_another_text_says_so_and_is_not_acknowledged(client, cast):
    """A partner whose counter restarted sent a new message under an old id: it was answered as a replay (ok,
    the first receipt) and the new text was never stored. In a batch, a repeat did not say its text differed."""
    first = post(client, cast.key, {"external_id": "c-1", "text": "建议增加夜班公交"}).json()
    again = post(client, cast.key, {"external_id": "c-1", "text": "建议社区医院延长门诊时间"})
    assert again.status_code == 422
    error = again.json()["error"]
    assert error["code"] == "external_id_conflict" and error["field"] == "external_id"
    assert error["message"] == (f"external_id 已用于另一条内容不同的建议（回执码 {first['receipt']}）："
                                "这一条没有保存，请给它另一个 external_id")
    items = [{"external_id": "c-2", "text": "建议甲：增设路灯"}, {"external_id": "c-2", "text": "建议甲：增设路灯"},
             {"external_id": "c-2", "text": "建议乙：增设路灯"}]
    body = post(client, cast.key, {"items": items}).json()
    assert [r["error"]["message"] for r in body["results"][1:]] == [
        "同一批次中 external_id 重复（已用于 index 为 0 的一项）",
        "同一批次中 external_id 重复（已用于 index 为 0 的一项），且两项内容不同：这一项没有保存，请给它另一个 external_id"]
    assert Suggestion.objects.count() == 2


@pytest.mark.parametrize("text", ["短", "修路！", "好 好 好 好"])
def test_a_text_too_short_to_act_on_is_refused_as_the_public_form_refuses_it(client, cast, text):
    """The public form refuses fewer than 5 letters or digits (好, 修路！: nothing an office can act on); a partner's
    feed stored them. One rule for both: the item is refused, naming its field, and a batch names its index."""
    single = post(client, cast.key, {"external_id": "s-1", "text": text})
    assert single.status_code == 422, single.content
    error = single.json()["error"]
    assert error["code"] == "too_short" and error["field"] == "text" and "至少" in error["message"]
    batch = post(client, cast.key, {"items": [{"external_id": "b-1", "text": "建议增加公交线路"},
                                              {"external_id": "b-2", "text": text}]}).json()
    assert batch["created"] == 1 and batch["results"][1]["index"] == 1
    assert batch["results"][1]["error"]["code"] == "too_short" and batch["results"][1]["error"]["field"] == "text"
    assert list(Suggestion.objects.values_list("external_id", flat=True)) == ["b-1"]


def test_five_letters_are_enough_for_a_partner_as_for_the_public_form(client, cast):
    assert post(client, cast.key, {"external_id": "s-5", "text": "建议修路灯"}).status_code == 201


def test_a_contact_no_notice_can_reach_is_refused_by_its_item_the_rest_stored(client, cast):
    """A notice goes to phones and e-mails alone: a partner's user id or a 微信 was stored as the contact, encrypted
    as if its writer would be told of the answer, and never was. That item is refused in Chinese naming the field
    (the result names its index); the batch's others are stored, their contacts kept. Fails before (stored)."""
    from minsheng.consultation.intake.contact import decrypt_contact

    items = [{"external_id": "c-1", "text": "建议增加夜班公交线路", "contact": "13812345678"},
             {"external_id": "c-2", "text": "建议社区医院延长门诊", "contact": "微信 lxy1958"},
             {"external_id": "c-3", "text": "建议多建养老服务中心", "contact": "liu@example.cn"},
             {"external_id": "c-4", "text": "建议治理小区噪音扰民", "contact": "user_88231"},
             {"external_id": "c-5", "text": "建议学校食堂公开菜价", "contact": "  "}]
    body = post(client, cast.key, {"items": items}).json()
    assert (body["created"], body["errors"]) == (3, 2)
    refused = [r for r in body["results"] if not r["ok"]]
    assert [(r["index"], r["error"]["field"], r["error"]["code"]) for r in refused] == [
        (1, "contact", "unreachable_contact"), (3, "contact", "unreachable_contact")]
    assert refused[0]["error"]["message"].startswith("contact（联系方式）只能是手机号或电子邮箱")
    kept = {s.external_id: decrypt_contact(s.contact_encrypted) for s in Suggestion.objects.all()}
    assert kept == {"c-1": "13812345678", "c-3": "liu@example.cn", "c-5": ""}
    single = post(client, cast.key, {"external_id": "c-6", "text": "建议增设公共厕所", "contact": "QQ 20991"})
    assert single.status_code == 422 and single.json()["error"]["field"] == "contact"


def test_a_partners_user_id_of_many_digits_is_no_phone(client, cast):
    """A phone is what a phone plan dials (a mainland mobile, a landline with its area code), not any run of seven
    or more digits: a partner's user id (100234567, an 11-digit 10023456789) passed as a phone number, was kept
    encrypted as a contact and planned an SMS nobody could receive. Fails before (stored)."""
    from minsheng.consultation.intake.contact import decrypt_contact

    ids = ["100234567", "10023456789", "1234567", "2020123456789", "+1 415 555 0100"]
    phones = ["138 1234 5678", "+86 139-1962-1600", "0734-8123456", "(010)81234567"]
    items = [{"external_id": f"u-{i}", "text": "建议增加夜班公交线路", "contact": value}
             for i, value in enumerate(ids + phones)]
    body = post(client, cast.key, {"items": items}).json()
    refused = [(r["index"], r["error"]["code"]) for r in body["results"] if not r["ok"]]
    assert refused == [(i, "unreachable_contact") for i in range(len(ids))]
    kept = sorted(decrypt_contact(s.contact_encrypted) for s in Suggestion.objects.all())
    assert kept == sorted(phones)
