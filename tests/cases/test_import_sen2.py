"""Importing SEN2 returns of 2023 to 2026 as history: what each file's persons become, matching and
merging (a second import changes nothing), a bad person left out with the line, a malformed
file refused whole, a dry run, placeholders for settings not on the register, the round trip
through the export, the command's exit codes, the administrators' upload page and the audit."""

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from lxml import etree

from cases.models import (
    AssessmentRequest,
    Child,
    Establishment,
    NamedSetting,
    Placement,
    Plan,
    PlanVersion,
    RequestStatus,
    TimelineEntry,
)
from cases.sen2_import import MalformedFile, Sen2ImportReport, sen2_import
from cases.sen2_import import messages as msg
from cases.sen2_import.writer import PLACEHOLDER_NAME
from reporting.sen2.export import HeaderDetails, write_return
from reviews.models import AnnualReview, ReviewStatus
from send_cms.accounts.models import User
from send_cms.audit.models import AuditEvent
from send_cms.deadlines.models import Deadline
from tests.factories import ChildFactory, EstablishmentFactory, PlanFactory
from tribunals.selectors import sen2_flags_for_requests

FILES = Path(__file__).parent / "sen2_files"
D = dt.date
pytestmark = pytest.mark.django_db
#: Every casework table an import writes, for "nothing changed" (the audit trail is apart).
TABLES: tuple[type[models.Model], ...] = (
    Child,
    AssessmentRequest,
    Plan,
    PlanVersion,
    NamedSetting,
    Placement,
    Establishment,
    AnnualReview,
    TimelineEntry,
    Deadline,
)


@pytest.fixture(autouse=True)
def _after_every_census_day(today: dt.date) -> None:
    """Today is Mon 2 Mar 2026 (tests/conftest.py's `today`): after every file's census day."""


def run(source: str | bytes, *, dry_run: bool = False, actor: Any = None) -> Sen2ImportReport:
    """Import a fixture file by name ("sen2_2025.xml") or a file's bytes."""
    if isinstance(source, bytes):
        return sen2_import(
            actor=actor, source=io.BytesIO(source), file_name="upload.xml", dry_run=dry_run
        )
    return sen2_import(actor=actor, source=FILES / source, file_name=source, dry_run=dry_run)


