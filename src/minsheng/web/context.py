"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """The site's name, and for a signed-in person the homes their roles open (the top navigation)."""
    from minsheng.web.elder import elder_on
    from minsheng.web.homes import homes_for

    user = getattr(request, "user", None)
    homes = homes_for(user) if user is not None and user.is_authenticated else None
    return {"SITE_NAME": settings.SITE_NAME, "homes": homes, "elder": elder_on(request)}
