"""bodam case store: customers, policies, claims, complaints, change and handoff requests."""

from casestore.errors import (
    CaseStoreError,
    InvalidInput,
    InvalidTransition,
    NotFound,
    StorageError,
)
from casestore.store import CaseStore
from casestore.views import (
    AuditEntry,
    ChangeView,
    ClaimView,
    ComplaintView,
    CustomerView,
    HandoffView,
    PolicyView,
    StatusChange,
)

__all__ = [
    "AuditEntry",
    "CaseStore",
    "CaseStoreError",
    "ChangeView",
    "ClaimView",
    "ComplaintView",
    "CustomerView",
    "HandoffView",
    "InvalidInput",
    "InvalidTransition",
    "NotFound",
    "PolicyView",
    "StatusChange",
    "StorageError",
]
