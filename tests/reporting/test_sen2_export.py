"""The SEN2 return: who is in the file, every outcome code as at the census day, the 2025 and
2026 layouts (checked against the shared schemas), the command, the managers' page and its
audited downloads."""

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from lxml import etree

from cases.models import NamedSetting, Plan, PlanVersion, RequestStatus
from reporting.sen2.export import HeaderDetails, write_return
from send_cms.sen2 import EXPORT_YEARS, LAYOUTS, layout_for
from tests.factories import (
    AssessmentRequestFactory,
    ChildFactory,
    EstablishmentFactory,
    PlacementFactory,
    PlanFactory,
    TimescaleExceptionFactory,
)
from tests.reviews.factories import AnnualReviewFactory
from tests.tribunals.factories import register_appeal

D = dt.date
SCHEMAS = Path(settings.BASE_DIR).parent / "shared" / "sen2"
needs_schemas = pytest.mark.skipif(
    not SCHEMAS.is_dir(), reason="the shared folder (shared/sen2) is not beside the repo"
)
HEADER = HeaderDetails(serial_no=1, dmo="Y", dco="N", dsco="R")


# --- the layout table ---------------------------------------------------------------------------
def test_2026_moves_last_review_to_the_end_of_active_plans() -> None:
    assert layout_for(2025).order("ActivePlans")[3:5] == ("ReviewMeeting", "LastReview")
    assert layout_for(2026).order("ActivePlans")[-1] == "LastReview"


def test_items_voluntary_in_2025_are_mandatory_in_2026() -> None:
    for module, tag in (
        ("Requests", "RequestSource"),
        ("Source", "DSCO"),
        ("ActivePlans", "ReviewDraft"),
    ):
        assert not layout_for(2025).item(module, tag).mandatory
        assert layout_for(2026).item(module, tag).mandatory


def test_residential_bands_change_meaning_in_2026() -> None:
    assert layout_for(2025).item("NamedPlan", "PlanRes").meaning("A") == "38 to 51 weeks"
    assert layout_for(2026).item("PlacementDetail", "Res").meaning("A") == "Up to 38 weeks"


def test_only_the_years_checked_against_a_schema_are_exported() -> None:
    assert EXPORT_YEARS == (2025, 2026)
    assert not LAYOUTS[2023].confirmed
    assert "DS" not in layout_for(2024).item("SENneed", "SENtype").code_values


def test_values_cross_the_file_boundary_both_ways() -> None:
    urn = layout_for(2026).item("PlanDetail", "URN")
    assert urn.to_text("123456") == "123456"
    assert urn.to_text("12345") is None  # the file cannot hold it: left out
    week20 = layout_for(2026).item("Assessment", "Week20")
    assert (week20.to_text(True), week20.from_text("0")) == ("1", False)
    with pytest.raises(ValueError, match="must be one of"):
        layout_for(2026).item("Requests", "RequestOutcome").from_text("X")


@needs_schemas
@pytest.mark.parametrize("year", [2025, 2026])
def test_the_layout_follows_the_schema_order_and_code_lists(year: int) -> None:
    """Every module's items in the schema's order, with its code lists and patterns; the two
    differences are on purpose (one Source; NEET/NIEC/NIEO are placement-only, rule N04)."""
    xs = "{http://www.w3.org/2001/XMLSchema}"
    schema = etree.parse(str(SCHEMAS / f"sen2_schema_{year}.xsd"))
    complex_types = {c.get("name"): c for c in schema.iterfind(f"{xs}complexType")}
    simple_types = {s.get("name"): s for s in schema.iterfind(f"{xs}simpleType")}
    layout = layout_for(year)
    differences = []

    def compare(module: str, type_name: str) -> None:
        elements = complex_types[type_name].findall(f"{xs}sequence/{xs}element")
        assert tuple(e.get("name") for e in elements) == layout.order(module), module
        for e in elements:
            item = layout.item(module, str(e.get("name")))
            if e.get("type") in complex_types:
                compare(item.tag, str(e.get("type")))
                continue
            simple = simple_types.get(e.get("type"))
            if simple is None:
                simple = e.find(f"{xs}simpleType")
            if simple is None:
                continue
            codes = {str(x.get("value")) for x in simple.iterfind(f".//{xs}enumeration")}
            if codes and codes != item.code_values:
                differences.append((module, item.tag, sorted(codes - item.code_values)))
            for pattern in simple.iterfind(f".//{xs}pattern"):
                assert str(pattern.get("value")).strip("()") == item.pattern, item.tag

    compare("Message", "messagetype")
    assert differences == [("PlanDetail", "SENsetting", ["NEET", "NIEC", "NIEO"])]