def tallies(report: Sen2ImportReport) -> dict[str, tuple[int, int, int]]:
    return {n: (t.created, t.matched, t.updated) for n, t in report.tallies.items()}


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every casework table, every column (timestamps too)."""
    return {m.__name__: list(m._default_manager.order_by("pk").values()) for m in TABLES}


def child(surname: str) -> Child:
    return Child.objects.get(last_name=surname)


def request_of(surname: str) -> AssessmentRequest:
    return AssessmentRequest.objects.get(child__last_name=surname)


def plan_of(surname: str) -> Plan:
    return Plan.objects.get(child__last_name=surname)


# --- what each year's file becomes ---------------------------------------------------------------
def test_a_2025_file_becomes_the_casework_it_describes() -> None:
    report = run("sen2_2025.xml")

    assert (report.year, report.confirmed_layout, report.rejected) == (2025, True, 0)
    assert tallies(report) == {
        "persons": (10, 0, 0),
        "requests": (9, 0, 0),
        "plans": (4, 0, 0),
        "plan versions": (5, 0, 0),
        "named settings": (5, 0, 0),
        "placements": (4, 0, 0),
        "annual reviews": (1, 0, 0),
    }
    ada = request_of("Okoro")
    assert (ada.received_on, ada.source, ada.decided_on, ada.final_issued_on) == (
        D(2024, 2, 5),
        "parent_or_young_person",
        D(2024, 3, 15),
        D(2024, 6, 20),
    )
    assert ada.status == RequestStatus.FINAL_ISSUED
    # The draft and the decision to issue are not in the file: 15 days before the final plan,
    # marked as inferred so a file that gives them replaces them.
    assert (ada.issue_decided_on, ada.draft_issued_on) == (D(2024, 6, 5), D(2024, 6, 5))
    assert ada.sen2_history == {"inferred": ["draft_issued_on", "issue_decided_on"]}
    plan = plan_of("Okoro")
    assert (plan.issued_on, plan.primary_need, plan.secondary_need) == (
        D(2024, 6, 20),
        "ASD",
        "SLCN",
    )
    assert plan.request == ada
    placement = Placement.objects.select_related("establishment").get(plan=plan)
    assert placement.establishment is not None
    assert (placement.establishment.urn, placement.starts_on, placement.rank) == (
        "100001",
        D(2024, 9, 2),
        1,
    )

    # A plan transferred in from LA 201, with no request of ours; its latest review.
    ravi = plan_of("Singh")
    assert ravi.request is None
    assert (ravi.issued_on, ravi.transferred_in_from_la, ravi.sen2_history) == (
        D(2019, 9, 1),
        "201",
        {"inferred": ["issued_on"]},
    )
    assert (ravi.personal_budget, ravi.organised_arrangements, ravi.direct_payments) == (
        True,
        "1",
        "E",
    )
    reviewed, following = AnnualReview.objects.filter(plan=ravi).order_by("sequence")
    assert (reviewed.meeting_on, reviewed.decision, reviewed.decision_issued_on) == (
        D(2024, 5, 10),
        "maintain",
        D(2024, 5, 24),
    )
    assert reviewed.status == ReviewStatus.MAINTAINED
    # The decision opens the next cycle, as it does for a review recorded here.
    assert (following.cycle_start_on, following.due_on, following.meeting_on) == (
        D(2024, 5, 24),
        D(2025, 5, 23),
        None,
    )

    # A plan of 2016 ceased in 2024, with its historical request.
    lily = plan_of("Brown")
    assert (lily.status, lily.ceased_on, lily.cease_reason, lily.issued_on) == (
        "ceased",
        D(2024, 7, 31),
        1,
        D(2016, 8, 1),
    )
    assert request_of("Brown").received_on == D(2016, 3, 1)

    # Other ends, the flags and identifiers.
    assert request_of("Khan").status == RequestStatus.NOT_ASSESSING
    assert sen2_flags_for_requests([request_of("Khan").pk])[request_of("Khan").pk] == {
        "RequestMediation": 1,
        "RequestTribunal": 1,
        "AssessmentMediation": 0,
        "AssessmentTribunal": 0,
        "OtherMediation": 0,
        "OtherTribunal": 0,
    }
    assert (child("Evans").uln, child("Evans").upn, request_of("Evans").status) == (
        "1234567899",
        "",
        RequestStatus.RECEIVED,
    )
    jan = request_of("Nowak")
    assert (jan.status, jan.withdrawn_on, jan.relevant_youth_accommodation) == (
        RequestStatus.WITHDRAWN,
        D(2024, 12, 31),
        True,
    )
    assert jan.sen2_history == {"inferred": ["withdrawn_on"]}
    sami = request_of("Ali")
    assert (sami.status, sami.transferred_to_la, sami.source) == ("transferred_out", "202", "other")
    assert (request_of("Jones").status, request_of("Taylor").status) == ("not_issuing", "issuing")
    isha = request_of("Patel")
    assert isha.sen2_history["flags"] == {"OtherTribunal": 1, "Week20": 1}
    versions = PlanVersion.objects.filter(plan__request=isha).order_by("number")
    assert [(v.number, v.kind, v.issued_on) for v in versions] == [
        (1, "final", D(2024, 4, 15)),
        (2, "amended", D(2024, 11, 1)),
    ]
    assert sorted(
        Placement.objects.filter(plan__request=isha).values_list("starts_on", "ends_on")
    ) == [(D(2024, 4, 22), D(2024, 7, 19)), (D(2024, 9, 3), None)]


def test_a_2026_file_with_its_own_order_and_codes() -> None:
    report = run("sen2_2026.xml")

    assert report.rejected == 0
    assert report.tallies["persons"].created == 5
    assert plan_of("Adeyemi").primary_need == "DS"
    # LastReview is the last item of ActivePlans in 2026: read by name, not position.
    review = AnnualReview.objects.filter(plan=plan_of("Murphy")).order_by("sequence").first()
    assert review is not None
    assert (review.decision, review.decision_issued_on, review.amendments_issued_on) == (
        "amend",
        D(2025, 6, 30),
        D(2025, 7, 7),
    )
    assert review.status == ReviewStatus.AMENDMENTS_SENT
    neet = Placement.objects.get(plan=plan_of("Murphy"))
    assert (neet.sen_setting, neet.establishment) == ("NEET", None)
    assert plan_of("Murphy").residential == "B"
    grace = plan_of("Wilson")
    assert (grace.status, grace.ceased_on, grace.cease_reason, grace.work_based) == (
        "ceased",
        D(2025, 11, 28),
        7,
        "S",
    )
    assert sorted(
        AssessmentRequest.objects.filter(child__last_name="Hughes").values_list(
            "received_on", "status"
        )
    ) == [(D(2025, 2, 3), "not_assessing"), (D(2025, 10, 6), "received")]
    oscar = request_of("Green")
    assert (oscar.status, oscar.withdrawn_on, child("Green").upn) == (
        "withdrawn",
        D(2025, 12, 31),
        "G80120000101A",
    )


def test_a_2023_file_is_read_leniently_and_its_history_kept() -> None:
    report = run("sen2_2023.xml")

    assert (report.year, report.confirmed_layout, report.rejected) == (2023, False, 0)
    # A request received on a Saturday and a plan from 2012 are history, not errors.
    assert request_of("Clarke").received_on == D(2022, 3, 5)
    assert plan_of("Evans").issued_on == D(2012, 9, 3)
    # 2023 gives the review decision without its meeting: the meeting is taken as that day.
    review = AnnualReview.objects.filter(plan=plan_of("Evans")).order_by("sequence").first()
    assert review is not None
    assert (review.meeting_on, review.decision_issued_on) == (D(2022, 6, 10), D(2022, 6, 10))
    # ...nor its outcome: the plan was not issued again after it, so it was maintained.
    assert (review.decision, review.status) == ("maintain", ReviewStatus.MAINTAINED)
    assert plan_of("Ahmed").ceased_on == D(2022, 8, 31)


def test_a_2024_file_carries_on_the_cases_of_2023_and_accepts_later_items() -> None:
    run("sen2_2023.xml")
    report = run("sen2_2024.xml")

    assert (report.year, report.confirmed_layout, report.rejected) == (2024, False, 0)
    assert tallies(report)["persons"] == (1, 0, 1)  # Amy is new; Ben is carried on
    assert tallies(report)["placements"] == (2, 0, 1)  # his first one ended; a new one
    ben = plan_of("Clarke")
    assert sorted(Placement.objects.filter(plan=ben).values_list("starts_on", "ends_on")) == [
        (D(2022, 9, 5), D(2023, 7, 21)),
        (D(2023, 9, 4), None),
    ]
    review = AnnualReview.objects.filter(plan=ben, meeting_on__isnull=False).get()
    assert (review.decision, review.decision_issued_on) == ("amend", D(2023, 7, 3))
    # RequestSource and DS are 2025 items: a 2024 file read leniently may hold them.
    assert request_of("Fraser").source == "health"
    assert plan_of("Fraser").primary_need == "DS"


def test_a_confirmed_year_holds_only_its_own_items_and_codes() -> None:
    text = (FILES / "sen2_2025.xml").read_text()
    text = text.replace("<SENtype>PD</SENtype>", "<SENtype>NSA</SENtype>", 1)
    text = text.replace("<RYA>1</RYA>", "<RYA>1</RYA>\n        <Colour>Blue</Colour>", 1)
    report = run(text.encode())

    assert report.rejected == 2
    assert report.tallies["persons"].created == 8
    reasons = {r.person: r.reasons for r in report.rejections}
    nsa = text.splitlines().index("            <SENtype>NSA</SENtype>") + 1
    assert reasons["Patel, Isha"] == (
        f"line {nsa}: SENtype must be one of SPLD, MLD, SLD, PMLD, SEMH, SLCN, HI, VI, MSI, PD, "
        "ASD, DS, OTH, not 'NSA'",
    )
    colour = text.splitlines().index("        <Colour>Blue</Colour>") + 1
    assert reasons["Nowak, Jan"] == (
        f"line {colour}: <Colour> is not an item of Requests in SEN2 2025",
    )


AMENDED = """    <Person>
      <Surname>Amended</Surname>
      <Forename>Alex</Forename>
      <PersonBirthDate>2011-02-02</PersonBirthDate>
      <Sex>M</Sex>
      <Ethnicity>WBRI</Ethnicity>
      <UPNunknown>UN5</UPNunknown>
      <Requests>
        <RequestOutcome>H</RequestOutcome>
        <Assessment>
          <AssessmentOutcome>H</AssessmentOutcome>
          <NamedPlan>
            <StartDate>2024-10-01</StartDate>
            <PlanDetail>
              <SENsetting>OLA</SENsetting>
              <PlacementRank>1</PlacementRank>
            </PlanDetail>
            <PB>0</PB>
          </NamedPlan>
        </Assessment>
        <ActivePlans>
          <PlacementDetail>
            <SENsetting>OLA</SENsetting>
            <PlacementRank>1</PlacementRank>
            <EntryDate>2021-09-01</EntryDate>
          </PlacementDetail>
          <SENneed>
            <SENtype>HI</SENtype>
            <SENtypeRank>1</SENtypeRank>
          </SENneed>
          <ReviewMeeting>2024-06-03</ReviewMeeting>
          <LastReview>2024-06-17</LastReview>
          <ReviewOutcome>A</ReviewOutcome>
        </ActivePlans>
      </Requests>
    </Person>
