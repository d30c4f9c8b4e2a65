"""The demo's fixed material: settings, names, shares and the words caseworkers write."""

from cases.codes import (
    AdviceKind,
    Channel,
    ContactPreference,
    EstablishmentKind,
    Ethnicity,
    RequestSource,
    SenType,
)
from send_cms.timescales import ExceptionType

K = EstablishmentKind

#: Each journey and its share of every 100 children: the cases open today, two years of
#: closed ones, and plans issued before that (in force throughout, or ceased during it).
JOURNEYS = (
    ("plan", 36),
    ("established", 15),
    ("not_assessing", 14),
    ("ceased", 8),
    ("assessing", 6),
    ("received", 4),
    ("not_issuing", 4),
    ("withdrawn", 4),
    ("draft_issued", 3),
    ("transferred_out", 3),
    ("issuing", 3),
)
#: The statutory limits the journeys are drawn around, in days: 6 weeks, 6 weeks, 20 weeks.
DECISION_DAYS, ADVICE_DAYS, FINAL_DAYS = 42, 42, 140

#: name, kind, phase, URN, UKPRN, postcode. The URNs and UKPRN are in a block no real setting has.
ESTABLISHMENTS = (
    ("Oakfield Primary School", K.MAINSTREAM, "Primary", "990101", "", "DB1 2QA"),
    ("St Mary's CofE Primary School", K.MAINSTREAM, "Primary", "990102", "", "DB3 7LP"),
    ("Riverside Primary Academy", K.MAINSTREAM, "Primary", "990103", "", "DB6 1RT"),
    ("Brookside Primary School", K.MAINSTREAM, "Primary", "990104", "", "DB7 4BW"),
    ("Northgate Academy", K.MAINSTREAM, "Secondary", "990201", "", "DB2 9NG"),
    ("Southfields Community School", K.MAINSTREAM, "Secondary", "990202", "", "DB8 3SF"),
    ("Meadow Lane Primary School", K.RESOURCED_PROVISION, "Primary", "990105", "", "DB5 6ML"),
    ("Willow Bank School", K.SPECIAL, "All-through", "990301", "", "DB4 8WB"),
    ("The Orchards Academy", K.SPECIAL, "Secondary", "990302", "", "DB7 2PA"),
    ("Heathfield House School", K.INDEPENDENT_SPECIAL, "All-through", "990401", "", "DB9 5HH"),
    ("Horizon Learning Centre", K.ALTERNATIVE_PROVISION, "Secondary", "990501", "", "DB2 4HL"),
    ("Demo Borough College", K.FURTHER_EDUCATION, "16 plus", "", "10099001", "DB1 1DC"),
    ("Little Acorns Nursery", K.EARLY_YEARS, "Nursery", "990601", "", "DB6 3LA"),
)
#: Funding band (code, annual value) by kind of setting; independent places have their own fee.
BANDS: dict[str, tuple[tuple[str, int], ...]] = {
    K.MAINSTREAM: (("M2", 7500), ("M3", 11000), ("M4", 15000)),
    K.RESOURCED_PROVISION: (("R2", 16500),),
    K.SPECIAL: (("S3", 21500), ("S4", 26000), ("S5", 32000)),
    K.FURTHER_EDUCATION: (("F2", 9000),),
    K.EARLY_YEARS: (("EY1", 5000),),
    K.ALTERNATIVE_PROVISION: (("A2", 18000),),
}
INDEPENDENT_FEE_REASON = "Individual fee: no maintained special school place can meet needs."
TUITION_REASON = "Tuition and mentoring package agreed by the provision panel."

FIRST_NAMES = {
    "M": (
        "Oliver",
        "Noah",
        "Muhammad",
        "Leo",
        "Harry",
        "Jack",
        "Arthur",
        "Theo",
        "Oscar",
        "Isaac",
        "Yusuf",
        "Mason",
        "Ethan",
        "Kacper",
        "Reuben",
        "Tobias",
        "Kai",
        "Zain",
        "Alfie",
        "Samuel",
        "Dylan",
        "Ibrahim",
        "Logan",
        "Femi",
        "Rory",
        "Caleb",
        "Jayden",
        "Arjun",
    ),
    "F": (
        "Olivia",
        "Amelia",
        "Isla",
        "Ava",
        "Lily",
        "Freya",
        "Sophia",
        "Grace",
        "Mia",
        "Aisha",
        "Maryam",
        "Poppy",
        "Evie",
        "Zara",
        "Ruby",
        "Hannah",
        "Chloe",
        "Maya",
        "Amira",
        "Nia",
        "Erin",
        "Layla",
        "Ella",
        "Zofia",
        "Imogen",
        "Jasmine",
        "Priya",
        "Esme",
    ),
}
LAST_NAMES = (
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Wright",
    "Robinson",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Khan",
    "Lewis",
    "Harris",
    "Clarke",
    "Jackson",
    "Wood",
    "Turner",
    "Hussain",
    "Ahmed",
    "Begum",
    "Murphy",
    "Kowalski",
    "Nowak",
    "Okafor",
    "Mensah",
    "Adeyemi",
    "Campbell",
    "Hughes",
    "Edwards",
    "Ali",
    "Shah",
    "Ward",
    "Morris",
    "Price",
    "Bennett",
    "Cooper",
    "Kelly",
    "Reid",
    "Fraser",
    "Akhtar",
    "Mahmood",
    "Osei",
    "Baker",
    "Palmer",
    "Gray",
)
STREETS = ("Church Road", "Station Road", "Mill Lane", "Park Avenue", "Victoria Street")
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
#: Postcode districts DB1-DB4 are the north team's patch, DB5-DB8 the south team's.
NORTH_DISTRICTS = range(1, 5)