# --- a council at every stage -------------------------------------------------------------------
def _request(reference: str, **fields: Any) -> Any:
    child = ChildFactory(reference=reference)
    return AssessmentRequestFactory(child=child, **fields)


def _issued(reference: str, received: dt.date, days: int, **child: Any) -> Any:
    """A plan issued `days` after the request was received."""
    request = AssessmentRequestFactory(
        child=ChildFactory(reference=reference, **child),
        status=RequestStatus.FINAL_ISSUED,
        received_on=received,
        decision="assess",
        decided_on=received + dt.timedelta(days=38),
        issue_decision="issue",
        issue_decided_on=received + dt.timedelta(days=90),
        draft_issued_on=received + dt.timedelta(days=95),
        final_issued_on=received + dt.timedelta(days=days),
    )
    return PlanFactory(child=request.child, request=request)


@pytest.fixture
def council(caseworker: Any) -> dict[str, Any]:
    """One child per stage; the comments give what the 2026 return (census 15 Jan 2026, year
    of activity from 1 Jan 2025) must say."""
    made: dict[str, Any] = {}
    # A: received in December, undecided on census day.
    _request("SEN2-A-UNDECIDED", received_on=D(2025, 12, 1), source="school")
    # N with its date; appealed to the tribunal.
    refused = _request(
        "SEN2-B-REFUSED",
        status=RequestStatus.NOT_ASSESSING,
        received_on=D(2025, 3, 3),
        decision="not_assess",
        decided_on=D(2025, 4, 14),
    )
    register_appeal(
        caseworker,
        child=refused.child,
        request=refused,
        decision_notice_on=D(2025, 4, 14),
        received_by_la_on=D(2025, 6, 2),
    )
    # W: withdrawn before the decision.
    _request(
        "SEN2-C-WITHDRAWN", withdrawn=True, received_on=D(2025, 5, 1), withdrawn_on=D(2025, 5, 20)
    )
    # Y, then assessment A.
    _request("SEN2-D-ASSESSING", assessing=True)
    # Y, then assessment Y without a date (no final plan yet).
    _request("SEN2-E-ISSUING", issuing=True)
    # Y, then assessment N with its date.
    _request("SEN2-F-NOT-ISSUING", not_issuing=True)
    # Moved away during the assessment: Exported, nothing below it.
    _request("SEN2-G-EXPORTED", transferred_out=True)
    # Transferred in with a plan from LA 202: H, TransferLA.
    transferred = PlanFactory(
        child=ChildFactory(reference="SEN2-H-MOVED-IN", upn="H801200001001", upn_unknown=""),
        request=None,
        issued_on=D(2024, 6, 3),
        transferred_in_from_la="202",
    )
    PlacementFactory(plan=transferred, starts_on=D(2024, 6, 10))
    # Ceased in the year: H, with CeaseDate and CeaseReason, no ActivePlans.
    ceased = _issued("SEN2-I-CEASED", D(2022, 9, 1), 150)
    Plan.objects.filter(pk=ceased.pk).update(
        status="ceased", ceased_on=D(2025, 7, 31), cease_reason=1
    )
    # Phase transfer to secondary in September 2026, amended in December 2025; the review.
    phase = _issued("SEN2-J-PHASE", D(2021, 10, 1), 150)
    PlanVersion.objects.create(plan=phase, number=2, kind="amended", issued_on=D(2025, 12, 10))
    AnnualReviewFactory(plan=phase, meeting_on=D(2024, 6, 11), decision_issued_on=D(2024, 6, 21))
    AnnualReviewFactory(
        plan=phase,
        sequence=2,
        meeting_on=D(2025, 6, 10),
        decision="amend",
        status="amendments_sent",
        decision_issued_on=D(2025, 6, 20),
        amendments_issued_on=D(2025, 6, 25),
        phase_transfer=True,
        phase_transfer_kind="school",
        phase_transfer_on=D(2026, 9, 1),
    )
    # Two placements in the year (one left in July) and a dual placement named in section I.
    two = _issued("SEN2-K-PLACEMENTS", D(2023, 1, 9), 140, uln="1234567890", upn_unknown="")
    school: Any = EstablishmentFactory(urn="100123")
    PlacementFactory(plan=two, establishment=school, rank=1, starts_on=D(2023, 9, 1), sen_unit=True)
    PlacementFactory(
        plan=two,
        establishment=None,
        sen_setting="OLA",
        rank=2,
        starts_on=D(2025, 1, 6),
        ends_on=D(2025, 7, 20),
    )
    PlacementFactory(
        plan=two, establishment=school, rank=2, starts_on=D(2023, 1, 1), ends_on=D(2023, 8, 31)
    )
    NamedSetting.objects.create(plan=two, establishment=school, rank=1, sen_unit=True)
    NamedSetting.objects.create(plan=two, sen_setting="OLA", rank=2)
    # Two needs.
    needs = _issued("SEN2-L-TWO-NEEDS", D(2023, 5, 2), 140)
    Plan.objects.filter(pk=needs.pk).update(primary_need="ASD", secondary_need="SLCN")
    # Week20: 140 and 141 days, with and without a permitted exception.
    made["140"] = _issued("SEN2-M-140-DAYS", D(2025, 3, 3), 140)
    made["141-exception"] = _issued("SEN2-N-141-EXCUSED", D(2025, 3, 3), 141)
    TimescaleExceptionFactory(request=made["141-exception"].request, starts_on=D(2025, 5, 1))
    made["141"] = _issued("SEN2-O-141-DAYS", D(2025, 3, 3), 141)
    # Outside the 2026 return: refused in 2023, ceased in June 2024.
    _request(
        "SEN2-P-OLD-REFUSAL",
        status=RequestStatus.NOT_ASSESSING,
        received_on=D(2023, 2, 1),
        decision="not_assess",
        decided_on=D(2023, 3, 1),
    )
    old = _issued("SEN2-Q-CEASED-2024", D(2021, 1, 4), 140)
    Plan.objects.filter(pk=old.pk).update(status="ceased", ceased_on=D(2024, 6, 30), cease_reason=3)
    # Ceased between 1 January and the census day: in next year's return, not this one.
    january = _issued("SEN2-S-CEASED-JAN", D(2023, 6, 5), 140)
    Plan.objects.filter(pk=january.pk).update(
        status="ceased", ceased_on=D(2026, 1, 5), cease_reason=2
    )
    # Decided five days after the census day: still A in the 2026 return.
    _request(
        "SEN2-R-AFTER-CENSUS",
        assessing=True,
        received_on=D(2025, 11, 3),
        decided_on=D(2026, 1, 20),
    )
    return made


