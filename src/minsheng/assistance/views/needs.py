"""A need from intake to closure: talk, dispatch, accept or decline, check in and out, revisit."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.accounts.models import Role
from minsheng.assistance.forms import (
    CheckinForm,
    CheckoutForm,
    CommunicationForm,
    DeclineForm,
    FeedbackForm,
    NeedForm,
)
from minsheng.assistance.models import Assignment, Feedback, Need, NeedType, Provider, Recipient
from minsheng.assistance.selectors.dispatch import candidates_for, when_words
from minsheng.assistance.selectors.records import (
    attachment_get,
    escalated_needs_for,
    need_get,
    needs_for,
    offers_for,
    recipient_get,
)
from minsheng.assistance.selectors.scope import scope_for
from minsheng.assistance.services.dispatch import (
    assignment_accept,
    assignment_decline,
    dispatch_refusal,
    need_dispatch,
    pending_offer,
)
from minsheng.assistance.services.feedback import feedback_record, link_issuable, open_link
from minsheng.assistance.services.needs import need_appointment, need_communicate, need_create
from minsheng.assistance.services.visits import visit_checkin, visit_checkout
from minsheng.assistance.views.common import assistance_login, found, reach_context
from minsheng.forms import add_errors, error_text, form_errors, refuse


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The assistance home: a recipient with no staff role is led to her own page rather than refused."""
    if not scope_for(request.user).has_access and Recipient.objects.filter(user_id=request.user.pk).exists():
        return redirect("assistance:me")
    return worklist(request)


@assistance_login
def worklist(request: HttpRequest) -> HttpResponse:
    """What is waiting for this person, by the roles they hold."""
    needs = needs_for(request.user)
    scope = request.scope
    shown = 8  # a phone screen or two; every list links to the full one
    context = {
        "offers": offers_for(request.user),
        "to_talk": needs.filter(status=Need.Status.NEW)[:shown] if scope.is_staff else [],
        "to_dispatch": needs.filter(status=Need.Status.COMMUNICATED)[:shown] if scope.can_dispatch else [],
        "to_revisit": needs.filter(status=Need.Status.SERVED)[:shown] if scope.is_staff else [],
        "escalated": escalated_needs_for(request.user)[:shown],
        "counts": [(s.value, s.label, needs.filter(status=s).count()) for s in Need.Status] if scope.is_staff else [],
    }
    return render(request, "assistance/home.html", context)


@assistance_login
def need_list(request: HttpRequest) -> HttpResponse:
    status, need_type = request.GET.get("status", ""), request.GET.get("type", "")
    if (status and status not in Need.Status.values) or (need_type and need_type not in NeedType.values):
        # A link from before a status was renamed, or a hand-edited address, showed an empty list as if the
        # area had no needs: the unknown filter is dropped and said so.
        messages.info(request, _("链接里的筛选条件已失效，下面显示全部状态和类型的需求。"))
        status = need_type = ""
    overdue = timezone.now() if request.GET.get("overdue") else None
    needs = needs_for(request.user, status=status, need_type=need_type, overdue_at=overdue)
    page = Paginator(needs, 30).get_page(request.GET.get("page"))
    return render(request, "assistance/needs.html", {"page": page, "status": status, "need_type": need_type,
                                                     "statuses": Need.Status.choices, "types": NeedType.choices,
                                                     "now": timezone.now()})


def _channel_of(scope, area_id: int) -> str:
    """How a need comes in when this person records it. The form opened on its first choice, 社工代录, which cadres
    kept without looking: their needs read 社工代录 on every page."""
    for role, channel in ((Role.VILLAGE_CADRE, Need.Channel.CADRE), (Role.WORK_TEAM, Need.Channel.WORK_TEAM)):
        if area_id in scope.areas_by_role.get(role, ()):
            return channel
    return Need.Channel.SOCIAL_WORKER


@assistance_login
def need_new(request: HttpRequest, pk: int) -> HttpResponse:
    recipient = found(recipient_get(request.user, pk))
    if not request.scope.sees_area(recipient.area_id):
        raise PermissionDenied(_("志愿者不能代为登记需求") if request.scope.is_volunteer and not request.scope.is_staff
                               else _("只能为本辖区的救助对象登记需求"))
    form = NeedForm(request.POST or None, initial={"channel": _channel_of(request.scope, recipient.area_id)})
    if request.method == "POST" and form.is_valid():
        try:
            need = need_create(actor=request.user, recipient=recipient, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("需求已登记。派单前请先记录服务前沟通。"))
            return redirect("assistance:need", pk=need.pk)
    return render(request, "assistance/need_form.html", {"form": form, "r": recipient})


