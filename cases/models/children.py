"""The child or young person, their contacts, who holds the case, and the settings they attend."""

from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor

from cases.codes import ContactPreference, EstablishmentKind, Ethnicity, Sex, UpnUnknown
from cases.validators import REFERENCE_FORMAT, REFERENCE_PATTERN
from send_cms.common.models import BaseModel, free_text_validators
from send_cms.common.versioning import Versioned
from send_cms.deadlines.models import NextDeadline

USER = settings.AUTH_USER_MODEL


class Establishment(BaseModel):
    """A school, college or other setting, usually from Get Information About Schools."""

    urn = models.CharField("URN", max_length=6, blank=True)
    ukprn = models.CharField("UKPRN", max_length=8, blank=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=EstablishmentKind.choices)
    phase = models.CharField(max_length=60, blank=True)
    la_code = models.CharField("LA code", max_length=3, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    is_open = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["urn"], condition=~Q(urn=""), name="establishment_urn_unique"
            ),
            models.UniqueConstraint(
                fields=["ukprn"], condition=~Q(ukprn=""), name="establishment_ukprn_unique"
            ),
            models.CheckConstraint(
                condition=Q(urn="") | Q(urn__regex=r"^[0-9]{6}$"), name="establishment_urn_6_digits"
            ),
            models.CheckConstraint(
                condition=Q(ukprn="") | Q(ukprn__regex=r"^[0-9]{8}$"),
                name="establishment_ukprn_8_digits",
            ),
        ]

    def __str__(self) -> str:
        ref = self.urn or self.ukprn
        return f"{self.name} ({ref})" if ref else self.name


class _NextDeadlineDescriptor(ForwardManyToOneDescriptor):  # type: ignore[type-arg]
    """`child.next_deadline`: None when the child has nothing to meet (no row, not an error)."""

    def get_object(self, instance: Any) -> Any:
        try:
            return super().get_object(instance)
        except NextDeadline.DoesNotExist:
            return None


class NextDeadlineRelation(models.ForeignObject):  # type: ignore[type-arg]
    """A join to the stored next deadline on the child's own id: no column, no constraint."""

    forward_related_accessor_class = _NextDeadlineDescriptor


class Child(Versioned, BaseModel):
    """A child or young person (0-25): the subject of a case."""

    reference = models.CharField(
        "LA reference",
        max_length=20,
        unique=True,
        validators=[RegexValidator(REFERENCE_PATTERN, message=REFERENCE_FORMAT)],
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    upn = models.CharField("UPN", max_length=13, blank=True)
    uln = models.CharField("ULN", max_length=10, blank=True)
    upn_unknown = models.CharField(
        "Reason the UPN is unknown", max_length=4, choices=UpnUnknown.choices, blank=True
    )
    postcode = models.CharField(max_length=10, blank=True)
    current_setting = models.ForeignKey(
        Establishment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    caseworker = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="caseload"
    )
    # The next deadline to meet, stored by the deadlines app on the child's id (no column here):
    # caseloads sort and filter by it through its table's index.
    next_deadline = NextDeadlineRelation(  # type: ignore[misc]
        NextDeadline,
        on_delete=models.DO_NOTHING,
        from_fields=["id"],
        to_fields=["child_id"],
        null=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = "child or young person"
        verbose_name_plural = "children and young people"
        constraints = [
            models.UniqueConstraint(fields=["upn"], condition=~Q(upn=""), name="child_upn_unique"),
            models.CheckConstraint(
                condition=~(~Q(upn="") & ~Q(upn_unknown="")), name="child_upn_or_reason_not_both"
            ),
        ]
        indexes = [
            models.Index(
                fields=["last_name", "first_name", "date_of_birth"], name="child_name_dob_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.reference})"

    def clean_fields(self, exclude: Any = None) -> None:
        # The next deadline is the deadlines app's, not a value of the child to check.
        super().clean_fields(exclude={*(exclude or ()), "next_deadline"})

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Contact(BaseModel):
    """A parent or carer (or the young person's chosen contact)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=60)
    parental_responsibility = models.BooleanField(default=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    address = models.TextField(blank=True, validators=free_text_validators())
    preferred_contact = models.CharField(
        max_length=10, choices=ContactPreference.choices, default=ContactPreference.EMAIL
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})"


class Allocation(BaseModel):
    """History of who held the case: one row per (re)allocation."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="allocations")
    caseworker = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    allocated_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.child_id} -> {self.caseworker_id}"
