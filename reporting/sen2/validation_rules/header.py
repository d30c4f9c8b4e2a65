"""Header rules: the collection year, census day and the council's LA code."""

from django.conf import settings

from reporting.sen2.validation_rules.base import (
    ERROR,
    FIRST_PERSON_LEVEL_YEAR,
    HEADER,
    Rule,
    Sen2Year,
)
from send_cms.sen2 import LAYOUTS


def _h01(c: Sen2Year) -> list[str]:
    """The year is a person-level collection, and its census day (the third Thursday of
    January) is the layout table's reference date."""
    if c.year < FIRST_PERSON_LEVEL_YEAR:
        return [f"SEN2 is collected person by person from {FIRST_PERSON_LEVEL_YEAR}."]
    layout = LAYOUTS.get(c.year)
    if layout is not None and layout.reference_date != c.census:
        return [
            f"The census date {c.census:%-d %B %Y} differs from the {c.year} layout's reference "
            f"date {layout.reference_date:%-d %B %Y}."
        ]
    return []


def _h02(c: Sen2Year) -> list[str]:
    """The LEA is the council's code. DMO, DCO and DSCO are answered on the export form, for
    each file, so they are checked there rather than all year."""
    code = str(getattr(settings, "LA_CODE", ""))
    if len(code) == 3 and code.isdigit():
        return []
    return [f"The council's LA code '{code}' is not a 3-digit DfE LA code (setting LA_CODE)."]


RULES: tuple[Rule, ...] = (
    Rule(
        "H01",
        ERROR,
        HEADER,
        "The collection year and census date do not match a person-level SEN2 collection.",
        "Header: Collection, Year, ReferenceDate",
        header=_h01,
    ),
    Rule(
        "H02",
        ERROR,
        HEADER,
        "The council's LA code is not a 3-digit DfE LA code.",
        "Header: LEA",
        header=_h02,
    ),
)
