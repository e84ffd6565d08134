"""The domain's models, one module per subject: reference data (plans, documents, departments,
categories, indicators), places, staff and their roles, goals and their citations, progress figures, status
history, explanations of red goals, staff notices and goal revisions. Everything is importable from
here: `from apps.goals.models import Goal`."""

from .common import STATUS_CHOICES, unique_slug
from .explanations import ExplanationState, GoalExplanation
from .figures import (
    EARLIEST_AS_OF,
    ProgressImport,
    ProgressUpdate,
    UpdateReviewState,
    as_of_refusal,
    evidence_upload_path,
)
from .goals import (
    SENTENCE_BREAK,
    BaselineSource,
    Citation,
    Goal,
    GoalComparator,
    GoalKind,
    GoalReviewState,
    LeadSource,
)
from .history import QuarterSpan, RecordedQuarter, StatusChange, StatusSpan
from .notices import OwedNotice, StaffNotice
from .places import HOME_PLACE, Jurisdiction, JurisdictionQuerySet, PlaceLevel, home_place_pk
from .reference import Category, Department, DepartmentQuerySet, Document, Indicator, Plan
from .review_actions import MentionRule, RejectionReason, ReviewAction, ReviewActionKind
from .revisions import REVISABLE_FIELDS, GoalRevision
from .staff import DepartmentMembership, DepartmentMembershipQuerySet, MembershipRole

__all__ = [
    "HOME_PLACE",
    "EARLIEST_AS_OF",
    "REVISABLE_FIELDS",
    "SENTENCE_BREAK",
    "STATUS_CHOICES",
    "BaselineSource",
    "Category",
    "Citation",
    "Department",
    "DepartmentMembership",
    "DepartmentMembershipQuerySet",
    "DepartmentQuerySet",
    "Document",
    "ExplanationState",
    "Goal",
    "GoalComparator",
    "GoalExplanation",
    "GoalKind",
    "GoalReviewState",
    "GoalRevision",
    "Indicator",
    "Jurisdiction",
    "JurisdictionQuerySet",
    "LeadSource",
    "MembershipRole",
    "MentionRule",
    "OwedNotice",
    "PlaceLevel",
    "Plan",
    "ProgressImport",
    "ProgressUpdate",
    "QuarterSpan",
    "RecordedQuarter",
    "RejectionReason",
    "ReviewAction",
    "ReviewActionKind",
    "StaffNotice",
    "StatusChange",
    "StatusSpan",
    "UpdateReviewState",
    "as_of_refusal",
    "evidence_upload_path",
    "home_place_pk",
    "unique_slug",
]
