"""Retraining a campaign's router from the departments people settled on, with before/after scores.

The labels are the suggestions' current departments: those the router set and nobody changed (tacit
confirmation) and those a person corrected (:class:`DepartmentAssignment`). Both the old and the new
router are scored on the same held-out fifth of the labelled suggestions (split by duplicate group, so a
copy of a test message never sits in training); then the new router is refitted on everything and saved.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from minsheng.accounts.models import User
from minsheng.consultation.access import require_manager
from minsheng.consultation.analysis.models import RouterVersion
from minsheng.consultation.analysis.services import router_path
from minsheng.consultation.intake.models import Campaign, Suggestion
from minsheng.consultation.workbench.models import DepartmentAssignment

MIN_LABELLED = 30


def _labelled(campaign: Campaign) -> pd.DataFrame:
    rows = (Suggestion.objects.filter(campaign=campaign).exclude(department=None)
            .exclude(status__in=[Suggestion.Status.HELD, Suggestion.Status.REJECTED])
            .values_list("pk", "title", "text", "department__name"))
    frame = pd.DataFrame(list(rows), columns=["id", "title", "text", "label"])
    frame["text"] = [f"{t}\n{x}" if t else x for t, x in zip(frame["title"], frame["text"], strict=True)]
    from minsheng.engine.normalise import normalise_texts

    frame["text"] = normalise_texts(frame["text"].tolist())[0] if len(frame) else []
    return frame.drop(columns="title")


def _score(router, test: pd.DataFrame) -> dict:
    from minsheng.engine.routing import quality_report

    report = quality_report(test["label"].tolist(), list(router.predict(test["text"].tolist())))
    return {"macro_f1": round(float(report["macro_f1"]), 4), "accuracy": round(float(report["accuracy"]), 4),
            "n_test": len(test)}


def router_retrain_check(*, actor: User, campaign: Campaign) -> None:
    """Refuse at once (before queueing) someone who does not manage the campaign, or too little to learn from."""
    require_manager(actor, campaign)
    labelled = Suggestion.objects.filter(campaign=campaign).exclude(department=None).exclude(
        status__in=[Suggestion.Status.HELD, Suggestion.Status.REJECTED])
    if labelled.count() < MIN_LABELLED or labelled.values("department").distinct().count() < 2:
        raise ValidationError(_("已确定部门的建议太少（至少需要 {MIN_LABELLED} 条、两个部门）").format(MIN_LABELLED=MIN_LABELLED))


def router_retrain(*, campaign: Campaign, user: User | None, max_train: int | None = None) -> RouterVersion:
    """``max_train`` caps the examples (a seeded sample, corrections always kept) when time matters more."""
    from minsheng.engine.routing import duplicate_groups, load_model, save_model, train_router

    frame = _labelled(campaign)
    if max_train and len(frame) > max_train:
        fixed = set(DepartmentAssignment.objects.filter(suggestion__campaign=campaign).values_list(
            "suggestion_id", flat=True))
        keep = frame["id"].isin(fixed)
        rest = frame[~keep].sample(max(0, max_train - int(keep.sum())), random_state=0)
        frame = pd.concat([frame[keep], rest]).sort_values("id", ignore_index=True)
    if len(frame) < MIN_LABELLED or frame["label"].nunique() < 2:
        raise ValidationError(_("已确定部门的建议太少（至少需要 {MIN_LABELLED} 条、两个部门）").format(MIN_LABELLED=MIN_LABELLED))
    groups = duplicate_groups(frame["text"].tolist())
    test_mask = (np.asarray(groups) * 2654435761 % 5) == 0  # a fixed fifth of the duplicate groups
    train, test = frame[~test_mask], frame[test_mask]
    path = router_path(campaign)
    before: dict = {}
    if path.exists() and len(test):
        before = _score(load_model(path), test)
    candidate, _meta = train_router(train, cv=0)
    after = _score(candidate, test) if len(test) else {}
    router, meta = train_router(frame, cv=0)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_model(router, path, metadata={**meta, "campaign": campaign.slug})
    corrections = DepartmentAssignment.objects.filter(suggestion__campaign=campaign, is_correction=True).count()
    return RouterVersion.objects.create(campaign=campaign, trained_by=user, path=str(path), n_train=len(frame),
                                        n_corrections=corrections, before=before, after=after)
