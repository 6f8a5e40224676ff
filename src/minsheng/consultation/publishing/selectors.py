"""What the public results page reads."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from minsheng.consultation.analysis.models import SuggestionResult
from minsheng.consultation.analysis.selectors import current_run, themes_broad
from minsheng.consultation.intake.models import Campaign, Suggestion
from minsheng.consultation.intake.selectors import status_counts
from minsheng.consultation.workbench.models import Reply

OUTCOME_ORDER = [Suggestion.Status.ADOPTED, Suggestion.Status.PARTLY_ADOPTED, Suggestion.Status.NOTED,
                 Suggestion.Status.REPLIED]
PUBLIC_DIGEST = 50


def digest_outcomes(run, limit: int = PUBLIC_DIGEST) -> list[dict]:
    """Per suggestion of the digest — the ``limit`` raised by most people, and every one adopted as a whole —
    "N 人提出 → 采纳/答复", from its letters' statuses.

    The outcome shown is the strongest any of its letters reached (采纳 before 部分采纳 before 留作参考 before
    已答复), with how many letters reached it, and the note of the latest adoption of the whole suggestion.
    """
    adopted = Reply.objects.filter(digest__run=run).exclude(outcome=Reply.Outcome.REPLIED).values("digest_id")
    items = list(run.digest.filter(Q(rank__lte=limit) | Q(pk__in=adopted)).order_by("rank"))
    counts = (SuggestionResult.objects.filter(run=run, digest__in=items)
              .values("digest_id", "suggestion__status").annotate(n=Count("id")))
    by_item: dict[int, dict[str, int]] = {}
    for row in counts:
        by_item.setdefault(row["digest_id"], {})[row["suggestion__status"]] = row["n"]
    notes = {}
    for reply in (Reply.objects.filter(digest__in=items).exclude(outcome=Reply.Outcome.REPLIED)
                  .order_by("digest_id", "-created_at")):
        notes.setdefault(reply.digest_id, reply.note)
    out = []
    for item in items:
        status = by_item.get(item.pk, {})
        outcome = next((s for s in OUTCOME_ORDER if status.get(s)), None)
        if outcome:
            label, code = Suggestion.Status(outcome).label, outcome
        elif status.get(Suggestion.Status.IN_REVIEW):
            label, code = _("办理中"), "pending"
        else:
            # No letter has reached a department yet (a campaign without a router, an import not yet dispatched):
            # 办理中 told the public someone was handling what nobody holds; 已收到 is what their receipts say.
            label, code = Suggestion.Status.RECEIVED.label, Suggestion.Status.RECEIVED.value
        out.append({"item": item, "outcome": label, "outcome_code": code,
                    "n_outcome": status.get(outcome, 0) if outcome else 0, "note": notes.get(item.pk, "")})
    return out


def public_results(*, campaign: Campaign) -> dict | None:
    """What the public results page shows; None until the owner publishes."""
    published = getattr(campaign, "published", None)
    if published is None:
        return None
    run = published.run or current_run(campaign)
    themes = list(themes_broad(run)) if run else []
    adopted = (Reply.objects.filter(campaign=campaign).exclude(outcome=Reply.Outcome.REPLIED)
               .select_related("department", "theme").annotate(n=Count("links")).order_by("-created_at")[:50])
    by_status = status_counts(campaign=campaign)
    return {"published": published, "run": run, "themes": themes, "adopted": list(adopted),
            "digest": digest_outcomes(run) if run else [],
            "total": sum(n for s, n in by_status.items() if s not in (Suggestion.Status.REJECTED,
                                                                      Suggestion.Status.HELD)),
            "n_adopted": by_status.get(Suggestion.Status.ADOPTED, 0)
            + by_status.get(Suggestion.Status.PARTLY_ADOPTED, 0),
            "n_replied": sum(by_status.get(s, 0) for s in (Suggestion.Status.REPLIED, Suggestion.Status.ADOPTED,
                                                          Suggestion.Status.PARTLY_ADOPTED,
                                                          Suggestion.Status.NOTED))}
