"""Logging filters for the console every line of the service goes to."""

import logging


class QuietForbidden(logging.Filter):
    """A 403 is someone without the role a page needs, not a fault in the service: one INFO
    line with the path, never a traceback (Django logs it as a WARNING with one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
            record.exc_info, record.exc_text = None, None
        return True
