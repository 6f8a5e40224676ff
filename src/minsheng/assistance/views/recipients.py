"""Recipient registry: search, register, detail, full ID read with a purpose, CSV export, proactive list."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.accounts.models import Area
from minsheng.assistance.forms import RecipientForm, RevealForm
from minsheng.assistance.models import Category
from minsheng.assistance.selectors.records import (
    needs_for,
    recipient_get,
    recipients_for,
    recipients_without_contact,
)
from minsheng.assistance.services.recipients import recipient_register, recipient_reveal_id
from minsheng.assistance.views.common import assistance_login, found, reach_context
from minsheng.engine.cells import formula_safe
from minsheng.engine.masking import mask_name, mask_phone
from minsheng.forms import add_errors


def villages_for(scope):
    villages = Area.objects.filter(level=Area.Level.VILLAGE).select_related("parent")
    return villages if scope.everywhere else villages.filter(pk__in=scope.area_ids)


SEARCH = "assistance_recipient_search"


def _search(request: HttpRequest) -> tuple[str, str]:
    """The reader's search terms, posted and kept in the session: a name or a full ID number never travels in
    a URL, so it is never in an access log, a proxy's log, the browser history or a Referer header."""
    if request.method == "POST":
        request.session[SEARCH] = {"q": request.POST.get("q", "")[:100],
                                   "category": request.POST.get("category", "")[:20]}
    elif "clear" in request.GET:
        request.session.pop(SEARCH, None)
    terms = request.session.get(SEARCH, {})
    return terms.get("q", ""), terms.get("category", "")


@assistance_login
def recipient_list(request: HttpRequest) -> HttpResponse:
    q, category = _search(request)
    if request.method == "POST":
        return redirect("assistance:recipients")  # post, redirect, get: pages and the back button just work
    people = recipients_for(request.user, q=q, category=category)
    page = Paginator(people, 30).get_page(request.GET.get("page"))
    return render(request, "assistance/recipients.html", {"page": page, "q": q, "category": category,
                                                          "categories": Category.choices})


@assistance_login
def recipient_new(request: HttpRequest) -> HttpResponse:
    if not request.scope.is_staff:
        raise PermissionDenied(_("志愿者不能登记救助对象"))
    form = RecipientForm(request.POST or None, areas=villages_for(request.scope))
    if request.method == "POST" and form.is_valid():
        try:
            recipient = recipient_register(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("已登记救助对象 {name}").format(name=recipient.name))
            return redirect("assistance:recipient", pk=recipient.pk)
    return render(request, "assistance/recipient_form.html", {"form": form})


@assistance_login
def recipient_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recipient = found(recipient_get(request.user, pk))
    return render(request, "assistance/recipient.html", _context(request, recipient, RevealForm(), None))


def _context(request: HttpRequest, recipient, reveal_form, full_id) -> dict:
    """A worker may read a recipient of another area they served, but act only within their own area:
    the page offers recording a need and reading the full ID number only where the services allow it."""
    return {"r": recipient, "needs": needs_for(request.user).filter(recipient=recipient), "reveal_form": reveal_form,
            "full_id": full_id, "acts_here": request.scope.sees_area(recipient.area_id),
            **reach_context(request, recipient)}


@require_POST
@assistance_login
def recipient_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The full ID number, shown once on this response; the read and its purpose are in the audit trail."""
    recipient = found(recipient_get(request.user, pk))
    form, full_id = RevealForm(request.POST), None
    if form.is_valid():
        try:
            full_id = recipient_reveal_id(actor=request.user, recipient=recipient, purpose=form.stated())
        except ValidationError as exc:
            add_errors(form, exc)
        except PermissionDenied:
            form.add_error(None, _("您无权查看完整身份证号"))
    response = render(request, "assistance/recipient.html", _context(request, recipient, form, full_id))
    response["Cache-Control"] = "no-store"
    return response


@assistance_login
def recipient_export(request: HttpRequest) -> HttpResponse:
    """CSV of the recipients the reader may see, with name, ID number and phone masked: a file leaves the platform
    (a full ID number would bypass the read log; a list of names and phones of the vulnerable is what a leak
    must not carry). The birth year only: the full date is eight of the ID number's digits, and with the four
    first and last the masked number keeps and the village (its county's code) it gave the whole number back.
    The 编号 leads back to the full record, for those who may read it."""
    if not request.scope.is_staff:
        raise PermissionDenied
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="recipients.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a BOM
    writer = csv.writer(response)
    writer.writerow([_("编号"), _("姓名（脱敏）"), _("身份证号（脱敏）"), _("性别"), _("出生年份"), _("村/社区"), _("救助类别"),
                     _("联系电话（脱敏）"), _("最近联系")])
    q, category = _search(request)
    for r in recipients_for(request.user, q=q, category=category):
        row = [r.pk, mask_name(r.name), r.id_masked, r.gender, r.birth_date.year if r.birth_date else "", r.area.name, r.get_category_display(),
               mask_phone(r.phone),
               timezone.localtime(r.last_contact_at).strftime("%Y-%m-%d") if r.last_contact_at else _("从未")]
        writer.writerow([formula_safe(value) for value in row])
    return response


@assistance_login
def no_contact(request: HttpRequest) -> HttpResponse:
    """The proactive list: recipients nobody has talked to or visited for N days."""
    try:
        days = max(1, min(int(request.GET.get("days", 30)), 3650))
    except ValueError:
        days = 30
    people = recipients_without_contact(request.user, days=days, now=timezone.now())
    page = Paginator(people, 30).get_page(request.GET.get("page"))
    return render(request, "assistance/no_contact.html", {"page": page, "days": days})
