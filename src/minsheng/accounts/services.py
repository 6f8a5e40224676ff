"""Writes for accounts: create people, areas, organisations; grant and revoke roles."""

from __future__ import annotations

from django.db import transaction

from minsheng.accounts.models import Area, Organisation, Role, RoleGrant, User


@transaction.atomic
def user_create(*, username: str, password: str | None = None, display_name: str = "", email: str = "",
                is_staff: bool = False, is_superuser: bool = False) -> User:
    user = User(username=username, display_name=display_name, email=email, is_staff=is_staff,
                is_superuser=is_superuser)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def area_create(*, code: str, name: str, level: str, parent: Area | None = None) -> Area:
    area = Area(code=code, name=name, level=level, parent=parent)
    area.full_clean()
    area.save()
    return area


@transaction.atomic
def organisation_create(*, code: str, name: str, kind: str, area: Area | None = None,
                        parent: Organisation | None = None) -> Organisation:
    organisation = Organisation(code=code, name=name, kind=kind, area=area, parent=parent)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def role_grant(*, user: User, role: Role | str, organisation: Organisation | None = None,
               area: Area | None = None) -> RoleGrant:
    """Grant a role; granting the same scope twice returns the existing grant (idempotent)."""
    existing = RoleGrant.objects.filter(user=user, role=role, organisation=organisation, area=area).first()
    if existing:
        return existing
    grant = RoleGrant(user=user, role=role, organisation=organisation, area=area)
    grant.full_clean(validate_constraints=False)
    grant.save()
    if role == Role.ADMIN and not (user.is_staff and user.is_superuser):
        # Platform admins use the Django admin for back-office edits.
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    return grant


@transaction.atomic
def role_revoke(*, user: User, role: Role | str, organisation: Organisation | None = None,
                area: Area | None = None) -> int:
    deleted, _ = RoleGrant.objects.filter(user=user, role=role, organisation=organisation, area=area).delete()
    return deleted
