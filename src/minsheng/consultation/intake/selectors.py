"""Reads for consultation, each one already filtered by who is asking."""

from __future__ import annotations

import time

from django.db.models import Q, QuerySet, Sum

from minsheng.accounts.models import Role, User
from minsheng.accounts.selectors import organisations_for_user, user_is_admin
from minsheng.consultation._db.models import SuggestionCount
from minsheng.consultation.intake.keys import key_matches, split_key
from minsheng.consultation.intake.models import Campaign, Channel, ImportJob, Suggestion
from minsheng.consultation.intake.receipts import normalise_receipt


def campaigns_public() -> QuerySet[Campaign]:
    return Campaign.objects.filter(is_public=True).exclude(status=Campaign.Status.DRAFT)


def campaign_for_public(*, slug: str, invite: str = "") -> Campaign | None:
    """The campaign a visitor may see: public ones, or invite-only ones with the right invite code."""
    campaign = Campaign.objects.filter(slug=slug).exclude(status=Campaign.Status.DRAFT).first()
    if campaign is None:
        return None
    if campaign.is_public or (invite and campaign.invite_token and invite == campaign.invite_token):
        return campaign
    return None


def campaigns_managed_by(user: User) -> QuerySet[Campaign]:
    if user_is_admin(user):
        return Campaign.objects.all()
    if not user.is_authenticated:
        return Campaign.objects.none()
    return Campaign.objects.filter(owner=user)


def campaign_managed_by(*, user: User, slug: str) -> Campaign | None:
    return campaigns_managed_by(user).filter(slug=slug).first()


# Partners send hundreds of requests a second with the same key: remember each channel (and its campaign)
# for a moment. Revoking a key or closing a campaign clears this process's memory at once; other server
# processes follow within CHANNEL_CACHE_SECONDS.
CHANNEL_CACHE_SECONDS = 2.0
_channels: dict[str, tuple[float, Channel]] = {}


def channel_for_key(key: str) -> Channel | None:
    """The active or revoked channel that owns ``key``; None for anything that is not a valid key."""
    prefix = split_key(key)
    if prefix is None:
        return None
    now = time.monotonic()
    cached = _channels.get(prefix)
    if cached and now - cached[0] < CHANNEL_CACHE_SECONDS:
        channel = cached[1]
    else:
        channel = Channel.objects.select_related("campaign").filter(key_prefix=prefix).first()
        if channel is not None:
            _channels[prefix] = (now, channel)
    if channel is None or not key_matches(key, channel.key_hash):
        return None
    return channel


def channel_cache_clear() -> None:
    _channels.clear()


def suggestion_by_receipt(code: str) -> Suggestion | None:
    return Suggestion.objects.select_related("campaign", "department").filter(
        receipt=normalise_receipt(code)).first()


def suggestions_of_author(*, user: User) -> QuerySet[Suggestion]:
    """What a signed-in citizen submitted, newest first."""
    if not user.is_authenticated:
        return Suggestion.objects.none()
    return user.suggestions.select_related("campaign", "department").order_by("-received_at", "-id")


def suggestions_held(*, campaign: Campaign) -> QuerySet[Suggestion]:
    return campaign.suggestions.filter(status=Suggestion.Status.HELD).order_by("received_at", "id")


def suggestions_of_campaign(*, campaign: Campaign) -> QuerySet[Suggestion]:
    return campaign.suggestions.select_related("channel", "department").order_by("-received_at", "-id")


def suggestions_for_officer(*, user: User) -> QuerySet[Suggestion]:
    """The inbox of a department officer: only suggestions routed to their own departments."""
    departments = organisations_for_user(user, role=Role.DEPARTMENT_OFFICER)
    return Suggestion.objects.filter(department__in=departments).select_related(
        "campaign", "department").order_by("-received_at", "-id")


def suggestion_counts(*, campaign: Campaign) -> list[tuple[int, str, str, int]]:
    """(channel id or 0, source, status, n) for every non-empty combination in the campaign.

    Read from the trigger-kept counters (:mod:`minsheng.consultation.migrations._counters`): a few dozen rows instead
    of a scan of a million suggestions, and exactly what ``COUNT(*)`` would say in the same transaction.
    """
    rows = (SuggestionCount.objects.filter(campaign=campaign).values("channel_pk", "source", "status")
            .annotate(total=Sum("n")).order_by())
    return [(r["channel_pk"], r["source"], r["status"], r["total"]) for r in rows if r["total"]]


def status_counts(*, campaign: Campaign) -> dict[str, int]:
    by_status: dict[str, int] = {}
    for _channel, _source, status, n in suggestion_counts(campaign=campaign):
        by_status[status] = by_status.get(status, 0) + n
    return by_status


def campaign_stats(*, campaign: Campaign) -> dict:
    """Counts shown on the owner's dashboard: in total, by source/channel, by status and per channel id."""
    names = dict(campaign.channels.values_list("pk", "name"))
    by_channel: dict[str, int] = {}
    by_status: dict[str, int] = {}
    per_channel: dict[int, int] = {}
    for channel_pk, source, status, n in suggestion_counts(campaign=campaign):
        name = names.get(channel_pk) or Suggestion.Source(source).label
        by_channel[name] = by_channel.get(name, 0) + n
        by_status[status] = by_status.get(status, 0) + n
        if channel_pk:
            per_channel[channel_pk] = per_channel.get(channel_pk, 0) + n
    return {
        "total": sum(by_channel.values()),
        "by_channel": [{"name": name, "n": n} for name, n in sorted(by_channel.items(), key=lambda kv: -kv[1])],
        "by_status": [{"label": Suggestion.Status(key).label, "n": n} for key, n in by_status.items()],
        "held": by_status.get(Suggestion.Status.HELD, 0),
        "per_channel": per_channel,
    }


def imports_of_campaign(*, campaign: Campaign) -> QuerySet[ImportJob]:
    return campaign.imports.all()


def channels_of_campaign(*, campaign: Campaign, counts: dict[int, int]) -> list[Channel]:
    """The campaign's channels, each with ``n`` suggestions from ``campaign_stats()["per_channel"]``."""
    channels = list(campaign.channels.select_related("partner"))
    for channel in channels:
        channel.n = counts.get(channel.pk, 0)
    return channels


def channels_for_partner(*, user: User) -> QuerySet[Channel]:
    partners = organisations_for_user(user, role=Role.CHANNEL_PARTNER)
    return Channel.objects.filter(Q(partner__in=partners)).select_related("campaign")
