"""Sign-in protection: password guessing is locked out (django-axes) and staff sessions are short.

Failures are counted per account and, separately, per address (``AXES_LOCKOUT_PARAMETERS``); after
``AXES_FAILURE_LIMIT`` of either the sign-in page and ``/admin/`` refuse that account or address for
``AXES_COOLOFF_MINUTES`` with a Chinese message, even with the right password. The address is the one the
public page's per-address limit uses (``X-Forwarded-For`` believed from ``TRUSTED_PROXIES`` only).

A person with any role (or a Django staff account) gets a session of ``STAFF_SESSION_MINUTES`` from sign-in;
citizens and recipients keep Django's default, so an elderly recipient is not signed out mid-visit.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import LogoutView
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from minsheng.forms import client_address
from minsheng.web.errors import error_response


class LockoutBackend(AxesStandaloneBackend):
    """Axes's gate for sign-ins over HTTP; a sign-in without a request (a shell, a script) has no address
    to lock and no attacker on the other end of a network, so it is let through to the password check."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request: HttpRequest) -> str:
    return client_address(request.META, settings.TRUSTED_PROXIES)


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    minutes = settings.AXES_COOLOFF_TIME.total_seconds() // 60
    message = _("登录失败次数过多，该账号或网络地址已被暂时锁定。请 %(minutes)d 分钟后再试，或联系管理员解锁。") % {
        "minutes": minutes}
    return error_response(request, 429, "locked_out", _("暂时无法登录"), message,
                          headers={"Retry-After": str(int(minutes * 60))})


@receiver(user_logged_in)
def _short_staff_session(sender, request, user, **kwargs) -> None:
    from minsheng.accounts.models import RoleGrant

    if request is not None and (user.is_staff or RoleGrant.objects.filter(user=user).exists()):
        request.session.set_expiry(settings.STAFF_SESSION_MINUTES * 60)


_logout = LogoutView.as_view()


def logout(request: HttpRequest) -> HttpResponse:
    """退出 is a posted form (a link could sign anyone out from another site), but a person who types or follows
    /accounts/logout/ was met by 不能直接打开这个地址: they get a page with the 退出登录 button instead."""
    if request.method == "POST":
        return _logout(request)
    return render(request, "registration/logout.html")


def name_sign_in_records() -> None:
    """The sign-in guard's records (django-axes) name themselves in English sentences no catalogue translates
    ("Access Log for admin @ 2026-12-07 09:36:49.123+00:00", "Failed access: user … locked out on … from …"):
    the admin's title, breadcrumbs and deletion pages of each record showed them among Chinese pages."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.utils import timezone

    def when(record) -> str:
        return timezone.localtime(record.attempt_time).strftime("%Y-%m-%d %H:%M:%S") if record.attempt_time else ""

    AccessAttempt.__str__ = lambda r: _("登录尝试：{user}，{when}").format(user=r.username, when=when(r))
    AccessLog.__str__ = lambda r: _("登录记录：{user}，{when}").format(user=r.username, when=when(r))
    AccessFailureLog.__str__ = lambda r: (
        _("登录失败：{user}，{when}，来自 {ip}").format(user=r.username, when=when(r), ip=r.ip_address)
        + (_("（已锁定）") if r.locked_out else ""))