"""


def test_a_plan_amended_after_its_review_is_the_final_amended_plan() -> None:
    """StartDate after the decision to amend: the amended plan was issued, so the review is
    complete; the first issue is before the year reported (inferred) and StartDate a version."""
    report = run(return_of(AMENDED).encode())

    assert report.rejected == 0
    plan = plan_of("Amended")
    assert (plan.issued_on, plan.sen2_history) == (D(2023, 12, 31), {"inferred": ["issued_on"]})
    assert list(plan.versions.order_by("number").values_list("kind", "issued_on")) == [
        ("final", D(2023, 12, 31)),
        ("amended", D(2024, 10, 1)),
    ]
    review, following = AnnualReview.objects.filter(plan=plan).order_by("sequence")
    assert (review.status, review.amendments_issued_on, review.final_amended_issued_on) == (
        ReviewStatus.AMENDED,
        D(2024, 6, 17),
        D(2024, 10, 1),
    )
    assert following.cycle_start_on == D(2024, 6, 17)


# --- a bad person, a malformed file ---------------------------------------------------------------
PERSON = """    <Person>
      <Surname>{surname}</Surname>
      <Forename>Kit</Forename>
      <PersonBirthDate>{born}</PersonBirthDate>
      <Sex>M</Sex>
      <Ethnicity>WBRI</Ethnicity>
      <UPNunknown>UN5</UPNunknown>
      <Requests>
        <RequestOutcome>H</RequestOutcome>
        <Assessment>
          <AssessmentOutcome>H</AssessmentOutcome>
          <NamedPlan>
            <StartDate>2020-09-01</StartDate>
            <PlanDetail>
              <SENsetting>OLA</SENsetting>
              <PlacementRank>1</PlacementRank>
            </PlanDetail>
            <PB>0</PB>
            <CeaseDate>{ceased}</CeaseDate>
            <CeaseReason>2</CeaseReason>
          </NamedPlan>
        </Assessment>
      </Requests>
    </Person>
