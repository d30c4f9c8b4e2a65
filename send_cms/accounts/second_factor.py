"""Showing an authenticator app's secret: a QR code drawn inline as SVG, and the same secret as
text for apps (and people) that cannot scan."""

import re
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

QR_LABEL = "QR code to scan with your authenticator app"


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, as authenticator apps ask for it."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """Inline SVG (no image request, no inline style) of the device's otpauth:// address."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    opening = format_html(
        '<svg class="app-qr-code" width="200" height="200" role="img" aria-label="{}"',
        QR_LABEL,
    )
    svg = re.sub(r'^<svg width="[^"]*" height="[^"]*"', str(opening), svg, count=1)
    return mark_safe(svg)  # noqa: S308 - drawn by qrcode from our own device's address