ETHNICITIES = (
    (Ethnicity.WBRI, 58),
    (Ethnicity.WOTH, 6),
    (Ethnicity.APKN, 6),
    (Ethnicity.BAFR, 5),
    (Ethnicity.AIND, 4),
    (Ethnicity.MWBC, 4),
    (Ethnicity.ABAN, 3),
    (Ethnicity.BCRB, 3),
    (Ethnicity.MOTH, 3),
    (Ethnicity.WROM, 2),
    (Ethnicity.CHNE, 1),
    (Ethnicity.OOTH, 2),
    (Ethnicity.NOBT, 3),
)
#: Primary needs in about the shares of the national SEN2 return.
NEEDS = (
    (SenType.ASD, 31),
    (SenType.SLCN, 20),
    (SenType.SEMH, 15),
    (SenType.MLD, 9),
    (SenType.SLD, 5),
    (SenType.SPLD, 5),
    (SenType.PD, 4),
    (SenType.PMLD, 2),
    (SenType.HI, 2),
    (SenType.VI, 1),
    (SenType.DS, 2),
    (SenType.OTH, 4),
)
SPECIAL_NEEDS = frozenset({SenType.SLD, SenType.PMLD, SenType.DS})
#: Ages (in years, today) by phase: early years, primary, secondary, post-16.
AGE_BANDS = (((2, 4), 14), ((5, 10), 44), ((11, 15), 30), ((16, 19), 12))
SOURCES = (
    (RequestSource.PARENT_OR_YOUNG_PERSON, 52),
    (RequestSource.SCHOOL, 38),
    (RequestSource.HEALTH, 6),
    (RequestSource.SOCIAL_CARE, 3),
    (RequestSource.OTHER, 1),
)
CHANNELS = ((Channel.EMAIL, 45), (Channel.ONLINE, 35), (Channel.POST, 15), (Channel.HAND, 5))
RELATIONSHIPS = (
    ("Mother", 55),
    ("Father", 25),
    ("Grandmother", 6),
    ("Foster carer", 8),
    ("Carer", 6),
)
PREFERENCES = (
    (ContactPreference.EMAIL, 60),
    (ContactPreference.PHONE, 30),
    (ContactPreference.POST, 10),
)
PROVIDERS: dict[str, str] = {
    AdviceKind.PSYCHOLOGICAL: "Demo Borough Educational Psychology Service",
    AdviceKind.HEALTH: "Demo Community Health NHS Trust (designated clinical officer)",
    AdviceKind.SOCIAL_CARE: "Children's Social Care, Demo Borough Council",
    AdviceKind.OTHER: "Sensory and physical support service",
}
ASSESS_REASONS = {
    "assess": "The evidence from the family and the setting shows the child may have special "
    "educational needs that may need provision through an EHC plan (section 36(8)).",
    "not_assess": "Needs can be met from the setting's own resources through SEN support. The "
    "SEND team will advise the school on a costed provision map and review it in a term.",
}
ISSUE_REASONS = {
    "issue": "The assessment shows provision is needed beyond what the setting can make from "
    "its own resources.",
    "not_issue": "The advice shows needs can be met through SEN support; it will be shared with "
    "the setting to plan that support.",
}
EXCEPTION_REASONS = {
    ExceptionType.personal_circumstances: "The child was in hospital and the family asked for "
    "the assessment to pause until they were home.",
    ExceptionType.absence_from_area: "The family were abroad caring for a relative.",
    ExceptionType.missed_appointment: "The family missed the adviser's appointment; a new one "
    "was booked.",
    ExceptionType.school_closure: "The school was closed for the summer holidays when its "
    "advice was due.",
}
WITHDRAWALS = (
    "The family withdrew the request: the school's extra support is now working.",
    "The parent withdrew the request to wait for the CAMHS assessment.",
    "The young person withdrew the request after starting an apprenticeship.",
)
REALLOCATION = "The family moved across the borough: the case goes to the local team."
#: Neighbouring councils a family may move to (DfE LA codes).
NEW_LA_CODES = ("872", "873", "886", "937")
