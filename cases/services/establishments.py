"""Establishments: schools, colleges and other settings (usually from the DfE register)."""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst

from cases import messages as msg
from cases.codes import EstablishmentKind
from cases.models import Establishment
from cases.services.steps import save_new
from send_cms.accounts.actor import Actor
from send_cms.audit.services import record


@transaction.atomic
def establishment_create(
    *,
    actor: Actor | None,
    name: str,
    kind: str,
    urn: str = "",
    ukprn: str = "",
    phase: str = "",
    la_code: str = "",
    postcode: str = "",
    is_open: bool = True,
) -> Establishment:
    """Add a setting by hand (most come from `manage.py import_establishments`)."""
    urn, ukprn = urn.strip(), ukprn.strip()
    errors: dict[str, list[str]] = {}
    if urn and Establishment.objects.filter(urn=urn).exists():
        errors["urn"] = [msg.URN_OR_UKPRN_TAKEN.format(field="URN")]
    if ukprn and Establishment.objects.filter(ukprn=ukprn).exists():
        errors["ukprn"] = [msg.URN_OR_UKPRN_TAKEN.format(field="UKPRN")]
    if errors:
        raise ValidationError(errors)
    establishment = Establishment(
        urn=urn,
        ukprn=ukprn,
        name=name.strip(),
        kind=kind,
        phase=phase.strip(),
        la_code=la_code.strip(),
        postcode=postcode.strip().upper(),
        is_open=is_open,
    )
    save_new(establishment)
    record(
        actor=actor,
        action="establishment.created",
        obj=establishment,
        changes={"name": establishment.name, "urn": urn, "ukprn": ukprn, "kind": kind},
    )
    return establishment


# --- Import from Get Information About Schools (GIAS) ------------------------------------------
#
# The DfE's register is downloaded as "edubasealldataYYYYMMDD.csv" (Establishment fields CSV).
# Its headers are the field name, with "(name)" or "(code)" for looked-up values.

COL_URN = "URN"
COL_UKPRN = "UKPRN"
COL_NAME = "EstablishmentName"
COL_TYPE = "TypeOfEstablishment (name)"
COL_TYPE_GROUP = "EstablishmentTypeGroup (name)"
COL_PHASE = "PhaseOfEducation (name)"
COL_LA_CODE = "LA (code)"
COL_POSTCODE = "Postcode"
COL_STATUS = "EstablishmentStatus (name)"

#: Every column the import reads a field from; a file without one of them is refused whole,
#: rather than blanking that field on every establishment. The type group is only a fallback.
REQUIRED_COLUMNS = (
    COL_URN,
    COL_UKPRN,
    COL_NAME,
    COL_TYPE,
    COL_PHASE,
    COL_LA_CODE,
    COL_POSTCODE,
    COL_STATUS,
)

_K = EstablishmentKind

