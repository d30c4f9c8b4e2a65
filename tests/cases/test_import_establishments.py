"""Importing settings from a Get Information About Schools (GIAS) export, and its bad-row report."""

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.models import Establishment
from cases.services import establishments as service
from cases.services.establishments import establishments_import
from send_cms.accounts.models import User
from send_cms.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

# The columns of a real edubasealldata file that the import reads, in GIAS's order, with some of
# the ones it ignores in between (a real file has about 140).
HEADER = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (code)",
    "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (name)",
    "EstablishmentStatus (name)",
    "PhaseOfEducation (name)",
    "StatutoryLowAge",
    "Postcode",
    "UKPRN",
]


def gias_row(
    urn: str = "100001",
    name: str = "Oak Hill Primary School",
    kind: str = "Community school",
    group: str = "Local authority maintained schools",
    status: str = "Open",
    phase: str = "Primary",
    la: str = "999",
    postcode: str = "AB1 2CD",
    ukprn: str = "",
) -> dict[str, str]:
    return {
        "URN": urn,
        "LA (code)": la,
        "LA (name)": "Exampleshire",
        "EstablishmentNumber": "2001",
        "EstablishmentName": name,
        "TypeOfEstablishment (code)": "1",
        "TypeOfEstablishment (name)": kind,
        "EstablishmentTypeGroup (name)": group,
        "EstablishmentStatus (name)": status,
        "PhaseOfEducation (name)": phase,
        "StatutoryLowAge": "4",
        "Postcode": postcode,
        "UKPRN": ukprn,
    }


@pytest.fixture
def gias_file(tmp_path: Path) -> Callable[..., Path]:
    """Write rows as GIAS does: Windows-1252, CRLF line ends, every field quoted."""

    def write(*rows: dict[str, str], encoding: str = "cp1252", header: list[str] = HEADER) -> Path:
        text = io.StringIO(newline="")
        writer = csv.DictWriter(
            text, fieldnames=header, quoting=csv.QUOTE_ALL, extrasaction="ignore"
        )
        writer.writeheader()
        writer.writerows(rows)
        path = tmp_path / "edubasealldata20260105.csv"
        path.write_bytes(text.getvalue().encode(encoding))
        return path

    return write


