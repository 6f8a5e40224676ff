"""Error pages in Chinese, one JSON error shape on the API, and the probes a load balancer asks.

Every error a person can meet is answered here: 400/403/404/405/410/500, a CSRF refusal, and 503 while the database
is unreachable (a refused or dropped connection raises ``OperationalError``/``InterfaceError`` from any view;
it is an outage, not a bug, so it gets "try again later" and ``Retry-After`` instead of a 500). Under
``/api/`` the answer is ``{"error": {"code", "message"}}`` like every other API error.

These views never touch the database nor the session: they must work while the database is away, so the
page is rendered without the request's context (no signed-in user in the header).
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterator
from urllib.parse import SplitResult, parse_qs, urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.migrations.loader import MigrationLoader
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.template import loader
from django.urls import URLResolver, get_resolver, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from minsheng.consultation.intake.api.errors import json_error
from minsheng.forms import NotYet, Refused
from minsheng.web.elder import elder_on
from minsheng.web.kept import keep_posted

RETRY_AFTER_SECONDS = 5


def _said(exception: Exception | None, default: str) -> str:
    """The reason a view gave (PermissionDenied("只有本区域的站长可以派单")), when it is ours and in Chinese;
    Django's own messages ("No Need matches the given query.") are English and internal, so never shown."""
    text = str(exception or "").strip()
    return text if re.search(r"[\u4e00-\u9fff]", text) else default


def is_api(request: HttpRequest) -> bool:
    """The partner API (/api/v1/…) and the JSON a field app reads (/assistance/api/needs/), by the URLconf: the
    route the request matched is named ``api-…``, or the path below the site's prefix starts with one of the API's
    routes (:func:`_api_routes`; a missing route below /api/v1/ is the API's too). Why: "/api/" anywhere in the
    path made a campaign whose slug is "api" answer its pages in JSON; the whole path (SCRIPT_NAME /gov/api, behind
    a proxy) made every missing page of such a site the API's."""
    match = getattr(request, "resolver_match", None)
    if match is not None and (match.url_name or "").startswith("api-"):
        return True
    return request.path_info.startswith(_api_routes(get_resolver(getattr(request, "urlconf", None))))


@functools.lru_cache(maxsize=8)
def _api_routes(resolver: URLResolver) -> tuple[str, ...]:
    """The paths the API answers under, from the URLconf: each route named ``api-…`` and each include all of whose
    routes are, written without a converter (one with a ``<slug>`` is told by the match, :func:`is_api`)."""

    def api(pattern) -> bool:
        if isinstance(pattern, URLResolver):
            return bool(pattern.url_patterns) and all(api(inner) for inner in pattern.url_patterns)
        return (pattern.name or "").startswith("api-")

    def walk(patterns, above: str) -> Iterator[str]:
        for pattern in patterns:
            route = above + str(pattern.pattern)
            if "<" in route:
                continue
            if api(pattern):
                yield "/" + route
            elif isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)

    return tuple(sorted(set(walk(resolver.url_patterns, ""))))


