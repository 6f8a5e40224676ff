"""The department officer's workbench: the inbox grouped by theme and duplicate group, one suggestion,
and the actions (reassign, reply, adopt) on one suggestion or on a whole group at once — a duplicate group,
a theme, or a suggestion of the digest (建议摘编, ``?digest=G0001``: every letter that raised it).

A suggestion outside the officer's departments answers 404, by any URL.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.accounts.models import Organisation
from minsheng.consultation._db.paging import CappedPaginator
from minsheng.consultation.access import scope_for
from minsheng.consultation.analysis.export import EXPORT_MAX, export_response, suggestion_rows
from minsheng.consultation.analysis.models import DigestSuggestion, Theme
from minsheng.consultation.analysis.selectors import current_run, digest_of_letter
from minsheng.consultation.handling import undo
from minsheng.consultation.handling.models import UndoableAction
from minsheng.consultation.handling.selectors import extension_pending_for, handling_log
from minsheng.consultation.intake.models import Campaign, Suggestion
from minsheng.consultation.intake.receipts import display_receipt, normalise_receipt
from minsheng.consultation.workbench import selectors as sel
from minsheng.consultation.workbench.models import Reply
from minsheng.consultation.workbench.services import (
    MAX_AT_ONCE,
    reply_send,
    suggestion_adopt,
    suggestion_reassign,
)
from minsheng.forms import refuse

PAGE = 25


def _officer(request: HttpRequest) -> list[Organisation]:
    if not scope_for(request.user).is_officer:
        raise PermissionDenied
    return sel.officer_departments(request.user)


def _campaigns(departments: list[Organisation]) -> list[Campaign]:
    return list(Campaign.objects.filter(departments__in=departments).distinct().order_by("-opens_at"))


def _campaign(request: HttpRequest, campaigns: list[Campaign]) -> Campaign | None:
    """The campaign asked for (``?c=``), else the newest of the officer's."""
    return next((c for c in campaigns if c.slug == request.GET.get("c")), campaigns[0] if campaigns else None)


def _inbox_filters(request: HttpRequest) -> dict:
    """The inbox's filters as :func:`~minsheng.consultation.workbench.selectors.inbox_results` takes them: the
    page and its export read the same query."""
    return {"review_only": request.GET.get("review") == "1", "theme": request.GET.get("theme", ""),
            "group": request.GET.get("group", ""),
            "state": request.GET.get("state", "todo"),  # 未办 first: what still waits for an answer
            "digest": request.GET.get("digest", "")[:12], "by_due": request.GET.get("sort") == "due"}


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    depts = _officer(request)
    if "r" in request.GET:  # a citizen reads out their receipt (7W5MV-V8B7F) on the phone
        found = Suggestion.objects.filter(receipt=normalise_receipt(request.GET["r"]),
                                          department__in=depts).values_list("pk", flat=True).first()
        if found is not None:
            return redirect("workbench-suggestion", pk=found)
        messages.error(request, _("没有这条建议，或它不在您的部门"))
    if request.GET.get("state") == "overdue" and "c" not in request.GET:  # the reminder's link, sent before
        return redirect("inbox-due")
    campaigns = _campaigns(depts)
    campaign = _campaign(request, campaigns)
    if campaign is None:
        return render(request, "consultation/workbench/inbox.html", {"campaigns": [], "page": None})
    run = current_run(campaign)
    asked = _inbox_filters(request)
    review, theme, group, state, digest, by_due = (
        asked[k] for k in ("review_only", "theme", "group", "state", "digest", "by_due"))
    rates = sel.handling_rates(campaign=campaign, departments=[d.pk for d in depts])
    qs = sel.inbox_results(user=request.user, campaign=campaign, run=run, **asked)
    page = CappedPaginator(qs, PAGE).get_page(request.GET.get("page"))
    focused = bool(theme or group.isdigit() or digest)
    digest_item = run.digest.filter(code=digest).first() if run and digest else None
    # Acting on a whole theme or group: the ids as they are now, each checked again when the action runs.
    # Only the members still waiting: a group already answered is not offered again.
    todo = qs.filter(status__in=sel.TODO) if state != "todo" else qs
    all_ids = list(todo.values_list("pk", flat=True)[:MAX_AT_ONCE]) if focused else []
    query = request.GET.copy()
    query.pop("page", None)
    unsorted = query.copy()
    unsorted.pop("sort", None)
    by_due_query = unsorted.copy()
    by_due_query["sort"] = "due"
    context = {"campaigns": campaigns, "campaign": campaign, "run": run, "page": page, "depts": depts,
               "groups": sel.inbox_groups(user=request.user, campaign=campaign, run=run) if run else None,
               "review": review, "theme": theme, "group": group, "focused": focused, "all_ids": all_ids,
               "state": state, "rates": rates, "counts": {"todo": rates["todo"], "done": rates["done"]},
               "templates": sel.reply_templates_for(departments=[d.pk for d in depts]) if focused else [],
               "digest": digest, "digest_item": digest_item,
               "query": query.urlencode(), "outcomes": Reply.Outcome.choices,
               "by_due": by_due, "unsorted_query": unsorted.urlencode(), "by_due_query": by_due_query.urlencode(),
               "undoable": undo.undoable_shown(request, campaign=campaign), "undo_minutes": settings.UNDO_MINUTES,
               "others": campaign.departments.exclude(pk__in=[d.pk for d in depts]),
               "export_max": f"{EXPORT_MAX:,}"}
    return render(request, "consultation/workbench/inbox.html", context)


