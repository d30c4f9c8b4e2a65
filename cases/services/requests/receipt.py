"""Receipt of a request for an EHC needs assessment: the legal received date, from which the
statutory clock runs, and the request itself (one open request per child)."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from cases import messages as msg
from cases.codes import Channel
from cases.models import OPEN_REQUEST_STATUSES, AssessmentRequest, Child
from cases.services.children import age_on
from cases.services.common import (
    Errors,
    actor_user,
    add_error,
    check_not_future,
    fmt,
    lock,
    raise_if,
    working_calendar,
)
from cases.services.steps import case_step, save_new
from send_cms.accounts.actor import Actor
from send_cms.accounts.roles import Role
from send_cms.timescales import Channel as ReceiptChannel
from send_cms.timescales import legal_received_date

LONDON = ZoneInfo("Europe/London")
#: Who may set a received date other than the one the rules derive.
OVERRIDE_ROLES = frozenset({Role.MANAGER, Role.ADMIN})


def derive_received_on(
    *,
    received_at: dt.datetime,
    channel: str,
    signed_for_on: dt.date | None = None,
    cut_off: dt.time | None = None,
) -> dt.date:
    """The legal received date from the timestamp and channel (timescales.md section 1), with
    the council's cut-off time (`REQUEST_CUT_OFF`) unless another is given."""
    return legal_received_date(
        received_at=received_at,
        channel=ReceiptChannel(channel),
        calendar=working_calendar(),
        signed_for_on=signed_for_on,
        cut_off=cut_off or settings.REQUEST_CUT_OFF,
    )


def received_at_for_date(received_on: dt.date, channel: str) -> dt.datetime:
    """A receipt time for a known date: noon London time, or noon the day before for post."""
    day = received_on - dt.timedelta(days=1) if channel == Channel.POST else received_on
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=LONDON)


def _open_request(child: Child) -> AssessmentRequest | None:
    return (
        AssessmentRequest.objects.filter(child=child, status__in=OPEN_REQUEST_STATUSES)
        .order_by("-received_on")
        .first()
    )


@transaction.atomic
def assessment_request_create(
    *,
    actor: Actor | None,
    child: Child,
    received_at: dt.datetime,
    channel: str,
    source: str,
    requester_name: str = "",
    relevant_youth_accommodation: bool = False,
    signed_for_on: dt.date | None = None,
    received_on_override: dt.date | None = None,
    override_reason: str = "",
    is_reassessment: bool = False,
    arrival_time_known: bool = True,
) -> AssessmentRequest:
    """Record a request for an EHC needs assessment: the statutory clock starts here.

    The legal received date is derived from `received_at` and `channel` (and the signed-for
    date of a posted request) with the council's cut-off time, which is kept on the request so
    the reason shown beside the date stays true; a manager or administrator may override the
    date with a reason. `arrival_time_known=False` (a request known only by its date) counts
    from that date whatever the time, and keeps no cut-off.
    """
    lock(child)
    errors: Errors = {}
    if received_at.tzinfo is None:
        received_at = received_at.replace(tzinfo=LONDON)
    if received_at.astimezone(LONDON).date() > dt.datetime.now(tz=LONDON).date():
        add_error(errors, "received_at", msg.DATE_IN_FUTURE.format(label="The date received"))
    if signed_for_on is not None:
        if channel != Channel.POST:
            add_error(errors, "signed_for_on", msg.SIGNED_FOR_ONLY_BY_POST)
        elif signed_for_on < received_at.astimezone(LONDON).date():
            add_error(errors, "signed_for_on", msg.SIGNED_FOR_BEFORE_POSTING)
        check_not_future(errors, "signed_for_on", signed_for_on, "The signed-for date")
    if received_on_override is not None:
        roles: frozenset[str] = getattr(actor_user(actor), "roles", frozenset())
        if not roles & OVERRIDE_ROLES:
            add_error(errors, "received_on_override", msg.OVERRIDE_NEEDS_MANAGER)
        if not override_reason.strip():
            add_error(errors, "override_reason", msg.OVERRIDE_NEEDS_REASON)
        check_not_future(errors, "received_on_override", received_on_override, "The received date")
    raise_if(errors)

    cut_off: dt.time | None = settings.REQUEST_CUT_OFF if arrival_time_known else None
    derived = derive_received_on(
        received_at=received_at,
        channel=channel,
        signed_for_on=signed_for_on,
        cut_off=cut_off or dt.time.max,
    )
    received_on = received_on_override or derived
    if received_on < child.date_of_birth:
        add_error(errors, "child", msg.BORN_AFTER_REQUEST.format(dob=fmt(child.date_of_birth)))
    else:
        age = age_on(child.date_of_birth, received_on)
        if age > 25:
            add_error(
                errors,
                "child",
                msg.AGE_OUTSIDE_0_25.format(
                    name=child.full_name, age=age, received_on=fmt(received_on)
                ),
            )
    existing = _open_request(child)
    if existing is not None:
        add_error(
            errors,
            "child",
            msg.SECOND_OPEN_REQUEST.format(
                name=child.full_name, received_on=fmt(existing.received_on)
            ),
        )
    raise_if(errors)

    request = AssessmentRequest(
        child=child,
        received_at=received_at,
        channel=channel,
        signed_for_on=signed_for_on,
        received_on=received_on,
        received_cut_off=cut_off,
        received_on_override_reason=override_reason.strip() if received_on_override else "",
        source=source,
        requester_name=requester_name.strip(),
        relevant_youth_accommodation=relevant_youth_accommodation,
        is_reassessment=is_reassessment,
    )
    save_new(request)
    detail = f"Received by {Channel(channel).label.lower()}"
    if requester_name:
        detail += f" from {requester_name.strip()}"
    if received_on_override:
        detail += (
            f". Received date set to {fmt(received_on)} instead of {fmt(derived)}: "
            f"{override_reason.strip()}"
        )
    case_step(
        actor=actor,
        subject=request,
        action="assessment_request.created",
        title="Request for a reassessment received"
        if is_reassessment
        else "Request for an EHC needs assessment received",
        occurred_on=received_on,
        changes={
            "received_at": received_at.isoformat(),
            "channel": channel,
            "received_on": received_on,
            "derived_received_on": derived,
            "cut_off": cut_off,
            "override_reason": request.received_on_override_reason,
            "source": source,
        },
        from_status="",
        detail=detail,
    )
    return request


def assessment_request_create_on(
    *,
    actor: Actor | None,
    child: Child,
    received_on: dt.date,
    source: str,
    channel: str = Channel.EMAIL,
    **kwargs: Any,
) -> AssessmentRequest:
    """Record a request known only by its received date (the API, imports).

    The date must be one the rules would derive for that channel (a working day, or any day
    for post); otherwise the caller is told the date it counts from, or to give the time.
    """
    received_at = received_at_for_date(received_on, channel)
    if received_on <= dt.datetime.now(tz=LONDON).date():
        derived = derive_received_on(received_at=received_at, channel=channel, cut_off=dt.time.max)
        if derived != received_on:
            raise ValidationError(
                {
                    "received_on": [
                        msg.RECEIVED_ON_NOT_LEGAL.format(
                            channel_phrase=f"received by {Channel(channel).label.lower()}",
                            given=fmt(received_on),
                            legal=fmt(derived),
                        )
                    ]
                }
            )
    else:
        raise ValidationError(
            {"received_on": [msg.DATE_IN_FUTURE.format(label="The received date")]}
        )
    return assessment_request_create(
        actor=actor,
        child=child,
        received_at=received_at,
        channel=channel,
        source=source,
        arrival_time_known=False,
        **kwargs,
    )
