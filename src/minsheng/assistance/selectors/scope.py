"""Who may see what: the areas and role a reader acts in. Every assistance read goes through here.

A role is granted with an area (or an organisation that has one); the reader sees that area and everything
below it. Volunteers get no area at all: they see only the needs that were dispatched to them. People with
no assistance role see nothing, and pages answer 404 for records outside the scope so existence never leaks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from minsheng.accounts.models import Area, Role, RoleGrant
from minsheng.accounts.selectors import areas_within

# Roles that work on recipients of their own area (register, record needs, talk to them, revisit).
AREA_ROLES = (Role.CIVIL_AFFAIRS_ADMIN, Role.STATION_MANAGER, Role.SOCIAL_WORKER, Role.VILLAGE_CADRE,
              Role.WORK_TEAM)
DISPATCH_ROLES = (Role.CIVIL_AFFAIRS_ADMIN, Role.STATION_MANAGER)
AUDIT_ROLES = (Role.CIVIL_AFFAIRS_ADMIN,)


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    everywhere: bool = False
    areas_by_role: dict[str, frozenset[int]] = field(default_factory=dict)
    is_volunteer: bool = False

    @property
    def area_ids(self) -> frozenset[int]:
        return frozenset().union(*self.areas_by_role.values()) if self.areas_by_role else frozenset()

    @property
    def is_staff(self) -> bool:
        return self.everywhere or bool(self.area_ids)

    def sees_area(self, area_id: int) -> bool:
        return self.everywhere or area_id in self.area_ids

    def can_dispatch_in(self, area_id: int) -> bool:
        return self.everywhere or any(area_id in self.areas_by_role.get(r, ()) for r in DISPATCH_ROLES)

    @property
    def can_dispatch(self) -> bool:
        return self.everywhere or any(self.areas_by_role.get(r) for r in DISPATCH_ROLES)

    @property
    def can_audit(self) -> bool:
        return self.everywhere or any(self.areas_by_role.get(r) for r in AUDIT_ROLES)

    @property
    def has_access(self) -> bool:
        return self.is_staff or self.is_volunteer


def scope_for(user) -> Scope:
    """The scope of ``user``; platform admins and area-less civil-affairs grants see the whole platform."""
    if not user.is_authenticated:
        return Scope(user_id=None)
    if user.is_superuser:
        return Scope(user_id=user.pk, everywhere=True)
    grants = RoleGrant.objects.filter(user=user).select_related("area", "organisation__area")
    everywhere, is_volunteer, by_role = False, False, {}
    for grant in grants:
        if grant.role == Role.ADMIN:
            everywhere = True
        elif grant.role == Role.VOLUNTEER:
            is_volunteer = True
        elif grant.role in AREA_ROLES:
            area: Area | None = grant.area or (grant.organisation.area if grant.organisation else None)
            if area is None:
                everywhere = everywhere or grant.role == Role.CIVIL_AFFAIRS_ADMIN
                continue
            by_role.setdefault(grant.role, set()).update(a.pk for a in areas_within(area))
    return Scope(user_id=user.pk, everywhere=everywhere, is_volunteer=is_volunteer,
                 areas_by_role={role: frozenset(ids) for role, ids in by_role.items()})
