"""Opening and closing a campaign's public results page."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from minsheng.accounts.models import User
from minsheng.consultation.access import require_manager
from minsheng.consultation.analysis.selectors import current_run
from minsheng.consultation.intake.models import Campaign
from minsheng.consultation.publishing.models import PublishedResults


@transaction.atomic
def campaign_results_publish(*, actor: User, campaign: Campaign, foreword: str = "", publish: bool = True
                             ) -> PublishedResults | None:
    """Open (or close) the public "what we heard, what we adopted" page at the current run."""
    require_manager(actor, campaign)
    if not publish:
        PublishedResults.objects.filter(campaign=campaign).delete()
        return None
    published, _ = PublishedResults.objects.update_or_create(
        campaign=campaign, defaults={"run": current_run(campaign), "foreword": foreword.strip(),
                                     "published_at": timezone.now()})
    return published
