"""Permission checks shared by the services, so no write path can skip them (views check again by scope)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.assistance.selectors.scope import Scope, scope_for


def now_or(now: datetime | None) -> datetime:
    """The controllable clock: services take ``now`` so tests and the escalation job can move time."""
    return now or timezone.now()


def require_area(actor, area_id: int) -> Scope:
    scope = scope_for(actor)
    if not scope.sees_area(area_id):
        raise PermissionDenied(_("您无权处理该区域的救助对象"))
    return scope


def require_dispatcher(actor, area_id: int) -> Scope:
    scope = scope_for(actor)
    if not scope.can_dispatch_in(area_id):
        raise PermissionDenied(_("只有本区域的社工站站长或民政管理员可以派单"))
    return scope
