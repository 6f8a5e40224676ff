"""Lists, searches and single records, always narrowed to what the reader's scope allows.

A volunteer's scope has no areas: their needs are the ones dispatched to them, and their recipients the
people of those needs — while the assignment is live (offered or accepted). A provider who declined, was
withdrawn, or finished the service loses access at once: there is no grace period, because nothing a
provider does after checking out needs the record (the revisit is the cadre's).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import OuterRef, Q, QuerySet, Subquery

from minsheng.assistance.idcrypto import id_number_hashes, id_number_normalise
from minsheng.assistance.models import Assignment, Attachment, AuditEntry, Feedback, Need, Recipient, Visit
from minsheng.assistance.selectors.scope import Scope, scope_for

LIVE_ASSIGNMENT = (Assignment.Status.OFFERED, Assignment.Status.ACCEPTED)


def _need_filter(scope: Scope, prefix: str = "") -> Q:
    if scope.everywhere:
        return Q()
    q = Q(**{f"{prefix}area_id__in": scope.area_ids})
    if scope.user_id:
        q |= Q(**{f"{prefix}assignments__provider__user_id": scope.user_id,
                  f"{prefix}assignments__status__in": LIVE_ASSIGNMENT})
    return q


def needs_for(user, *, status: str = "", need_type: str = "", overdue_at: datetime | None = None) -> QuerySet[Need]:
    scope = scope_for(user)
    if not scope.has_access:
        return Need.objects.none()
    ids = Need.objects.filter(_need_filter(scope)).values("pk")
    needs = Need.objects.filter(pk__in=ids).select_related("recipient", "area", "provider__user")
    if status:
        needs = needs.filter(status=status)
    if need_type:
        needs = needs.filter(need_type=need_type)
    if overdue_at:
        needs = needs.filter(status__in=Need.OPEN_STATUSES, due_at__lt=overdue_at)
    return needs


def needs_assigned_to(user, needs: QuerySet[Need]) -> set[int]:
    """Of ``needs``, those ``user`` has a live assignment for: the worker going to the door, who needs the
    recipient's full name; everyone else in scope tells recipients apart by surname (the field app's JSON)."""
    return set(Assignment.objects.filter(need__in=needs, provider__user_id=user.pk, status__in=LIVE_ASSIGNMENT)
               .values_list("need_id", flat=True))


def need_get(user, pk: int) -> Need | None:
    return needs_for(user).filter(pk=pk).first()


def recipients_for(user, *, q: str = "", category: str = "", area_id: int | None = None) -> QuerySet[Recipient]:
    """Recipients the reader may see; ``q`` is a name, a phone, or a full ID number (matched by keyed hash)."""
    scope = scope_for(user)
    if not scope.has_access:
        return Recipient.objects.none()
    if scope.everywhere:
        people = Recipient.objects.all()
    else:
        served = Need.objects.filter(_need_filter(Scope(user_id=scope.user_id))).values("recipient_id")
        people = Recipient.objects.filter(Q(area_id__in=scope.area_ids) | Q(pk__in=served))
    q = (q or "").strip()
    # A phone or ID number finds only people the reader may reach (accepted_needs): a provider merely offered
    # the work sees the phone masked, and a search that answers "found" would confirm the number all the same.
    reached = Q() if scope.everywhere else (Q(area_id__in=scope.area_ids) | Q(pk__in=Assignment.objects.filter(
        provider__user_id=scope.user_id, status=Assignment.Status.ACCEPTED).values("need__recipient_id")))
    if len(id_number_normalise(q)) == 18:
        people = people.filter(reached, id_hash__in=id_number_hashes(q))
    elif q:
        people = people.filter(Q(name__icontains=q) | (reached & (Q(phone__contains=q) | Q(id_masked__endswith=q))))
    if category:
        people = people.filter(category=category)
    if area_id:
        people = people.filter(area_id=area_id)
    return people.select_related("area")


def recipient_get(user, pk: int) -> Recipient | None:
    return recipients_for(user).filter(pk=pk).first()


def accepted_needs(user, recipient: Recipient) -> QuerySet[Need]:
    """The needs of ``recipient`` that ``user`` accepted as a provider: what lets a provider from outside the
    person's area read how to reach them (phone, address, relative; ``views.common.reach_context``), one need at a
    time, the audit trail naming which. An offer is not enough: the provider decides on the need (what, which
    village, when) and may decline, and a declined offer would have handed a stranger the phone and address of
    someone vulnerable."""
    return Need.objects.filter(recipient=recipient, assignments__provider__user_id=user.pk,
                               assignments__status=Assignment.Status.ACCEPTED)


def recipients_without_contact(user, *, days: int, now: datetime) -> QuerySet[Recipient]:
    """The proactive list: nobody has talked to or visited these people for ``days`` days (or ever)."""
    scope = scope_for(user)
    if not scope.is_staff:
        return Recipient.objects.none()
    cutoff = now - timedelta(days=days)
    return (recipients_for(user).filter(Q(last_contact_at__lt=cutoff) | Q(last_contact_at__isnull=True))
            .order_by("last_contact_at", "area__code", "name"))


def offers_for(user) -> QuerySet[Assignment]:
    """The work dispatched to ``user`` as a provider that still needs them."""
    return (Assignment.objects.filter(provider__user=user, need__status__in=Need.OPEN_STATUSES + (Need.Status.SERVED,),
                                      status__in=[Assignment.Status.OFFERED, Assignment.Status.ACCEPTED])
            .select_related("need__recipient", "need__area").order_by("need__due_at"))


def escalated_needs_for(user) -> QuerySet[Need]:
    """Open needs raised to the reader: level 1 and up for station managers, level 2 for civil affairs."""
    scope = scope_for(user)
    if not scope.can_dispatch:
        return Need.objects.none()
    needs = Need.objects.filter(status__in=Need.OPEN_STATUSES, escalation_level__gte=1)
    if not scope.everywhere:
        from minsheng.accounts.models import Role

        station = scope.areas_by_role.get(Role.STATION_MANAGER, frozenset())
        civil = scope.areas_by_role.get(Role.CIVIL_AFFAIRS_ADMIN, frozenset())
        needs = needs.filter(Q(area_id__in=station) | Q(area_id__in=civil, escalation_level__gte=2))
    return needs.select_related("recipient", "area", "provider__user").order_by("-escalation_level", "due_at")


def audit_for(user, *, entity: str = "", entity_id: int | None = None, action: str = "") -> QuerySet[AuditEntry]:
    scope = scope_for(user)
    if not scope.can_audit:
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.select_related("actor", "area")
    if not scope.everywhere:
        entries = entries.filter(area_id__in=scope.area_ids)
    if entity:
        entries = entries.filter(entity=entity)
    if entity_id:
        entries = entries.filter(entity_id=entity_id)
    if action:
        entries = entries.filter(action=action)
    return entries


def attachment_get(user, pk: int) -> Attachment | None:
    attachment = Attachment.objects.select_related("visit").filter(pk=pk).first()
    if attachment is None or need_get(user, attachment.visit.need_id) is None:
        return None
    return attachment


def rated_with_worker(ratings: QuerySet[Feedback]) -> QuerySet[Feedback]:
    """``ratings`` each with the worker whose visit it judged (``worker_id``, ``worker_name``, ``worker_login``): the
    need's last visit begun before the rating. A rating of 不满意 reopens the need and takes it from its worker,
    so the need's worker now is not the one rated."""
    visit = Visit.objects.filter(need=OuterRef("need"), checkin_at__lte=OuterRef("recorded_at")).order_by("-checkin_at")
    return ratings.annotate(worker_id=Subquery(visit.values("provider_id")[:1]),
                            worker_name=Subquery(visit.values("provider__user__display_name")[:1]),
                            worker_login=Subquery(visit.values("provider__user__username")[:1]))
