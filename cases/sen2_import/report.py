"""What an import did (or, in a dry run, would do): counts by record, and every person left out."""

from dataclasses import dataclass, field

#: The records the report counts, in the order it lists them.
RECORDS = (
    "persons",
    "requests",
    "plans",
    "plan versions",
    "named settings",
    "placements",
    "annual reviews",
)


@dataclass
class Tally:
    created: int = 0
    matched: int = 0  # already recorded as the file says: nothing to change
    updated: int = 0  # already recorded: the file filled in what the record lacked

    def add(self, other: "Tally") -> None:
        self.created += other.created
        self.matched += other.matched
        self.updated += other.updated

    @property
    def total(self) -> int:
        return self.created + self.matched + self.updated


@dataclass(frozen=True)
class Rejection:
    """A person left out, with all their records, and why (each reason with its line)."""

    line: int
    person: str
    reasons: tuple[str, ...]

    def __str__(self) -> str:
        who = f"Person at line {self.line}" + (f" ({self.person})" if self.person else "")
        return f"{who}: {'; '.join(self.reasons)}"


@dataclass
class Sen2ImportReport:
    file_name: str
    year: int
    confirmed_layout: bool
    dry_run: bool
    tallies: dict[str, Tally] = field(default_factory=lambda: {name: Tally() for name in RECORDS})
    rejections: list[Rejection] = field(default_factory=list)
    #: Settings the file names that were not on the register: added as placeholders to be
    #: completed by the next import of the register ("URN 123456").
    placeholders: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def persons_read(self) -> int:
        return self.tallies["persons"].total + len(self.rejections)

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    def summary(self) -> dict[str, object]:
        """For the audit trail: the counts, the placeholders and where the rejections are."""
        return {
            "file": self.file_name,
            "year": self.year,
            "dry_run": self.dry_run,
            **{
                name: {"created": t.created, "matched": t.matched, "updated": t.updated}
                for name, t in self.tallies.items()
            },
            "rejected": self.rejected,
            "rejected_lines": [r.line for r in self.rejections[:1000]],
            "placeholders": list(self.placeholders),
        }
