"""The recipient rates a service herself, with no account: a one-time link printed with a QR code on the
service slip that area staff hand her after the service (docs/security.md, assistance rules)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from minsheng.assistance.forms import FeedbackForm
from minsheng.assistance.selectors.records import need_get
from minsheng.assistance.services.feedback import (
    feedback_by_link,
    feedback_link_issue,
    feedback_link_revoke,
    link_for_token,
    link_get,
    link_refusal,
)
from minsheng.assistance.views.common import assistance_login, found
from minsheng.engine.masking import mask_name
from minsheng.forms import error_text, qr_svg, refuse, site_url

# The token of the slip just issued in this session, until the slip shows it: the link keeps only its hash, so
# the slip is shown once, and a reprint is a reissue (which voids the old link).
SLIP_KEY = "assistance_slip"
# The link the recipient's phone opened: the token on the slip is exchanged for it on the first request.
RATE_KEY = "assistance_rate_link"



def _served_by(link):
    """Who gave the service ``link`` rates: the need's provider is cleared when a rating reopens it, and the
    thank-you page then named nobody."""
    visit = (link.need.visits.filter(checkout_at__lte=link.served_at).select_related("provider__user")
             .order_by("-checkout_at").first())
    return visit.provider if visit else link.need.provider


@require_POST
@assistance_login
def slip_issue(request: HttpRequest, pk: int) -> HttpResponse:
    need = found(need_get(request.user, pk))
    try:
        link, token = feedback_link_issue(actor=request.user, need=need)
    except ValidationError as exc:
        return refuse(request, exc, "assistance:need", pk=need.pk)
    except PermissionDenied as exc:
        return refuse(request, str(exc), "assistance:need", pk=need.pk)
    request.session[SLIP_KEY] = {"link": link.pk, "token": token}
    return redirect("assistance:slip", pk=need.pk, link_pk=link.pk)


@never_cache
@assistance_login
def slip(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    need = found(need_get(request.user, pk))
    if not request.scope.sees_area(need.area_id):
        raise PermissionDenied(_("评价二维码须由本区域的工作人员生成和打印"))
    link = found(need.feedback_links.filter(pk=link_pk).first())
    kept = request.session.get(SLIP_KEY) or {}
    token = None
    if kept.get("link") == link.pk:  # shown this once: the raw token leaves the session with this page
        token = request.session.pop(SLIP_KEY)["token"]
    why = link_refusal(link)
    url = site_url(reverse("assistance:rate-token", args=[token])) if token and why is None else None
    return render(request, "assistance/slip.html", {
        "need": need, "link": link, "url": url, "qr": qr_svg(url, box_size=10) if url else None,
        "why": why, "name": mask_name(need.recipient.name), "provider": _served_by(link)})


@require_POST
@assistance_login
def slip_revoke(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    need = found(need_get(request.user, pk))
    link = found(need.feedback_links.filter(pk=link_pk).first())
    try:
        feedback_link_revoke(actor=request.user, link=link)
    except ValidationError as exc:
        return refuse(request, exc, "assistance:need", pk=need.pk)
    except PermissionDenied as exc:
        return refuse(request, str(exc), "assistance:need", pk=need.pk)
    messages.success(request, _("评价二维码已作废，扫码将无法评价"))
    return redirect("assistance:need", pk=need.pk)


@never_cache
def rate_token(request: HttpRequest, token: str) -> HttpResponse:
    """The address the QR code opens: its token is exchanged for the link in this session and the phone sent on
    to an address without it, so the token is in no later request's log line, CSRF warning or Referer."""
    link = link_for_token(token)
    if link is None:
        request.session.pop(RATE_KEY, None)
    else:
        request.session[RATE_KEY] = link.pk
    return redirect("assistance:rate")


@never_cache
def rate(request: HttpRequest) -> HttpResponse:
    """The big-font page of the link opened in this session: rate the service once, no sign-in."""
    link_id = request.session.get(RATE_KEY)
    link = link_get(link_id)
    why = link_refusal(link)
    form = FeedbackForm(request.POST if request.method == "POST" and why is None else None,
                        asks_goal=bool(link and link.need.goal), own=True)
    if request.method == "POST" and why is None and form.is_valid():
        try:
            feedback_by_link(link_id=link.pk, **form.cleaned_data)
        except ValidationError as exc:
            why = error_text(exc)
        else:
            return redirect("assistance:rate")  # the page then thanks her and says what she said
    link = link_get(link_id)
    done = link.feedback if link is not None and link.feedback_id else None
    words = dict(FeedbackForm.base_fields["satisfaction"].choices)
    response = render(request, "assistance/rate.html", {
        "link": link, "need": link.need if link else None, "why": why if done is None else None, "form": form,
        "done": done, "said": words.get(done.satisfaction) if done else None,
        "name": mask_name(link.need.recipient.name) if link else "", "provider": _served_by(link) if link else None},
        status=404 if link is None else 200)
    response["X-Robots-Tag"] = "noindex"
    return response