def export(year: int, **kwargs: Any) -> tuple[bytes, Any]:
    out = io.BytesIO()
    counts = write_return(out, year=year, header=HEADER, **kwargs)
    return out.getvalue(), counts


def persons(xml: bytes) -> dict[str, Any]:
    """Person elements by reference letter: the tests name children SEN2-<letter>-..."""
    root = etree.fromstring(xml)
    return {str(p.findtext("Forename")): p for p in root.iterfind("Persons/Person")}


def person(xml: bytes, reference: str) -> Any:
    from cases.models import Child

    child = Child.objects.get(reference=reference)
    found = persons(xml).get(child.first_name)
    assert found is not None, f"{reference} is not in the file"
    return found


def texts(element: Any, path: str) -> list[str]:
    return [e.text for e in element.iterfind(path)]


# --- what the 2026 file says ------------------------------------------------------------------
@pytest.mark.django_db
def test_the_header_names_the_collection_the_council_and_its_officers(council: Any) -> None:
    xml, _ = export(2026)
    header = etree.fromstring(xml).find("Header")
    assert header is not None
    assert header.findtext("CollectionDetails/Collection") == "SEN2"
    assert header.findtext("CollectionDetails/Year") == "2026"
    assert header.findtext("CollectionDetails/ReferenceDate") == "2026-01-15"
    source = header.find("Source")
    assert source is not None
    assert [source.findtext(t) for t in ("SourceLevel", "LEA", "SerialNo")] == ["L", "999", "001"]
    assert [source.findtext(t) for t in ("DMO", "DCO", "DSCO")] == ["Y", "N", "R"]


