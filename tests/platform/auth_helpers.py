"""Helpers for the sign-in tests: an authenticator app with a known key, and its codes."""

import datetime as dt
from typing import Any

from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from send_cms.accounts.models import User
from tests.conftest import PASSWORD

# RFC 6238's test key ("12345678901234567890"), hex-encoded as django-otp stores it.
KNOWN_KEY = "3132333435363738393031323334353637383930"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def authenticator(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Phone", key=KNOWN_KEY, confirmed=True)


def code_now(device: TOTPDevice | None = None, key: str = KNOWN_KEY) -> str:
    """The code the app shows at this moment (time.time(), so time-machine's time)."""
    import time

    totp = TOTP(bytes.fromhex(device.key if device else key), step=30, t0=0, digits=6)
    totp.time = time.time()
    return f"{totp.token():06d}"


def sign_in(client: Client, username: str, password: str = PASSWORD, next: str = "") -> Any:
    data = {"username": username, "password": password}
    if next:
        data["next"] = next
    return client.post("/sign-in/", data)
