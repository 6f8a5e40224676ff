"""The dashboard with charts, the audit trail for civil affairs, and a small scoped JSON API for the app."""

from __future__ import annotations

from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.assistance.models import Need
from minsheng.assistance.selectors.dashboard import dashboard_stats
from minsheng.assistance.selectors.records import audit_for, needs_assigned_to, needs_for
from minsheng.assistance.services.audit import ACTIONS, change_rows, purpose_words
from minsheng.assistance.views.common import assistance_login
from minsheng.engine.masking import mask_name


def _bars(row: dict) -> dict:
    return {key: row[key] for key in ("label", "open", "overdue", "served", "closed")}


@assistance_login
def dashboard(request: HttpRequest) -> HttpResponse:
    if not request.scope.is_staff:
        raise PermissionDenied(_("志愿者没有统计看板"))
    stats = dashboard_stats(request.user, now=timezone.now())
    charts = {
        "status": stats["status"],
        "need_type": [_bars(r) for r in stats["tables"]["need_type"]],
        "area": [_bars(r) for r in stats["tables"]["area"][:15]],
        "satisfaction": [{"label": r["label"], "value": r["satisfaction"]} for r in stats["tables"]["category"]],
    }
    return render(request, "assistance/dashboard.html", {"stats": stats, "charts": charts})


@assistance_login
def audit(request: HttpRequest) -> HttpResponse:
    if not request.scope.can_audit:
        raise PermissionDenied(_("只有民政管理员可以查看审计记录"))
    entity, action = request.GET.get("entity", ""), request.GET.get("action", "")
    try:
        raw_id = request.GET.get("id") or "0"
        if not raw_id.isdigit():
            raise BadRequest(_("编号参数无效"))
        entity_id = int(raw_id) or None
    except ValueError:
        entity_id = None
    entries = audit_for(request.user, entity=entity, entity_id=entity_id, action=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    for entry in page:
        entry.action_label = ACTIONS.get(entry.action, entry.action)
        entry.rows = change_rows(entry.changes)
        entry.purpose_text = purpose_words(entry.purpose)
    return render(request, "assistance/audit.html", {"page": page, "entity": entity, "action": action,
                                                     "entity_id": entity_id or "", "actions": ACTIONS.items()})


@assistance_login
def api_needs(request: HttpRequest) -> JsonResponse:
    """The reader's needs as JSON for field apps: the same scope as every page, masked ID numbers only, and the
    recipient's full name only on the needs the reader is assigned to (a name identifies a person; a list of the
    area's needs on a phone is read by anyone who picks it up)."""
    status = request.GET.get("status", "")
    if status and status not in Need.Status.values:
        # An unknown status listed no need, as if the area had none. A field app reads this, not a person: a 400
        # that names the parameter, as 检索's dates and the partner API answer (the needs page drops it instead).
        raise BadRequest(_("状态 {value!r} 无效，可用的状态：{values}").format(
            value=status, values="、".join(Need.Status.values)))
    needs = needs_for(request.user, status=status)[:500]
    theirs = needs_assigned_to(request.user, needs)
    return JsonResponse({"needs": [
        {"id": n.pk, "recipient": n.recipient.name if n.pk in theirs else mask_name(n.recipient.name), "id_masked": n.recipient.id_masked, "area": n.area.name,
         "type": n.need_type, "type_label": n.get_need_type_display(), "urgency": n.urgency, "status": n.status,
         "due_at": n.due_at.isoformat(), "provider": str(n.provider) if n.provider else None}
        for n in needs]}, json_dumps_params={"ensure_ascii": False})
