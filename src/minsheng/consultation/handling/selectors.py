"""Reads of the handling loop: the dispatcher's queue (退回 suggestions, 延期 requests), a suggestion's 办理记录,
and how a deadline reads on a page."""

from __future__ import annotations

from datetime import datetime

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minsheng.consultation.handling.deadlines import days_left
from minsheng.consultation.handling.models import ExtensionRequest, HandlingEvent
from minsheng.consultation.intake.models import Campaign, Suggestion
from minsheng.consultation.workbench.selectors import DONE, TODO


def returned_to_dispatcher(*, campaign: Campaign) -> QuerySet[Suggestion]:
    """Suggestions a department returned that nobody has dispatched again, oldest return first, each with
    ``return_reason`` and ``returned_by`` (the department's name) of its latest return."""
    latest = HandlingEvent.objects.filter(suggestion=OuterRef("pk"), action=HandlingEvent.Action.RETURN).order_by("-at", "-id")
    return (Suggestion.objects.filter(campaign=campaign, department=None, status__in=TODO,
                                      handling_events__action=HandlingEvent.Action.RETURN).distinct()
            .annotate(return_reason=Subquery(latest.values("text")[:1]),
                      returned_by=Subquery(latest.values("department__name")[:1]),
                      returned_at=Subquery(latest.values("at")[:1]))
            .order_by("returned_at", "id"))


def not_yet_routed(*, campaign: Campaign) -> QuerySet[Suggestion]:
    """New suggestions no department holds and nobody has routed yet, oldest first: before an analysis run routes
    them they reached no inbox, and a dispatcher had no way to send an urgent one on by hand. A returned one is
    locked (``returned_to_dispatcher`` lists it); the inbox's index (department, campaign, received_at) reads them."""
    return (Suggestion.objects.filter(campaign=campaign, department=None, department_locked=False, status__in=TODO)
            .order_by("received_at", "id"))


def extensions_pending(*, campaign: Campaign) -> QuerySet[ExtensionRequest]:
    return (ExtensionRequest.objects.filter(suggestion__campaign=campaign, status=ExtensionRequest.Status.PENDING)
            .select_related("suggestion", "department", "requested_by"))


LOG_SHOWN = 30


def handling_log(suggestion: Suggestion, *, whole: bool = False) -> tuple[list[HandlingEvent], int]:
    """The 办理记录, newest first, and how many lines it has: the newest ``LOG_SHOWN`` lines keep the page quick
    (reminders add a line per deadline), ``whole`` reads it all (a record must be readable whole)."""
    lines = suggestion.handling_events.select_related("actor", "department")
    if whole:
        shown = list(lines)
        return shown, len(shown)
    shown = list(lines[:LOG_SHOWN + 1])
    return shown[:LOG_SHOWN], (len(shown) if len(shown) <= LOG_SHOWN else suggestion.handling_events.count())


def extension_pending_for(suggestion: Suggestion) -> ExtensionRequest | None:
    return suggestion.extensions.filter(status=ExtensionRequest.Status.PENDING).first()


def due_mark(suggestion: Suggestion, now: datetime | None = None) -> tuple[str, str] | None:
    """How the deadline reads on a list (text, css class): 剩余 N 天, 今日到期, 超时 N 天; for a finished one,
    按时办结 or 超时办结. None without a deadline."""
    due = suggestion.due_at
    if due is None:
        return None
    now = now or timezone.now()
    if suggestion.status in DONE:
        answered = suggestion.answered_at
        if answered is None:
            return None
        return (_("按时办结"), "on-time") if answered <= due else (_("超时办结"), "late")
    left = days_left(due, now)
    if due < now:
        late = max(1, -left)
        return ngettext("超时 %(n)s 天", "超时 %(n)s 天", late) % {"n": late}, "late"
    if left == 0:
        return _("今日到期"), "due-today"
    return ngettext("剩余 %(n)s 天", "剩余 %(n)s 天", left) % {"n": left}, "due-soon" if left <= 1 else "due"
