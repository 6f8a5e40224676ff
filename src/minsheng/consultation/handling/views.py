"""Pages' actions of the handling loop: an officer's 退回 and 延期申请, the dispatcher's 分派 and 延期审批 and
the campaign's 办理时限, and 撤销 of one's own recent destructive or mass action. Each parses the form, calls one
service through ``_attempt`` and goes back where it came from with a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.consultation.access import managed_campaign, scope_for
from minsheng.consultation.handling import services, undo
from minsheng.consultation.handling.models import ExtensionRequest
from minsheng.consultation.intake.models import Suggestion
from minsheng.consultation.intake.receipts import display_receipt, normalise_receipt
from minsheng.forms import refuse


def _attempt(request: HttpRequest, service: Callable[..., Any], done: str | Callable[[Any], str], *, back: str,
             onward: str = "", **arguments) -> HttpResponse:
    """Call one service as the signed-in user: its ValidationError is the page's error on the way ``back`` to the
    form (what was typed kept), else ``done`` (text, or a function of what the service returned) is the success
    message on the way ``onward`` (``back`` when not given)."""
    try:
        result = service(user=request.user, **arguments)
    except ValidationError as exc:
        return refuse(request, exc, back)
    messages.success(request, done(result) if callable(done) else done)
    return redirect(onward or back)


def _officer_suggestion(request: HttpRequest, pk: int) -> Suggestion:
    suggestion = Suggestion.objects.select_related("campaign", "department").filter(pk=pk).first()
    if suggestion is None or not scope_for(request.user).acts_for(suggestion.department_id):
        raise Http404(_("没有这条建议，或它不在您的部门"))
    return suggestion


def _number(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


@login_required
@require_POST
def suggestion_return(request: HttpRequest, pk: int) -> HttpResponse:
    s = _officer_suggestion(request, pk)
    return _attempt(request, services.suggestion_return,
                    _("建议 %(r)s 已退回，等待重新分派。") % {"r": display_receipt(s.receipt)},
                    back=reverse("workbench-suggestion", args=[pk]), onward=f"/manage/inbox/?c={s.campaign.slug}",
                    suggestion_id=s.pk, department=s.department, reason=request.POST.get("reason", ""))


@login_required
@require_POST
def extension_ask(request: HttpRequest, pk: int) -> HttpResponse:
    s = _officer_suggestion(request, pk)
    back = reverse("workbench-suggestion", args=[pk])
    days = _number(request.POST.get("days"))
    if days is None:
        return refuse(request, _("请填写延长的天数"), back)
    return _attempt(request, services.extension_request, _("延期申请已提交，等待审批。"), back=back,
                    suggestion_id=s.pk, department=s.department, days=days, reason=request.POST.get("reason", ""))


@login_required
@require_POST
def dispatch(request: HttpRequest, slug: str, receipt: str = "") -> HttpResponse:
    """分派 one suggestion: from a row of 待分派 (its receipt in the address), or by the receipt code typed on the
    campaign page. The list shows the oldest 20 only, so a citizen's urgent suggestion behind an import of
    hundreds was otherwise out of reach until all of those were dispatched."""
    campaign = managed_campaign(request.user, slug)
    back = reverse("campaign-manage", args=[slug])
    if not receipt:
        s = campaign.suggestions.filter(receipt=normalise_receipt(request.POST.get("receipt", ""))).first()
        if s is None:
            return refuse(request, _("没有找到这个回执码，请检查后重试"), back)
    else:
        s = get_object_or_404(campaign.suggestions, receipt=receipt)
    department = campaign.departments.filter(pk=_number(request.POST.get("department")) or 0).first()
    if department is None:
        return refuse(request, _("请选择承办部门"), back)
    return _attempt(request, services.suggestion_dispatch,
                    _("建议 %(r)s 已分派至%(d)s。") % {"r": display_receipt(s.receipt), "d": department.name},
                    back=back, suggestion_id=s.pk, department=department)


@login_required
@require_POST
def extension_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign = managed_campaign(request.user, slug)
    asked = get_object_or_404(ExtensionRequest, pk=pk, suggestion__campaign=campaign)
    approve = request.POST.get("action") == "approve"
    return _attempt(request, services.extension_decide, _("已同意延期。") if approve else _("已不同意延期。"),
                    back=reverse("campaign-manage", args=[slug]), extension_id=asked.pk, approve=approve,
                    note=request.POST.get("note", ""))


@login_required
@require_POST
def limits(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = managed_campaign(request.user, slug)
    overrides = {d.pk: _number(request.POST.get(f"dept-{d.pk}")) for d in campaign.departments.all()}
    return _attempt(request, services.handling_limits_set, _("办理时限已保存，对此后分派的建议生效。"),
                    back=reverse("campaign-manage", args=[slug]), campaign=campaign,
                    days=_number(request.POST.get("days")) or 0, working=request.POST.get("working") == "1",
                    overrides=overrides)


@login_required
@require_POST
def undo_action(request: HttpRequest, pk: int) -> HttpResponse:
    target = request.POST.get("next", "")
    safe = target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return _attempt(request, undo.action_undo, lambda action: _("已撤销：%(label)s") % {"label": action.label},
                    back=target if safe else reverse("dashboard"), action_id=pk)
