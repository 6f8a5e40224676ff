"""长辈模式 (elder mode, 适老化): larger type and higher contrast that anyone can switch on from the header.

A cookie, not an account setting, so a citizen who never signs in keeps it on their phone; it is read on the
server (the ``elder`` class on <html>), so the page never flashes small first and needs no script.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

COOKIE = "elder"


def elder_on(request: HttpRequest) -> bool:
    return request.COOKIES.get(COOKIE) == "1"


@require_POST
def elder_toggle(request: HttpRequest) -> HttpResponseRedirect:
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if elder_on(request):
        response.delete_cookie(COOKIE)
    else:
        response.set_cookie(COOKIE, "1", max_age=400 * 24 * 3600, samesite="Lax", httponly=True)
    return response
