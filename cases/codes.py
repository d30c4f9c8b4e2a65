"""Code lists of the field: the API's slugs and the DfE's SEN2 / CBDS codes, defined once.

Where SEN2 defines a code the stored value is the SEN2 code, so the return needs no mapping.
"""

from django.db import models


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"


class Ethnicity(models.TextChoices):
    """CBDS main ethnicity codes (SEN2 Ethnicity)."""

    WBRI = "WBRI", "White - British"
    WIRI = "WIRI", "White - Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WOTH = "WOTH", "Any other White background"
    WROM = "WROM", "Gypsy / Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Black Caribbean"
    BAFR = "BAFR", "Black - African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class UpnUnknown(models.TextChoices):
    """SEN2 UPNunknown: why a child has no UPN."""

    UN1 = "UN1", "UN1: child under 6 years old who has no UPN"
    UN2 = "UN2", "UN2: never attended a state school in England"
    UN3 = "UN3", "UN3: educated outside England"
    UN5 = "UN5", "UN5: sources disagree, no reliable match"
    UN8 = "UN8", "UN8: new to the LA in the last week"
    UN9 = "UN9", "UN9: young person never at a state school or college in England"
    UN10 = "UN10", "UN10: request went no further before the UPN was known"


class RequestSource(models.TextChoices):
    """api.md slugs; `sen2_code` gives SEN2 RequestSource 1-5."""

    PARENT_OR_YOUNG_PERSON = "parent_or_young_person", "Parent or young person"
    SCHOOL = "school", "School or education setting"
    HEALTH = "health", "Health professional"
    SOCIAL_CARE = "social_care", "Social care professional"
    OTHER = "other", "Other"

    @property
    def sen2_code(self) -> int:
        return list(RequestSource).index(self) + 1


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    ONLINE = "online", "Online form"
    HAND = "hand", "By hand"
    PHONE = "phone", "Phone"
    POST = "post", "Post"


class EstablishmentKind(models.TextChoices):
    MAINSTREAM = "mainstream", "Mainstream school or academy"
    RESOURCED_PROVISION = "resourced_provision", "Resourced provision or SEN unit"
    SPECIAL = "special", "Maintained special school or special academy"
    INDEPENDENT_SPECIAL = "independent_special", "Independent or non-maintained special school"
    ALTERNATIVE_PROVISION = "alternative_provision", "Alternative provision or PRU"
    FURTHER_EDUCATION = "further_education", "Further education or specialist post-16"
    EARLY_YEARS = "early_years", "Early years provider"
    OTHER = "other", "Other"


class SenType(models.TextChoices):
    """SEN2 SENtype: primary and secondary need."""

    SPLD = "SPLD", "Specific learning difficulty"
    MLD = "MLD", "Moderate learning difficulty"
    SLD = "SLD", "Severe learning difficulty"
    PMLD = "PMLD", "Profound and multiple learning difficulty"
    SEMH = "SEMH", "Social, emotional and mental health"
    SLCN = "SLCN", "Speech, language and communication needs"
    HI = "HI", "Hearing impairment"
    VI = "VI", "Vision impairment"
    MSI = "MSI", "Multi-sensory impairment"
    PD = "PD", "Physical disability"
    ASD = "ASD", "Autistic spectrum disorder"
    DS = "DS", "Down syndrome"
    OTH = "OTH", "Other difficulty or disability"


class SenSetting(models.TextChoices):
    """SEN2 SENsetting: a setting without a URN or UKPRN."""

    OLA = "OLA", "LA arranged, education otherwise than at school (s61)"
    OPA = "OPA", "Parent or young person arranged (s42(5)), not home education"
    EHE = "EHE", "Elective home education"
    EYP = "EYP", "Early years provider without a URN"
    OTH = "OTH", "Other arrangement"
    NEET = "NEET", "Not in education, employment or training"
    NIEC = "NIEC", "Not in education: notice to cease issued"
    NIEO = "NIEO", "Not in education: other"


# Not valid in a plan's section I (SEN2 rule N04); placement only.
PLACEMENT_ONLY_SETTINGS = frozenset({SenSetting.NEET, SenSetting.NIEC, SenSetting.NIEO})


# Section I ranks a named setting: 1 for the setting named, 2 for a second (e.g. dual placement).
SETTING_RANKS = [(1, "1"), (2, "2")]


class CeaseReason(models.IntegerChoices):
    """SEN2 CeaseReason."""

    MAXIMUM_AGE = 1, "Reached maximum age"
    NEEDS_MET = 2, "Needs met without a plan"
    HIGHER_EDUCATION = 3, "Moved on to higher education"
    PAID_EMPLOYMENT = 4, "Moved on to paid employment"
    MOVED_LA_ENGLAND = 5, "Moved to another LA in England"
    NO_LONGER_ENGAGES = 6, "Young person no longer wishes to engage"
    MOVED_OUTSIDE_ENGLAND = 7, "Moved outside England"
    DECEASED = 8, "Deceased"
    OTHER = 9, "Other"


class AdviceKind(models.TextChoices):
    """The advice and information of regulation 6(1) an assessment seeks."""

    EDUCATIONAL = "educational", "Educational"
    PSYCHOLOGICAL = "psychological", "Educational psychology"
    HEALTH = "health", "Health"
    SOCIAL_CARE = "social_care", "Social care"
    # Regulation 6(1)(a): the family's own advice and information.
    PARENT = "parent", "Parent or young person"
    # Regulation 6(1)(g): in or beyond year 9, provision for adulthood and independent living.
    PREPARING_FOR_ADULTHOOD = "preparing_for_adulthood", "Preparing for adulthood (from year 9)"
    OTHER = "other", "Other"

    @property
    def advice(self) -> str:
        """The advice as a sentence names it: "Educational psychology advice"."""
        return _ADVICE_NAMES.get(self, f"{self.label} advice")


_ADVICE_NAMES = {
    AdviceKind.PARENT: "Parent's or young person's advice",
    AdviceKind.PREPARING_FOR_ADULTHOOD: "Preparing for adulthood advice",
}

#: The family's own advice has no 6 weeks: regulation 8 binds the bodies the council asks to
#: co-operate in the assessment, not the parent or young person (regulation 6(1)(a)).
ADVICE_WITHOUT_TIME_LIMIT = frozenset({AdviceKind.PARENT})


class ContactPreference(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    POST = "post", "Post"
