"""The domain's models, one module per subject: reference data (plans, documents, departments,
categories, indicators), staff and their roles, goals and their citations, progress figures, status
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
from .history import QuarterSpan, RecordedQuarter, StatusChange
from .notices import OwedNotice, StaffNotice
from .reference import Category, Department, DepartmentQuerySet, Document, Indicator, Plan
from .revisions import REVISABLE_FIELDS, GoalRevision
from .staff import DepartmentMembership, DepartmentMembershipQuerySet, MembershipRole

__all__ = [
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
    "LeadSource",
    "MembershipRole",
    "OwedNotice",
    "Plan",
    "ProgressImport",
    "ProgressUpdate",
    "QuarterSpan",
    "RecordedQuarter",
    "StaffNotice",
    "StatusChange",
    "UpdateReviewState",
    "as_of_refusal",
    "evidence_upload_path",
    "unique_slug",
]
