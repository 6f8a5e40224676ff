"""Dispatch candidates ranked by skill match, area, open workload and availability, with reasons in words.

Only providers whose service area covers the need's village are candidates at all; the dispatcher sees why
each one ranks where it does, and why some cannot take the work now.

Scores: a matching skill +4; serving the village itself +3, its town +2, the whole district +1; each open
case −0.5; a previous refusal of this need −2. Blockers (paused, at the open-case limit) keep a provider on
the list, greyed, so the dispatcher knows they exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from minsheng.accounts.models import Area
from minsheng.assistance.models import Assignment, Need, NeedType, Provider

AREA_POINTS = {Area.Level.VILLAGE: (3, "同村服务"), Area.Level.TOWN: (2, "本镇服务"),
               Area.Level.DISTRICT: (1, "全区服务")}


@dataclass
class Candidate:
    provider: Provider
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.blockers


def area_chain(area: Area) -> list[Area]:
    """``area`` and its ancestors, nearest first."""
    chain = [area]
    while chain[-1].parent_id:
        chain.append(Area.objects.get(pk=chain[-1].parent_id))
    return chain


def open_loads(provider_ids: list[int]) -> dict[int, int]:
    rows = (Assignment.objects.filter(provider_id__in=provider_ids,
                                      status__in=[Assignment.Status.OFFERED, Assignment.Status.ACCEPTED],
                                      need__status__in=Need.OPEN_STATUSES)
            .values("provider_id").annotate(n=Count("id")))
    return {row["provider_id"]: row["n"] for row in rows}


def rank_provider(need: Need, provider: Provider, chain: list[Area], load: int, declined: bool) -> Candidate | None:
    """Score one provider for ``need``; None when their service area does not cover the need."""
    covered = {a.pk for a in provider.areas.all()}
    nearest = next((a for a in chain if a.pk in covered), None)
    if nearest is None:
        return None
    cand = Candidate(provider=provider)
    points, words = AREA_POINTS[nearest.level]
    cand.score += points
    cand.reasons.append(f"{words}（{nearest.name}）")
    label = NeedType(need.need_type).label
    if need.need_type in (provider.skills or []):
        cand.score += 4
        cand.reasons.append(f"擅长{label}")
    else:
        cand.reasons.append(f"无{label}专长")
    cand.score -= 0.5 * load
    cand.reasons.append(f"在办{load}件" if load else "当前无在办")
    if declined:
        cand.score -= 2
        cand.reasons.append("曾拒接此单")
    if not provider.available:
        cand.blockers.append("暂停接单")
    elif provider.availability_note:
        cand.reasons.append(f"可服务：{provider.availability_note}")
    if load >= provider.max_open:
        cand.blockers.append(f"已达在办上限{provider.max_open}件")
    return cand


def candidates_for(need: Need) -> list[Candidate]:
    chain = area_chain(need.area)
    providers = list(Provider.objects.filter(areas__in=[a.pk for a in chain]).distinct()
                     .select_related("user", "organisation").prefetch_related("areas"))
    loads = open_loads([p.pk for p in providers])
    declined = set(need.assignments.filter(status=Assignment.Status.DECLINED).values_list("provider_id", flat=True))
    ranked = [c for p in providers
              if (c := rank_provider(need, p, chain, loads.get(p.pk, 0), p.pk in declined)) is not None]
    return sorted(ranked, key=lambda c: (not c.eligible, -c.score, str(c.provider)))
