"""GET status by receipt or external_id: a partner sees only its own channel's suggestions. Receipts come back
in the one form people read them (3NE4J-YYTCV, as on the citizen's receipt page and SMS) and are found typed with
or without the dash."""

from __future__ import annotations

import json

from minsheng.consultation.intake.services import channel_create


def _submit(client, key, external_id="s-1"):
    response = client.post("/api/v1/campaigns/plan/suggestions", content_type="application/json",
                           data=json.dumps({"external_id": external_id, "text": "建议增加公交线路"}),
                           HTTP_AUTHORIZATION=f"Bearer {key}")
    return response.json()["receipt"]


def test_it_returns_the_status_by_receipt(client, cast):
    receipt = _submit(client, cast.key)
    response = client.get(f"/api/v1/campaigns/plan/suggestions/{receipt}", HTTP_AUTHORIZATION=f"Bearer {cast.key}")
    assert response.status_code == 200
    assert response.json()["status"] == "received" and response.json()["external_id"] == "s-1"


def test_receipts_are_in_the_display_form_and_found_either_way(client, cast):
    from minsheng.consultation.intake.models import Suggestion
    from minsheng.consultation.intake.receipts import display_receipt

    shown = _submit(client, cast.key)
    stored = Suggestion.objects.get().receipt
    assert shown == display_receipt(stored) and "-" in shown and "-" not in stored
    batch = client.post("/api/v1/campaigns/plan/suggestions", content_type="application/json",
                        data=json.dumps({"items": [{"external_id": "s-2", "text": "建议二：增加公交线路"}]}),
                        HTTP_AUTHORIZATION=f"Bearer {cast.key}").json()
    assert batch["results"][0]["receipt"] == display_receipt(Suggestion.objects.get(external_id="s-2").receipt)
    for typed in (shown, stored, shown.lower()):
        response = client.get(f"/api/v1/campaigns/plan/suggestions/{typed}", HTTP_AUTHORIZATION=f"Bearer {cast.key}")
        assert response.status_code == 200 and response.json()["receipt"] == shown, typed


def test_it_finds_by_external_id(client, cast):
    receipt = _submit(client, cast.key)
    response = client.get("/api/v1/campaigns/plan/suggestions?external_id=s-1",
                          HTTP_AUTHORIZATION=f"Bearer {cast.key}")
    assert response.json()["receipt"] == receipt


def test_another_channel_cannot_read_it(client, cast):
    receipt = _submit(client, cast.key)
    _other, other_key = channel_create(actor=cast.owner, campaign=cast.campaign, code="cctv", name="央视网")
    response = client.get(f"/api/v1/campaigns/plan/suggestions/{receipt}", HTTP_AUTHORIZATION=f"Bearer {other_key}")
    assert response.status_code == 404


def test_it_requires_a_key(client, cast):
    receipt = _submit(client, cast.key)
    assert client.get(f"/api/v1/campaigns/plan/suggestions/{receipt}").status_code == 401


def test_a_lookup_without_an_external_id_says_what_is_missing(client, cast):
    """GET …/suggestions with no external_id answered 404 "no suggestion for that external_id", as if one had
    been given and not found: the partner's request is what lacks it."""
    for query in ("", "?external_id=", "?external_id=%20"):
        response = client.get(f"/api/v1/campaigns/plan/suggestions{query}", HTTP_AUTHORIZATION=f"Bearer {cast.key}")
        assert response.status_code == 400, query
        assert response.json()["error"] == {"code": "required", "field": "external_id",
                                            "message": "请在查询参数中给出 external_id，例如 ?external_id=weibo-000123"}


def test_the_status_gives_back_the_likes_as_read(client, cast):
    """A partner that sent likes reads back the count the platform keeps (the heat of hot issues weighs it), a
    "1.2万" as the file import reads it; one that sent none reads 0. The schema documents the field."""
    for external_id, likes, kept in (("s-1", 35, 35), ("s-2", "1.2万", 12_000), ("s-3", None, 0)):
        item = {"external_id": external_id, "text": "建议增加公交线路"} | ({} if likes is None else {"likes": likes})
        created = client.post("/api/v1/campaigns/plan/suggestions", content_type="application/json",
                              data=json.dumps(item), HTTP_AUTHORIZATION=f"Bearer {cast.key}")
        assert created.status_code == 201, created.content
        response = client.get(f"/api/v1/campaigns/plan/suggestions/{created.json()['receipt']}",
                              HTTP_AUTHORIZATION=f"Bearer {cast.key}")
        assert response.json()["likes"] == kept, external_id
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["Status"]["properties"]
    assert schema["likes"]["type"] == "integer"
