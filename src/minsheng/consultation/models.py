"""Every model of the app, imported here so Django registers them; each is defined in its feature's
``models.py`` (app label ``consultation``, table names unchanged) — import it from there."""

from minsheng.consultation._db.models import RateWindow, SuggestionCount
from minsheng.consultation.analysis.models import (
    AnalysisRun,
    DigestMember,
    DigestSuggestion,
    FormLetter,
    HotIssue,
    RegionCount,
    RouterVersion,
    SuggestionResult,
    Theme,
)
from minsheng.consultation.handling.models import (
    ExtensionRequest,
    HandlingEvent,
    HandlingLimit,
    UndoableAction,
)
from minsheng.consultation.intake.models import Campaign, Channel, ImportJob, Suggestion
from minsheng.consultation.publishing.models import PublishedResults
from minsheng.consultation.workbench.models import (
    DepartmentAssignment,
    Notification,
    Reply,
    ReplyRating,
    ReplyTemplate,
    SuggestionReply,
)

__all__ = ["Campaign", "Channel", "ImportJob", "Suggestion", "SuggestionCount", "RateWindow", "AnalysisRun", "DigestMember", "DigestSuggestion", "Theme", "FormLetter", "HotIssue", "RegionCount", "SuggestionResult", "RouterVersion", "DepartmentAssignment", "Reply", "ReplyRating", "ReplyTemplate", "SuggestionReply", "Notification", "PublishedResults", "HandlingLimit", "HandlingEvent",
           "ExtensionRequest", "UndoableAction"]