def run(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("import_establishments", str(path), *args, stdout=out)
    return out.getvalue()


SCHOOLS = [
    gias_row(),
    gias_row(
        urn="100002",
        name="Brook Special Academy",
        kind="Academy special converter",
        group="Academies",
        phase="Not applicable",
        postcode="ab1  9zz",
    ),
    gias_row(
        urn="100003",
        name="Riverside School",
        kind="Non-maintained special school",
        group="Special schools",
        phase="Not applicable",
        la="888",
    ),
    gias_row(urn="100004", name="Old Mill Infants", status="Closed"),
    gias_row(
        urn="",
        ukprn="10012345",
        name="Northfield College",
        kind="Further education",
        group="Colleges",
        phase="16 plus",
    ),
]


# --- create, update, unchanged -------------------------------------------------------------------


def test_a_gias_file_creates_each_setting_with_its_kind_phase_la_postcode_and_status(
    gias_file: Callable[..., Path],
) -> None:
    out = run(gias_file(*SCHOOLS))

    assert "Created:    5" in out
    assert "No bad rows." in out
    rows = {
        e.urn or e.ukprn: (e.name, e.kind, e.phase, e.la_code, e.postcode, e.is_open)
        for e in Establishment.objects.all()
    }
    assert rows == {
        "100001": ("Oak Hill Primary School", "mainstream", "Primary", "999", "AB1 2CD", True),
        "100002": ("Brook Special Academy", "special", "", "999", "AB1 9ZZ", True),
        "100003": ("Riverside School", "independent_special", "", "888", "AB1 2CD", True),
        "100004": ("Old Mill Infants", "mainstream", "Primary", "999", "AB1 2CD", False),
        "10012345": ("Northfield College", "further_education", "16 plus", "999", "AB1 2CD", True),
    }


@pytest.mark.parametrize(
    ("gias_type", "kind"),
    [
        ("Community school", "mainstream"),
        ("Voluntary aided school", "mainstream"),
        ("Academy converter", "mainstream"),
        ("Academy sponsor led", "mainstream"),
        ("Free schools", "mainstream"),
        ("University technical college", "mainstream"),
        ("Community special school", "special"),
        ("Foundation special school", "special"),
        ("Academy special sponsor led", "special"),
        ("Free schools special", "special"),
        ("Other independent special school", "independent_special"),
        ("Non-maintained special school", "independent_special"),
        ("Other independent school", "independent_special"),
        ("Pupil referral unit", "alternative_provision"),
        ("Academy alternative provision converter", "alternative_provision"),
        ("Free schools alternative provision", "alternative_provision"),
        ("Further education", "further_education"),
        ("Sixth form centres", "further_education"),
        ("Special post 16 institution", "further_education"),
        ("Academy 16-19 converter", "further_education"),
        ("Local authority nursery school", "early_years"),
        ("Secure units", "other"),
        ("Welsh establishment", "other"),
        # GIAS's capitalisation has changed over the years ("Academy Special Converter").
        ("Academy Special  Converter", "special"),
    ],
)
def test_each_gias_type_of_establishment_maps_to_a_kind(gias_type: str, kind: str) -> None:
    report = establishments_import(actor=None, rows=[gias_row(kind=gias_type)])

    assert report.bad == []
    assert Establishment.objects.get(urn="100001").kind == kind


def test_a_type_gias_adds_later_takes_its_groups_kind_only_when_the_group_decides_it() -> None:
    report = establishments_import(
        actor=None,
        rows=[
            gias_row(urn="100001", kind="Institute of technology", group="Colleges"),
            gias_row(urn="100002", kind="Academy special trust school", group="Academies"),
        ],
    )

    assert Establishment.objects.get(urn="100001").kind == "further_education"
    assert [str(bad) for bad in report.bad] == [
        "Row 3 (URN 100002): Unknown establishment type 'Academy special trust school': "
        "no kind of setting is known for it."
    ]


def test_importing_the_same_file_again_changes_nothing(gias_file: Callable[..., Path]) -> None:
    path = gias_file(*SCHOOLS)
    run(path)
    before = {e.pk: e.updated_at for e in Establishment.objects.all()}

    out = run(path)

    assert "Created:    0" in out
    assert "Updated:    0" in out
    assert "Unchanged:  5" in out
    assert {e.pk: e.updated_at for e in Establishment.objects.all()} == before


def test_a_new_download_updates_what_changed_and_audits_it_once(
    gias_file: Callable[..., Path], admin_user: User
) -> None:
    run(gias_file(*SCHOOLS))
    renamed = gias_row(name="Oak Hill Primary Academy", kind="Academy converter")
    closing = gias_row(urn="100002", name="Brook Special Academy", kind="Academy special converter")
    closing.update({"EstablishmentStatus (name)": "Closed", "Postcode": "AB1 9ZZ"})
    closing["PhaseOfEducation (name)"] = "Not applicable"

    out = run(gias_file(renamed, closing, *SCHOOLS[2:]), "--user", "admin")

    assert "Updated:    2" in out
    assert "Unchanged:  3" in out
    oak = Establishment.objects.get(urn="100001")
    assert (oak.name, oak.kind) == ("Oak Hill Primary Academy", "mainstream")
    assert Establishment.objects.get(urn="100002").is_open is False
    event = AuditEvent.objects.filter(action="establishments.imported").latest("occurred_at")
    assert event.actor == admin_user
    assert event.changes == {
        "source": "edubasealldata20260105.csv",
        "la_code": "",
        "created": 0,
        "updated": {"URN 100001": ["name"], "URN 100002": ["is_open"]},
        "unchanged": 3,
        "other_la": 0,
        "bad_rows": 0,
    }
    assert AuditEvent.objects.filter(action="establishments.imported").count() == 2


def test_a_school_the_council_marked_as_resourced_provision_keeps_that_kind() -> None:
    Establishment.objects.create(urn="100001", name="Oak Hill", kind="resourced_provision")

    report = establishments_import(actor=None, rows=[gias_row(name="Oak Hill")])

    assert Establishment.objects.get(urn="100001").kind == "resourced_provision"
    assert len(report.updated) == 1  # the phase, LA code and postcode came from GIAS


def test_a_setting_added_by_ukprn_alone_is_matched_and_gets_its_urn() -> None:
    college = Establishment.objects.create(
        ukprn="10012345", name="Northfield College", kind="further_education"
    )

    establishments_import(
        actor=None,
        rows=[
            gias_row(
                urn="130001", ukprn="10012345", name="Northfield College", kind="Further education"
            )
        ],
    )

    college.refresh_from_db()
    assert (college.urn, college.ukprn) == ("130001", "10012345")
    assert Establishment.objects.count() == 1


def test_a_ukprn_typed_in_by_hand_is_kept_when_gias_has_none() -> None:
    Establishment.objects.create(urn="100001", ukprn="10099999", name="Oak", kind="mainstream")

    establishments_import(actor=None, rows=[gias_row()])

    assert Establishment.objects.get(urn="100001").ukprn == "10099999"


# --- bad rows ------------------------------------------------------------------------------------


def test_bad_rows_are_reported_with_row_and_reason_and_never_stop_the_good_ones(
    gias_file: Callable[..., Path],
) -> None:
    Establishment.objects.create(urn="120000", ukprn="10077777", name="Hill Top", kind="special")
    path = gias_file(
        gias_row(urn="100001"),  # row 2: good
        gias_row(urn="", ukprn=""),  # row 3
        gias_row(urn="10001"),  # row 4
        gias_row(urn="100005", ukprn="1234567X"),  # row 5
        gias_row(urn="100001", name="Oak Hill Again"),  # row 6
        gias_row(urn="100006", kind="Hospital teaching service"),  # row 7
        gias_row(urn="100007", kind=""),  # row 8
        gias_row(urn="100008", name=""),  # row 9
        gias_row(urn="100009", la="99"),  # row 10
        gias_row(urn="100010", status="Suspended"),  # row 11
        gias_row(urn="100011", ukprn="10077777"),  # row 12
        gias_row(urn="100012", name="A" * 201),  # row 13
        gias_row(urn="100013", ukprn="10012345"),  # row 14: good
        gias_row(urn="100014", ukprn="10012345"),  # row 15
    )

    out = run(path)

    assert sorted(Establishment.objects.values_list("urn", flat=True)) == [
        "100001",
        "100013",
        "120000",
    ]
    assert "Created:    2" in out
    assert "Bad rows:   12" in out
    expected = [
        "Row 3: No URN or UKPRN: an establishment needs one or the other.",
        "Row 4 (URN 10001): The URN '10001' is not valid: a URN is 6 digits.",
        "Row 5 (URN 100005): The UKPRN '1234567X' is not valid: a UKPRN is 8 digits.",
        "Row 6 (URN 100001): URN 100001 is also on row 2: only the first row for it is used.",
        "Row 7 (URN 100006): Unknown establishment type 'Hospital teaching service': "
        "no kind of setting is known for it.",
        "Row 8 (URN 100007): No establishment type.",
        "Row 9 (URN 100008): No establishment name.",
        "Row 10 (URN 100009): The LA code '99' is not valid: an LA code is 3 digits.",
        "Row 11 (URN 100010): Unknown establishment status 'Suspended'.",
        "Row 12 (URN 100011): UKPRN 10077777 already belongs to Hill Top, which has a "
        "different URN.",
        "Row 13 (URN 100012): Name: Ensure this value has at most 200 characters (it has 201).",
        "Row 15 (URN 100014): UKPRN 10012345 is also on row 14: only the first row for it is used.",
    ]
    for line in expected:
        assert f"  {line}\n" in out
    assert "12 rows were not imported: correct them in the file and run the import again. " in out
    assert "The other rows were saved." in out


def test_two_rows_for_one_establishment_by_different_references_are_a_duplicate() -> None:
    Establishment.objects.create(urn="100001", ukprn="10012345", name="Oak", kind="mainstream")

    report = establishments_import(
        actor=None, rows=[gias_row(urn="100001"), gias_row(urn="", ukprn="10012345")]
    )

    assert [str(bad) for bad in report.bad] == [
        "Row 3 (UKPRN 10012345): This is URN 100001, which is also on row 2: only the first "
        "row for it is used."
    ]


def test_a_crash_part_way_leaves_nothing_saved(
    gias_file: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def audit_down(**kwargs: Any) -> None:
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(service, "record", audit_down)

    with pytest.raises(RuntimeError):
        run(gias_file(*SCHOOLS))

    assert not Establishment.objects.exists()


# --- the file: encoding, headers, options, exit codes -------------------------------------------


def test_a_windows_1252_file_as_gias_writes_it_keeps_its_apostrophes_and_accents(
    gias_file: Callable[..., Path],
) -> None:
    name = "St Mary\u2019s Church of England Primary School \u2013 Caf\u00e9 Annex"
    path = gias_file(gias_row(name=name))
    assert b"Mary\x92s" in path.read_bytes()  # the curly apostrophe as one Windows-1252 byte

    run(path)

    assert Establishment.objects.get().name == name


def test_a_file_saved_again_as_utf8_with_a_byte_order_mark_is_read_too(
    gias_file: Callable[..., Path],
) -> None:
    run(gias_file(gias_row(name="Ysgol Gymraeg Bro Ŵyr"), encoding="utf-8-sig"))

    assert Establishment.objects.get().name == "Ysgol Gymraeg Bro Ŵyr"


def test_a_byte_windows_1252_leaves_undefined_is_read_as_latin_1(tmp_path: Path) -> None:
    path = tmp_path / "edubase.csv"
    header = ",".join(f'"{column}"' for column in HEADER)
    row = (
        '"100001","999","X","1","Caf\xe9 \x81 School","1","Community school","G","Open",'
        '"Primary","4","AB1 2CD",""'
    )
    path.write_bytes(f"{header}\r\n{row}\r\n".encode("latin-1"))

    run(path)

    assert Establishment.objects.get().name == "Café \x81 School"


def test_a_dry_run_reports_the_changes_and_saves_nothing(gias_file: Callable[..., Path]) -> None:
    out = run(gias_file(*SCHOOLS, gias_row(urn="1")), "--dry-run")

    assert out.startswith("Dry run of edubasealldata20260105.csv: nothing was saved.\n")
    assert "Created:    5" in out
    assert "Row 7 (URN 1): The URN '1' is not valid: a URN is 6 digits." in out
    assert "The other rows would be saved." in out
    assert not Establishment.objects.exists()
    assert not AuditEvent.objects.filter(action="establishments.imported").exists()


def test_la_code_imports_only_that_councils_settings(gias_file: Callable[..., Path]) -> None:
    out = run(gias_file(*SCHOOLS), "--la-code", "888")

    assert list(Establishment.objects.values_list("urn", flat=True)) == ["100003"]
    assert "Other LAs:  4 (left out: --la-code 888)" in out


def test_bad_rows_still_exit_0_but_strict_exits_1_after_saving_the_good_rows(
    gias_file: Callable[..., Path],
) -> None:
    path = gias_file(gias_row(), gias_row(urn="", ukprn=""))

    out = run(path)  # returns normally: exit status 0
    assert "1 row was not imported" in out

    Establishment.objects.all().delete()
    with pytest.raises(CommandError) as caught:
        run(path, "--strict")
    assert str(caught.value) == "1 row could not be imported (--strict)."
    assert caught.value.returncode == 1
    assert Establishment.objects.filter(urn="100001").exists()


def test_a_clean_file_with_strict_exits_0(gias_file: Callable[..., Path]) -> None:
    assert "No bad rows." in run(gias_file(*SCHOOLS), "--strict")


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as caught:
        run(tmp_path / "nope.csv")
    assert str(caught.value) == f"There is no file at {tmp_path / 'nope.csv'}."
    assert caught.value.returncode == 1


def test_a_file_without_the_gias_columns_is_refused_whole(
    gias_file: Callable[..., Path],
) -> None:
    header = [c for c in HEADER if c not in ("TypeOfEstablishment (name)", "Postcode")]
    path = gias_file(gias_row(), header=header)

    with pytest.raises(CommandError) as caught:
        run(path)

    assert str(caught.value) == (
        f"{path} is not a Get Information About Schools establishment export: it has no "
        "'TypeOfEstablishment (name)', 'Postcode' column. Download the 'Establishment fields "
        "CSV' and import that file."
    )
    assert not Establishment.objects.exists()


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")

    with pytest.raises(CommandError, match="is not a Get Information About Schools"):
        run(path)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--la-code", "99"], "--la-code must be a 3-digit LA code, such as 999."),
        (["--user", "ghost"], "There is no user called ghost."),
    ],
)
def test_bad_options_are_refused(
    gias_file: Callable[..., Path], args: list[str], message: str
) -> None:
    with pytest.raises(CommandError) as caught:
        run(gias_file(gias_row()), *args)
    assert str(caught.value) == message
    assert not Establishment.objects.exists()
