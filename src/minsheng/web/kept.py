"""What a person typed into a form that was not taken, shown again on the form's page.

Two ways a post is not taken and the person is sent elsewhere with an empty form:

- ``signed_out``: a department officer writes a long reply, the staff session ends meanwhile, and the post is
  sent to the sign-in page (:func:`minsheng.web.errors.method_not_allowed_page` leads back to the form's page
  afterwards). The reply never reached the view. The fields are kept in the (anonymous) session, which Django
  carries over the sign-in.
- ``refused``: an action that redirects back with a service's error as a page message
  (:func:`minsheng.forms.refuse`, a :class:`~minsheng.forms.Refused` redirect: 采纳 without its 说明) dropped the
  reply typed with it.

The fields are handed once to the form's page, where ``kept.js`` puts them back into the fields that are still
empty and says why. Nothing is submitted for the person: they read it and send it again.

Kept server-side rather than in the browser's storage so that it is restored only when the post was not handled
(a browser-side draft cannot tell a sent reply from a lost one), and never a file nor a field of :data:`SECRET`.

Only to the account that typed it. A computer is often shared (a village office, a station's desk): whoever signs
in next on that browser must not read the reply the last person left. A post whose session ran out comes from
nobody, so a signed-in person's pages leave a cookie naming the account (:data:`OWNER_COOKIE`: a keyed hash,
not the name; :func:`name_the_owner`), what is kept carries it, and another account's sign-in discards it unseen.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare, salted_hmac

SESSION_KEY = "kept_form"
OWNER_COOKIE = "kept_owner"
#: Never kept: the CSRF token, passwords and keys, and a full resident ID number (stored only encrypted; the
#: session table is no place for it). Typed again, as they would be on any form.
SECRET = re.compile(r"csrfmiddlewaretoken|password|secret|key|token|id_number")
MAX_CHARS = 20_000  # the longest field a form of ours takes is 5,000 characters; more is not a form of ours


def keep_posted(request: HttpRequest, page: str, why: str) -> None:
    """Keep the text fields of this POST for ``page`` (the form's page, path and query), where the person is
    sent next; ``why`` is ``signed_out`` or ``refused``."""
    user = request.user
    owner = _owner(user) if user.is_authenticated else request.COOKIES.get(OWNER_COOKIE, "")
    fields = {name: value for name, value in request.POST.items()
              if not SECRET.search(name) and len(value) <= MAX_CHARS}
    if owner and any(value.strip() for value in fields.values()):  # nobody to give it back to: not kept
        # the form's address as the browser has it, the site's prefix and all (kept.js matches it to a form's action)
        request.session[SESSION_KEY] = {"page": page, "action": request.path, "fields": fields, "why": why,
                                        "owner": owner}


def kept_for(request: HttpRequest) -> dict | None:
    """The fields kept for the page being shown, once: ``{"action": form's path, "fields": {…}, "why": …}``.
    Kept by another account (the last person at this browser), they are dropped unseen."""
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    if session is None or user is None or not user.is_authenticated or SESSION_KEY not in session:
        return None
    if not constant_time_compare(session[SESSION_KEY].get("owner", ""), _owner(user)):
        del session[SESSION_KEY]
        return None
    if session[SESSION_KEY].get("page") != request.get_full_path():
        return None
    kept = session.pop(SESSION_KEY)
    return {"action": kept["action"], "fields": kept["fields"], "why": kept["why"]}


def _owner(user) -> str:
    """The account as a keyed hash: tells one account from another, names nobody to who reads the cookie."""
    return salted_hmac("minsheng.web.kept.owner", str(user.pk)).hexdigest()


def name_the_owner(get_response):
    """Every response to a signed-in person carries :data:`OWNER_COOKIE` naming the account, set when missing or
    naming another: whichever page signed them in. A sign-in view of our own that set it left /admin/login/ (and
    any later way in) without one, and a form posted there after the session ran out was not kept. The probes are
    left alone: asking who is signed in reads the session from the database, and /healthz must answer while the
    database is away, whatever cookie the caller sends."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name in ("healthz", "readyz"):
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            owner = _owner(user)
            if request.COOKIES.get(OWNER_COOKIE) != owner:
                response.set_cookie(OWNER_COOKIE, owner, max_age=settings.SESSION_COOKIE_AGE,
                                    secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax")
        return response

    return middleware
