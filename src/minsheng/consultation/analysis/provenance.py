"""What a run's report says about its data: where the suggestions came from and what the intake masked.

The engine reads one exported file (``input.parquet``) whose texts the platform masked when it took them in, so
on its own the report would name that internal file and count no masked number at all. The run therefore
writes two facts into the summary the reports read: ``source``, the campaign and its channels in words
("网站 6 条、合作渠道 300 条、文件导入 120 条（意见汇总.xlsx）"), and ``masked_at_intake``, the masks found
in the exported texts by kind (:func:`~minsheng.engine.masking.masks_in`), beside the engine's own ``masked``.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from minsheng.consultation.intake.models import Campaign, Suggestion
from minsheng.engine.masking import KINDS, masks_in

MAX_FILE_NAMES = 3


def count_intake_masks(texts: list[str], into: Counter) -> None:
    """Add the masks found in ``texts`` to ``into`` (called on each exported chunk)."""
    for text in texts:
        if "*" in text:
            into.update(masks_in(text))


def masked_at_intake(counts: Counter) -> dict[str, int]:
    """The intake's masks by kind, every kind present (a zero is a finding too)."""
    return {kind: int(counts.get(kind, 0)) for kind in KINDS}


def source_in_words(campaign: Campaign, suggestions: QuerySet[Suggestion]) -> str:
    """The campaign and where ``suggestions`` came from, by way of intake, with imported files by their names."""
    by_source = dict(suggestions.order_by().values_list("source").annotate(n=Count("id")))
    names = list(suggestions.filter(source=Suggestion.Source.IMPORT).exclude(import_job=None).order_by()
                 .values_list("import_job__original_name", flat=True).distinct()[:MAX_FILE_NAMES + 1])
    parts = []
    if by_source.get(Suggestion.Source.WEB):
        parts.append(_("网站提交 %(n)s 条") % {"n": f"{by_source[Suggestion.Source.WEB]:,}"})
    if by_source.get(Suggestion.Source.API):
        parts.append(_("合作渠道 %(n)s 条") % {"n": f"{by_source[Suggestion.Source.API]:,}"})
    if by_source.get(Suggestion.Source.IMPORT):
        files = "、".join(names[:MAX_FILE_NAMES]) + (_("等") if len(names) > MAX_FILE_NAMES else "")
        parts.append(_("文件导入 %(n)s 条") % {"n": f"{by_source[Suggestion.Source.IMPORT]:,}"}
                     + (f"（{files}）" if files else ""))
    return f"{campaign.title}：{'、'.join(parts)}" if parts else campaign.title
