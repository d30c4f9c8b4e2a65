"""The morning digest: one email per person per day, however often the task runs."""

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.core import mail
from django.db import connections

from cases.models import Child
from send_cms.accounts.models import User
from send_cms.accounts.roles import Role
from send_cms.audit.models import AuditEvent
from send_cms.deadlines.digests import send_digests
from send_cms.deadlines.messages import DIGEST_SUBJECT
from send_cms.deadlines.models import DigestSent
from send_cms.deadlines.services import recompute_for_children
from send_cms.deadlines.tasks import send_deadline_digests
from tests.deadlines.refusing_mail import refuse_mail_to
from tests.factories import AssessmentRequestFactory, ChildFactory

D = dt.date
MONDAY = D(2026, 1, 19)


def _person(make_user: Callable[..., User], username: str, email: str) -> User:
    user = make_user(username, Role.CASEWORKER)
    user.email = email
    user.save()
    return user


@pytest.fixture
def people(make_user: Callable[..., User]) -> dict[str, User]:
    """Four caseworkers, each with one open request, and their stored deadlines."""
    sam = _person(make_user, "sam", "sam@council.example")
    olu = _person(make_user, "olu", "olu@council.example")
    far = _person(make_user, "far", "far@council.example")
    silent = _person(make_user, "silent", "")
    # Sam: decision not to issue was due 29 Dec (overdue), final plan 26 Jan (due in 7 days).
    AssessmentRequestFactory.create(
        assessing=True, child=ChildFactory.create(caseworker=sam, reference="999-000101")
    )
    # Olu: received 8 Dec, the decision to assess is due today.
    AssessmentRequestFactory.create(
        received_on=D(2025, 12, 8),
        child=ChildFactory.create(caseworker=olu, reference="999-000102"),
    )
    # Far: received 5 Jan, nothing due for weeks.
    AssessmentRequestFactory.create(
        received_on=D(2026, 1, 5), child=ChildFactory.create(caseworker=far)
    )
    # Silent: has deadlines due, but no email address.
    AssessmentRequestFactory.create(
        received_on=D(2025, 12, 8), child=ChildFactory.create(caseworker=silent)
    )
    recompute_for_children(list(Child.objects.values_list("pk", flat=True)), today=MONDAY)
    return {"sam": sam, "olu": olu, "far": far, "silent": silent}


@pytest.mark.django_db
def test_the_task_twice_sends_one_email_per_person(
    people: dict[str, User], travel: Callable[[dt.date], None]
) -> None:
    travel(MONDAY)
    send_deadline_digests.delay()
    send_deadline_digests.delay()

    assert sorted(m.to[0] for m in mail.outbox) == ["olu@council.example", "sam@council.example"]
    assert DigestSent.objects.filter(sent_on=MONDAY).count() == 2
    assert AuditEvent.objects.filter(action="deadline_digest.sent").count() == 2


@pytest.mark.django_db
def test_the_email_lists_the_overdue_and_the_due_soon(people: dict[str, User]) -> None:
    assert send_digests(today=MONDAY) == 2

    email = next(m for m in mail.outbox if m.to == ["sam@council.example"])
    assert email.subject == DIGEST_SUBJECT.format(overdue=1, due_soon=1)
    assert email.subject == "Your statutory deadlines: 1 overdue, 1 due within 7 days"
    body = email.body
    assert (
        "OVERDUE (1)\n- Decision not to issue a plan due: Monday 29 Dec 2025, case 999-000101"
        in body
    )
    assert (
        "DUE WITHIN 7 DAYS (1)\n- Final EHC plan due: Monday 26 Jan 2026, case 999-000101" in body
    )
    assert "20 weeks from the request received on 8 Sep 2025, regulation 13(2)." in body
    html, kind = email.alternatives[0]  # type: ignore[attr-defined]
    assert kind == "text/html"
    assert "<strong>Final EHC plan due</strong>" in html
    assert "999-000101" in html

    olu = next(m for m in mail.outbox if m.to == ["olu@council.example"])
    assert olu.subject == "Your statutory deadlines: 0 overdue, 1 due within 7 days"
    assert "Decision whether to assess due: Monday 19 Jan 2026, case 999-000102" in olu.body


@pytest.mark.django_db
def test_the_next_working_day_sends_again(people: dict[str, User]) -> None:
    send_digests(today=MONDAY)
    send_digests(today=MONDAY + dt.timedelta(days=1))

    assert len(mail.outbox) == 4
    assert DigestSent.objects.count() == 4


@pytest.mark.django_db
def test_a_failed_send_leaves_no_claim_so_a_retry_sends(
    people: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> int:
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    assert send_digests(today=MONDAY) == 0  # logged, and the run goes on
    assert DigestSent.objects.count() == 0

    monkeypatch.undo()
    assert send_digests(today=MONDAY) == 2


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_once(people: dict[str, User]) -> None:
    barrier = threading.Barrier(2)
    sent: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            sent.append(send_digests(today=MONDAY))
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(sent) in ([0, 2], [1, 1])
    assert sorted(m.to[0] for m in mail.outbox) == ["olu@council.example", "sam@council.example"]


@pytest.mark.django_db
def test_one_refused_email_does_not_end_the_run_and_is_sent_next_run(
    people: dict[str, User],
    settings: object,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    refuse_mail_to(settings, monkeypatch, "sam@council.example")

    assert send_digests(today=MONDAY) == 1  # Olu's is sent, after or before Sam's failure
    assert f"The digest of user {people['sam'].pk} not sent" in caplog.text
    assert [m.to for m in mail.outbox] == [["olu@council.example"]]
    assert list(DigestSent.objects.values_list("user__username", flat=True)) == ["olu"]
    assert AuditEvent.objects.filter(action="deadline_digest.sent").count() == 1

    refuse_mail_to(settings, monkeypatch)  # the next run: the server accepts Sam's again
    assert send_digests(today=MONDAY) == 1
    assert [m.to for m in mail.outbox] == [["olu@council.example"], ["sam@council.example"]]
    assert DigestSent.objects.count() == 2