def _detail_context(request: HttpRequest, need: Need) -> dict:
    user, scope = request.user, request.scope
    is_provider = need.provider is not None and need.provider.user_id == user.pk
    offer = need.assignments.filter(status=Assignment.Status.OFFERED, provider__user=user).first()
    open_visit = need.visits.filter(checkout_at__isnull=True).first() if is_provider else None
    served_by_me = need.visits.filter(provider__user=user).exists()
    appointment = need_appointment(need)
    return {
        "need": need, "r": need.recipient, "now": timezone.now(), **reach_context(request, need.recipient, need=need),
        "appointment": when_words(appointment) if appointment else None,
        "communications": need.communications.select_related("talked_by"),
        "assignments": need.assignments.select_related("provider__user", "assigned_by"),
        "visits": need.visits.select_related("provider__user").prefetch_related("attachments"),
        "feedback": need.feedback.select_related("recorded_by"),
        "can_talk": scope.sees_area(need.area_id) and need.status != Need.Status.CLOSED,
        "can_dispatch": scope.can_dispatch_in(need.area_id) and need.status in (Need.Status.COMMUNICATED,
                                                                                 Need.Status.DISPATCHED),
        "offer": offer, "open_visit": open_visit,
        "can_checkin": is_provider and not open_visit and need.status in (Need.Status.ACCEPTED, Need.Status.IN_SERVICE),
        "can_revisit": scope.sees_area(need.area_id) and need.status == Need.Status.SERVED and not served_by_me,
        "talk_form": CommunicationForm(),
        "decline_form": DeclineForm(),
        "checkin_form": CheckinForm(),
        # one usually leaves from where one checked in: the place is offered, not typed twice
        "checkout_form": CheckoutForm(
            initial={"place": open_visit.checkin_place} if open_visit else None),
        "feedback_form": FeedbackForm(asks_goal=bool(need.goal)),
        "can_slip": link_issuable(user, need),
        "slip_link": open_link(need) if scope.sees_area(need.area_id) else None,
    }


@assistance_login
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = found(need_get(request.user, pk))
    return render(request, "assistance/need.html", _detail_context(request, need))


def _act(request: HttpRequest, need: Need, form, call) -> HttpResponse:
    """Run one service from a form on the need page, then go back to the need page (post/redirect/get): a
    refusal answered at the action's own address (/checkin/) was posted again by a reload. A refusal is said on
    top and what was typed put back into its form (:func:`minsheng.forms.refuse`); a file is chosen again."""
    if not form.is_valid():
        return refuse(request, form_errors(form), "assistance:need", pk=need.pk)
    try:
        messages.success(request, call(form.cleaned_data))
    except ValidationError as exc:
        return refuse(request, exc, "assistance:need", pk=need.pk)
    except PermissionDenied as exc:
        return refuse(request, str(exc) or _("无权操作"), "assistance:need", pk=need.pk)
    if need_get(request.user, need.pk) is None:  # no longer theirs (a volunteer's finished or declined service):
        return redirect("assistance:home")        # the outcome is said on their worklist, not on 页面不存在
    return redirect("assistance:need", pk=need.pk)


@require_POST
@assistance_login
def need_talk(request: HttpRequest, pk: int) -> HttpResponse:
    need = found(need_get(request.user, pk))
    return _act(request, need, CommunicationForm(request.POST),
                lambda d: need_communicate(actor=request.user, need=need, **d) and _("服务前沟通已记录"))