#: GIAS "TypeOfEstablishment (name)" to our kind. The kind decides the funding band a placement is
#: costed at and the DSG management plan category it is counted in, so each type goes where a
#: council's high-needs budget puts it.
GIAS_TYPE_KINDS: dict[str, EstablishmentKind] = {
    # State-funded mainstream schools, maintained or academy: a place costs the mainstream band.
    # UTCs and studio schools are 14-19 mainstream schools, CTCs the forerunners of academies.
    "Community school": _K.MAINSTREAM,
    "Voluntary aided school": _K.MAINSTREAM,
    "Voluntary controlled school": _K.MAINSTREAM,
    "Foundation school": _K.MAINSTREAM,
    "Academy sponsor led": _K.MAINSTREAM,
    "Academy converter": _K.MAINSTREAM,
    "Free schools": _K.MAINSTREAM,
    "City technology college": _K.MAINSTREAM,
    "University technical college": _K.MAINSTREAM,
    "Studio schools": _K.MAINSTREAM,
    # Maintained special schools and special academies (commissioned places, special top-ups).
    "Community special school": _K.SPECIAL,
    "Foundation special school": _K.SPECIAL,
    "Academy special sponsor led": _K.SPECIAL,
    "Academy special converter": _K.SPECIAL,
    "Free schools special": _K.SPECIAL,
    # Fee-charging settings: the DSG plan counts them together ("non-maintained special or
    # independent"). Independent schools are here too, not mainstream: councils name one in a
    # plan because it is specialist (many specialist schools are registered as "Other independent
    # school"), and its place is paid by fee, never at a mainstream band.
    "Non-maintained special school": _K.INDEPENDENT_SPECIAL,
    "Other independent special school": _K.INDEPENDENT_SPECIAL,
    "Other independent school": _K.INDEPENDENT_SPECIAL,
    # Pupil referral units and their academy and free school successors.
    "Pupil referral unit": _K.ALTERNATIVE_PROVISION,
    "Academy alternative provision converter": _K.ALTERNATIVE_PROVISION,
    "Academy alternative provision sponsor led": _K.ALTERNATIVE_PROVISION,
    "Free schools alternative provision": _K.ALTERNATIVE_PROVISION,
    # Post-16: FE and sixth form colleges, specialist post-16 institutions, and 16-19 academies
    # and free schools, whose high-needs places are funded like a college's.
    "Further education": _K.FURTHER_EDUCATION,
    "Sixth form centres": _K.FURTHER_EDUCATION,
    "Special post 16 institution": _K.FURTHER_EDUCATION,
    "Free schools 16 to 19": _K.FURTHER_EDUCATION,
    "Academy 16-19 converter": _K.FURTHER_EDUCATION,
    "Academy 16 to 19 sponsor led": _K.FURTHER_EDUCATION,
    # Early years (children's centres come in GIAS's separate children's centres download).
    "Local authority nursery school": _K.EARLY_YEARS,
    "Children's centre": _K.EARLY_YEARS,
    "Children's centre linked site": _K.EARLY_YEARS,
    # Real settings a plan can name that fit no band: secure schools and units (relevant youth
    # accommodation), online providers, hospital and other-department institutions, Wales,
    # overseas, and universities (a plan ceases on entering higher education).
    "Secure units": _K.OTHER,
    "Academy secure 16 to 19": _K.OTHER,
    "Online provider": _K.OTHER,
    "Institution funded by other government department": _K.OTHER,
    "Miscellaneous": _K.OTHER,
    "Service children's education": _K.OTHER,
    "Welsh establishment": _K.OTHER,
    "Offshore schools": _K.OTHER,
    "British schools overseas": _K.OTHER,
    "Higher education institutions": _K.OTHER,
}

#: For a type the DfE adds after this list was written: its group decides only where every type in
#: the group has the same kind. The other groups (academies, special schools, ...) mix kinds, so
#: such a row is reported instead of guessed.
GIAS_TYPE_GROUP_KINDS: dict[str, EstablishmentKind] = {
    "Colleges": _K.FURTHER_EDUCATION,
    "Universities": _K.OTHER,
    "Welsh schools": _K.OTHER,
    "Online provider": _K.OTHER,
    "Children's centres": _K.EARLY_YEARS,
}

#: GIAS "EstablishmentStatus (name)" to `is_open`. A school proposed to open counts as open: a new
#: special free school is often named in plans before its first day.
GIAS_STATUS_OPEN: dict[str, bool] = {
    "Open": True,
    "Open, but proposed to close": True,
    "Proposed to open": True,
    "Closed": False,
}

#: GIAS phases kept as GIAS words ("Primary", "16 plus", ...), except its placeholder for none.
GIAS_NO_PHASE = {"Not applicable", ""}

IMPORT_NO_REFERENCE = "No URN or UKPRN: an establishment needs one or the other."
IMPORT_BAD_URN = "The URN '{value}' is not valid: a URN is 6 digits."
IMPORT_BAD_UKPRN = "The UKPRN '{value}' is not valid: a UKPRN is 8 digits."
IMPORT_DUPLICATE = "{field} {value} is also on row {row}: only the first row for it is used."
IMPORT_NO_NAME = "No establishment name."
IMPORT_NO_TYPE = "No establishment type."
IMPORT_UNKNOWN_TYPE = "Unknown establishment type '{value}': no kind of setting is known for it."
IMPORT_UNKNOWN_STATUS = "Unknown establishment status '{value}'."
IMPORT_BAD_LA_CODE = "The LA code '{value}' is not valid: an LA code is 3 digits."
IMPORT_SAME_ESTABLISHMENT = (
    "This is {reference}, which is also on row {row}: only the first row for it is used."
)
IMPORT_UKPRN_HELD = "UKPRN {ukprn} already belongs to {name}, which has a different URN."

