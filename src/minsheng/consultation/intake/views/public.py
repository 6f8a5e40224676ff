"""Public pages: the campaign page where anyone submits, and the receipt lookup. No login needed."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from minsheng.consultation._db.ratelimit import rate_hit
from minsheng.consultation.intake.challenge import challenge_problem, challenge_started, new_challenge
from minsheng.consultation.intake.forms import ReceiptLookupForm, SuggestionForm
from minsheng.consultation.intake.models import Campaign
from minsheng.consultation.intake.receipts import display_receipt, normalise_receipt
from minsheng.consultation.intake.selectors import (
    campaign_for_public,
    campaigns_public,
    suggestion_by_receipt,
)
from minsheng.consultation.intake.services import CampaignClosed, suggestion_submit
from minsheng.consultation.workbench.models import ReplyRating
from minsheng.consultation.workbench.selectors import latest_reply
from minsheng.consultation.workbench.services import reply_rate
from minsheng.engine.masking import mask_quoted
from minsheng.forms import add_errors, client_address, refuse


def home(request: HttpRequest) -> HttpResponse:
    campaigns = campaigns_public().order_by("status", "-opens_at")[:20]
    return render(request, "consultation/home.html", {"campaigns": campaigns, "lookup": ReceiptLookupForm()})


def _client_key(request: HttpRequest) -> str:
    address = client_address(request.META, settings.TRUSTED_PROXIES)
    return "web:" + hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:24]


def _rate_limited(request: HttpRequest) -> int:
    """Seconds to wait, or 0 when this address may submit now."""
    key = _client_key(request)
    for limit, period in ((settings.PUBLIC_RATE_PER_MINUTE, 60), (settings.PUBLIC_RATE_PER_DAY, 86400)):
        decision = rate_hit(key=key, limit=limit, period=period)
        if not decision.allowed:
            return decision.retry_after
    return 0


# The question sits above its answer box, and a new question is asked after any error.
CHALLENGE_MESSAGES = {
    "wrong": gettext_lazy("验证题答得不对，请看上面新出的题目，重新填写答案"),
    "early": gettext_lazy("提交得太快了，请核对上面新出的题目后再提交一次"),
    "expired": gettext_lazy("页面打开太久，验证题已过期，请回答上面新出的题目"),
}


@require_http_methods(["GET", "POST"])
def campaign_page(request: HttpRequest, slug: str) -> HttpResponse:
    invite = request.GET.get("invite", "")
    campaign = campaign_for_public(slug=slug, invite=invite)
    if campaign is None:
        raise Http404(_("没有这个征集活动"))
    form = SuggestionForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        problem = "bot" if data["website"] else challenge_problem(data["token"], data["answer"],
                                                                    min_seconds=settings.CHALLENGE_MIN_SECONDS)
        if problem:
            form.add_error("answer", CHALLENGE_MESSAGES.get(problem, CHALLENGE_MESSAGES["wrong"]))
        elif wait := _rate_limited(request):
            form.add_error(None, _("提交太频繁，请 {wait} 秒后再试").format(wait=wait))
            status = 429
        else:
            try:
                suggestion = suggestion_submit(
                    campaign=campaign, text=data["text"], title=data["title"], region=data["region"],
                    contact=data["contact"], author=request.user, author_name=data["author_name"])
            except CampaignClosed:
                form.add_error(None, _("该征集活动当前不接收建议"))
                status = 409
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                return redirect(reverse("receipt", kwargs={"code": suggestion.receipt}) + "?new=1")
    # A form sent back for the person to correct (a wrong answer, an empty box) is a page like any other, 200:
    # a 400 here showed as a failed request in the browser's console for what is an everyday slip.
    challenge = new_challenge(now=challenge_started(form.data.get("token", "")) if form.is_bound else None)
    form.data = form.data.copy() if form.is_bound else form.data
    if form.is_bound:
        form.data["token"], form.data["answer"] = challenge.token, ""
    else:
        form.initial["token"] = challenge.token
    context = {"campaign": campaign, "form": form, "challenge": challenge, "max_chars": settings.SUGGESTION_MAX_CHARS,
               "accepting": campaign.is_accepting(), "Campaign": Campaign}
    return render(request, "consultation/campaign.html", context, status=status)


def receipt_lookup(request: HttpRequest) -> HttpResponse:
    form = ReceiptLookupForm(request.GET or None)
    if form.is_valid():
        code = normalise_receipt(form.cleaned_data["code"])
        if suggestion_by_receipt(code):
            return redirect("receipt", code=code)
        return _receipt_not_found(request, form.cleaned_data["code"])
    return render(request, "consultation/receipt_lookup.html", {"form": form})


def _receipt_not_found(request: HttpRequest, typed: str) -> HttpResponse:
    """The lookup form again, holding what was typed, with what to check and where lost codes are: a link cut
    short in a text message (/r/7W5MV/) used to end on a bare 页面不存在 whose first button led to sign-in.

    Answered 200, as a form sent back for correcting is: a mistyped code is an everyday slip, and a 404 showed as
    a failed request in the browser's console. The partner API's status lookup keeps its 404."""
    form = ReceiptLookupForm({"code": typed[:20]})
    form.is_valid()
    form.add_error("code", _("没有找到这个回执码，请检查后重试"))
    return render(request, "consultation/receipt_lookup.html", {"form": form})


def receipt(request: HttpRequest, code: str) -> HttpResponse:
    suggestion = suggestion_by_receipt(code)
    if suggestion is None:
        return _receipt_not_found(request, code)
    reply = latest_reply(suggestion)
    rated = reply and ReplyRating.objects.filter(suggestion=suggestion, reply=reply).first()
    # whoever holds the code reads the page: the text as every file handed out quotes it (names, doors masked)
    return render(request, "consultation/receipt.html",
                  {"s": suggestion, "code": display_receipt(suggestion.receipt), "new": "new" in request.GET,
                   "title": mask_quoted(suggestion.title), "text": mask_quoted(suggestion.text),
                   "reply": reply, "rated": rated, "ratings": ReplyRating.Rating.choices})


@require_POST
def receipt_rate(request: HttpRequest, code: str) -> HttpResponse:
    """满意 / 基本满意 / 不满意 on the latest reply, by whoever holds the receipt code."""
    suggestion = suggestion_by_receipt(code)
    if suggestion is None:
        raise Http404(_("没有找到这个回执码"))
    try:
        rated = reply_rate(suggestion=suggestion, rating=request.POST.get("rating", ""),
                           comment=request.POST.get("comment", "")[:500])
    except ValidationError as exc:
        return refuse(request, exc, "receipt", code=suggestion.receipt, empty=_("请选择一项评价"))
    else:
        messages.success(request, _("已退回承办部门重新办理，答复后会在这里显示。") if rated.rating == "unsatisfied"
                         else _("谢谢您的评价！"))
    return redirect("receipt", code=suggestion.receipt)
