"""Where each person starts: the part of the platform their roles open, so nobody lands on an empty page.

A recipient (救助对象, often elderly) who signs in lands on their own page (/assistance/me/), assistance staff
on their worklist, a department officer on the inbox, campaign owners and admins on the 工作台, and a citizen
with no role on the 工作台 that lists what they submitted. The top navigation shows the same homes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from minsheng.accounts.models import Role
from minsheng.accounts.selectors import user_roles

ASSISTANCE = {Role.CIVIL_AFFAIRS_ADMIN, Role.STATION_MANAGER, Role.SOCIAL_WORKER, Role.VOLUNTEER,
              Role.VILLAGE_CADRE, Role.WORK_TEAM, Role.ADMIN}
CONSULTATION = {Role.ADMIN, Role.CAMPAIGN_OWNER, Role.DEPARTMENT_OFFICER, Role.CHANNEL_PARTNER}


@dataclass(frozen=True)
class Homes:
    consultation: bool  # the 工作台: campaigns, inbox, channels
    assistance: bool  # the assistance worklist
    recipient: bool  # a recipient's own page

    @property
    def workbench(self) -> bool:
        """The 工作台 link: for consultation roles, and for citizens with no other home (their submissions)."""
        return self.consultation or not (self.assistance or self.recipient)


def homes_for(user) -> Homes:
    from minsheng.assistance.models import Recipient

    roles = user_roles(user) | ({Role.ADMIN} if user.is_superuser else set())
    return Homes(consultation=bool(roles & CONSULTATION), assistance=bool(roles & ASSISTANCE),
                 recipient=Recipient.objects.filter(user_id=user.pk).exists())


def home_url(user) -> str:
    homes, roles = homes_for(user), user_roles(user)
    if roles == {Role.DEPARTMENT_OFFICER}:
        return reverse("inbox")
    if homes.consultation or not (homes.assistance or homes.recipient):
        return reverse("dashboard")
    return reverse("assistance:home" if homes.assistance else "assistance:me")


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """After signing in (LOGIN_REDIRECT_URL): each role's own home."""
    return redirect(home_url(request.user))
