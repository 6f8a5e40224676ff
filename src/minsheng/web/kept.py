"""What a person typed into a form that was not taken, shown again on the form's page.

Two ways a post is not taken and the person is sent elsewhere with an empty form:

- ``signed_out``: a department officer writes a long reply, the staff session ends meanwhile, and the post is
  sent to the sign-in page (:func:`minsheng.web.errors.method_not_allowed_page` leads back to the form's page
  afterwards). The reply never reached the view. The fields are kept in the (anonymous) session, which Django
  carries over the sign-in.
- ``refused``: an action that redirects back with a service's error as a page message
  (:func:`minsheng.forms.show_error`: 采纳 without its 说明) dropped the reply typed with it.

The fields are handed once to the form's page, where ``kept.js`` puts them back into the fields that are still
empty and says why. Nothing is submitted for the person: they read it and send it again.

Kept server-side rather than in the browser's storage so that it is restored only when the post was not handled
(a browser-side draft cannot tell a sent reply from a lost one), and never a file nor a field of :data:`SECRET`.
"""

from __future__ import annotations

import re

from django.http import HttpRequest

SESSION_KEY = "kept_form"
#: Never kept: the CSRF token, passwords and keys, and a full resident ID number (stored only encrypted; the
#: session table is no place for it). Typed again, as they would be on any form.
SECRET = re.compile(r"csrfmiddlewaretoken|password|secret|key|token|id_number")
MAX_CHARS = 20_000  # the longest field a form of ours takes is 5,000 characters; more is not a form of ours


def keep_posted(request: HttpRequest, page: str, why: str) -> None:
    """Keep the text fields of this POST for ``page`` (the form's page, path and query), where the person is
    sent next; ``why`` is ``signed_out`` or ``refused``."""
    fields = {name: value for name, value in request.POST.items()
              if not SECRET.search(name) and len(value) <= MAX_CHARS}
    if any(value.strip() for value in fields.values()):
        request.session[SESSION_KEY] = {"page": page, "action": request.path, "fields": fields, "why": why}


def kept_for(request: HttpRequest) -> dict | None:
    """The fields kept for the page being shown, once: ``{"action": form's path, "fields": {…}, "why": …}``."""
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    if session is None or user is None or not user.is_authenticated or SESSION_KEY not in session:
        return None
    if session[SESSION_KEY].get("page") != request.get_full_path():
        return None
    kept = session.pop(SESSION_KEY)
    return {"action": kept["action"], "fields": kept["fields"], "why": kept["why"]}
