"""Helpers every assistance view uses: the sign-in and role gate, and 404 for records outside the scope."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from minsheng.assistance.selectors.records import accepted_needs
from minsheng.assistance.selectors.scope import scope_for
from minsheng.assistance.services.recipients import contact_read
from minsheng.engine.masking import mask_name, mask_phone


def assistance_login(view: Callable) -> Callable:
    """Signed in and holding some assistance role (area staff, volunteer, or a registered recipient)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        request.scope = scope_for(request.user)
        if not request.scope.has_access:
            raise PermissionDenied(_("您没有救助服务平台的权限"))
        return view(request, *args, **kwargs)

    return wrapped


def found(obj):
    if obj is None:
        raise Http404(_("没有这条记录，或不在您的管辖范围内"))
    return obj


def reach_context(request: HttpRequest, recipient, *, need=None) -> dict:
    """How to reach ``recipient`` (address, phone, relative) as the reader may see it: in full for the person's
    area staff and for a provider who accepted the work (``need``, on the need's page; any need of the person,
    on theirs), masked for everyone else, an offered provider included (docs/security.md, 4.2.1). A provider's
    read is logged once per need (:func:`contact_read`)."""
    reach = request.scope.sees_area(recipient.area_id)
    if not reach:
        accepted = accepted_needs(request.user, recipient)
        accepted = list((accepted.filter(pk=need.pk) if need is not None else accepted).distinct())
        reach = bool(accepted)
        if reach:
            contact_read(actor=request.user, recipient=recipient, needs=accepted)
    return {"reach": reach, "phone": recipient.phone if reach else mask_phone(recipient.phone),
            "guardian_name": recipient.guardian_name if reach else mask_name(recipient.guardian_name),
            "guardian_phone": recipient.guardian_phone if reach else mask_phone(recipient.guardian_phone)}
