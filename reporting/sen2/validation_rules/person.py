"""Child or young person rules: names, dates of birth, UPN and ULN, a request to report."""

from typing import Any

from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Mod, StrIndex, Substr, Upper
from django.db.models.lookups import GreaterThanOrEqual

from cases.codes import Sex, UpnUnknown
from cases.models import AssessmentRequest, Child, Plan
from cases.validators import CHECK_LETTERS
from reporting.sen2.validation_rules.base import (
    ERROR,
    PERSON,
    QUERY,
    QUERY_AGE,
    UN1_UNDER,
    Fix,
    Rule,
    Sen2Year,
    child_check,
    plan_in_return,
    request_in_return,
    return_children,
    years_before,
)


def _p01(c: Sen2Year) -> QuerySet[Child]:
    return return_children(c).filter(
        Q(first_name="") | Q(last_name="") | Q(ethnicity="") | ~Q(sex__in=Sex.values)
    )


def _p02(c: Sen2Year) -> QuerySet[Child]:
    return return_children(c).filter(date_of_birth__gt=c.census)


def _p02q(c: Sen2Year) -> QuerySet[Child]:
    return return_children(c).filter(date_of_birth__lte=years_before(c.census, QUERY_AGE))


def _p03(c: Sen2Year) -> QuerySet[Child]:
    none = Q(upn="", uln="", upn_unknown="")
    unknown_code = ~Q(upn_unknown="") & ~Q(upn_unknown__in=UpnUnknown.values)
    un1_too_old = Q(
        upn="",
        uln="",
        upn_unknown=UpnUnknown.UN1,
        date_of_birth__lte=years_before(c.census, UN1_UNDER),
    )
    return return_children(c).filter(none | unknown_code | un1_too_old)


def _digit(field: Any, position: int) -> Any:
    """The digit at `position` (1-based) of `field`; -1 when it is not a digit."""
    return StrIndex(Value("0123456789"), Substr(field, position, 1)) - 1


def _upn_check_letter(upn: Any) -> Any:
    """The check letter of the UPN's characters 2 to 13, computed in SQL (cases.validators)."""
    last = StrIndex(Value("0123456789" + CHECK_LETTERS), Substr(upn, 13, 1)) - 1
    last_value = Case(When(GreaterThanOrEqual(last, 10), then=last - 10), default=last)
    total = sum((_digit(upn, i) * i for i in range(2, 13)), start=last_value * 13)
    return Substr(Value(CHECK_LETTERS), Mod(total, 23) + 1, 1)


def _p04(c: Sen2Year) -> QuerySet[Child]:
    """The export writes the UPN in capitals, so a UPN typed in small letters is checked as
    capitals."""
    upn_shape = rf"^[{CHECK_LETTERS}][0-9]{{11}}[0-9{CHECK_LETTERS}]$"
    uln_total = sum(_digit("uln", i) * (11 - i) for i in range(1, 10))
    bad_upn = ~Q(upn="") & (~Q(dq_upn__regex=upn_shape) | ~Q(dq_upn_check=F("dq_upn_first")))
    bad_uln = ~Q(uln="") & (
        ~Q(uln__regex=r"^[1-9][0-9]{9}$") | Q(dq_uln_rest=0) | ~Q(dq_uln_check=F("dq_uln_last"))
    )
    return (
        return_children(c)
        .alias(dq_upn=Upper("upn"))
        .alias(
            dq_upn_check=_upn_check_letter(F("dq_upn")),
            dq_upn_first=Substr("dq_upn", 1, 1),
            dq_uln_rest=Mod(uln_total, 11),
            dq_uln_last=_digit("uln", 10),
        )
        .alias(dq_uln_check=10 - F("dq_uln_rest"))
        .filter(bad_upn | bad_uln)
    )


def _p05(c: Sen2Year) -> QuerySet[Child]:
    same = Child.objects.alias(dq_upn=Upper("upn")).filter(
        dq_upn=Upper(OuterRef("upn")), upn__gt=""
    )
    return return_children(c).filter(~Q(upn="") & Q(Exists(same.exclude(pk=OuterRef("pk")))))


def _p06(c: Sen2Year) -> QuerySet[Child]:
    requests = AssessmentRequest.objects.filter(child=OuterRef("pk")).filter(request_in_return(c))
    transferred_in = (
        Plan.objects.filter(child=OuterRef("pk"))
        .filter(plan_in_return(c))
        .exclude(transferred_in_from_la="")
    )
    return return_children(c).filter(~Q(Exists(requests)) & ~Q(Exists(transferred_in)))


RULES: tuple[Rule, ...] = (
    Rule(
        "P01",
        ERROR,
        PERSON,
        "The first name, last name, sex or ethnicity is missing.",
        "Child: Forename, Surname, Sex, Ethnicity",
        (child_check(_p01),),
    ),
    Rule(
        "P02",
        ERROR,
        PERSON,
        "The date of birth is after the census date.",
        "Child: PersonBirthDate",
        (child_check(_p02),),
    ),
    Rule(
        "P02Q",
        QUERY,
        PERSON,
        "The child or young person is 26 or over on the census date: check the date of birth.",
        "Child: PersonBirthDate",
        (child_check(_p02q),),
    ),
    Rule(
        "P03",
        ERROR,
        PERSON,
        "Record the UPN, the ULN or the reason the UPN is unknown (UN1 is only for a child "
        "under 6 on the census date).",
        "Child: UPN, UniqueLearnerNumber, UPNunknown",
        (child_check(_p03),),
    ),
    Rule(
        "P04",
        ERROR,
        PERSON,
        "The UPN's check letter or the ULN's check digit is wrong: check it was copied correctly.",
        "Child: UPN, UniqueLearnerNumber",
        (child_check(_p04),),
    ),
    Rule(
        "P05",
        ERROR,
        PERSON,
        "Another child or young person has the same UPN.",
        "Child: UPN",
        (child_check(_p05),),
        guaranteed_by="child_upn_unique (for UPNs written the same way)",
    ),
    Rule(
        "P06",
        ERROR,
        PERSON,
        "There is no assessment request to report for this child: link the plan to its "
        "request, or record the LA it was transferred in from.",
        "Child: Requests",
        (child_check(_p06, Fix.CASE),),
    ),
)