def came_from(request: HttpRequest) -> str:
    """The page of this site the person came from (a form they posted), for a 返回上一页 link; else ''. Compared with
    ``request.path``, the prefix and all, as the browser's address is."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer or not url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                                          require_https=request.is_secure()):
        return ""
    return "" if urlsplit(referer).path == request.path and request.method == "GET" else referer


def error_response(request: HttpRequest, status: int, code: str, title: str, message: str,
                   headers: dict | None = None, onward: tuple[str, str] | None = None) -> HttpResponse:
    """The one error page (or the API's JSON error): every handler here and the sign-in lock-out use it.
    ``onward`` is a (link, label) to where the person can go on from here."""
    if is_api(request):
        return json_error(status, code, message, headers=headers)
    page = loader.get_template("errors/error.html").render({
        "status": status, "title": title, "message": message, "back": came_from(request), "onward": onward,
        # 回到我的首页 leads a visitor with no session to the sign-in page: offered to the signed-in only (the
        # cookie, not the session: these pages never read the database)
        "signed_in": settings.SESSION_COOKIE_NAME in request.COOKIES,
        "elder": elder_on(request),  # 长辈模式 is a cookie too: an error is no reason to drop to small type
        # a form sent into an outage or a bug was not kept: say so, where the person would think it was
        "unsaved": request.method == "POST" and status >= 500})
    return HttpResponse(page, status=status, headers=headers)


def is_outage(exc: BaseException | None) -> bool:
    """A database that refuses, drops or times out a connection (not a bad query: that is a bug, a 500)."""
    return isinstance(exc, OperationalError | InterfaceError)


def unavailable(request: HttpRequest) -> HttpResponse:
    return error_response(request, 503, "service_unavailable", _("服务暂时不可用"), _("服务暂时不可用，请稍后再试。"),
                   headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Our own ``BadRequest("…")`` says which parameter is wrong (in Chinese); anything else stays generic."""
    said = str(exception) if isinstance(exception, BadRequest) and exception.args else ""
    return error_response(request, 400, "bad_request", _("请求有误"), said or _("请求的参数不正确，请检查后重试。"))


def reject_nul_in_query(get_response):
    """A NUL in a query parameter is a 400 here, not a database error later (PostgreSQL refuses NUL);
    form fields already refuse it (Django's CharField), and the API checks its JSON itself."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if any("\x00" in value for _key, values in request.GET.lists() for value in values):
            return bad_request(request, BadRequest(_("查询参数含有空字符（NUL）")))
        return get_response(request)

    return middleware


def method_not_allowed_page(get_response):
    """Django's require_POST answers a GET with a 405 and no body: a blank page for someone who reloads after
    posting or follows a copied address. They get a page that says so and leads back.

    A form posted after the session ended is sent to sign in with ``next`` set to the form's own address, where
    the sign-in then led (a GET: that blank 405). ``next`` is the page the form was on instead."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if response.status_code == 302 and (is_api(request) or request.headers.get("HX-Request")):
            return _signed_out_in_place(request, response)
        if request.method == "POST" and response.status_code == 302:
            if isinstance(response, Refused):  # back to the form with an error: keep what was typed
                to = urlsplit(response["Location"])
                if not to.netloc or to.netloc == request.get_host():
                    keep_posted(request, _path_and_query(to), "refused")
            return _back_to_the_form_after_sign_in(request, response)
        if response.status_code != 405 or response.content:  # the API writes its own 405 body
            return response
        return error_response(request, 405, "method_not_allowed", _("不能直接打开这个地址"),
                       _("这个地址只用来提交表单，不能直接打开或刷新。请回到上一页重新操作。"),
                       headers={"Allow": response.get("Allow", "POST")})

    return middleware


def _path_and_query(url: SplitResult) -> str:
    """A same-site address as a ``next`` or a kept form's page: the path and its query, without host or fragment."""
    return url.path + ("?" + url.query if url.query else "")


def _signed_out_in_place(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A lapsed session met by a request a page's script made: the redirect to the sign-in page would be followed
    by the script and its HTML read as data. JSON a field app reads gets a JSON 401 it can show, with ``login``
    to send the person to; an HTMX fragment (a progress bar polled every second) sends the whole page to sign in
    instead of drawing the sign-in form inside the bar. Both lead back to the page the person was on."""
    login = resolve_url(settings.LOGIN_URL)
    if urlsplit(response["Location"]).path != login:
        return response
    back = urlsplit(request.headers.get("HX-Current-URL") or came_from(request))
    same_site = back.path and (not back.netloc or back.netloc == request.get_host())
    after = _path_and_query(back) if same_site else reverse("start")  # under the site's prefix, if any
    to_sign_in = f"{login}?{urlencode({'next': after})}"
    if is_api(request):
        return json_error(401, "signed_out", _("登录已失效，请重新登录后再试。"), login=to_sign_in)
    return HttpResponse(status=204, headers={"HX-Redirect": to_sign_in})


def _back_to_the_form_after_sign_in(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    login = resolve_url(settings.LOGIN_URL)
    target = urlsplit(response["Location"])
    back = urlsplit(came_from(request))
    if target.path != login or parse_qs(target.query).get("next") != [request.get_full_path()] or not back.path:
        return response
    page = _path_and_query(back)
    response["Location"] = f"{login}?{urlencode({'next': page})}"
    keep_posted(request, page, "signed_out")  # what was typed is shown again there (minsheng.web.kept)
    return response


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 403, "forbidden", _("无权访问"), _said(exception, _("您没有访问此页面的权限。")))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, NotYet):  # a page not there (yet, or any more: Gone) says what is missing, not 页面不存在
        return error_response(request, exception.status, exception.code, exception.title, exception.message,
                              onward=exception.onward)
    return error_response(request, 404, "not_found", _("页面不存在"), _said(exception, _("您要找的页面不存在或已被移除。")))


def server_error(request: HttpRequest) -> HttpResponse:
    """Django calls this inside its ``except`` block, so the exception is still at hand."""
    if is_outage(sys.exception()):
        return unavailable(request)
    return error_response(request, 500, "server_error", _("服务器出错"),
                   _("服务器处理请求时出错，我们已记录此问题，请稍后再试。"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_response(request, 403, "csrf_failed", _("页面已过期"),
                   _("页面停留太久，或浏览器没有开启 Cookie，这份表单已失效。请返回上一页，刷新后重新提交。"))


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Never touches the database, so an outage does not restart the web."""
    return HttpResponse("ok\n", content_type="text/plain")


def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: the database answers a query now and holds the schema this code needs; a load balancer stops
    sending traffic while it does not. ``SELECT 1`` alone passed on an empty database (SQLite creates an empty file
    where its file went missing; a PostgreSQL database before ``migrate``), where every page then failed."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations")
            applied = set(cursor.fetchall())
    except DatabaseError:
        connection.close_if_unusable_or_obsolete()
        return _not_ready("database unavailable")
    if not all(needed <= applied for needed in _latest_migrations()):
        return _not_ready("database schema not migrated")
    return HttpResponse("ok\n", content_type="text/plain")


def _not_ready(reason: str) -> HttpResponse:
    return HttpResponse(f"{reason}\n", status=503, content_type="text/plain",
                        headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


@functools.cache
def _latest_migrations() -> tuple[frozenset[tuple[str, str]], ...]:
    """Each app's latest migration on disk, as the rows ``django_migrations`` holds once it is applied (a squashed
    migration is recorded as the migrations it replaces). Read once: the files do not change under a running web."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    return tuple(frozenset(graph.nodes[leaf].replaces or [leaf]) for leaf in graph.leaf_nodes())
