"""Consultation services called directly: campaigns, channels, web submission and partner batches."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from minsheng.consultation.intake.contact import decrypt_contact
from minsheng.consultation.intake.keys import hash_key
from minsheng.consultation.intake.models import Suggestion
from minsheng.consultation.intake.selectors import channel_for_key, suggestion_by_receipt
from minsheng.consultation.intake.services import (
    CampaignClosed,
    campaign_create,
    campaign_open,
    channel_create,
    channel_revoke,
    suggestion_submit,
    suggestions_ingest,
)


def test_a_campaign_accepts_only_inside_its_window(cast):
    later = campaign_create(owner=cast.owner, slug="later", title="t", question="q", status="open",
                            opens_at=timezone.now() + timedelta(days=1))
    assert not later.is_accepting() and cast.campaign.is_accepting()
    with pytest.raises(CampaignClosed):
        suggestion_submit(campaign=later, text="太早了")


def test_a_window_that_ends_before_it_starts_is_refused(cast):
    now = timezone.now()
    with pytest.raises(ValidationError):
        campaign_create(owner=cast.owner, slug="bad", title="t", question="q", opens_at=now,
                        closes_at=now - timedelta(hours=1))


def test_reopening_a_campaign_past_its_deadline_clears_the_deadline(cast):
    cast.campaign.closes_at = timezone.now() - timedelta(minutes=1)
    cast.campaign.status = "closed"
    cast.campaign.save()
    assert campaign_open(actor=cast.owner, campaign=cast.campaign).is_accepting()


def test_a_key_is_found_by_its_prefix_and_checked_by_hash(cast):
    assert channel_for_key(cast.key) == cast.channel
    assert cast.channel.key_hash == hash_key(cast.key)
    assert channel_for_key(cast.key + "x") is None


def test_keys_of_two_channels_differ_and_revoking_one_keeps_the_other(cast):
    other, other_key = channel_create(actor=cast.owner, campaign=cast.campaign, code="cctv", name="央视网")
    channel_revoke(actor=cast.owner, channel=cast.channel)
    assert other_key != cast.key and channel_for_key(other_key).is_active
    assert not channel_for_key(cast.key).is_active


def test_contact_is_encrypted_and_text_masked(cast):
    s = suggestion_submit(campaign=cast.campaign, text="身份证430102199001011234，卡号6222021234567890123",
                          contact="13912345678")
    stored = Suggestion.objects.get(pk=s.pk)
    assert "430102199001011234" not in stored.text and "13912345678" not in stored.contact_encrypted
    assert decrypt_contact(stored.contact_encrypted) == "13912345678"


def test_unlawful_content_is_held_for_moderation(cast):
    assert suggestion_submit(campaign=cast.campaign, text="出售六合彩").status == Suggestion.Status.HELD


def test_receipts_are_unique_and_found_case_insensitively(cast):
    receipts = {suggestion_submit(campaign=cast.campaign, text=f"建议{i}").receipt for i in range(50)}
    assert len(receipts) == 50
    code = next(iter(receipts))
    assert suggestion_by_receipt(code.lower()).receipt == code


def test_ingest_keeps_good_items_when_others_are_bad(cast):
    results = suggestions_ingest(channel=cast.channel, items=[{"external_id": "1", "text": "好的，建议增设路灯"},
                                                              {"external_id": "2", "text": ""}])
    assert results[0].created and results[1].error.code == "empty"
    assert Suggestion.objects.filter(channel=cast.channel).count() == 1


def test_ingest_draws_new_receipts_when_one_collides(cast, monkeypatch):
    taken = suggestion_submit(campaign=cast.campaign, text="已有").receipt
    codes = iter([taken, "ZZZZZZZZZZ"])
    monkeypatch.setattr("minsheng.consultation.intake.services.new_receipt", lambda: next(codes))
    [result] = suggestions_ingest(channel=cast.channel, items=[{"external_id": "c", "text": "新的建议：增设路灯"}])
    assert result.created and result.receipt == "ZZZZZZZZZZ"
