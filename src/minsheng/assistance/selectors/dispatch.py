"""Dispatch candidates ranked by skill match, area, open workload and availability, with reasons in words.

Only providers whose service area covers the need's village are candidates at all; the dispatcher sees why
each one ranks where it does, and why some cannot take the work now.

Scores: a matching skill +4; serving the village itself +3, its town +2, the whole district +1; each open
case −0.5; a previous refusal of this need −2, and so a visit to it the recipient was not satisfied with; when the pre-service talk agreed a time, +1 if it falls in the
provider's stated availability and −3 if it does not (a time is a promise to the recipient, and a provider who
cannot come then should not be the first choice). Blockers (paused, at the open-case limit) keep a provider on
the list, greyed, so the dispatcher knows they exist. The dispatch page prints each reason with its points.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minsheng.accounts.models import Area
from minsheng.assistance.models import Assignment, Feedback, Need, NeedType, Provider
from minsheng.assistance.selectors.records import rated_with_worker

AREA_POINTS = {Area.Level.VILLAGE: (3, gettext_lazy("同村服务")), Area.Level.TOWN: (2, gettext_lazy("本镇服务")),
               Area.Level.DISTRICT: (1, gettext_lazy("全区服务"))}


WEEKDAYS = gettext_lazy("一二三四五六日")
DAY_WORDS = {"工作日": range(5), "周一至周五": range(5), "周末": range(5, 7), "双休日": range(5, 7)}
PART_WORDS = {"上午": range(6, 12), "中午": range(11, 14), "下午": range(12, 18), "晚上": range(18, 22),
              "全天": range(0, 24), "白天": range(7, 19)}
ANY_TIME = ("随叫随到", "随时", "全天候", "不限")


def available_at(note: str, when: datetime) -> bool | None:
    """Whether a provider's availability in words ("工作日全天", "周一至周五下午", "周末", "随叫随到") covers
    ``when`` (local time); None when the note says nothing this vocabulary understands."""
    note = (note or "").replace(" ", "")
    if any(word in note for word in ANY_TIME):
        return True
    days = [r for word, r in DAY_WORDS.items() if word in note]
    parts = [r for word, r in PART_WORDS.items() if word in note]
    if not days and not parts:
        return None
    local = timezone.localtime(when)
    return (not days or any(local.weekday() in r for r in days)) and (not parts or any(local.hour in r for r in parts))


def when_words(when: datetime) -> str:
    """12月03日（周四）09:00: the agreed time as the dispatch page and the offer show it."""
    local = timezone.localtime(when)
    return _("{local:%Y年%m月%d日}（周{value}）{local:%H:%M}").format(local=local, value=WEEKDAYS[local.weekday()])


@dataclass
class Candidate:
    provider: Provider
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    points: list[float | None] = field(default_factory=list)  # each reason's share of the score
    blockers: list[str] = field(default_factory=list)

    def add(self, reason: str, points: float | None = None) -> None:
        self.reasons.append(reason)
        self.points.append(points)
        self.score += points or 0

    @property
    def explained(self) -> list[tuple[str, str]]:
        """(reason, "+4" / "−0.5" / "") for the page."""
        return [(r, "" if p is None else f"{p + 0.0:+g}".replace("-", "−"))  # + 0.0: no "−0"
                for r, p in zip(self.reasons, self.points, strict=True)]

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


def set_back(need: Need) -> tuple[set[int], set[int]]:
    """(providers who refused ``need``, providers whose visit to it a rating found wanting)."""
    declined = set(need.assignments.filter(status=Assignment.Status.DECLINED).values_list("provider_id", flat=True))
    ratings = Feedback.objects.filter(need=need, satisfaction__lt=Feedback.SATISFIED_FROM)
    return declined, set(rated_with_worker(ratings).values_list("worker_id", flat=True))


def rank_provider(need: Need, provider: Provider, chain: list[Area], load: int, declined: bool,
                  appointment: datetime | None = None, unhappy: bool = False) -> Candidate | None:
    """Score one provider for ``need``; None when their service area does not cover the need."""
    covered = {a.pk for a in provider.areas.all()}
    nearest = next((a for a in chain if a.pk in covered), None)
    if nearest is None:
        return None
    cand = Candidate(provider=provider)
    points, words = AREA_POINTS[nearest.level]
    cand.add(f"{words}（{nearest.name}）", points)
    label = NeedType(need.need_type).label
    if need.need_type in (provider.skills or []):
        cand.add(_("擅长{label}").format(label=label), 4)
    else:
        cand.add(_("无{label}专长").format(label=label), 0)
    cand.add(_("在办{load}件").format(load=load) if load else _("当前无在办"), -0.5 * load)
    if declined:
        cand.add(_("曾拒接此单"), -2)
    if unhappy:
        cand.add(_("本单上次服务对象不满意"), -2)
    if not provider.available:
        cand.blockers.append(_("暂停接单"))
    elif provider.availability_note:
        fits = available_at(provider.availability_note, appointment) if appointment else None
        if fits is None:
            cand.add(_("可服务：{availability_note}").format(availability_note=provider.availability_note))
        elif fits:
            cand.add(_("约定时间在其可服务时间内（{availability_note}）").format(availability_note=provider.availability_note), 1)
        else:
            cand.add(_("约定时间不在其可服务时间内（{availability_note}）").format(availability_note=provider.availability_note), -3)
    if load >= provider.max_open:
        cand.blockers.append(_("已达在办上限{max_open}件").format(max_open=provider.max_open))
    return cand


def candidates_for(need: Need, appointment: datetime | None = None) -> list[Candidate]:
    chain = area_chain(need.area)
    providers = list(Provider.objects.filter(areas__in=[a.pk for a in chain]).distinct()
                     .select_related("user", "organisation").prefetch_related("areas"))
    loads = open_loads([p.pk for p in providers])
    declined, unhappy = set_back(need)
    ranked = [c for p in providers
              if (c := rank_provider(need, p, chain, loads.get(p.pk, 0), p.pk in declined, appointment,
                                     p.pk in unhappy)) is not None]
    return sorted(ranked, key=lambda c: (not c.eligible, -c.score, str(c.provider)))
