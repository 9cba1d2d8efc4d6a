"""Logging filters: a refused request is one line in the log, not a traceback."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from rest_framework.exceptions import NotAuthenticated
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied

# Refusals are the platform working as designed (and are in the audit log when they concern
# an organisation's data); a traceback per refusal buries real errors and fills the disk.
REFUSALS = (PermissionDenied, ApiPermissionDenied, NotAuthenticated)


class RefusalWithoutTraceback(logging.Filter):
    """Keep the record of a 401 or 403, drop the traceback Django attaches to it."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc_info = record.exc_info
        if exc_info and exc_info[0] is not None and issubclass(exc_info[0], REFUSALS):
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
