"""催办: officers hear about what falls due within a day and what is overdue, once per deadline.

The job may run any number of times (the worker queues it on a timer, cron may too): each reminder is a
HandlingEvent unique per suggestion, kind and due time, so only the rows this run created are announced —
one message per officer, listing receipt codes and deadlines (no citizen's words, no contact). Officers with
an e-mail address get it through Django's mail backend; everyone sees the same reminder in the suggestion's
办理记录 and the counts at the top of the inbox.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.accounts.models import Role, RoleGrant
from minsheng.consultation.handling.models import HandlingEvent
from minsheng.consultation.intake.models import Suggestion
from minsheng.consultation.intake.receipts import display_receipt
from minsheng.consultation.workbench.selectors import SOON, TODO
from minsheng.forms import site_url


def handling_remind(*, now: datetime | None = None) -> list[HandlingEvent]:
    """Record the reminders not given yet and send them; returns the new ones."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(open_due(now + SOON).values_list("pk", "department_id", "due_at"))
        # The same condition through the join, not a list of ids (tens of thousands overdue would overflow
        # SQLite's parameter limit).
        given = set(HandlingEvent.objects.filter(action__in=HandlingEvent.REMINDERS, due_at__lte=now + SOON,
                                                 suggestion__status__in=TODO)
                    .values_list("suggestion_id", "action", "due_at"))
        last = HandlingEvent.objects.aggregate(last=Max("id"))["last"] or 0
        events = [HandlingEvent(suggestion_id=pk, department_id=dept, due_at=due_at, at=now,
                                action=HandlingEvent.Action.REMIND_OVERDUE if due_at < now
                                else HandlingEvent.Action.REMIND_DUE)
                  for pk, dept, due_at in due]
        events = [e for e in events if (e.suggestion_id, e.action, e.due_at) not in given]
        # A run racing this one may have given some meanwhile: the constraint keeps theirs, and ours are
        # the rows added since, stamped with this run's time.
        HandlingEvent.objects.bulk_create(events, ignore_conflicts=True, batch_size=2000)
        new = list(HandlingEvent.objects.filter(pk__gt=last, action__in=HandlingEvent.REMINDERS, at=now)
                   .select_related("suggestion", "suggestion__campaign", "department"))
    _send(new)
    return new


def open_due(until: datetime):
    """Suggestions a department still has to answer by ``until``, found through the index suggestion_open_due."""
    return Suggestion.objects.filter(status__in=TODO, department__isnull=False, due_at__lte=until).order_by()


def _send(events: list[HandlingEvent]) -> int:
    by_department: dict[int, list[HandlingEvent]] = defaultdict(list)
    for event in events:
        by_department[event.department_id].append(event)
    officers = defaultdict(set)
    for user_id, email, dept in (RoleGrant.objects.filter(role=Role.DEPARTMENT_OFFICER,
                                                          organisation__in=list(by_department))
                                 .exclude(user__email="").values_list("user_id", "user__email", "organisation_id")):
        officers[(user_id, email)].add(dept)
    sent = 0
    for (_user, email), departments in officers.items():
        mine = sorted((e for d in departments for e in by_department[d]), key=lambda e: e.due_at)
        subject, body = _message(mine)
        try:
            send_mail(subject, body, None, [email])
        except Exception:  # the reminder stays in the 办理记录; mail is a courtesy
            continue
        sent += 1
    return sent


def _message(events: list[HandlingEvent]) -> tuple[str, str]:
    overdue = [e for e in events if e.action == HandlingEvent.Action.REMIND_OVERDUE]
    soon = [e for e in events if e.action == HandlingEvent.Action.REMIND_DUE]
    subject = _("办理提醒：%(soon)s 条建议将在一天内到期，%(late)s 条已超时") % {"soon": f"{len(soon):,}", "late": f"{len(overdue):,}"}
    lines = [_("以下建议请尽快办理：")]
    for e in events:
        label = _("已超时") if e in overdue else _("即将到期")
        lines.append(_("%(receipt)s（%(campaign)s）%(label)s，办理期限 %(due)s") % {
            "receipt": display_receipt(e.suggestion.receipt), "campaign": e.suggestion.campaign.title, "label": label,
            "due": f"{timezone.localtime(e.due_at):%Y-%m-%d %H:%M}"})
    lines.append(_("收件箱：%(url)s") % {"url": site_url(reverse("inbox-due"))})
    return subject, "\n".join(lines)
