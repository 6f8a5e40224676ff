"""What the public results page reads."""

from __future__ import annotations

from django.db.models import Count

from minsheng.consultation.analysis.selectors import current_run, themes_broad
from minsheng.consultation.intake.models import Campaign, Suggestion
from minsheng.consultation.intake.selectors import status_counts
from minsheng.consultation.workbench.models import Reply


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
            "total": sum(n for s, n in by_status.items() if s not in (Suggestion.Status.REJECTED,
                                                                      Suggestion.Status.HELD)),
            "n_adopted": by_status.get(Suggestion.Status.ADOPTED, 0)
            + by_status.get(Suggestion.Status.PARTLY_ADOPTED, 0),
            "n_replied": sum(by_status.get(s, 0) for s in (Suggestion.Status.REPLIED, Suggestion.Status.ADOPTED,
                                                          Suggestion.Status.PARTLY_ADOPTED,
                                                          Suggestion.Status.NOTED))}
