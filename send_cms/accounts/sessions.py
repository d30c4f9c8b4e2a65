"""What a signed-in session remembers about its own sign-in, for the timeouts and second factor.

Set when Django signs someone in (our sign-in page, single sign-on, a test's force_login), so
the per-request checks read the session they already have and add no query.
"""

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest
from django_otp import user_has_device

SIGNED_IN_AT = "signed_in_at"
LAST_ACTIVITY = "last_activity"
HAS_SECOND_FACTOR = "has_second_factor"
# The idle clock is written at most this often: a request a minute is plenty for a 30-minute
# timeout, and most requests then save no session.
ACTIVITY_RESOLUTION = 60


def start_session_clock(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_ACTIVITY] = now
    request.session[HAS_SECOND_FACTOR] = user_has_device(user)


def connect() -> None:
    user_logged_in.connect(start_session_clock, dispatch_uid="accounts.start_session_clock")