@login_required
def inbox_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The inbox as filtered on the page, as CSV or XLSX: the officer's own departments' suggestions only,
    masked as every export is (:func:`~minsheng.consultation.analysis.export.suggestion_rows`)."""
    campaign = _campaign(request, _campaigns(_officer(request)))
    if campaign is None:
        raise Http404
    found = sel.inbox_results(user=request.user, campaign=campaign, run=current_run(campaign),
                              **_inbox_filters(request))
    return export_response(suggestion_rows(found), fmt=fmt, name=f"{campaign.slug}-inbox")


@login_required
def due(request: HttpRequest) -> HttpResponse:
    """What the officer's departments owe now or within a day, across campaigns (where 催办 reminders lead)."""
    depts = _officer(request)
    page = CappedPaginator(sel.due_for(user=request.user), PAGE).get_page(request.GET.get("page"))
    return render(request, "consultation/workbench/due.html", {"page": page, "depts": depts})


def _suggestion(request: HttpRequest, pk: int) -> Suggestion:
    _officer(request)
    suggestion = Suggestion.objects.select_related("campaign", "department", "channel").filter(pk=pk).first()
    if suggestion is None or not scope_for(request.user).acts_for(suggestion.department_id):
        raise Http404(_("没有这条建议，或它不在您的部门"))
    return suggestion


@login_required
def suggestion(request: HttpRequest, pk: int) -> HttpResponse:
    s = _suggestion(request, pk)
    run = current_run(s.campaign)
    result = s.results.filter(run=run).select_related("theme", "form_letter").first() if run else None
    reply = sel.latest_reply(s)
    # A handled suggestion shows its answer (who, when, what) and, for a few minutes, its author's 撤销 of it;
    # answering again stays possible (a correction), but folded away, and 转交 is for what still waits.
    undo_reply = next((a for a in undo.undoable_shown(request, campaign=s.campaign)
                       if reply and a.kind == UndoableAction.Kind.REPLY and a.object_id == reply.pk), None)
    log, log_total = handling_log(s, whole=request.GET.get("log") == "all")
    context = {"s": s, "result": result, "digest": digest_of_letter(run=run, suggestion=s) if run else [],
               "reply": reply, "handled": s.status in sel.DONE, "undo_reply": undo_reply,
               "outcomes": Reply.Outcome.choices,
               "log": log, "log_total": log_total, "extension": extension_pending_for(s), "waiting": s.status in sel.TODO,
               "templates": sel.reply_templates_for(departments=[s.department_id]),
               # Earlier moves (分派, 转交) are lines of the 办理记录, not listed again beside the 转交 form.
               "others": s.campaign.departments.exclude(pk=s.department_id)}
    return render(request, "consultation/workbench/suggestion.html", context)


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


