"""Pages' actions of the handling loop: an officer's 退回 and 延期申请, the dispatcher's 分派 and 延期审批 and
the campaign's 办理时限, and 撤销 of one's own recent destructive or mass action. Each parses the form, calls one
service and goes back where it came from with a message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.consultation.access import managed_campaign, scope_for
from minsheng.consultation.handling import services, undo
from minsheng.consultation.handling.models import ExtensionRequest
from minsheng.consultation.intake.models import Suggestion
from minsheng.forms import show_error


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
    try:
        services.suggestion_return(user=request.user, suggestion_id=s.pk, department=s.department,
                                   reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        show_error(request, exc)
        return redirect("workbench-suggestion", pk=pk)
    messages.success(request, _("建议 %(r)s 已退回，等待重新分派。") % {"r": s.receipt})
    return redirect(f"/manage/inbox/?c={s.campaign.slug}")


@login_required
@require_POST
def extension_ask(request: HttpRequest, pk: int) -> HttpResponse:
    s = _officer_suggestion(request, pk)
    days = _number(request.POST.get("days"))
    try:
        if days is None:
            raise ValidationError({"days": _("请填写延长的天数")})
        services.extension_request(user=request.user, suggestion_id=s.pk, department=s.department, days=days,
                                   reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("延期申请已提交，等待审批。"))
    return redirect("workbench-suggestion", pk=pk)


@login_required
@require_POST
def dispatch(request: HttpRequest, slug: str, receipt: str) -> HttpResponse:
    campaign = managed_campaign(request.user, slug)
    s = get_object_or_404(campaign.suggestions, receipt=receipt)
    department = campaign.departments.filter(pk=_number(request.POST.get("department")) or 0).first()
    try:
        if department is None:
            raise ValidationError({"department": _("请选择承办部门")})
        services.suggestion_dispatch(user=request.user, suggestion_id=s.pk, department=department)
    except ValidationError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("建议 %(r)s 已分派至%(d)s。") % {"r": receipt, "d": department.name})
    return redirect("campaign-manage", slug=slug)


@login_required
@require_POST
def extension_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign = managed_campaign(request.user, slug)
    asked = get_object_or_404(ExtensionRequest, pk=pk, suggestion__campaign=campaign)
    approve = request.POST.get("action") == "approve"
    try:
        services.extension_decide(user=request.user, extension_id=asked.pk, approve=approve,
                                  note=request.POST.get("note", ""))
    except ValidationError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("已同意延期。") if approve else _("已不同意延期。"))
    return redirect("campaign-manage", slug=slug)


@login_required
@require_POST
def limits(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = managed_campaign(request.user, slug)
    overrides = {d.pk: _number(request.POST.get(f"dept-{d.pk}")) for d in campaign.departments.all()}
    try:
        services.handling_limits_set(user=request.user, campaign=campaign,
                                     days=_number(request.POST.get("days")) or 0,
                                     working=request.POST.get("working") == "1", overrides=overrides)
    except ValidationError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("办理时限已保存，对此后分派的建议生效。"))
    return redirect("campaign-manage", slug=slug)


@login_required
@require_POST
def undo_action(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        action = undo.action_undo(user=request.user, action_id=pk)
    except ValidationError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("已撤销：%(label)s") % {"label": action.label})
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("dashboard")