@pytest.mark.django_db
def test_each_request_outcome_as_at_the_census_day(council: Any) -> None:
    xml, _ = export(2026)
    outcomes = {
        "SEN2-A-UNDECIDED": ("A", None),
        "SEN2-B-REFUSED": ("N", "2025-04-14"),
        "SEN2-C-WITHDRAWN": ("W", None),
        "SEN2-D-ASSESSING": ("Y", "2025-10-13"),
        "SEN2-G-EXPORTED": ("A", None),
        "SEN2-H-MOVED-IN": ("H", None),
        "SEN2-I-CEASED": ("H", None),
        "SEN2-R-AFTER-CENSUS": ("A", None),
    }
    for reference, (outcome, date) in outcomes.items():
        requests = person(xml, reference).find("Requests")
        assert requests.findtext("RequestOutcome") == outcome, reference
        assert requests.findtext("RequestOutcomeDate") == date, reference


@pytest.mark.django_db
def test_each_assessment_outcome_and_its_date(council: Any) -> None:
    xml, _ = export(2026)
    outcomes = {
        "SEN2-D-ASSESSING": ("A", None),
        "SEN2-E-ISSUING": ("Y", None),
        "SEN2-F-NOT-ISSUING": ("N", "2025-12-01"),
        "SEN2-M-140-DAYS": ("Y", "2025-07-21"),
        "SEN2-H-MOVED-IN": ("H", None),
    }
    for reference, (outcome, date) in outcomes.items():
        assessment = person(xml, reference).find("Requests/Assessment")
        assert assessment.findtext("AssessmentOutcome") == outcome, reference
        assert assessment.findtext("AssessmentOutcomeDate") == date, reference
    assert person(xml, "SEN2-E-ISSUING").find("Requests/Assessment/NamedPlan") is None
    for reference in ("SEN2-A-UNDECIDED", "SEN2-B-REFUSED", "SEN2-C-WITHDRAWN"):
        assert person(xml, reference).find("Requests/Assessment") is None, reference


@pytest.mark.django_db
def test_week20_says_whether_an_exception_applied_not_whether_the_plan_was_late(
    council: Any,
) -> None:
    xml, _ = export(2026)
    week20 = {
        ref: person(xml, ref).findtext("Requests/Assessment/Week20")
        for ref in ("SEN2-M-140-DAYS", "SEN2-O-141-DAYS", "SEN2-N-141-EXCUSED")
    }
    assert week20 == {
        "SEN2-M-140-DAYS": "0",
        "SEN2-O-141-DAYS": "0",
        "SEN2-N-141-EXCUSED": "1",
    }
    received = person(xml, "SEN2-O-141-DAYS").findtext("Requests/ReceivedDate")
    issued = person(xml, "SEN2-O-141-DAYS").findtext("Requests/Assessment/AssessmentOutcomeDate")
    assert (D.fromisoformat(issued) - D.fromisoformat(received)).days == 141
    # No Week20 where no plan was issued.
    assert person(xml, "SEN2-E-ISSUING").find("Requests/Assessment/Week20") is None


