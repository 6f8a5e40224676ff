"""Helpers every assistance view uses: scope checks that answer 404, and service errors shown on forms."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest

from minsheng.assistance.selectors.scope import scope_for


def assistance_login(view: Callable) -> Callable:
    """Signed in and holding some assistance role (area staff, volunteer, or a registered recipient)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        request.scope = scope_for(request.user)
        if not request.scope.has_access:
            raise PermissionDenied("您没有救助服务平台的权限")
        return view(request, *args, **kwargs)

    return wrapped


def found(obj):
    if obj is None:
        raise Http404("没有这条记录，或不在您的管辖范围内")
    return obj


def add_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: field errors on their field, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