@login_required
@require_POST
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    s = _suggestion(request, pk)
    target = Organisation.objects.filter(pk=request.POST.get("to") or 0, kind=Organisation.Kind.DEPARTMENT).first()
    seen = Organisation.objects.filter(pk=request.POST.get("from") or 0).first()
    if target is None or seen is None:
        return refuse(request, _("请选择要转交的部门"), "workbench-suggestion", pk=pk)
    try:
        suggestion_reassign(user=request.user, suggestion_id=s.pk, from_department=seen, to_department=target,
                            reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        return refuse(request, exc, "workbench-suggestion", pk=pk)
    messages.success(request, _("建议 {receipt} 已转交{name}，该更正将用于下次训练分派模型。").format(receipt=display_receipt(s.receipt), name=target.name))
    return redirect(f"/manage/inbox/?c={s.campaign.slug}")


def _theme(suggestion_id: int, code: str) -> Theme | None:
    """The theme a whole-theme answer is about, so the public page can say which theme was adopted."""
    campaign = Campaign.objects.filter(suggestions__pk=suggestion_id).first()
    run = current_run(campaign) if campaign else None
    return run.themes.filter(code=code).first() if run and code else None


def _digest(suggestion_id: int, code: str) -> DigestSuggestion | None:
    """The digest suggestion a whole answer is about, so the public page can say "N 人提出 → 采纳"."""
    campaign = Campaign.objects.filter(suggestions__pk=suggestion_id).first()
    run = current_run(campaign) if campaign else None
    return run.digest.filter(code=code).first() if run and code else None


@login_required
@require_POST
def act(request: HttpRequest) -> HttpResponse:
    """Reply to or adopt the posted suggestions (one, a duplicate group or a theme) for one department."""
    depts = {d.pk: d for d in _officer(request)}
    dept = request.POST.get("dept") or "0"
    department = depts.get(int(dept)) if dept.isdigit() else None
    if department is None:
        raise Http404(_("不是您的部门"))
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    outcome = request.POST.get("outcome", Reply.Outcome.REPLIED)
    scope = request.POST.get("scope", "one") if request.POST.get("scope") in ("one", "group", "theme", "digest") \
        else "one"
    text, note = request.POST.get("text", ""), request.POST.get("note", "")
    theme = _theme(ids[0], request.POST.get("theme", "")) if ids and scope == "theme" else None
    digest = _digest(ids[0], request.POST.get("digest", "")) if ids and scope == "digest" else None
    # Forms shown for waiting suggestions say so: another officer's answer in between is not answered over.
    waiting = request.POST.get("waiting") == "1"
    try:
        if outcome == Reply.Outcome.REPLIED:
            reply_send(user=request.user, department=department, suggestion_ids=ids, text=text, note=note,
                       scope=scope, theme=theme, digest=digest, only_waiting=waiting)
        else:
            suggestion_adopt(user=request.user, department=department, suggestion_ids=ids, outcome=outcome,
                             note=note, text=text, scope=scope, theme=theme, digest=digest, only_waiting=waiting)
    except ValidationError as exc:
        return refuse(request, exc, _back(request, "inbox").url)
    else:
        # Worded by how many were answered (a group may reach one suggestion), not by the form's scope.
        answered = len(set(ids))
        messages.success(request, _("已办理 {value} 条建议（{label}），留有联系方式的建议人将收到通知。").format(value=f"{answered:,}", label=Reply.Outcome(outcome).label))
        undo.remember(request, _("%(n)s 分钟内可以撤销这次整组答复，通知在此之后发出。") if answered > 1 else
                      _("%(n)s 分钟内可以撤销这次答复，通知在此之后发出。"))
    return _back(request, "inbox")
