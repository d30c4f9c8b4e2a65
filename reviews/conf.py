"""The reviews app's settings, with their defaults: override any of them in Django settings."""

from django.conf import settings

#: How often to check on a plan of a child under 5 (the Code of Practice says 3 to 6 months).
DEFAULT_UNDER_5_MONTHS = 6
#: How long before a review is due the caseworker is reminded.
DEFAULT_REMINDER_WEEKS = 4


def under_5_months() -> int:
    return int(getattr(settings, "REVIEW_UNDER_5_MONTHS", DEFAULT_UNDER_5_MONTHS))


def reminder_weeks() -> int:
    return int(getattr(settings, "REVIEW_REMINDER_WEEKS", DEFAULT_REMINDER_WEEKS))