@assistance_login
def need_dispatch_view(request: HttpRequest, pk: int) -> HttpResponse:
    need = found(need_get(request.user, pk))
    if not request.scope.can_dispatch_in(need.area_id):
        raise PermissionDenied(_("只有本区域的社工站站长或民政管理员可以派单"))
    if why := dispatch_refusal(need):
        return refuse(request, why, "assistance:need", pk=need.pk)
    error = None
    if request.method == "POST":
        picked = request.POST.get("provider", "")  # a garbled value is no pick, not a server error
        provider = Provider.objects.filter(pk=int(picked)).first() if picked.isdigit() else None
        try:
            if provider is None:
                # Nobody is chosen for the dispatcher: the first ranked was, and 确认派单 pressed without a look
                # sent the job to someone the dispatcher never picked (walk-2026-12-07e.md).
                raise ValidationError(_("请先点选一位服务人员，再确认派单"))
            seen = request.POST.get("offer", "")
            need_dispatch(actor=request.user, need=need, provider=provider,
                          seen_offer=int(seen) if seen.isdigit() else None)
        except ValidationError as exc:
            error = error_text(exc)
        else:
            messages.success(request, _("已派单给 {provider}").format(provider=provider))
            return redirect("assistance:need", pk=need.pk)
    appointment = need_appointment(need)
    candidates = candidates_for(need, appointment)
    pending = pending_offer(need)
    recommended = next((c.provider.pk for c in candidates
                        if c.eligible and (pending is None or c.provider.pk != pending.provider_id)), None)
    return render(request, "assistance/dispatch.html", {
        "need": need, "candidates": candidates, "eligible": any(c.eligible for c in candidates), "error": error,
        "pending": pending, "recommended": recommended,
        "appointment": when_words(appointment) if appointment else None})


def _offer(request: HttpRequest, pk: int, offer_pk: int) -> tuple[Need, Assignment]:
    need = found(need_get(request.user, pk))
    return need, found(need.assignments.filter(pk=offer_pk, provider__user=request.user).first())


@require_POST
@assistance_login
def offer_accept(request: HttpRequest, pk: int, offer_pk: int) -> HttpResponse:
    need, offer = _offer(request, pk, offer_pk)
    return _act(request, need, forms.Form({}),
                lambda d: assignment_accept(actor=request.user, assignment=offer) and _("已接单，请按约定上门服务"))


@require_POST
@assistance_login
def offer_decline(request: HttpRequest, pk: int, offer_pk: int) -> HttpResponse:
    need, offer = _offer(request, pk, offer_pk)
    return _act(request, need, DeclineForm(request.POST),
                lambda d: assignment_decline(actor=request.user, assignment=offer, **d) and _("已拒单，需求退回派单"))


@require_POST
@assistance_login
def need_checkin(request: HttpRequest, pk: int) -> HttpResponse:
    need = found(need_get(request.user, pk))
    return _act(request, need, CheckinForm(request.POST, request.FILES),
                lambda d: visit_checkin(actor=request.user, need=need, **d) and _("已签到"))


@require_POST
@assistance_login
def need_checkout(request: HttpRequest, pk: int) -> HttpResponse:
    need = found(need_get(request.user, pk))
    visit = found(need.visits.filter(provider__user=request.user, checkout_at__isnull=True).first())
    files = ([("photo", f) for f in request.FILES.getlist("photos")]
             + [("document", f) for f in request.FILES.getlist("documents")])
    return _act(request, need, CheckoutForm(request.POST),
                lambda d: visit_checkout(actor=request.user, visit=visit, files=files, **d) and (
                    _("已签退，服务完成，等待回访") if d["finish"] else _("已签退，本次服务已记录")))


@require_POST
@assistance_login
def need_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    need = found(need_get(request.user, pk))

    def record(d):
        fb = feedback_record(actor=request.user, need=need, source=Feedback.Source.REVISIT, **d)
        if fb.satisfied:
            return _("回访已记录，需求已办结")
        # most revisits are a cadre's or a social worker's, who cannot dispatch: 请重新派单 sent them looking
        # for a button their page does not have
        if request.scope.can_dispatch_in(need.area_id):
            return _("回访不满意，需求已重新打开，请重新派单")
        return _("回访不满意，需求已重新打开，已退回社工站等待重新派单")

    return _act(request, need, FeedbackForm(request.POST, asks_goal=bool(need.goal)), record)


@assistance_login
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = found(attachment_get(request.user, pk))
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:  # the record outlived its file (media not restored with a backup): not a 500
        raise Http404(_("文件已不存在（可能在迁移或恢复数据时丢失），请联系管理员")) from None
    response = FileResponse(handle, content_type=attachment.content_type,
                            as_attachment=attachment.kind != "photo", filename=attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