_URN = re.compile(r"[0-9]{6}")
_UKPRN = re.compile(r"[0-9]{8}")
_LA_CODE = re.compile(r"[0-9]{3}")
_IMPORTED_FIELDS = ("urn", "ukprn", "name", "kind", "phase", "la_code", "postcode", "is_open")


def _key(text: str) -> str:
    """Type and status names compared as GIAS has spelt them over the years: any case or spacing."""
    return " ".join(text.split()).casefold()


_TYPE_KINDS = {_key(name): kind for name, kind in GIAS_TYPE_KINDS.items()}
_GROUP_KINDS = {_key(name): kind for name, kind in GIAS_TYPE_GROUP_KINDS.items()}
_STATUS_OPEN = {_key(name): is_open for name, is_open in GIAS_STATUS_OPEN.items()}


@dataclass(frozen=True)
class BadRow:
    """A row left out of the import: its number as a spreadsheet shows it (the header is row 1)."""

    row: int
    reference: str
    reason: str

    def __str__(self) -> str:
        where = f"Row {self.row} ({self.reference})" if self.reference else f"Row {self.row}"
        return f"{where}: {self.reason}"


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do). References read "URN 100000"."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    other_la: int = 0
    bad: list[BadRow] = field(default_factory=list)
    dry_run: bool = False

    @property
    def rows(self) -> int:
        return (
            len(self.created) + len(self.updated) + self.unchanged + self.other_la + len(self.bad)
        )


def _cell(row: Mapping[str, str | None], column: str) -> str:
    return (row.get(column) or "").strip()


def _reference(urn: str, ukprn: str) -> str:
    return f"URN {urn}" if urn else (f"UKPRN {ukprn}" if ukprn else "")


def _label(field_name: str) -> str:
    return capfirst(getattr(Establishment._meta.get_field(field_name), "verbose_name", field_name))


def _kind_for(type_name: str, group_name: str) -> EstablishmentKind | None:
    return _TYPE_KINDS.get(_key(type_name)) or _GROUP_KINDS.get(_key(group_name))


