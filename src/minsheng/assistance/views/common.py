"""Helpers every assistance view uses: the sign-in and role gate, and 404 for records outside the scope."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from minsheng.assistance.selectors.scope import scope_for


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
