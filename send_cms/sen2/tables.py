"""SEN2 layouts by year: the data. A new year is a new entry in LAYOUTS, not new code.

Sources: ../domain/sen2.md ("Structure", "Items and codes") and the structural schemas of 2025
and 2026 (community-written, patched; see their NOTICE). 2025 and 2026 are checked against those
schemas (`confirmed=True`). 2023 and 2024 are inferred (`confirmed=False`): sen2.md says only
that the return has been person level since 2023; what each of those years lacked comes from the
2025 schema's comments ("new for 2025", "new voluntary data item added for 2024"), so read files
of those years leniently (by tag, accepting a later year's items).
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace

from send_cms.sen2.layout import Code, Item, Kind, Layout, Use

REQUIRED, APPLICABLE, VOLUNTARY = Use.REQUIRED, Use.APPLICABLE, Use.VOLUNTARY
MODULE, TEXT, CODE, FLAG, DATE = Kind.MODULE, Kind.TEXT, Kind.CODE, Kind.FLAG, Kind.DATE


def _codes(*pairs: tuple[str, str]) -> tuple[Code, ...]:
    return tuple(Code(value, meaning) for value, meaning in pairs)


# --- code lists ---------------------------------------------------------------------------------
YES_NO = _codes(("1", "Yes"), ("0", "No"))
YES_NO_RECRUITING = _codes(("Y", "Yes"), ("N", "No"), ("R", "Recruitment in progress"))
SEX = _codes(("M", "Male"), ("F", "Female"))
#: CBDS ethnicity: the main codes and the extended ones.
ETHNICITY = (
    Code("WBRI", "White - British"),
    Code("WCOR", "White - Cornish"),
    Code("WENG", "White - English"),
    Code("WNIR", "White - Northern Irish"),
    Code("WSCO", "White - Scottish"),
    Code("WWEL", "White - Welsh"),
    Code("WOWB", "Other White British"),
    Code("WIRI", "White - Irish"),
    Code("WIRT", "White - Irish Traveller"),
    Code("WOTH", "Any Other White Background"),
    Code("WALB", "Albanian"),
    Code("WBOS", "Bosnian - Herzegovinian"),
    Code("WCRO", "Croatian"),
    Code("WGRE", "Greek/ Greek Cypriot"),
    Code("WGRK", "Greek"),
    Code("WGRC", "Greek Cypriot"),
    Code("WITA", "Italian"),
    Code("WKOS", "Kosovan"),
    Code("WPOR", "Portuguese"),
    Code("WSER", "Serbian"),
    Code("WTUR", "Turkish/ Turkish Cypriot"),
    Code("WTUK", "Turkish"),
    Code("WTUC", "Turkish Cypriot"),
    Code("WEUR", "White European"),
    Code("WEEU", "White Eastern European"),
    Code("WWEU", "White Western European"),
    Code("WOTW", "White Other"),
    Code("WROM", "Gypsy / Roma"),
    Code("WROG", "Gypsy"),
    Code("WROR", "Roma"),
    Code("WROO", "Other Gypsy/Roma"),
    Code("MWBC", "White and Black Caribbean"),
    Code("MWBA", "White and Black African"),
    Code("MWAS", "White and Asian"),
    Code("MWAP", "White and Pakistani"),
    Code("MWAI", "White and Indian"),
    Code("MWAO", "White and Any Other Asian Background"),
    Code("ABRI", "Asian - British"),
    Code("AWEL", "Asian - Welsh"),
    Code("MOTH", "Any Other Mixed Background"),
    Code("MAOE", "Asian and Any Other Ethnic Group"),
    Code("MABL", "Asian and Black"),
    Code("MACH", "Asian and Chinese"),
    Code("MBOE", "Black and Any Other Ethnic Group"),
    Code("MBCH", "Black and Chinese"),
    Code("MCOE", "Chinese and Any Other Ethnic Group"),
    Code("MWOE", "White and Any Other Ethnic Group"),
    Code("MWCH", "White and Chinese"),
    Code("MOTM", "Other Mixed Background"),
    Code("AIND", "Indian"),
    Code("APKN", "Pakistani"),
    Code("AMPK", "Mirpuri - Pakistani"),
    Code("AKPA", "Kashmiri Pakistani"),
    Code("AOPK", "Other Pakistani"),
    Code("ABAN", "Bangladeshi"),
    Code("AOTH", "Any Other Asian Background"),
    Code("AAFR", "African Asian"),
    Code("AKAO", "Kashmiri Other"),
    Code("ANEP", "Nepali"),
    Code("ASNL", "Sri Lankan Sinhalese"),
    Code("ASLT", "Sri Lankan Tamil"),
    Code("ASRO", "Sri Lankan Other"),
    Code("AOTA", "Other Asian"),
    Code("BBRI", "Black - British"),
    Code("BWEL", "Black - Welsh"),
    Code("BCRB", "Black Caribbean"),
    Code("BAFR", "Black - African"),
    Code("BANN", "Black - Angolan"),
    Code("BCON", "Black - Congolese"),
    Code("BGHA", "Black - Ghanaian"),
    Code("BNGN", "Black - Nigerian"),
    Code("BSLN", "Black - Sierra Leonean"),
    Code("BSOM", "Black - Somali"),
    Code("BSUD", "Black - Sudanese"),
    Code("BAOF", "Other Black African"),
    Code("BOTH", "Any Other Black Background"),
    Code("BEUR", "Black European"),
    Code("BNAM", "Black North American"),
    Code("BOTB", "Other Black"),
    Code("CHNE", "Chinese"),
    Code("CHKC", "Hong Kong Chinese"),
    Code("CMAL", "Malaysian Chinese"),
    Code("CSNG", "Singaporean Chinese"),
    Code("CTWN", "Taiwanese"),
    Code("COCH", "Other Chinese"),
    Code("OOTH", "Any Other Ethnic Group"),
    Code("OAFG", "Afghan"),
    Code("ORAB", "Arab"),
    Code("OARA", "Arab Other"),
    Code("OEGY", "Egyptian"),
    Code("OFIL", "Filipino"),
    Code("OIRN", "Iranian"),
    Code("OIRQ", "Iraqi"),
    Code("OJPN", "Japanese"),
    Code("OKOR", "Korean"),
    Code("OKRD", "Kurdish"),
    Code("OLAM", "Latin/ South/ Central American"),
    Code("OLEB", "Lebanese"),
    Code("OLIB", "Libyan"),
    Code("OMAL", "Malay"),
    Code("OMRC", "Moroccan"),
    Code("OPOL", "Polynesian"),
    Code("OTHA", "Thai"),
    Code("OVIE", "Vietnamese"),
    Code("OYEM", "Yemeni"),
    Code("OOEG", "Other Ethnic Group"),
    Code("REFU", "Refused"),
    Code("NOBT", "Information Not Yet Obtained"),
)
UPN_UNKNOWN = _codes(
    ("UN1", "Under 6 and not yet assigned a UPN"),
    ("UN2", "Never attended a state-funded school in England"),
    ("UN3", "Educated outside England"),
    ("UN5", "Sources disagree, so no reliable match"),
    ("UN8", "New to the LA in the last week; UPN or ULN not yet known"),
    ("UN9", "Young person never at a state-funded school or college in England"),
    ("UN10", "Request went no further before the UPN or ULN was known"),
)
REQUEST_SOURCE = _codes(
    ("1", "Parent or young person"),
    ("2", "School or other education setting"),
    ("3", "Health professional"),
    ("4", "Social care professional"),
    ("5", "Other"),
)
REQUEST_OUTCOME = _codes(
    ("Y", "Assessed"),
    ("N", "Decided not to assess"),
    ("A", "Not yet decided"),
    ("W", "Withdrawn before the decision"),
    ("H", "Historical"),
)
ASSESSMENT_OUTCOME = _codes(
    ("Y", "Decided to issue a plan"),
    ("N", "Decided not to issue a plan"),
    ("A", "Not yet decided"),
    ("W", "Withdrawn before the decision"),
    ("H", "Historical or transferred in"),
)
#: PlanRes / Res. DfE redefined the bands for 2026 [S].
RESIDENTIAL_TO_2025 = _codes(("A", "38 to 51 weeks"), ("B", "52 weeks"))
RESIDENTIAL_FROM_2026 = _codes(("A", "Up to 38 weeks"), ("B", "39 to 52 weeks"))
WORK_BASED = _codes(("A", "Apprenticeship"), ("T", "Traineeship"), ("S", "Supported internship"))
DIRECT_PAYMENTS = _codes(
    ("E", "Education"), ("S", "Social care"), ("H", "Health"), ("I", "Integrated")
)
CEASE_REASON = _codes(
    ("1", "Reached maximum age"),
    ("2", "Needs met without a plan"),
    ("3", "Moved on to higher education"),
    ("4", "Moved on to paid employment"),
    ("5", "Moved to another LA in England"),
    ("6", "Young person no longer wishes to engage"),
    ("7", "Moved outside England"),
    ("8", "Deceased"),
    ("9", "Other"),
)
#: Settings without a URN or UKPRN that a plan may name (section I).
PLAN_SETTINGS = _codes(
    ("OLA", "LA arrangements, education otherwise than at school (s61)"),
    ("OPA", "Parent or young person arrangements (s42(5)), not home education"),
    ("EHE", "Elective home education"),
    ("EYP", "Early years provider without a URN"),
    ("OTH", "Other (say what in SENsettingOther)"),
)
#: A placement may also be none at all.
PLACEMENT_SETTINGS = (
    *PLAN_SETTINGS,
    *_codes(
        ("NEET", "Not in education, employment or training (16-25)"),
        ("NIEC", "Not in education: notice to cease issued"),
        ("NIEO", "Not in education: other (say what in SENsettingOther)"),
    ),
)
RANK = _codes(("1", "Primary"), ("2", "Secondary"))
SEN_TYPE_TO_2024 = _codes(
    ("SPLD", "Specific learning difficulty"),
    ("MLD", "Moderate learning difficulty"),
    ("SLD", "Severe learning difficulty"),
    ("PMLD", "Profound and multiple learning difficulty"),
    ("SEMH", "Social, emotional and mental health"),
    ("SLCN", "Speech, language and communication needs"),
    ("HI", "Hearing impairment"),
    ("VI", "Vision impairment"),
    ("MSI", "Multi-sensory impairment"),
    ("PD", "Physical disability"),
    ("ASD", "Autistic spectrum disorder"),
    ("OTH", "Other difficulty or disability"),
)
#: DS (Down syndrome) is new for 2025; DfE publishes it under OTH.
SEN_TYPE = (*SEN_TYPE_TO_2024[:-1], Code("DS", "Down syndrome"), SEN_TYPE_TO_2024[-1])
REVIEW_OUTCOME = _codes(
    ("M", "Maintain the plan"), ("A", "Amend the plan"), ("C", "Cease the plan")
)

URN = r"\d{6}"
UKPRN = r"\d{8}"
LA_CODE = r"\d{3}|XXX"
UPN = r"[A-Za-z]\d{12}|[A-Za-z]\d{11}[A-Za-z]"
ULN = r"\d{10}"


# --- items (the 2025 layout; later years replace what changed) ----------------------------------
def _module(tag: str, use: Use = APPLICABLE, max_occurs: int | None = 1, guide: str = "") -> Item:
    return Item(tag, MODULE, use, max_occurs=max_occurs, guide=guide)


def _setting_items(settings: tuple[Code, ...], prefix: str) -> tuple[Item, ...]:
    """URN | UKPRN | SENsetting (+ SENsettingOther), shared by PlanDetail and PlacementDetail."""
    return (
        Item("URN", TEXT, pattern=URN, guide=f"{prefix}a"),
        Item("UKPRN", TEXT, pattern=UKPRN, guide=f"{prefix}b"),
        Item("SENsetting", CODE, codes=settings, guide=f"{prefix}c"),
        Item("SENsettingOther", TEXT, guide=f"{prefix}c(i)"),
        Item("PlacementRank", CODE, REQUIRED, codes=RANK, guide=f"{prefix}d"),
    )


COLLECTION_DETAILS = (
    Item("Collection", CODE, REQUIRED, codes=_codes(("SEN2", "SEN2"))),
    Item("Year", Kind.YEAR, REQUIRED),
    Item("ReferenceDate", DATE, REQUIRED),
)
SOURCE_2025 = (
    Item("SourceLevel", CODE, REQUIRED, codes=_codes(("L", "Local authority"))),
    Item("LEA", TEXT, REQUIRED, pattern=LA_CODE),
    Item("SoftwareCode", TEXT, REQUIRED),
    Item("Release", TEXT, REQUIRED),
    Item("SerialNo", TEXT, REQUIRED, pattern=r"\d{3}"),
    Item("DateTime", Kind.DATETIME, REQUIRED),
    Item("DMO", CODE, REQUIRED, codes=YES_NO_RECRUITING),
    Item("DCO", CODE, REQUIRED, codes=YES_NO_RECRUITING),
    Item("DSCO", CODE, VOLUNTARY, codes=YES_NO_RECRUITING),
)
PERSON = (
    Item("Surname", TEXT, REQUIRED, guide="1.1"),
    Item("Forename", TEXT, REQUIRED, guide="1.2"),
    Item("PersonBirthDate", DATE, REQUIRED, guide="1.3"),
    Item("Sex", CODE, REQUIRED, codes=SEX, guide="1.4"),
    Item("Ethnicity", CODE, REQUIRED, codes=ETHNICITY, guide="1.5"),
    Item("PostCode", TEXT, guide="1.6"),
    Item("UPN", TEXT, pattern=UPN, guide="1.7a"),
    Item("UniqueLearnerNumber", TEXT, pattern=ULN, guide="1.7b"),
    Item("UPNunknown", CODE, codes=UPN_UNKNOWN, guide="1.7c"),
    _module("Requests", REQUIRED, max_occurs=None),
)
REQUESTS_2025 = (
    Item("ReceivedDate", DATE, guide="2.1"),
    Item("RequestSource", CODE, VOLUNTARY, codes=REQUEST_SOURCE, guide="2.2"),
    Item("RYA", FLAG, codes=YES_NO, guide="2.3"),
    Item("RequestOutcomeDate", DATE, guide="2.4"),
    Item("RequestOutcome", CODE, REQUIRED, codes=REQUEST_OUTCOME, guide="2.5"),
    Item("RequestMediation", FLAG, codes=YES_NO, guide="2.6"),
    Item("RequestTribunal", FLAG, codes=YES_NO, guide="2.7"),
    Item("Exported", TEXT, pattern=LA_CODE, guide="2.8"),
    _module("Assessment"),
    _module("ActivePlans"),
)
ASSESSMENT = (
    Item("AssessmentOutcome", CODE, REQUIRED, codes=ASSESSMENT_OUTCOME, guide="3.1"),
    Item("AssessmentOutcomeDate", DATE, guide="3.2"),
    Item("AssessmentMediation", FLAG, codes=YES_NO, guide="3.3"),
    Item("AssessmentTribunal", FLAG, codes=YES_NO, guide="3.4"),
    Item("OtherMediation", FLAG, codes=YES_NO, guide="3.5"),
    Item("OtherTribunal", FLAG, codes=YES_NO, guide="3.6"),
    Item("Week20", FLAG, codes=YES_NO, guide="3.7"),
    _module("NamedPlan"),
)
NAMED_PLAN_2025 = (
    Item("StartDate", DATE, REQUIRED, guide="4.1"),
    _module("PlanDetail", REQUIRED, max_occurs=2, guide="4.7"),
    Item("PlanRes", CODE, codes=RESIDENTIAL_TO_2025, guide="4.2"),
    Item("PlanWBP", CODE, codes=WORK_BASED, guide="4.3"),
    Item("PB", FLAG, REQUIRED, codes=YES_NO, guide="4.4a"),
    Item("OA", FLAG, codes=YES_NO, guide="4.4b"),
    Item("DP", CODE, codes=DIRECT_PAYMENTS, guide="4.4c"),
    Item("CeaseDate", DATE, guide="4.5"),
    Item("CeaseReason", CODE, codes=CEASE_REASON, guide="4.6"),
)
PLAN_DETAIL = (
    *_setting_items(PLAN_SETTINGS, "4.7"),
    Item("SENunitIndicator", FLAG, codes=YES_NO, guide="4.7e"),
    Item("ResourcedProvisionIndicator", FLAG, codes=YES_NO, guide="4.7f"),
)
TRANSFER_LA = Item("TransferLA", TEXT, pattern=LA_CODE, guide="5.1")
PLACEMENT_DETAIL_ITEM = _module("PlacementDetail", REQUIRED, max_occurs=None, guide="5.7")
SEN_NEED_ITEM = _module("SENneed", REQUIRED, max_occurs=2, guide="5.8")
REVIEW_MEETING = Item("ReviewMeeting", DATE, guide="5.4a")
LAST_REVIEW = Item("LastReview", DATE, guide="5.4b")
REVIEW_OUTCOME_ITEM = Item("ReviewOutcome", CODE, codes=REVIEW_OUTCOME, guide="5.4c")
REVIEW_DRAFT = Item("ReviewDraft", DATE, VOLUNTARY, guide="5.4d")
PHASE_DUE = Item("PhaseTransferDueDate", DATE, VOLUNTARY, guide="5.6a")
PHASE_FINAL = Item("PhaseTransferFinalDate", DATE, VOLUNTARY, guide="5.6b")
ACTIVE_PLANS_2025 = (
    TRANSFER_LA,
    PLACEMENT_DETAIL_ITEM,
    SEN_NEED_ITEM,
    REVIEW_MEETING,
    LAST_REVIEW,
    REVIEW_OUTCOME_ITEM,
    REVIEW_DRAFT,
    PHASE_DUE,
    PHASE_FINAL,
)
PLACEMENT_DETAIL_2025 = (
    *_setting_items(PLACEMENT_SETTINGS, "5.7"),
    Item("EntryDate", DATE, REQUIRED, guide="5.7e"),
    Item("LeavingDate", DATE, guide="5.7f"),
    Item("SENunitIndicator", FLAG, codes=YES_NO, guide="5.7g"),
    Item("ResourcedProvisionIndicator", FLAG, codes=YES_NO, guide="5.7h"),
    Item("Res", CODE, codes=RESIDENTIAL_TO_2025, guide="5.2"),
    Item("WBP", CODE, codes=WORK_BASED, guide="5.3"),
)
SEN_NEED_2025 = (
    Item("SENtype", CODE, REQUIRED, codes=SEN_TYPE, guide="5.8a"),
    Item("SENtypeRank", CODE, REQUIRED, codes=RANK, guide="5.8b"),
)

MODULES_2025: Mapping[str, tuple[Item, ...]] = {
    "Message": (_module("Header", REQUIRED), _module("Persons", REQUIRED)),
    "Header": (_module("CollectionDetails", REQUIRED), _module("Source", REQUIRED)),
    "CollectionDetails": COLLECTION_DETAILS,
    "Source": SOURCE_2025,
    "Persons": (_module("Person", REQUIRED, max_occurs=None),),
    "Person": PERSON,
    "Requests": REQUESTS_2025,
    "Assessment": ASSESSMENT,
    "NamedPlan": NAMED_PLAN_2025,
    "PlanDetail": PLAN_DETAIL,
    "ActivePlans": ACTIVE_PLANS_2025,
    "PlacementDetail": PLACEMENT_DETAIL_2025,
    "SENneed": SEN_NEED_2025,
}


def _replaced(items: tuple[Item, ...], **changes: Mapping[str, object]) -> tuple[Item, ...]:
    """The items with some changed: `_replaced(items, DSCO={"use": REQUIRED})`."""
    return tuple(replace(i, **changes[i.tag]) if i.tag in changes else i for i in items)  # type: ignore[arg-type]


def _without(items: tuple[Item, ...], *tags: str) -> tuple[Item, ...]:
    return tuple(i for i in items if i.tag not in tags)


# 2026: items voluntary in 2025 become mandatory, LastReview moves to the end of ActivePlans,
# and the residential bands are redefined.
_NOW_MANDATORY = {"use": APPLICABLE}
MODULES_2026: Mapping[str, tuple[Item, ...]] = {
    **MODULES_2025,
    "Source": _replaced(SOURCE_2025, DSCO={"use": REQUIRED}),
    "Requests": _replaced(REQUESTS_2025, RequestSource=_NOW_MANDATORY),
    "NamedPlan": _replaced(NAMED_PLAN_2025, PlanRes={"codes": RESIDENTIAL_FROM_2026}),
    "ActivePlans": (
        *_replaced(
            _without(ACTIVE_PLANS_2025, "LastReview"),
            ReviewDraft=_NOW_MANDATORY,
            PhaseTransferDueDate=_NOW_MANDATORY,
            PhaseTransferFinalDate=_NOW_MANDATORY,
        ),
        LAST_REVIEW,
    ),
    "PlacementDetail": _replaced(PLACEMENT_DETAIL_2025, Res={"codes": RESIDENTIAL_FROM_2026}),
}

# 2024 (inferred): without the items the 2025 schema calls new for 2025, and no DS.
MODULES_2024: Mapping[str, tuple[Item, ...]] = {
    **MODULES_2025,
    "Source": _without(SOURCE_2025, "DSCO"),
    "Requests": _without(REQUESTS_2025, "RequestSource"),
    "ActivePlans": _without(
        ACTIVE_PLANS_2025, "ReviewDraft", "PhaseTransferDueDate", "PhaseTransferFinalDate"
    ),
    "SENneed": _replaced(SEN_NEED_2025, SENtype={"codes": SEN_TYPE_TO_2024}),
}
# 2023 (inferred): also without the review meeting and outcome the 2025 schema says were added
# (voluntary) for 2024.
MODULES_2023: Mapping[str, tuple[Item, ...]] = {
    **MODULES_2024,
    "ActivePlans": _without(MODULES_2024["ActivePlans"], "ReviewMeeting", "ReviewOutcome"),
}

_INFERRED = (
    "Inferred from the 2025 schema's notes, not checked against a schema of this year: read "
    "leniently. Where residential and work-based items sat before they moved into "
    "PlacementDetail is not known."
)

LAYOUTS: Mapping[int, Layout] = {
    layout.year: layout
    for layout in (
        Layout(2023, dt.date(2023, 1, 19), None, MODULES_2023, confirmed=False, notes=_INFERRED),
        Layout(2024, dt.date(2024, 1, 18), None, MODULES_2024, confirmed=False, notes=_INFERRED),
        Layout(2025, dt.date(2025, 1, 16), dt.date(2025, 3, 14), MODULES_2025),
        Layout(2026, dt.date(2026, 1, 15), dt.date(2026, 3, 12), MODULES_2026),
    )
}
