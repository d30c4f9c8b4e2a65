"""Predicted 20-week breaches: the council's pace, each open request's predicted final plan, the
list a caseworker or manager sees, next month's forecast, downloads and the audit row.

Today is Wed 15 Apr 2026. Five requests completed in the 12 months give the medians 30 days
(decision), 60 (advice), 20 (decision to issue), 7 (draft) and 20 (final); three of them at the
medians, one faster and one slower, so a mean would give other figures. The open requests'
completed steps took exactly the medians, so they leave the medians where they are.
"""

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import AssessmentRequest, RequestStatus
from reporting.forecast import Prediction, Step, predict
from reporting.selectors.at_risk import council_pace, open_requests, progress_of
from send_cms.accounts.models import User
from send_cms.accounts.roles import Role
from send_cms.audit.models import AuditEvent
from tests.factories import AdviceRequestFactory, AssessmentRequestFactory, ChildFactory

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 4, 15)
URL = "/reporting/at-risk/"


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 4, 15, 10, tzinfo=dt.UTC), tick=False):
        yield


def completed(decision: int, advice: int, issue: int, draft: int, final: int) -> None:
    """A request received 1 May 2025 whose steps took these days, final plan issued by today."""
    received = D(2025, 5, 1)
    decided = received + days(decision)
    advice_in = decided + days(advice)
    issue_decided = advice_in + days(issue)
    draft_issued = issue_decided + days(draft)
    request = AssessmentRequestFactory(
        final_issued=True,
        received_on=received,
        decided_on=decided,
        decision_letter_sent_on=decided,
        issue_decided_on=issue_decided,
        draft_issued_on=draft_issued,
        final_issued_on=draft_issued + days(final),
    )
    AdviceRequestFactory(
        request=request, kind="health", requested_on=decided, received_on=advice_in
    )


def history() -> None:
    for _ in range(3):
        completed(30, 60, 20, 7, 20)
    completed(10, 40, 5, 3, 15)
    completed(90, 100, 50, 30, 60)


def open_request(caseworker: User | None, received: dt.date, **fields: Any) -> AssessmentRequest:
    child = ChildFactory(caseworker=caseworker)
    return AssessmentRequestFactory.create(child=child, received_on=received, **fields)


def assessing(caseworker: User | None, received: dt.date, **fields: Any) -> AssessmentRequest:
    """Decided to assess 30 days after receipt (the median)."""
    decided = received + days(30)
    return open_request(
        caseworker,
        received,
        assessing=True,
        decided_on=decided,
        decision_letter_sent_on=decided,
        **fields,
    )


@pytest.fixture
def sam(make_user: Callable[..., User]) -> User:
    return make_user("sam", Role.CASEWORKER, first_name="Sam", last_name="Okafor", team="North")


@pytest.fixture
def priya(make_user: Callable[..., User]) -> User:
    return make_user("priya", Role.CASEWORKER, first_name="Priya", last_name="Shah", team="North")


@pytest.fixture
def cases(sam: User, priya: User) -> dict[str, AssessmentRequest]:
    """The history, and five open requests at different steps."""
    history()
    # Received 5 Jan 2026, no decision after 100 days (due 16 Feb): Priya's.
    waiting = open_request(priya, D(2026, 1, 5))
    # Received 20 Oct 2025, decided 19 Nov; health advice asked 20 Nov, due 1 Jan, still awaited.
    overdue = assessing(sam, D(2025, 10, 20))
    AdviceRequestFactory(request=overdue, kind="health", requested_on=D(2025, 11, 20))
    # Received 1 Dec 2025, decided 31 Dec; health advice asked 2 Jan, in 1 Mar (16 days late),
    # no decision to issue by the 16 weeks (23 Mar).
    no_issue = assessing(sam, D(2025, 12, 1))
    AdviceRequestFactory(
        request=no_issue, kind="health", requested_on=D(2026, 1, 2), received_on=D(2026, 3, 1)
    )
    # Received 18 Dec 2025, every step at the median: draft issued 14 Apr 2026.
    draft = assessing(
        sam,
        D(2025, 12, 18),
        status=RequestStatus.DRAFT_ISSUED,
        issue_decision="issue",
        issue_decided_on=D(2026, 4, 7),
        draft_issued_on=D(2026, 4, 14),
    )
    AdviceRequestFactory(
        request=draft, kind="psychological", requested_on=D(2026, 1, 18), received_on=D(2026, 3, 18)
    )
    # Received 1 Apr 2026: nothing done yet, nothing late.
    new = open_request(sam, D(2026, 4, 1))
    return {
        "waiting": waiting,
        "overdue": overdue,
        "no_issue": no_issue,
        "draft": draft,
        "new": new,
    }


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)  # sign-in itself (lockout, second factor) is tested in platform
    return client


def table_rows(response: Any) -> list[str]:
    """The references listed in the at-risk table, in order."""
    html = response.content.decode()
    table = html[html.index('id="at-risk"') :]
    table = table[: table.index("</table>")]
    return [row.split("</a>")[0].rsplit(">", 1)[1] for row in table.split('href="/cases/')[1:]]


