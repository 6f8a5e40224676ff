"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """The site's name, for a signed-in person the homes their roles open (the top navigation), and what they
    typed into this page's form before a sign-in (:mod:`minsheng.web.kept`)."""
    from minsheng.web.elder import elder_on
    from minsheng.web.homes import first_steps, homes_for
    from minsheng.web.kept import kept_for

    user = getattr(request, "user", None)
    homes = homes_for(user) if user is not None and user.is_authenticated else None
    return {"SITE_NAME": settings.SITE_NAME, "homes": homes, "elder": elder_on(request), "kept_form": kept_for(request),
            # called by the one template that shows it (the 工作台), so no other page pays its queries
            "first_steps": (lambda: first_steps(user)) if homes is not None else list}