@pytest.mark.django_db
def test_transfers_in_and_out(council: Any) -> None:
    xml, _ = export(2026)
    moved_in = person(xml, "SEN2-H-MOVED-IN")
    assert moved_in.findtext("UPN") == "H801200001001"
    assert moved_in.findtext("Requests/ActivePlans/TransferLA") == "202"
    assert moved_in.findtext("Requests/Assessment/NamedPlan/StartDate") == "2024-06-03"
    moved_out = person(xml, "SEN2-G-EXPORTED").find("Requests")
    assert moved_out.findtext("Exported") == "201"
    assert [child.tag for child in moved_out][-1] == "Exported"


@pytest.mark.django_db
def test_the_refusal_carries_its_tribunal_flag(council: Any) -> None:
    xml, _ = export(2026)
    requests = person(xml, "SEN2-B-REFUSED").find("Requests")
    assert (requests.findtext("RequestMediation"), requests.findtext("RequestTribunal")) == (
        "0",
        "1",
    )
    assert person(xml, "SEN2-A-UNDECIDED").find("Requests/RequestTribunal") is None


@pytest.mark.django_db
def test_a_ceased_plan_has_its_date_and_reason_and_no_active_plan(council: Any) -> None:
    xml, _ = export(2026)
    requests = person(xml, "SEN2-I-CEASED").find("Requests")
    assert requests.findtext("Assessment/AssessmentOutcome") == "H"
    assert requests.findtext("Assessment/NamedPlan/CeaseDate") == "2025-07-31"
    assert requests.findtext("Assessment/NamedPlan/CeaseReason") == "1"
    assert requests.find("ActivePlans") is None


@pytest.mark.django_db
def test_placements_in_the_year_needs_and_the_settings_named(council: Any) -> None:
    xml, _ = export(2026)
    two = person(xml, "SEN2-K-PLACEMENTS")
    assert two.findtext("UniqueLearnerNumber") == "1234567890"
    placements = two.findall("Requests/ActivePlans/PlacementDetail")
    assert [
        (p.findtext("URN"), p.findtext("SENsetting"), p.findtext("PlacementRank"))
        for p in placements
    ] == [
        ("100123", None, "1"),
        (None, "OLA", "2"),
    ]
    assert placements[0].findtext("SENunitIndicator") == "1"
    assert placements[1].findtext("LeavingDate") == "2025-07-20"
    assert placements[0].find("LeavingDate") is None
    named = two.findall("Requests/Assessment/NamedPlan/PlanDetail")
    assert [(d.findtext("URN"), d.findtext("SENsetting")) for d in named] == [
        ("100123", None),
        (None, "OLA"),
    ]
    needs = person(xml, "SEN2-L-TWO-NEEDS").findall("Requests/ActivePlans/SENneed")
    assert [(n.findtext("SENtype"), n.findtext("SENtypeRank")) for n in needs] == [
        ("ASD", "1"),
        ("SLCN", "2"),
    ]


@pytest.mark.django_db
def test_the_review_and_the_phase_transfer(council: Any) -> None:
    xml, _ = export(2026)
    active = person(xml, "SEN2-J-PHASE").find("Requests/ActivePlans")
    assert {e.tag: e.text for e in active if e.text and e.text.strip()} == {
        "ReviewMeeting": "2025-06-10",
        "ReviewOutcome": "A",
        "ReviewDraft": "2025-06-25",
        "PhaseTransferDueDate": "2026-02-15",
        "PhaseTransferFinalDate": "2025-12-10",
        "LastReview": "2025-06-20",
    }
    assert [e.tag for e in active][-1] == "LastReview"
    assert (
        person(xml, "SEN2-J-PHASE").findtext("Requests/Assessment/NamedPlan/StartDate")
        == "2025-12-10"
    )


