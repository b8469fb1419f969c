"""Errors raised by the case store. Messages are safe to log; they never contain SQL."""


class CaseStoreError(Exception):
    """Base class for every error the case store raises on purpose."""


class InvalidInput(CaseStoreError, ValueError):
    """An argument has the wrong type, format or value."""


class NotFound(CaseStoreError, LookupError):
    """A record a write operation depends on does not exist."""


class InvalidTransition(CaseStoreError, ValueError):
    """A status change that the claim or complaint workflow does not allow."""


class StorageError(CaseStoreError):
    """The database could not be reached or refused the operation."""
