"""GET status by receipt or external_id: a partner sees only its own channel's suggestions."""

from __future__ import annotations

import json

from minsheng.consultation.intake.services import channel_create


def _submit(client, key, external_id="s-1"):
    response = client.post("/api/v1/campaigns/plan/suggestions", content_type="application/json",
                           data=json.dumps({"external_id": external_id, "text": "建议"}),
                           HTTP_AUTHORIZATION=f"Bearer {key}")
    return response.json()["receipt"]


def test_it_returns_the_status_by_receipt(client, cast):
    receipt = _submit(client, cast.key)
    response = client.get(f"/api/v1/campaigns/plan/suggestions/{receipt}", HTTP_AUTHORIZATION=f"Bearer {cast.key}")
    assert response.status_code == 200
    assert response.json()["status"] == "received" and response.json()["external_id"] == "s-1"


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
