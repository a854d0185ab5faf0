"""Logging filters for the server log."""

from __future__ import annotations

import logging


class ClientErrorsInOneLine(logging.Filter):
    """Django logs every 4xx answer (PermissionDenied, Http404) with the exception attached, so the server log
    prints a full traceback for each ordinary refusal and the real failures drown in them.  A 4xx is the
    expected answer, not a bug: keep its one line ("Forbidden (Permission denied): /path") and drop the
    traceback.  5xx records pass untouched: their traceback is what someone needs to fix them."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