# --- the pace and the predictions ---------------------------------------------------------------
def test_the_pace_is_each_steps_median_over_the_12_months(
    cases: dict[str, AssessmentRequest],
) -> None:
    pace = council_pace(today=TODAY)

    assert (pace.start, pace.end) == (D(2025, 4, 16), TODAY)
    assert [(s.step, s.median_days) for s in pace.steps] == [
        (Step.DECISION, 30),
        (Step.ADVICE, 60),
        (Step.ISSUE_DECISION, 20),
        (Step.DRAFT, 7),
        (Step.FINAL, 20),
    ]
    # The history's five, plus the open requests' steps completed in the 12 months.
    assert [s.cases for s in pace.steps] == [8, 7, 6, 6, 5]


def test_a_step_completed_before_the_12_months_is_not_counted() -> None:
    completed(30, 60, 20, 7, 20)  # received 1 May 2025: every step in the window
    AssessmentRequestFactory(
        assessing=True, received_on=D(2025, 3, 1), decided_on=D(2025, 4, 15)
    )  # decided the day before the window opens

    pace = council_pace(today=TODAY)

    assert pace.steps[0].cases == 1


def test_with_no_completed_case_a_step_takes_its_statutory_share() -> None:
    pace = council_pace(today=TODAY)

    assert [(s.median_days, s.cases, s.days) for s in pace.steps] == [
        (None, 0, 42),
        (None, 0, 42),
        (None, 0, 28),
        (None, 0, 13),
        (None, 0, 15),
    ]


def predictions(scope: Any = None) -> dict[str, Prediction]:
    pace = council_pace(today=TODAY)
    return {
        r.child.reference: predict(progress=progress_of(r), pace=pace, today=TODAY)
        for r in open_requests(today=TODAY, scope=scope)
    }


def test_predicted_final_dates_and_days_over(cases: dict[str, AssessmentRequest]) -> None:
    found = predictions()

    def of(name: str) -> tuple[dt.date, dt.date, int]:
        p = found[cases[name].child.reference]
        return p.final_on, p.due_on, p.days_over

    # No decision yet and past its median: today + 60 + 20 + 7 + 20 days.
    assert of("waiting") == (D(2026, 7, 31), D(2026, 5, 25), 67)
    # Advice still awaited long after its median: today + 20 + 7 + 20.
    assert of("overdue") == (D(2026, 6, 1), D(2026, 3, 9), 84)
    # Advice in 1 Mar; the decision to issue is past its median: today + 7 + 20.
    assert of("no_issue") == (D(2026, 5, 12), D(2026, 4, 20), 22)
    # Draft 14 Apr: its median runs to 4 May, after today.
    assert of("draft") == (D(2026, 5, 4), D(2026, 5, 7), -3)
    # Received 1 Apr: 30 + 60 + 20 + 7 + 20 days = 137, three days inside 20 weeks.
    assert of("new") == (D(2026, 8, 16), D(2026, 8, 19), -3)


def test_the_final_plan_is_never_predicted_within_the_familys_15_days() -> None:
    # Every final plan in the history came 15 days after its draft: the median is the minimum.
    completed(30, 60, 20, 7, 15)
    request = assessing(
        None,
        D(2026, 1, 1),
        status=RequestStatus.DRAFT_ISSUED,
        issue_decision="issue",
        issue_decided_on=D(2026, 4, 10),
        draft_issued_on=D(2026, 4, 14),
    )

    prediction = predict(progress=progress_of(request), pace=council_pace(today=TODAY), today=TODAY)

    assert prediction.final_on == D(2026, 4, 29)


