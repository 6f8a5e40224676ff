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


@dataclass(frozen=True)
class Step:
    label: str
    url: str
    hint: str
    done: bool


def first_steps(user) -> list[Step]:
    """What a new site's administrator sets up first, in order (operations.md 1.6), while any of it is missing;
    nothing for anyone else or once all is there. A bureau's first administrator landed on a 工作台 of three buttons
    with nothing saying that areas, departments, people and 服务人员 come before any campaign or need."""
    from django.utils.translation import gettext as _

    from minsheng.accounts.models import Area, Organisation, RoleGrant
    from minsheng.assistance.models import Provider
    from minsheng.consultation.intake.models import Campaign

    if not user.is_superuser:
        return []
    steps = [
        Step(_("区域"), reverse("admin:accounts_area_add"), _("区县 → 乡镇/街道 → 村/社区"), Area.objects.exists()),
        Step(_("单位"), reverse("admin:accounts_organisation_add"), _("承办建议的职能部门，以及民政部门、社工站"),
             Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT).exists()),
        Step(_("用户与角色授权"), reverse("admin:accounts_user_add"), _("每人一个账号，授予角色并选择单位或区域"),
             RoleGrant.objects.exists()),
        Step(_("服务人员"), reverse("admin:assistance_provider_add"), _("派单的对象：勾选擅长服务与服务区域"),
             Provider.objects.exists()),
        Step(_("征集活动"), reverse("campaign-new"), _("征集负责人新建并开放"), Campaign.objects.exists()),
    ]
    return [] if all(step.done for step in steps) else steps


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