"""


def return_of(*persons: str, year: int = 2025, lea: str = "999") -> str:
    header = (FILES / f"sen2_{year}.xml").read_text().split("<Persons>")[0]
    return header.replace("<LEA>999</LEA>", f"<LEA>{lea}</LEA>") + (
        "<Persons>\n" + "".join(persons) + "  </Persons>\n</Message>\n"
    )


def person(surname: str, born: str = "2010-01-01", ceased: str = "2024-06-30") -> str:
    return PERSON.format(surname=surname, born=born, ceased=ceased)


def test_a_bad_person_is_left_out_with_the_line_and_the_others_imported() -> None:
    text = return_of(
        person("Good"),
        person("Backwards", ceased="2019-12-31"),  # ceased before the plan was issued
        person("Unborn", born="2010-13-01"),
        person("Fine"),
    )
    lines = text.splitlines()
    report = run(text.encode())

    assert report.rejected == 2
    assert tallies(report)["persons"] == (2, 0, 0)
    assert sorted(Child.objects.values_list("last_name", flat=True)) == ["Fine", "Good"]
    assert not Plan.objects.filter(child__last_name="Backwards").exists()  # nothing of theirs
    backwards, unborn = report.rejections
    plan_line = [i for i, t in enumerate(lines, 1) if t.strip() == "<NamedPlan>"][1]
    assert str(backwards) == (
        f"Person at line {backwards.line} (Backwards, Kit): line {plan_line}: "
        f"{msg.CONSTRAINT_REASONS['plan_ceased_after_issue']}"
    )
    assert lines[backwards.line - 1].strip() == "<Person>"
    born_line = lines.index("      <PersonBirthDate>2010-13-01</PersonBirthDate>") + 1
    assert unborn.reasons == (
        f"line {born_line}: PersonBirthDate must be a date (YYYY-MM-DD), not '2010-13-01'",
    )


def test_the_same_person_twice_in_a_file_is_left_out_the_second_time() -> None:
    report = run(return_of(person("Twin"), person("Twin")).encode())

    assert report.tallies["persons"].created == 1
    (second,) = report.rejections
    first_line = report.rejections[0].line - PERSON.count("\n")
    assert second.reasons == (
        f"line {second.line}: {msg.DUPLICATE_PERSON.format(line=first_line)}",
    )


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (b"", "The file is not well-formed XML"),
        (b"<Return><Persons/></Return>", msg.NOT_SEN2.format(tag="Return")),
        (b"<Message><Persons><Person/></Persons></Message>", msg.NO_HEADER),
        (
            return_of(person("Old")).replace("<Year>2025</Year>", "<Year>2019</Year>").encode(),
            msg.UNKNOWN_YEAR.format(years="2023 to 2026", year="2019"),
        ),
        (
            return_of(person("Away"), lea="201").encode(),
            msg.OTHER_LA.format(lea="201", ours="999"),
        ),
    ],
    ids=["empty", "not-sen2", "no-header", "unknown-year", "another-council"],
)
def test_a_file_that_is_not_a_sen2_return_is_refused_whole(text: bytes, error: str) -> None:
    with pytest.raises(MalformedFile, match=error.replace("(", r"\(").replace(")", r"\)")):
        run(text)
    assert not Child.objects.exists()


def test_a_file_broken_half_way_writes_nothing() -> None:
    """The persons before the break were read and written: the whole import is rolled back."""
    text = (FILES / "sen2_2025.xml").read_text()
    broken = text[: text.index("<Surname>Patel</Surname>")] + "<Surname>Pat"
    before = snapshot()
    with pytest.raises(MalformedFile, match="not well-formed XML"):
        run(broken.encode())
    assert snapshot() == before
    assert not AuditEvent.objects.exists()


# --- matching, merging, a second import, a dry run -----------------------------------------------
def test_a_second_import_of_the_same_file_changes_nothing() -> None:
    run("sen2_2025.xml")
    before = snapshot()
    audit_rows = AuditEvent.objects.count()

    report = run("sen2_2025.xml")

    assert snapshot() == before
    assert tallies(report) == {
        "persons": (0, 10, 0),
        "requests": (0, 9, 0),
        "plans": (0, 4, 0),
        "plan versions": (0, 5, 0),
        "named settings": (0, 5, 0),
        "placements": (0, 4, 0),
        "annual reviews": (0, 1, 0),
    }
    # Only the import itself is audited: no person's records changed.
    assert AuditEvent.objects.count() == audit_rows + 1
    assert AuditEvent.objects.filter(action="sen2.imported").count() == 2


def test_a_dry_run_reports_what_would_be_done_and_writes_nothing() -> None:
    before = snapshot()
    dry = run("sen2_2025.xml", dry_run=True)

    assert snapshot() == before
    assert not AuditEvent.objects.exists()
    assert dry.dry_run
    assert tallies(dry) == tallies(run("sen2_2025.xml"))
    assert dry.placeholders == [
        "URN 100001 (line 51)",
        "UKPRN 10012345 (line 104)",
        "URN 100002 (line 135)",
        "URN 100003 (line 293)",
    ]


def test_persons_are_matched_by_upn_else_by_name_and_date_of_birth() -> None:
    by_upn: Child = ChildFactory.create(
        upn="C999000000001", upn_unknown="", first_name="Adaeze", last_name="Okoro-Ellis"
    )
    by_name: Child = ChildFactory.create(
        first_name=" tom ", last_name="EVANS", date_of_birth=D(2008, 9, 30), postcode=""
    )
    # Same name and birthday but another UPN: another child.
    ChildFactory(
        first_name="Zara",
        last_name="Khan",
        date_of_birth=D(2018, 7, 9),
        upn="Z999000000099",
        upn_unknown="",
    )
    report = run("sen2_2025.xml")

    assert tallies(report)["persons"] == (8, 0, 2)
    by_upn.refresh_from_db()
    by_name.refresh_from_db()
    # What we hold is kept; what we lacked is filled in from the file.
    assert (by_upn.first_name, by_upn.last_name, by_upn.postcode) == (
        "Adaeze",
        "Okoro-Ellis",
        "AB1 2CD",
    )
    assert (by_name.uln, by_name.postcode, by_name.requests.count()) == ("1234567899", "AB7 8JK", 1)
    assert Child.objects.filter(last_name="Khan").count() == 2


def test_two_children_with_the_persons_name_and_birthday_are_not_guessed_between() -> None:
    for _ in range(2):
        ChildFactory(first_name="Tom", last_name="Evans", date_of_birth=D(2008, 9, 30))
    report = run("sen2_2025.xml")

    (rejection,) = report.rejections
    assert rejection.person == "Evans, Tom"
    assert "2 children already recorded have this name and date of birth" in rejection.reasons[0]


def test_a_live_case_is_carried_on_by_the_file_without_losing_what_we_hold() -> None:
    """A plan we hold is matched through its request; our dates stand, the file adds a need."""
    existing: Plan = PlanFactory.create(
        child__upn="C999000000001",
        child__upn_unknown="",
        request__received_on=D(2024, 2, 5),
        primary_need="",
    )
    report = run("sen2_2025.xml")

    assert tallies(report)["plans"] == (3, 0, 1)
    existing.refresh_from_db()
    assert existing.issued_on == D(2026, 1, 12)  # ours, not the file's 20 June 2024
    assert (existing.primary_need, existing.secondary_need) == ("ASD", "SLCN")


# --- settings not on the register ----------------------------------------------------------------
def test_settings_not_on_the_register_are_added_as_placeholders_once() -> None:
    registered: Establishment = EstablishmentFactory.create(urn="100002", name="Hill Top School")
    report = run("sen2_2025.xml")

    assert report.placeholders == [
        "URN 100001 (line 51)",
        "UKPRN 10012345 (line 104)",
        "URN 100003 (line 293)",
    ]
    placeholder = Establishment.objects.get(ukprn="10012345")
    assert placeholder.name == PLACEHOLDER_NAME.format(reference="UKPRN 10012345")
    assert NamedSetting.objects.get(plan=plan_of("Brown")).establishment == registered
    assert run("sen2_2025.xml").placeholders == []
    assert Establishment.objects.count() == 4


# --- the round trip ------------------------------------------------------------------------------
def _canonical(element: Any) -> Any:
    """An element as nested sorted tuples: the same content in any order compares equal."""
    if len(element) == 0:
        return (element.tag, (element.text or "").strip())
    return (element.tag, tuple(sorted(_canonical(child) for child in element)))


def persons_of(xml: bytes) -> list[Any]:
    parser = etree.XMLParser(remove_comments=True)
    return sorted(_canonical(p) for p in etree.fromstring(xml, parser).iterfind("Persons/Person"))


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_export_of_an_imported_file_gives_back_its_persons(year: int) -> None:
    """Persons, requests (with their flags and Week20), plans, settings, placements, needs and
    reviews: the file that went in comes out, order aside."""
    source = (FILES / f"sen2_{year}.xml").read_bytes()
    run(f"sen2_{year}.xml")
    out = io.BytesIO()
    write_return(out, year=year, header=HeaderDetails(serial_no=1, dmo="Y", dco="Y", dsco="Y"))

    assert persons_of(out.getvalue()) == persons_of(source)


# --- deadlines and audit --------------------------------------------------------------------------
def test_the_imported_childrens_deadlines_are_stored() -> None:
    run("sen2_2025.xml")

    tom = Deadline.objects.get(child_id=child("Evans").pk, rule="decision_to_assess")
    assert (tom.trigger_on, tom.met_on) == (D(2024, 12, 2), None)
    ravi = Deadline.objects.get(child_id=child("Singh").pk, rule="annual_review", met_on=None)
    assert ravi.trigger_on == D(2024, 5, 24)
    assert Deadline.objects.values("child_id").distinct().count() == 10


def test_each_imported_person_and_the_import_are_audited(admin_user: User) -> None:
    report = run("sen2_2025.xml", actor=admin_user)

    persons = AuditEvent.objects.filter(action="child.sen2_imported")
    assert persons.count() == 10
    ada = persons.get(child_id=child("Okoro").pk)
    assert (ada.actor, ada.object_type, ada.object_id) == (
        admin_user,
        "cases.child",
        str(child("Okoro").pk),
    )
    assert ada.changes == {
        "file": "sen2_2025.xml",
        "year": 2025,
        "line": 25,
        "created": {
            "requests": 1,
            "plans": 1,
            "plan versions": 1,
            "named settings": 1,
            "placements": 1,
        },
        "updated": {},
    }
    the_import = AuditEvent.objects.get(action="sen2.imported")
    assert the_import.actor == admin_user
    assert the_import.changes["persons"] == {"created": 10, "matched": 0, "updated": 0}
    assert the_import.changes["rejected"] == report.rejected == 0
    entry = TimelineEntry.objects.get(child=child("Okoro"))
    assert (entry.title, entry.detail, entry.occurred_on) == (
        "Records imported from a SEN2 2025 file",
        "sen2_2025.xml, line 25",
        D(2026, 3, 2),
    )


def test_a_person_the_file_updates_is_audited_as_updated(admin_user: User) -> None:
    run("sen2_2023.xml")
    run("sen2_2024.xml", actor=admin_user)

    ben = AuditEvent.objects.get(action="child.sen2_updated")
    assert ben.child_id == child("Clarke").pk
    assert ben.changes["created"] == {"placements": 1}
    assert ben.changes["updated"] == {"placements": 1}


# --- the command ---------------------------------------------------------------------------------
@pytest.fixture
def capsys(capsys: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """manage.py's own exit path, minus its closing the test's database connection."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)
    return capsys


