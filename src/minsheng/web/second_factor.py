"""A second factor for administrators (ASVS 2.7 / 4.3.1; 等保 2.0 level 3 asks two factors of an administrator).

Who: Django staff and superusers (the back office), and anyone holding a role named in ``SECOND_FACTOR_ROLES``.
After the password such a person is sent to ``/accounts/second-factor/`` before any other page: the first time
to enrol (a QR code drawn here as SVG, no outside service, and the secret written out, confirmed with one code),
then on every sign-in to give the 6-digit code of a time-based one-time password (TOTP, RFC 6238: django-otp's
``TOTPDevice``). Until then every page but that one, signing out and the site's static files redirects there, the
admin included (``admin.site.has_permission`` asks the same).

Guessing codes is locked out as guessing passwords is: each wrong code is a failed sign-in to django-axes (the
sign-in records name it, and an address that guesses is locked), and after ``AXES_FAILURE_LIMIT`` wrong codes in a
row the person is signed out and the code refused for ``AXES_COOLOFF_MINUTES``. That count is the device's own
(django-otp's throttle, reset only by a right code), so signing in again with the password, which resets axes's
count, does not buy more guesses; django-otp also waits longer after each wrong code. A lost phone: ``minsheng manage
reset_second_factor USERNAME`` removes the device and the person enrols again at the next sign-in.

``SECOND_FACTOR_REQUIRED=0`` turns it off (a trial on a laptop, never a real site); the demo keeps it on and
enrols its administrator (``seed_demo`` writes the secret to ``var/demo-logins.txt``).
"""

from __future__ import annotations

import base64
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from minsheng.forms import qr_svg

# Pages a person who still owes the code may open: this one, signing out, and what every page loads.
_OPEN = ("/accounts/second-factor/", "/accounts/logout/", "/static/", "/jsi18n/", "/healthz", "/readyz",
         "/favicon.ico", "/elder/")


def needs_second_factor(user) -> bool:
    if not settings.SECOND_FACTOR_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    from minsheng.accounts.models import RoleGrant

    roles = settings.SECOND_FACTOR_ROLES
    return bool(roles) and RoleGrant.objects.filter(user=user, role__in=roles).exists()


def check_roles() -> None:
    """A misspelt role in ``SECOND_FACTOR_ROLES`` would ask nobody: refuse to start instead."""
    from django.core.exceptions import ImproperlyConfigured

    from minsheng.accounts.models import Role

    unknown = sorted(set(settings.SECOND_FACTOR_ROLES) - set(Role.values))
    if unknown:
        raise ImproperlyConfigured(f"SECOND_FACTOR_ROLES names no role: {', '.join(unknown)} "
                                   f"(roles: {', '.join(Role.values)})")


def require_second_factor(get_response):
    """Middleware after django-otp's ``OTPMiddleware``: a person who owes a code goes to give it first."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (user is not None and not request.path_info.startswith(_OPEN) and needs_second_factor(user)
                and not user.is_verified()):
            return redirect(f"{reverse('second-factor')}?next={quote(request.get_full_path())}")
        return get_response(request)

    return middleware


def device_for(user, *, confirmed: bool | None = None):
    """The person's TOTP device (the confirmed one, else the one being enrolled), or None."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    devices = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "pk")
    if confirmed is not None:
        devices = devices.filter(confirmed=confirmed)
    return devices.first()


def device_enrol(*, user, confirmed: bool = False):
    """A new TOTP device for ``user`` (any earlier one removed): unconfirmed until a code from it is given."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=settings.SITE_NAME[:64], confirmed=confirmed)


def devices_reset(*, user) -> int:
    """Remove every second-factor device of ``user`` (a lost phone): they enrol again at the next sign-in."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    return removed


def secret_of(device) -> str:
    """The device's key in base32, as authenticator apps take it typed in."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def _qr_svg(device) -> str:
    issuer = quote(settings.SITE_NAME)  # the name the authenticator lists the code under
    url = (f"otpauth://totp/{issuer}:{quote(device.user.get_username())}?secret={secret_of(device)}"
           f"&issuer={issuer}&digits={device.digits}&period={device.step}")
    return qr_svg(url)


def _enrolment(device) -> dict:
    secret = secret_of(device)
    return {"qr": _qr_svg(device), "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))}


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("start")


def _locked(request: HttpRequest, device, key: dict) -> bool:
    """Too many wrong codes in a row on this device within the cool-off, or axes locks the account or address."""
    from axes.handlers.proxy import AxesProxyHandler

    last = device.throttling_failure_timestamp
    return (device.throttling_failure_count >= settings.AXES_FAILURE_LIMIT and last is not None
            and timezone.now() - last < settings.AXES_COOLOFF_TIME) or AxesProxyHandler.is_locked(request, key)


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """Enrol (the first time) or give the code (every sign-in); then on to where the person was going."""
    from django_otp import login as otp_login

    from minsheng.web.signin import locked_out

    user = request.user
    if not needs_second_factor(user) or user.is_verified():
        return redirect(_next(request))
    key = {"username": user.get_username()}
    device = device_for(user)
    enrolling = device is None or not device.confirmed
    if device is None:
        device = device_enrol(user=user)
    error = None
    if request.method == "POST":
        if _locked(request, device, key):
            logout(request)
            return locked_out(request)
        code = "".join(request.POST.get("code", "").split())
        allowed, throttle = device.verify_is_allowed()
        if not allowed:  # django-otp waits longer after each wrong code: not a guess, so not counted
            seconds = max(1, int(((throttle or {}).get("locked_until") or timezone.now()).timestamp()
                                 - timezone.now().timestamp()) + 1)
            context = {"enrolling": enrolling, "next": _next(request),
                       "error": _("尝试过于频繁，请 {seconds} 秒后再输入。").format(seconds=seconds)}
            if enrolling:
                context |= _enrolment(device)
            return render(request, "registration/second_factor.html", context, status=429)
        if code.isdigit() and len(code) == device.digits and device.verify_token(code):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_next(request))
        user_login_failed.send(sender=__name__, credentials=key, request=request)
        device.refresh_from_db()
        if _locked(request, device, key):
            request.axes_locked_out = False  # the page below says it; axes's middleware need not again
            logout(request)
            return locked_out(request)
        error = _("动态口令不正确或已经用过，请输入验证器上最新的 6 位数字。")
    context = {"enrolling": enrolling, "error": error, "next": _next(request)}
    if enrolling:
        context |= _enrolment(device)
    return render(request, "registration/second_factor.html", context, status=400 if error else 200)


def admin_requires_verified_session() -> None:
    """The admin site admits staff only with the code given (``OTPMiddleware`` installs ``is_verified``), not on a
    password alone, whatever the middleware in front of it."""
    from django.contrib import admin

    plain = admin.site.has_permission

    def has_permission(request: HttpRequest) -> bool:
        user = request.user
        verified = not needs_second_factor(user) or (hasattr(user, "is_verified") and user.is_verified())
        return plain(request) and verified

    admin.site.has_permission = has_permission
