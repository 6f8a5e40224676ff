"""Pages for signed-in staff: campaign owners manage campaigns and channels, officers read their inbox.

A campaign the user may not manage answers 404, the same as one that does not exist, so its existence
does not leak.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.accounts.models import Role
from minsheng.accounts.selectors import user_roles
from minsheng.consultation._db.paging import CappedPaginator
from minsheng.consultation.access import managed_campaign, scope_for
from minsheng.consultation.handling.undo import remember
from minsheng.consultation.intake import selectors
from minsheng.consultation.intake.forms import CampaignForm, ChannelForm
from minsheng.consultation.intake.models import Suggestion
from minsheng.consultation.intake.receipts import display_receipt
from minsheng.consultation.intake.services import (
    campaign_close,
    campaign_create,
    campaign_open,
    channel_create,
    channel_revoke,
    suggestion_moderate,
)
from minsheng.forms import add_errors, form_errors, refuse


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Where every signed-in person lands: the parts of the platform their roles open."""
    scope = scope_for(request.user)
    context = {
        "campaigns": selectors.campaigns_managed_by(request.user),
        "can_create": scope.can_create_campaigns,
        "roles": sorted(Role(r).label for r in user_roles(request.user)),
        "is_officer": scope.is_officer,
        "partner_channels": selectors.channels_for_partner(user=request.user),
        "mine": selectors.suggestions_of_author(user=request.user)[:20],
    }
    return render(request, "consultation/manage/dashboard.html", context)


@login_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).can_create_campaigns:
        raise PermissionDenied
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = campaign_create(
                owner=request.user, slug=data["slug"], title=data["title"], question=data["question"],
                description=data["description"], opens_at=data["opens_at"], closes_at=data["closes_at"],
                is_public=data["is_public"], departments=list(data["departments"]),
                taxonomy=data["taxonomy_text"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("征集活动已创建（草稿）。开放后公众即可提交。"))
            return redirect("campaign-manage", slug=campaign.slug)
    return render(request, "consultation/manage/campaign_form.html", {"form": form})


@login_required
def campaign_manage(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = managed_campaign(request.user, slug)
    page = CappedPaginator(selectors.suggestions_of_campaign(campaign=campaign), 25).get_page(request.GET.get("page"))
    stats = selectors.campaign_stats(campaign=campaign)
    context = {"campaign": campaign, "stats": stats, "page": page,
               "channels": selectors.channels_of_campaign(campaign=campaign, counts=stats["per_channel"]),
               "imports": selectors.imports_of_campaign(campaign=campaign)[:10],
               "channel_form": ChannelForm(), "held": selectors.suggestions_held(campaign=campaign)[:20],
               "rates": _rates(campaign), **_handling(request, campaign)}
    return render(request, "consultation/manage/campaign.html", context)


# New suggestions shown for 分派 by hand: an analysis run routes them all at once, this is for the urgent few.
UNROUTED_SHOWN = 20


def _handling(request: HttpRequest, campaign) -> dict:
    """The dispatcher's part of the page: returned suggestions, extension requests, time limits, 撤销."""
    from django.conf import settings

    from minsheng.consultation.handling import selectors as handling
    from minsheng.consultation.handling.models import HandlingLimit
    from minsheng.consultation.handling.undo import undoable_shown

    own = dict(HandlingLimit.objects.filter(campaign=campaign).values_list("department_id", "days"))
    departments = list(campaign.departments.all())
    for d in departments:
        d.own_days = own.get(d.pk)
    from minsheng.consultation.analysis.services import router_context, router_guesses

    unrouted = list(handling.not_yet_routed(campaign=campaign)[:UNROUTED_SHOWN + 1])
    router_guesses(campaign, unrouted)
    return {"returned": handling.returned_to_dispatcher(campaign=campaign)[:50],
            "unrouted": unrouted[:UNROUTED_SHOWN], "unrouted_more": len(unrouted) > UNROUTED_SHOWN,
            **router_context(campaign),
            "extensions": handling.extensions_pending(campaign=campaign)[:50], "departments": departments,
            "undoable": undoable_shown(request, campaign=campaign), "undo_minutes": settings.UNDO_MINUTES}


def _rates(campaign) -> dict:
    """响应率 / 解决率 / 满意率 of the whole campaign: three counts over every suggestion, so kept a minute
    (the page's other figures come from trigger-kept counters; these move only as departments answer)."""
    from django.core.cache import cache

    from minsheng.consultation.workbench.selectors import handling_rates

    return cache.get_or_set(f"handling-rates:{campaign.pk}", lambda: handling_rates(campaign=campaign), 60)


@login_required
@require_POST
def campaign_toggle(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = managed_campaign(request.user, slug)
    if request.POST.get("action") == "open":
        campaign_open(actor=request.user, campaign=campaign)
        messages.success(request, _("征集已开放。"))
    else:
        campaign_close(actor=request.user, campaign=campaign)
        messages.success(request, _("征集已结束，不再接收新的建议。"))
        remember(request)
    return redirect("campaign-manage", slug=slug)


@login_required
@require_POST
def channel_new(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = managed_campaign(request.user, slug)
    form = ChannelForm(request.POST)
    if not form.is_valid():
        return refuse(request, form_errors(form), "campaign-manage", slug=slug, prefix=_("渠道信息有误："))
    try:
        channel, key = channel_create(actor=request.user, campaign=campaign, **form.cleaned_data)
    except ValidationError as exc:
        return refuse(request, exc, "campaign-manage", slug=slug, prefix=_("渠道信息有误："))
    # The key is rendered once, in this response, and never again.
    response = render(request, "consultation/manage/channel_key.html",
                      {"campaign": campaign, "channel": channel, "key": key})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def channel_revoke_view(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    campaign = managed_campaign(request.user, slug)
    channel = get_object_or_404(campaign.channels, code=code)
    channel_revoke(actor=request.user, channel=channel)
    messages.success(request, _("渠道「{name}」的密钥已吊销。").format(name=channel.name))
    remember(request)
    return redirect("campaign-manage", slug=slug)


@login_required
@require_POST
def suggestion_moderate_view(request: HttpRequest, slug: str, receipt: str) -> HttpResponse:
    campaign = managed_campaign(request.user, slug)
    suggestion = get_object_or_404(campaign.suggestions, receipt=receipt)
    try:
        suggestion_moderate(actor=request.user, suggestion=suggestion, approve=request.POST.get("action") == "approve")
    except ValidationError as exc:
        return refuse(request, exc, "campaign-manage", slug=slug)
    else:
        messages.success(request, (_("建议 {receipt} 已通过。") if suggestion.status == Suggestion.Status.RECEIVED else _("建议 {receipt} 已驳回。")).format(receipt=display_receipt(suggestion.receipt)))
    return redirect("campaign-manage", slug=slug)
