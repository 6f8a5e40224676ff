"""Writes for consultation: campaigns, channels and the intake of suggestions.

Every write is one transaction that is committed before the caller answers, so whatever a citizen or a
partner was told was received is on disk.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.accounts.models import Organisation, User
from minsheng.consultation._db.bulk import insert_new
from minsheng.consultation.access import require_creator, require_manager
from minsheng.consultation.handling import undo
from minsheng.consultation.intake.clean import (
    MIN_WORD_CHARS,
    CleanItem,
    ItemError,
    clean_item,
    needs_moderation,
)
from minsheng.consultation.intake.contact import encrypt_contact
from minsheng.consultation.intake.keys import generate_key, hash_key, split_key
from minsheng.consultation.intake.models import Campaign, Channel, Suggestion
from minsheng.consultation.intake.receipts import display_receipt, new_receipt


class CampaignClosed(Exception):
    """The campaign does not take suggestions now."""


@transaction.atomic
def campaign_create(*, owner: User, slug: str, title: str, question: str, description: str = "",
                    opens_at: datetime | None = None, closes_at: datetime | None = None, is_public: bool = True,
                    departments: list[Organisation] = (), taxonomy: list[str] = (),
                    status: str = Campaign.Status.DRAFT) -> Campaign:
    require_creator(owner)
    campaign = Campaign(owner=owner, slug=slug, title=title, question=question, description=description,
                        opens_at=opens_at or timezone.now(), closes_at=closes_at, is_public=is_public,
                        taxonomy=list(taxonomy), status=status,
                        invite_token="" if is_public else secrets.token_urlsafe(16))
    campaign.full_clean()
    if campaign.closes_at and campaign.closes_at <= campaign.opens_at:
        raise ValidationError({"closes_at": _("截止时间必须晚于开始时间")})
    campaign.save()
    campaign.departments.set(departments)
    return campaign


@transaction.atomic
def campaign_open(*, actor: User, campaign: Campaign) -> Campaign:
    require_manager(actor, campaign)
    campaign.status = Campaign.Status.OPEN
    if campaign.closes_at and campaign.closes_at <= timezone.now():
        campaign.closes_at = None
    campaign.save(update_fields=["status", "closes_at"])
    _forget_channels()
    transaction.on_commit(_forget_channels)  # again, in case a request re-read the old row meanwhile
    return campaign


@transaction.atomic
def campaign_close(*, actor: User, campaign: Campaign) -> Campaign:
    require_manager(actor, campaign)
    if campaign.status != Campaign.Status.CLOSED:
        undo.record(kind=undo.UndoableAction.Kind.CAMPAIGN_CLOSE, actor=actor, campaign_id=campaign.pk,
                    object_id=campaign.pk, label=_("结束征集「%(t)s」") % {"t": campaign.title},
                    before={"status": campaign.status,
                            "closes_at": campaign.closes_at.isoformat() if campaign.closes_at else None})
    campaign.status = Campaign.Status.CLOSED
    campaign.save(update_fields=["status"])
    _forget_channels()
    transaction.on_commit(_forget_channels)  # again, in case a request re-read the old row meanwhile
    return campaign


@transaction.atomic
def channel_create(*, actor: User, campaign: Campaign, code: str, name: str, partner: Organisation | None = None,
                   rate_per_minute: int = 120_000) -> tuple[Channel, str]:
    """Create a channel and return it with its API key — the only time the key exists in clear."""
    require_manager(actor, campaign)
    key = generate_key()
    channel = Channel(campaign=campaign, code=code, name=name, partner=partner, rate_per_minute=rate_per_minute,
                      key_prefix=split_key(key), key_hash=hash_key(key))
    channel.full_clean()
    channel.save()
    return channel, key


@transaction.atomic
def channel_rotate_key(*, actor: User, channel: Channel) -> tuple[Channel, str]:
    """Give a channel a new key (shown once); the old key stops working at once."""
    require_manager(actor, channel.campaign)
    key = generate_key()
    channel.key_prefix, channel.key_hash, channel.revoked_at = split_key(key), hash_key(key), None
    channel.save(update_fields=["key_prefix", "key_hash", "revoked_at"])
    _forget_channels()
    return channel, key


@transaction.atomic
def channel_revoke(*, actor: User, channel: Channel) -> Channel:
    require_manager(actor, channel.campaign)
    if channel.revoked_at is None:
        channel.revoked_at = timezone.now()
        channel.save(update_fields=["revoked_at"])
        undo.record(kind=undo.UndoableAction.Kind.KEY_REVOKE, actor=actor, campaign_id=channel.campaign_id,
                    object_id=channel.pk, label=_("吊销渠道「%(n)s」的密钥") % {"n": channel.name}, before={})
        _forget_channels()
    transaction.on_commit(_forget_channels)  # again, in case a request re-read the old row meanwhile
    return channel


def _forget_channels() -> None:
    from minsheng.consultation.intake.selectors import channel_cache_clear

    channel_cache_clear()


def _as_stored(texts: list[str]) -> list[tuple[str, bool]]:
    """Each text as it is kept and shown — masked, otherwise as the person wrote it (full-width punctuation,
    emoji, traditional characters: the analysis normalises its own copy) — and whether it waits for moderation,
    screened on the normalised text so full-width or traditional spellings do not slip through."""
    from minsheng.engine.masking import mask_as_written
    from minsheng.engine.normalise import normalise_texts

    screened = normalise_texts(texts)[0]
    return [(mask_as_written(text)[0], needs_moderation(plain)) for text, plain in zip(texts, screened, strict=True)]


def _as_written(value: str) -> str:
    """A region or a name is shown as written, but a phone or an ID number typed into it is masked too."""
    from minsheng.engine.masking import mask_as_written

    return mask_as_written(value)[0] if value else ""


def _build(campaign: Campaign, item: CleanItem, stored: tuple[str, bool], **extra) -> Suggestion:
    now = timezone.now()
    text, held = stored
    return Suggestion(
        campaign=campaign, text=text, title=_as_written(item.title),
        region=_as_written(item.region), contact_encrypted=encrypt_contact(item.contact),
        author_name=_as_written(item.author_name),
        external_id=item.external_id, receipt=new_receipt(), submitted_at=item.submitted_at or now,
        received_at=now, likes=item.likes,
        status=Suggestion.Status.HELD if held else Suggestion.Status.RECEIVED, **extra)


def suggestion_submit(*, campaign: Campaign, text: str, title: str = "", region: str = "", contact: str = "",
                      author: User | None = None, author_name: str = "") -> Suggestion:
    """Take one suggestion from the public page; raises ValidationError or CampaignClosed."""
    if not campaign.is_accepting():
        raise CampaignClosed(campaign.slug)
    item = clean_item({"text": text, "title": title, "region": region, "contact": contact,
                       "author_name": author_name})
    if isinstance(item, ItemError):
        raise ValidationError({item.field or "text": item.message})
    for _attempt in range(3):
        suggestion = _build(campaign, item, _as_stored([item.text])[0], source=Suggestion.Source.WEB,
                            author=author if author and author.is_authenticated else None)
        try:
            with transaction.atomic():
                suggestion.save()
            return suggestion
        except IntegrityError:  # a receipt collision (~1 in 10^14): draw another code
            continue
    raise RuntimeError("could not allocate a receipt code")


@transaction.atomic
def suggestion_moderate(*, actor: User, suggestion: Suggestion, approve: bool) -> Suggestion:
    """Release a held suggestion into the normal flow, or reject it; only held ones can be moderated."""
    require_manager(actor, suggestion.campaign)
    if suggestion.status != Suggestion.Status.HELD:
        raise ValidationError({"status": _("只有待审核的建议可以审核")})
    suggestion.status = Suggestion.Status.RECEIVED if approve else Suggestion.Status.REJECTED
    suggestion.save(update_fields=["status"])
    return suggestion


@dataclass
class ItemResult:
    index: int
    receipt: str | None = None
    created: bool = False
    status: str | None = None
    external_id: str | None = None
    error: ItemError | None = None

    def as_dict(self) -> dict:
        if self.error:
            return {"index": self.index, "ok": False, "external_id": self.external_id, "error": self.error.as_dict()}
        return {"index": self.index, "ok": True, "external_id": self.external_id,
                "receipt": display_receipt(self.receipt),
                "created": self.created, "status": self.status}


def suggestions_ingest(*, channel: Channel, items: list[object]) -> list[ItemResult]:
    """Store a partner's batch idempotently: new items are created, replays return the first receipt.

    Good items are stored even when others in the batch are bad; each bad one gets its own error.
    """
    campaign = channel.campaign
    if not campaign.is_accepting():
        raise CampaignClosed(campaign.slug)
    results = [ItemResult(index=i) for i in range(len(items))]
    pending: dict[str, tuple[ItemResult, CleanItem]] = {}
    for result, raw in zip(results, items, strict=True):
        item = clean_item(raw, require_external_id=True, min_words=MIN_WORD_CHARS)
        if isinstance(item, ItemError):
            result.error = item
            echo = raw.get("external_id") if isinstance(raw, dict) else None
            # echoed so the partner can find the item; a lone surrogate is shown escaped, never sent raw
            result.external_id = str(echo).encode("utf-8", "backslashreplace").decode() if echo is not None else None
            continue
        result.external_id = item.external_id
        if item.external_id in pending:
            first, first_item = pending[item.external_id]
            words = _("同一批次中 external_id 重复（已用于 index 为 {index} 的一项）") if first_item.text == item.text else \
                _("同一批次中 external_id 重复（已用于 index 为 {index} 的一项），且两项内容不同：这一项没有保存，请给它另一个 external_id")
            result.error = ItemError("duplicate_in_batch", "external_id", words.format(index=first.index))
            continue
        pending[item.external_id] = (result, item)
    for _attempt in range(3):
        if not pending:
            break
        _insert_pending(channel, pending)
    for result, _item in pending.values():
        result.error = ItemError("internal", None, _("暂时无法保存，请稍后重试"))
    return results


def _insert_pending(channel: Channel, pending: dict[str, tuple[ItemResult, CleanItem]]) -> None:
    """One insert round; settles every item whose row now exists and leaves the rest in ``pending``."""
    pairs = list(pending.values())
    stored = _as_stored([item.text for _result, item in pairs])
    rows = [_build(channel.campaign, item, one, channel=channel, source=Suggestion.Source.API)
            for (_result, item), one in zip(pairs, stored, strict=True)]
    # No surrounding transaction on purpose: each INSERT statement commits on its own before we answer,
    # and a crash between statements is harmless because a retry is idempotent.
    for external_id, receipt, status in insert_new(rows, returning=("external_id", "receipt", "status")):
        result, _item = pending.pop(external_id)
        result.receipt, result.status, result.created = receipt, status, True
    if not pending:
        return
    # Not inserted: a replay of an external_id we already have (answer with the first receipt), or, very
    # rarely, a receipt code drawn twice (left pending for the next round). An id the channel used for another
    # text is no replay: answered as such, the new text was acknowledged and never stored.
    texts = {item.external_id: row.text for (_result, item), row in zip(pairs, rows, strict=True)}
    stored = Suggestion.objects.filter(channel=channel, external_id__in=list(pending)).values_list(
        "external_id", "receipt", "status", "text")
    for external_id, receipt, status, text in stored:
        result, _item = pending.pop(external_id)
        if text != texts[external_id]:
            result.error = ItemError("external_id_conflict", "external_id", _(
                "external_id 已用于另一条内容不同的建议（回执码 {receipt}）：这一条没有保存，请给它另一个 external_id"
            ).format(receipt=display_receipt(receipt)))
            continue
        result.receipt, result.status, result.created = receipt, status, False