def command(capsys: Any, *argv: str) -> tuple[int, str, str]:
    """Run `manage.py import_sen2 ...` as a shell does: (exit code, stdout, stderr)."""
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["manage.py", "import_sen2", *argv])
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_command_exits_0_when_every_person_was_imported(capsys: Any) -> None:
    code, out, _ = command(capsys, str(FILES / "sen2_2025.xml"))

    assert code == 0
    assert "Imported sen2_2025.xml.\nSEN2 2025; 10 persons read." in out
    assert "  persons                10        0        0\n" in out
    assert "  UKPRN 10012345 (line 104)\n" in out
    assert out.endswith("Every person was imported.\n")
    assert Child.objects.count() == 10


def test_the_command_exits_1_when_a_person_was_left_out(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "sen2.xml"
    text = return_of(person("Good"), person("Unborn", born="2010-13-01"))
    path.write_text(text)
    lines = text.splitlines()
    at = [n for n, line in enumerate(lines, 1) if line.strip() == "<Person>"][1]
    born = lines.index("      <PersonBirthDate>2010-13-01</PersonBirthDate>") + 1
    code, out, err = command(capsys, str(path), "--dry-run")

    assert code == 1
    assert "Dry run of sen2.xml: nothing was saved." in out
    assert f"  Person at line {at} (Unborn, Kit): line {born}: PersonBirthDate must be a" in out
    assert "1 person could not be imported" in err
    assert not Child.objects.exists()


def test_the_command_exits_2_for_a_malformed_file(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "sen2.xml"
    path.write_text("<Message><Header>")
    code, out, err = command(capsys, str(path))

    assert (code, out) == (2, "")
    assert "sen2.xml: The file is not well-formed XML" in err
    assert "Nothing was imported." in err
    assert command(capsys, str(tmp_path / "missing.xml"))[0] == 2


# --- the upload page -----------------------------------------------------------------------------
URL = "/cases/import/sen2/"


def upload(client: Client, content: bytes, **fields: str) -> Any:
    return client.post(
        URL, {"file": SimpleUploadedFile("sen2_2025.xml", content, "text/xml"), **fields}
    )


def test_administrators_upload_a_file_and_see_the_report(admin_client_: Client) -> None:
    page = admin_client_.get(URL)
    assert page.status_code == 200
    assert 'class="govuk-file-upload"' in page.content.decode()

    response = upload(admin_client_, (FILES / "sen2_2025.xml").read_bytes())

    html = response.content.decode()
    assert response.status_code == 200
    assert "sen2_2025.xml was imported: every person in it." in html
    assert "SEN2 2025: 10 persons read" in html
    assert "<li>UKPRN 10012345 (line 104)</li>" in html
    assert Child.objects.count() == 10
    assert AuditEvent.objects.get(action="sen2.imported").actor_name == "Alex Morgan"


def test_the_page_lists_the_persons_left_out(admin_client_: Client) -> None:
    content = return_of(person("Good"), person("Unborn", born="2010-13-01")).encode()
    html = upload(admin_client_, content, dry_run="on").content.decode()

    assert "sen2_2025.xml was checked: nothing was saved." in html
    assert "Unborn, Kit" in html
    assert "PersonBirthDate must be a date (YYYY-MM-DD), not &#x27;2010-13-01&#x27;" in html
    assert not Child.objects.exists()


def test_the_page_says_what_is_wrong_with_a_file_it_cannot_import(admin_client_: Client) -> None:
    html = admin_client_.post(URL, {}).content.decode()
    assert "There is a problem" in html
    assert '<a href="#id_file">Select a SEN2 file</a>' in html

    html = upload(admin_client_, b"<Return/>").content.decode()
    assert "The selected file cannot be imported: The file is not a SEN2 return" in html
    assert not Child.objects.exists()


def test_only_administrators_may_import(
    caseworker_client: Client, manager_client: Client, panel_member_client: Client
) -> None:
    content = (FILES / "sen2_2025.xml").read_bytes()
    for client in (caseworker_client, manager_client, panel_member_client):
        assert client.get(URL).status_code == 403
        assert upload(client, content).status_code == 403
    assert not Child.objects.exists()
