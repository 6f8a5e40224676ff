"""A recipient's own page: ask for help in a minute, see what happened, say how it went."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from minsheng.assistance.forms import FeedbackForm, SelfNeedForm
from minsheng.assistance.models import Feedback, Need, Recipient
from minsheng.assistance.services.feedback import feedback_record
from minsheng.assistance.services.needs import need_create
from minsheng.forms import add_errors, form_errors, refuse

# What each step means for her: the staff's words name their own next move (待派单 is the station's, 待回访 the
# cadre's), which told her nothing of her service.
IN_HER_WORDS = {
    Need.Status.NEW: gettext_lazy("已收到，等待联系您"),
    Need.Status.COMMUNICATED: gettext_lazy("正在安排服务人员"),
    Need.Status.DISPATCHED: gettext_lazy("正在安排服务人员"),
    Need.Status.ACCEPTED: gettext_lazy("服务人员已确定"),
    Need.Status.IN_SERVICE: gettext_lazy("正在为您服务"),
    Need.Status.SERVED: gettext_lazy("服务已完成，请您评价"),
    Need.Status.CLOSED: gettext_lazy("已办结"),
}


def _me(request: HttpRequest) -> Recipient:
    recipient = Recipient.objects.filter(user=request.user).first()
    if recipient is None:
        raise PermissionDenied(_("您的账号尚未关联救助对象，请联系村（社区）或社工站"))
    return recipient


@login_required
def me(request: HttpRequest) -> HttpResponse:
    recipient = _me(request)
    form = SelfNeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            need_create(actor=request.user, recipient=recipient, channel=Need.Channel.SELF, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("已收到您的需求，工作人员会尽快和您联系。"))
            return redirect("assistance:me")
    needs = list(recipient.needs.prefetch_related(
        Prefetch("feedback", Feedback.objects.filter(source=Feedback.Source.RECIPIENT).order_by("-recorded_at"),
                 to_attr="own_ratings")))
    words = dict(FeedbackForm.base_fields["satisfaction"].choices)
    for n in needs:  # one rating form per served need, each with ids of its own (a label finds its own box)
        n.feedback_form = FeedbackForm(auto_id=f"id_fb{n.pk}_%s", asks_goal=bool(n.goal), own=True) if n.status == Need.Status.SERVED else None
        # Her own last rating, said back to her: a rating that reopened the need left it reading 待派单 and
        # nothing else, as if what she said had gone nowhere (it reads 正在安排服务人员 now).
        last = n.own_ratings[0] if n.own_ratings else None
        n.own_rating = words.get(last.satisfaction) if last else None
        n.in_her_words = IN_HER_WORDS[n.status]
    return render(request, "assistance/me.html", {"r": recipient, "form": form, "needs": needs})


@require_POST
@login_required
def me_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    recipient = _me(request)
    need = recipient.needs.filter(pk=pk).first()
    if need is None:
        raise Http404
    form = FeedbackForm(request.POST, asks_goal=bool(need.goal), own=True)
    if not form.is_valid():  # the page shows no bound form to carry the errors: say them, or the rating is lost
        return refuse(request, form_errors(form), "assistance:me")
    try:
        feedback = feedback_record(actor=request.user, need=need, source=Feedback.Source.RECIPIENT,
                                   **form.cleaned_data)
    except ValidationError as exc:
        return refuse(request, exc, "assistance:me")
    if feedback.satisfied:
        messages.success(request, _("谢谢您的评价！"))
    else:
        messages.success(request, _("谢谢您告诉我们。这次服务没有让您满意，我们会重新安排人员为您服务。"))
    return redirect("assistance:me")