@pytest.mark.django_db
def test_who_is_in_the_2026_file(council: Any) -> None:
    xml, counts = export(2026)
    found = {p.findtext("Surname") for p in etree.fromstring(xml).iterfind("Persons/Person")}
    from cases.models import Child

    expected = {
        c.last_name
        for c in Child.objects.exclude(
            reference__in=["SEN2-P-OLD-REFUSAL", "SEN2-Q-CEASED-2024", "SEN2-S-CEASED-JAN"]
        )
    }
    assert found == expected
    # 16 people, one request each (the refusal's appeal made no second one), 8 plans.
    assert (counts.persons, counts.requests, counts.plans) == (16, 16, 8)


@pytest.mark.django_db
def test_the_2025_file_is_as_at_its_own_census_day(council: Any) -> None:
    xml, _counts = export(2025)
    people = persons(xml)
    from cases.models import Child

    names = {c.reference: c.first_name for c in Child.objects.all()}
    assert names["SEN2-Q-CEASED-2024"] in people  # ceased in 2024
    assert names["SEN2-A-UNDECIDED"] not in people  # received after the 2025 census
    assert people[names["SEN2-S-CEASED-JAN"]].find("Requests/ActivePlans") is not None
    ceased_2024 = people[names["SEN2-Q-CEASED-2024"]]
    assert ceased_2024.findtext("Requests/Assessment/NamedPlan/CeaseReason") == "3"
    still_active = people[names["SEN2-I-CEASED"]]
    assert still_active.find("Requests/ActivePlans") is not None
    assert still_active.find("Requests/Assessment/NamedPlan/CeaseDate") is None
    phase = people[names["SEN2-J-PHASE"]].find("Requests/ActivePlans")
    # The 2024 review (the 2025 one was held after this census), LastReview after the meeting.
    assert [
        (e.tag, e.text) for e in phase if e.tag in ("ReviewMeeting", "LastReview", "ReviewOutcome")
    ] == [
        ("ReviewMeeting", "2024-06-11"),
        ("LastReview", "2024-06-21"),
        ("ReviewOutcome", "M"),
    ]
    assert phase.findtext("PhaseTransferDueDate") == "2026-02-15"
    assert phase.find("PhaseTransferFinalDate") is None  # amended after this census


@needs_schemas
@pytest.mark.django_db
@pytest.mark.parametrize("year", [2025, 2026])
def test_the_file_is_valid_against_its_year_schema(council: Any, year: int) -> None:
    xml, counts = export(year, chunk_size=3)
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / f"sen2_schema_{year}.xsd")))
    document = etree.fromstring(xml)
    assert schema.validate(document), str(schema.error_log)
    assert counts.persons == len(document.findall("Persons/Person")) > 5


@needs_schemas
@pytest.mark.django_db
def test_an_empty_council_still_gives_a_valid_file() -> None:
    xml, counts = export(2026)
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "sen2_schema_2026.xsd")))
    assert schema.validate(etree.fromstring(xml)), str(schema.error_log)
    assert counts.persons == 0


