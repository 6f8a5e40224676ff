"""Reads for accounts: who has which role where. Every permission check in the platforms starts here."""

from __future__ import annotations

from django.db.models import QuerySet

from minsheng.accounts.models import Area, Organisation, Role, RoleGrant, User


def user_is_admin(user: User) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or RoleGrant.objects.filter(user=user, role=Role.ADMIN).exists()


def user_has_role(user: User, role: Role | str) -> bool:
    if not user.is_authenticated:
        return False
    return RoleGrant.objects.filter(user=user, role=role).exists()


def user_roles(user: User) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))


def organisations_for_user(user: User, *, role: Role | str) -> QuerySet[Organisation]:
    """The organisations in which ``user`` holds ``role`` (e.g. the departments whose inbox an officer reads)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(grants__user=user, grants__role=role).distinct()


def areas_within(area: Area) -> list[Area]:
    """``area`` and all areas below it (the tree is shallow: district → town → village)."""
    found, frontier = [area], [area.pk]
    while frontier:
        children = list(Area.objects.filter(parent_id__in=frontier))
        found.extend(children)
        frontier = [child.pk for child in children]
    return found


def departments() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT)