@transaction.atomic
def establishments_import(
    *,
    actor: Actor | None,
    rows: Iterable[Mapping[str, str | None]],
    la_code: str = "",
    dry_run: bool = False,
    source: str = "",
) -> ImportReport:
    """Add and update settings from a GIAS export, matched on URN (or UKPRN when there is none).

    A bad row is reported with the reason and left out; it never stops the good rows. The
    register owns the fields it holds, with one exception: a mainstream school the council has
    marked as resourced provision keeps that kind, because GIAS does not record it as a type.
    `la_code` imports only that council's rows; `dry_run` reports without saving. The whole
    import is one transaction and one audit event.
    """
    report = ImportReport(dry_run=dry_run)
    existing = list(Establishment.objects.all())
    by_urn = {e.urn: e for e in existing if e.urn}
    by_ukprn = {e.ukprn: e for e in existing if e.ukprn}
    seen_urns: dict[str, int] = {}
    seen_ukprns: dict[str, int] = {}
    to_create: list[Establishment] = []
    to_update: list[Establishment] = []
    claimed: dict[Any, int] = {}  # establishment id: the row that matched it
    changed_fields: dict[str, list[str]] = {}
    now = timezone.now()

    for number, row in enumerate(rows, start=2):
        urn, ukprn = _cell(row, COL_URN), _cell(row, COL_UKPRN)
        if la_code and _cell(row, COL_LA_CODE) != la_code:
            report.other_la += 1
            continue

        def bad(reason: str, urn: str = urn, ukprn: str = ukprn, number: int = number) -> None:
            report.bad.append(BadRow(number, _reference(urn, ukprn), reason))

        # Which establishment the row is about, before anything else: a repeated URN is a
        # duplicate even when the first row for it was bad too.
        if not urn and not ukprn:
            bad(IMPORT_NO_REFERENCE)
            continue
        if urn and not _URN.fullmatch(urn):
            bad(IMPORT_BAD_URN.format(value=urn))
            continue
        if ukprn and not _UKPRN.fullmatch(ukprn):
            bad(IMPORT_BAD_UKPRN.format(value=ukprn))
            continue
        if urn in seen_urns:
            bad(IMPORT_DUPLICATE.format(field="URN", value=urn, row=seen_urns[urn]))
            continue
        if ukprn in seen_ukprns:
            bad(IMPORT_DUPLICATE.format(field="UKPRN", value=ukprn, row=seen_ukprns[ukprn]))
            continue
        if urn:
            seen_urns[urn] = number
        if ukprn:
            seen_ukprns[ukprn] = number

        name, type_name = _cell(row, COL_NAME), _cell(row, COL_TYPE)
        status, row_la = _cell(row, COL_STATUS), _cell(row, COL_LA_CODE)
        kind = _kind_for(type_name, _cell(row, COL_TYPE_GROUP))
        if not name:
            bad(IMPORT_NO_NAME)
            continue
        if kind is None:
            bad(IMPORT_UNKNOWN_TYPE.format(value=type_name) if type_name else IMPORT_NO_TYPE)
            continue
        if status and _key(status) not in _STATUS_OPEN:
            bad(IMPORT_UNKNOWN_STATUS.format(value=status))
            continue
        if row_la and not _LA_CODE.fullmatch(row_la):
            bad(IMPORT_BAD_LA_CODE.format(value=row_la))
            continue

        # Match on URN; a row with a UKPRN can also claim a setting added by UKPRN alone.
        target = by_urn.get(urn) if urn else by_ukprn.get(ukprn)
        if target is None and urn and ukprn:
            holder = by_ukprn.get(ukprn)
            if holder is not None and not holder.urn:
                target = holder
        holder = by_ukprn.get(ukprn) if ukprn else None
        if holder is not None and holder is not target:
            bad(IMPORT_UKPRN_HELD.format(ukprn=ukprn, name=holder.name))
            continue
        if target is not None and target.pk in claimed:
            reference = _reference(target.urn, target.ukprn)
            bad(IMPORT_SAME_ESTABLISHMENT.format(reference=reference, row=claimed[target.pk]))
            continue

        phase = _cell(row, COL_PHASE)
        values: dict[str, Any] = {
            "urn": urn or (target.urn if target else ""),
            # A blank UKPRN in GIAS means "not known", so one typed in by hand is kept.
            "ukprn": ukprn or (target.ukprn if target else ""),
            "name": name,
            "kind": kind,
            "phase": "" if phase in GIAS_NO_PHASE else phase,
            "la_code": row_la,
            "postcode": " ".join(_cell(row, COL_POSTCODE).upper().split()),
            "is_open": _STATUS_OPEN.get(_key(status), True),
        }
        if target is not None and target.kind == _K.RESOURCED_PROVISION and kind == _K.MAINSTREAM:
            values["kind"] = target.kind

        candidate = Establishment(**values)
        try:
            candidate.clean_fields()
        except ValidationError as error:
            bad(" ".join(f"{_label(f)}: {' '.join(m)}" for f, m in error.message_dict.items()))
            continue

        reference = _reference(values["urn"], values["ukprn"])
        if target is not None:
            claimed[target.pk] = number
        if target is None:
            to_create.append(candidate)
            report.created.append(reference)
            continue
        changed = [f for f in _IMPORTED_FIELDS if getattr(target, f) != values[f]]
        if not changed:
            report.unchanged += 1
            continue
        for f in changed:
            setattr(target, f, values[f])
        target.updated_at = now
        to_update.append(target)
        report.updated.append(reference)
        changed_fields[reference] = changed

    if dry_run:
        return report
    Establishment.objects.bulk_create(to_create, batch_size=500)
    Establishment.objects.bulk_update(to_update, [*_IMPORTED_FIELDS, "updated_at"], batch_size=500)
    record(
        actor=actor,
        action="establishments.imported",
        changes={
            "source": source,
            "la_code": la_code,
            "created": len(report.created),
            "updated": changed_fields,
            "unchanged": report.unchanged,
            "other_la": report.other_la,
            "bad_rows": len(report.bad),
        },
    )
    return report
