"""The public results page ("what we heard, what we adopted") and the owner's publish / unpublish action."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.consultation.access import managed_campaign
from minsheng.consultation.intake.selectors import campaign_for_public
from minsheng.consultation.publishing.selectors import public_results
from minsheng.consultation.publishing.services import campaign_results_publish
from minsheng.forms import NotYet


def results(request: HttpRequest, slug: str) -> HttpResponse:
    """The public "what we heard, what we adopted" page, once the owner has published it."""
    invite = request.GET.get("invite", "")
    campaign = campaign_for_public(slug=slug, invite=invite)
    if campaign is None:
        raise Http404(_("没有这个征集活动"))
    data = public_results(campaign=campaign)
    if data is None:
        page = reverse("campaign", kwargs={"slug": campaign.slug}) + (f"?{urlencode({'invite': invite})}"
                                                                      if invite else "")
        raise NotYet(_("征集结果尚未公布"),
                     _("「{title}」的征集结果尚未公布：梳理和办理完成、主办方公布后，会在这里说明听到了什么、采纳了什么。"
                       ).format(title=campaign.title), onward=(page, _("返回征集活动页")))
    return render(request, "consultation/results.html", {"campaign": campaign, **data})


@login_required
@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = managed_campaign(request.user, slug)
    on = request.POST.get("action") != "unpublish"
    campaign_results_publish(actor=request.user, campaign=campaign, foreword=request.POST.get("foreword", ""), publish=on)
    messages.success(request, _("结果页已发布。") if on else _("结果页已撤下。"))
    return redirect("analysis", slug=slug)