def test_late_steps_name_what_to_chase(cases: dict[str, AssessmentRequest]) -> None:
    found = predictions()

    def late(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        prediction = found[cases[name].child.reference]
        return prediction.late, prediction.ran_late

    assert late("waiting") == (("Decision to assess not made",), ())
    assert late("overdue") == (("Advice from health overdue", "Final plan not issued"), ())
    assert late("no_issue") == (
        ("Decision to issue not made", "Draft plan not issued"),
        ("Advice from health was 16 days late",),
    )
    assert late("draft") == ((), ("Advice from educational psychology was 17 days late",))
    assert late("new") == ((), ())
    assert found[cases["draft"].child.reference].next_step == "Final plan"
    assert found[cases["new"].child.reference].next_step == "Decision to assess"


# --- the page ------------------------------------------------------------------------------------
def test_a_manager_sees_every_request_predicted_late_most_days_over_first(
    cases: dict[str, AssessmentRequest], manager_client: Client
) -> None:
    response = manager_client.get(reverse("reporting:at-risk"))

    assert response.status_code == 200
    assert table_rows(response) == [
        cases["overdue"].child.reference,
        cases["waiting"].child.reference,
        cases["no_issue"].child.reference,
    ]
    html = response.content.decode()
    assert "3 assessments predicted to miss 20 weeks" in html
    assert cases["new"].child.reference not in html  # on track: not listed
    assert cases["draft"].child.reference not in html
    assert "Advice from health overdue" in html
    assert "Ran late: Advice from health was 16 days late" in html
    assert "Priya Shah" in html
    assert f'href="/cases/{cases["overdue"].child.pk}/"' in html


def test_the_list_sorts_by_days_over_fewest_first_on_request(
    cases: dict[str, AssessmentRequest], manager_client: Client
) -> None:
    response = manager_client.get(URL, {"sort": "days_over"})

    assert table_rows(response) == [
        cases["no_issue"].child.reference,
        cases["waiting"].child.reference,
        cases["overdue"].child.reference,
    ]
    assert 'aria-sort="ascending"' in response.content.decode()


def test_an_unknown_sort_falls_back_to_most_days_over_first(
    cases: dict[str, AssessmentRequest], manager_client: Client
) -> None:
    response = manager_client.get(URL, {"sort": "name; drop table"})

    assert response.status_code == 200
    assert table_rows(response)[0] == cases["overdue"].child.reference


def test_a_caseworker_sees_their_own_children_and_their_teams_on_request(
    cases: dict[str, AssessmentRequest], sam: User
) -> None:
    client = client_for(sam)

    own = client.get(URL)
    team = client.get(URL, {"scope": "team"})

    assert table_rows(own) == [cases["overdue"].child.reference, cases["no_issue"].child.reference]
    assert cases["waiting"].child.reference not in own.content.decode()
    assert "Show your team's caseload" in own.content.decode()
    assert table_rows(team) == [
        cases["overdue"].child.reference,
        cases["waiting"].child.reference,
        cases["no_issue"].child.reference,
    ]
    assert "North team" in team.content.decode()


def test_panel_members_are_refused_and_visitors_sent_to_sign_in(
    panel_member_client: Client,
) -> None:
    assert panel_member_client.get(URL).status_code == 403
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_next_months_forecast_with_its_assumptions(
    cases: dict[str, AssessmentRequest], manager_client: Client
) -> None:
    html = manager_client.get(URL).content.decode()

    # In May 2026: the draft (4 May, within 20 weeks) and no_issue (12 May, 22 days over).
    assert "Forecast for May 2026: 2 plans expected, 50.0% within 20 weeks" in html
    assert "16 Apr 2025 to 15 Apr 2026" in html
    pace = html[html.index('id="pace"') :]
    assert "Request received to decision to assess" in pace
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">8</td>' in pace


def test_a_month_with_no_plan_expected_says_so(manager_client: Client) -> None:
    html = manager_client.get(URL).content.decode()

    assert "Forecast for May 2026: no plans expected" in html
    assert "No open assessment is predicted to miss 20 weeks." in html


def test_reading_the_list_is_audited_with_its_row_count(
    cases: dict[str, AssessmentRequest], sam: User
) -> None:
    client_for(sam).get(URL)

    event = AuditEvent.objects.get(action="report.at_risk.view")
    assert event.actor == sam
    assert event.changes == {"rows": 2, "scope": "My caseload", "output": "page"}


def test_the_csv_download_is_the_list(
    cases: dict[str, AssessmentRequest], manager_client: Client
) -> None:
    response = manager_client.get(URL, {"download": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "at-risk-20-weeks-2026-04-15.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    overdue = cases["overdue"]
    assert rows[0] == [
        "Reference",
        "Name",
        "Caseworker",
        "Received",
        "20-week date",
        "Predicted final plan",
        "Days over",
        "Late step",
        "Ran late",
        "Next step",
    ]
    assert rows[1] == [
        overdue.child.reference,
        overdue.child.full_name,
        "Sam Okafor",
        "2025-10-20",
        "2026-03-09",
        "2026-06-01",
        "84",
        "Advice from health overdue; Final plan not issued",
        "",
        "Advice from health",
    ]
    assert rows[3][7:] == [
        "Decision to issue not made; Draft plan not issued",
        "Advice from health was 16 days late",
        "Decision to issue",
    ]
    assert len(rows) == 4
    event = AuditEvent.objects.get(action="report.at_risk.view")
    assert event.changes["output"] == "csv"


def test_the_excel_download_has_the_list_and_the_assumptions(
    cases: dict[str, AssessmentRequest], manager_client: Client
) -> None:
    from openpyxl import load_workbook

    response = manager_client.get(URL, {"download": "xlsx"})

    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["At risk of missing 20 weeks", "Assumptions"]
    listed = list(book["At risk of missing 20 weeks"].iter_rows(values_only=True))
    assert len(listed) == 4
    assert listed[1][6] == 84
    pace = list(book["Assumptions"].iter_rows(values_only=True))
    assert pace[1] == ("Request received to decision to assess", 30, 8, 30)


def test_the_query_count_does_not_grow_with_the_open_requests(
    manager_client: Client, manager: User
) -> None:
    history()

    def queries(open_count: int) -> int:
        for i in range(open_count):
            request = assessing(manager, D(2025, 11, 1) + days(i))
            AdviceRequestFactory(request=request, kind="health", requested_on=D(2025, 12, 5))
        with CaptureQueriesContext(connection) as captured:
            assert manager_client.get(URL).status_code == 200
        return len(captured)

    assert queries(1) == queries(20)
