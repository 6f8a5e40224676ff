"""Who may do what in consultation: one :class:`Scope` per person, checked by the services that write.

- campaign owners (and platform admins) create campaigns and manage their own: channels and keys,
  moderation, file imports, analysis runs, retraining, publishing results;
- department officers act (reassign, reply, adopt) on the suggestions their departments hold;
- everyone else manages nothing. A view only turns a refusal into 404 (so a campaign's existence does not
  leak) or 403; the service refuses whoever calls it, so no write path can skip the check.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from minsheng.accounts.models import Role, RoleGrant


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    is_admin: bool = False
    is_owner: bool = False
    departments: frozenset[int] = frozenset()

    @property
    def can_create_campaigns(self) -> bool:
        return self.is_admin or self.is_owner

    def manages(self, campaign) -> bool:
        return self.is_admin or (self.user_id is not None and campaign.owner_id == self.user_id)

    @property
    def is_officer(self) -> bool:
        return bool(self.departments)

    def acts_for(self, department_id: int | None) -> bool:
        return department_id is not None and department_id in self.departments


def scope_for(user) -> Scope:
    """The scope of ``user`` (anonymous visitors and people without a role have an empty one)."""
    if user is None or not user.is_authenticated:
        return Scope(user_id=None)
    grants = list(RoleGrant.objects.filter(user=user).values_list("role", "organisation_id"))
    roles = {role for role, _ in grants}
    return Scope(user_id=user.pk, is_admin=user.is_superuser or Role.ADMIN in roles,
                 is_owner=Role.CAMPAIGN_OWNER in roles,
                 departments=frozenset(org for role, org in grants
                                       if role == Role.DEPARTMENT_OFFICER and org is not None))


def require_creator(user) -> Scope:
    scope = scope_for(user)
    if not scope.can_create_campaigns:
        raise PermissionDenied(gettext("只有征集负责人可以创建征集活动"))
    return scope


def require_manager(user, campaign) -> Scope:
    scope = scope_for(user)
    if not scope.manages(campaign):
        raise PermissionDenied(gettext("您无权管理该征集活动"))
    return scope


def require_officer(user, department_id: int) -> Scope:
    scope = scope_for(user)
    if not scope.acts_for(department_id):
        raise PermissionDenied(gettext("只有本部门工作人员可以办理"))
    return scope


def managed_campaign(user, slug: str):
    """The campaign ``slug`` if ``user`` manages it; 404 otherwise, the same as for one that does not exist."""
    from django.http import Http404

    from minsheng.consultation.intake.selectors import campaign_managed_by

    campaign = campaign_managed_by(user=user, slug=slug)
    if campaign is None:
        raise Http404(gettext("没有这个征集活动，或您无权管理"))
    return campaign