@pytest.mark.django_db
def test_queries_grow_with_chunks_not_people(
    council: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(14):
        export(2026, chunk_size=1000)


# --- the command ----------------------------------------------------------------------------------
@pytest.fixture
def capsys(capsys: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """manage.py's own exit path, minus its closing the test's database connection."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)
    return capsys


def _run(capsys: Any, *argv: str) -> tuple[int, str, str]:
    """Run the command as `manage.py export_sen2 ...` does: (exit code, stdout, stderr)."""
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["manage.py", "export_sen2", *argv])
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.django_db
def test_the_command_writes_the_return(council: Any, tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "sen2.xml"
    code, stdout, _ = _run(capsys, "--year", "2026", "--out", str(out), "--dsco", "R")
    assert code == 0
    assert stdout == f"Wrote the SEN2 2026 return to {out}: 16 persons, 16 requests, 8 plans.\n"
    root = etree.parse(str(out)).getroot()
    assert root.findtext("Header/Source/DSCO") == "R"
    assert len(root.findall("Persons/Person")) == 16
    assert [p.name for p in tmp_path.iterdir()] == ["sen2.xml"]  # no partial file left


@pytest.mark.django_db
def test_the_command_refuses_a_year_it_has_no_layout_for(tmp_path: Path, capsys: Any) -> None:
    code, _, stderr = _run(capsys, "--year", "2019", "--out", str(tmp_path / "sen2.xml"))
    assert code == 1
    assert "The product exports SEN2 for 2025, 2026, not 2019." in stderr
    assert not list(tmp_path.iterdir())


@pytest.mark.django_db
def test_the_command_refuses_a_path_it_cannot_write(tmp_path: Path, capsys: Any) -> None:
    missing = tmp_path / "no-such-folder" / "sen2.xml"
    code, _, stderr = _run(capsys, "--year", "2026", "--out", str(missing))
    assert code == 1
    assert f"Cannot write {missing}: {missing.parent} is not a folder that exists." in stderr
    code, _, stderr = _run(capsys, "--year", "2026", "--out", str(tmp_path))  # a folder
    assert code == 1
    assert f"Cannot write {tmp_path}:" in stderr


# --- the managers' page ---------------------------------------------------------------------------
@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> dict[int, int]:
    """What the validation reports per year (none unless a test says so); files go to tmp."""
    from reporting.sen2 import services

    settings.MEDIA_ROOT = str(tmp_path)
    found: dict[int, int] = {}
    monkeypatch.setattr(services, "validation_error_count", lambda *, year: found.get(year, 0))
    return found


def _build(client: Any, capture: Any, **fields: str) -> Any:
    data = {"year": "2026", "dmo": "Y", "dco": "Y", "dsco": "N", **fields}
    with capture(execute=True):
        return client.post("/reporting/sen2/", data)


@pytest.mark.django_db
def test_only_managers_and_administrators_may_use_the_page(
    errors: Any,
    caseworker_client: Any,
    panel_member_client: Any,
    manager_client: Any,
    admin_client_: Any,
) -> None:
    from reporting.models import Sen2Export

    export = Sen2Export.objects.create(
        year=2026,
        reference_date=D(2026, 1, 15),
        serial_no=1,
        requested_by=_user(manager_client),
        dmo="Y",
        dco="Y",
        dsco="Y",
    )
    for url in (
        "/reporting/sen2/",
        f"/reporting/sen2/{export.pk}/",
        f"/reporting/sen2/{export.pk}/download/",
    ):
        assert caseworker_client.get(url).status_code == 403, url
        assert panel_member_client.get(url).status_code == 403, url
    assert manager_client.get("/reporting/sen2/").status_code == 200
    assert admin_client_.get(f"/reporting/sen2/{export.pk}/").status_code == 200
    assert caseworker_client.post("/reporting/sen2/", {"year": "2026"}).status_code == 403


def _user(client: Any) -> Any:
    from send_cms.accounts.models import User

    return User.objects.get(pk=client.session["_auth_user_id"])


@pytest.mark.django_db
def test_building_a_file_keeps_it_with_who_when_and_its_counts(
    council: Any, errors: Any, manager_client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from reporting.models import Sen2Export
    from send_cms.audit.models import AuditEvent

    response = _build(manager_client, django_capture_on_commit_callbacks)
    export = Sen2Export.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reporting/sen2/{export.pk}/"
    assert (export.status, export.progress, export.serial_no) == ("ready", 100, 1)
    assert (export.persons, export.requests, export.plans) == (16, 16, 8)
    assert export.requested_by == _user(manager_client)
    assert export.finished_at is not None
    with export.file.open("rb") as file:
        root = etree.parse(file).getroot()
    assert root.findtext("Header/Source/DSCO") == "N"
    assert root.findtext("Header/Source/SerialNo") == "001"
    assert AuditEvent.objects.filter(action="sen2.build", object_id=str(export.pk)).count() == 1
    page = manager_client.get(f"/reporting/sen2/{export.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in page
    assert f"/reporting/sen2/{export.pk}/download/" in page
    listing = manager_client.get("/reporting/sen2/").content.decode()
    assert "2026 no. 001" in listing
    assert "Ready" in listing
    # A second file for the same year is the next serial number.
    _build(manager_client, django_capture_on_commit_callbacks)
    assert sorted(Sen2Export.objects.values_list("serial_no", flat=True)) == [1, 2]


@pytest.mark.django_db
def test_the_page_refreshes_itself_while_the_file_builds(errors: Any, manager_client: Any) -> None:
    from reporting.models import Sen2Export

    export = Sen2Export.objects.create(
        year=2026,
        reference_date=D(2026, 1, 15),
        serial_no=1,
        requested_by=_user(manager_client),
        dmo="Y",
        dco="Y",
        dsco="Y",
        status="building",
        progress=40,
    )
    page = manager_client.get(f"/reporting/sen2/{export.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "Building: 40%" in page
    assert '<progress id="build-progress" max="100" value="40">40%</progress>' in page
    assert "/download/" not in page
    assert manager_client.get(f"/reporting/sen2/{export.pk}/download/").status_code == 404


@pytest.mark.django_db
def test_every_download_is_audited(
    council: Any,
    errors: Any,
    manager_client: Any,
    admin_client_: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from reporting.models import Sen2Export
    from send_cms.audit.models import AuditEvent

    _build(manager_client, django_capture_on_commit_callbacks)
    export = Sen2Export.objects.get()
    response = admin_client_.get(f"/reporting/sen2/{export.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="sen2-999-2026-001.xml"'
    with export.file.open("rb") as file:
        assert b"".join(response.streaming_content) == file.read()
    event = AuditEvent.objects.get(action="sen2.download")
    assert (event.actor, event.object_id) == (_user(admin_client_), str(export.pk))


@pytest.mark.django_db
def test_errors_refuse_the_build_unless_built_anyway_with_a_reason(
    council: Any, errors: Any, manager_client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from reporting.models import Sen2Export
    from reporting.sen2 import services
    from send_cms.audit.models import AuditEvent

    errors[2026] = 3
    page = manager_client.get("/reporting/sen2/").content.decode()
    assert "3 errors" in page
    assert 'name="build_anyway"' in page
    assert 'id="id_reason"' in page

    refused = _build(manager_client, django_capture_on_commit_callbacks)
    assert refused.status_code == 400
    assert services.ERRORS_REMAIN.format(count=3, errors="errors") in refused.content.decode()
    no_reason = _build(manager_client, django_capture_on_commit_callbacks, build_anyway="on")
    assert no_reason.status_code == 400
    assert services.REASON_NEEDED in no_reason.content.decode()
    assert not Sen2Export.objects.exists()

    built = _build(
        manager_client,
        django_capture_on_commit_callbacks,
        build_anyway="on",
        reason="Trial file for COLLECT's own checks.",
    )
    assert built.status_code == 302
    export = Sen2Export.objects.get()
    assert (export.status, export.validation_errors) == ("ready", 3)
    assert export.override_reason == "Trial file for COLLECT's own checks."
    event = AuditEvent.objects.get(action="sen2.build_anyway")
    assert event.changes["override_reason"] == "Trial file for COLLECT's own checks."
    assert event.changes["validation_errors"] == 3


@pytest.mark.django_db
def test_without_errors_the_form_asks_for_no_reason(errors: Any, manager_client: Any) -> None:
    page = manager_client.get("/reporting/sen2/").content.decode()
    assert 'name="build_anyway"' not in page
    assert 'id="id_reason"' not in page  # the form's reason box (the sign-out dialog has its own)
    assert "No errors" in page


def test_no_validation_module_refuses_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    from reporting.sen2 import services

    def missing(name: str) -> Any:
        raise ImportError(name)

    monkeypatch.setattr(services, "import_module", missing)
    assert services.validation_error_count(year=2026) is None
