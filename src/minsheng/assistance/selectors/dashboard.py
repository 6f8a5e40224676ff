"""Dashboard figures by area, category, provider and need type, over the needs the reader may see.

Computed in Python over one scoped query: a district has thousands of needs, not millions, and one pass is
simpler to read and test than a stack of database aggregates.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db.models import Avg, F, OuterRef, Subquery
from django.utils.translation import gettext, gettext_lazy

from minsheng.assistance.models import Category, Feedback, Need, NeedType
from minsheng.assistance.selectors.records import needs_for, rated_with_worker

DIMENSIONS = [("area", gettext_lazy("按村/社区")), ("category", gettext_lazy("按救助类别")), ("provider", gettext_lazy("按服务人员")), ("need_type", gettext_lazy("按需求类型"))]


def _hours(start: datetime | None, end: datetime | None) -> float | None:
    return (end - start).total_seconds() / 3600 if start and end else None


def _mean(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values), 1) if values else None


class _Bucket:
    def __init__(self) -> None:
        self.total = self.open = self.overdue = self.served = self.closed = self.reopened = self.judged = 0
        self.goals = self.goals_met = 0
        self.first_contact: list[float] = []
        self.closure: list[float] = []
        self.satisfaction: list[float] = []

    def add(self, row: dict, now: datetime) -> None:
        self.total += 1
        is_open = row["status"] in Need.OPEN_STATUSES
        self.open += is_open
        self.overdue += is_open and row["due_at"] < now
        self.served += row["status"] == Need.Status.SERVED  # 待回访: neither in hand nor closed
        self.closed += row["status"] == Need.Status.CLOSED
        self.first_contact.append(_hours(row["created_at"], row["first_contact_at"]))
        self.closure.append(_hours(row["created_at"], row["closed_at"]))
        if row["satisfaction"] is not None:
            self.satisfaction.append(row["satisfaction"])
        self.judge(row["goal_met"], judged=row["satisfaction"] is not None or bool(row["reopen_count"]),
                   reopened=bool(row["reopen_count"]))

    def judge(self, goal_met: bool | None, *, judged: bool, reopened: bool) -> None:
        if goal_met is not None:  # the soft outcome asked at the last follow-up
            self.goals += 1
            self.goals_met += bool(goal_met)
        if judged:
            self.judged += 1
            self.reopened += reopened

    def as_dict(self, label: str) -> dict:
        return {"label": label, "total": self.total, "open": self.open, "overdue": self.overdue,
                "served": self.served, "closed": self.closed, "first_contact_h": _mean(self.first_contact), "closure_h": _mean(self.closure),
                "satisfaction": _mean(self.satisfaction),
                "reopen_rate": round(100 * self.reopened / self.judged, 1) if self.judged else None,
                "goal_rate": round(100 * self.goals_met / self.goals, 1) if self.goals else None}


def _provider_label(name: str | None, login: str | None) -> str:
    return name or login or gettext("（未派单）")


def _judge_providers(user, buckets: dict[str, _Bucket]) -> None:
    """Each rating counts for the worker whose visit it judged, not for the need's worker now: the need's row went
    to （未派单） and then to the next worker, and a worker's worst ratings left their own row."""
    for bucket in buckets.values():
        bucket.satisfaction, bucket.goals, bucket.goals_met, bucket.judged, bucket.reopened = [], 0, 0, 0, 0
    for rating in rated_with_worker(Feedback.objects.filter(need__in=needs_for(user).values("pk"))):
        bucket = buckets[_provider_label(rating.worker_name, rating.worker_login)]
        bucket.satisfaction.append(rating.satisfaction)
        bucket.judge(rating.goal_achieved, judged=True, reopened=not rating.satisfied)


def dashboard_stats(user, *, now: datetime) -> dict:
    last_goal = Feedback.objects.filter(need=OuterRef("pk"), goal_achieved__isnull=False).order_by("-recorded_at")
    rows = (needs_for(user).annotate(satisfaction=Avg("feedback__satisfaction"), category=F("recipient__category"),
                                     goal_met=Subquery(last_goal.values("goal_achieved")[:1]),
                                     area_name=F("area__name"), town_name=F("area__parent__name"),
                                     provider_name=F("provider__user__display_name"),
                                     provider_login=F("provider__user__username"))
            .values("status", "due_at", "created_at", "first_contact_at", "closed_at", "reopen_count", "need_type",
                    "satisfaction", "goal_met", "category", "area_name", "town_name", "provider_name", "provider_login"))
    total = _Bucket()
    buckets: dict[str, dict[str, _Bucket]] = {key: defaultdict(_Bucket) for key, _ in DIMENSIONS}
    status_counts: dict[str, int] = defaultdict(int)
    for row in rows:
        total.add(row, now)
        status_counts[row["status"]] += 1
        labels = {"area": f"{row['town_name'] or ''}·{row['area_name']}",
                  "category": Category(row["category"]).label,
                  "provider": _provider_label(row["provider_name"], row["provider_login"]),
                  "need_type": NeedType(row["need_type"]).label}
        for key, label in labels.items():
            buckets[key][label].add(row, now)
    _judge_providers(user, buckets["provider"])
    tables = {key: sorted((b.as_dict(label) for label, b in buckets[key].items()), key=lambda r: -r["total"])
              for key, _ in DIMENSIONS}
    return {"total": total.as_dict(gettext("全部")), "tables": tables, "dimensions": DIMENSIONS,
            "status": [{"label": Need.Status(s).label, "value": status_counts.get(s, 0)} for s in Need.Status]}
