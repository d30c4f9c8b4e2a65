"""Identifiers the DfE checks: the UPN (with its check letter) and the ULN (mod 11); the
shapes of a UK postcode and of the council's own reference for a child.

The algorithms are those of the Common Basic Data Set (see sen2.md, "Identifiers"). They are
plain functions, used by the services, the forms and the SEN2 validation alike, plus Django
validators that raise a field error in the house words.
"""

import re

from django.core.exceptions import ValidationError

#: The check-letter alphabet: 23 letters, without I, O and S (easily read as 1, 0 and 5).
CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"

UPN_FORMAT = (
    "Enter a UPN as a letter followed by 12 digits, or for a temporary UPN a letter, "
    "11 digits and a letter"
)
UPN_CHECK_LETTER = "The UPN's check letter is wrong: check the UPN has been copied correctly"
ULN_FORMAT = "Enter a ULN as 10 digits"
ULN_CHECK_DIGIT = "The ULN's check digit is wrong: check the ULN has been copied correctly"

_UPN = re.compile(r"^[A-Z][0-9]{12}$")
_TEMPORARY_UPN = re.compile(rf"^[A-Z][0-9]{{11}}[{CHECK_LETTERS}]$")
_ULN = re.compile(r"^[1-9][0-9]{9}$")

POSTCODE_FORMAT = "Enter a real postcode, like AB1 2CD"
#: A UK postcode once spaces are taken out: outward code (area, district), inward code.
_POSTCODE = re.compile(r"^(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR)[0-9][A-Z]{2}$")

REFERENCE_FORMAT = (
    "Enter an LA reference of letters and numbers, with hyphens (-), slashes (/), full stops "
    "or underscores between them"
)
#: A reference appears in file names, letters and links: no spaces, quotes or line breaks.
REFERENCE_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9/._-]*[A-Za-z0-9])?$"


def upn_check_letter(body: str) -> str:
    """The check letter for characters 2 to 13 of a UPN.

    Each character at position i (2..13) is multiplied by i; the sum modulo 23 indexes
    CHECK_LETTERS. A temporary UPN's last character is a letter that counts as its position in
    CHECK_LETTERS (A = 0).
    """
    if len(body) != 12:
        raise ValueError("a UPN body has 12 characters")
    total = 0
    for position, char in enumerate(body, start=2):
        value = int(char) if char.isdigit() else CHECK_LETTERS.index(char)
        total += value * position
    return CHECK_LETTERS[total % 23]


def is_temporary_upn(upn: str) -> bool:
    return bool(_TEMPORARY_UPN.match(upn))


def upn_error(upn: str) -> str | None:
    """Why `upn` is not a valid UPN, or None when it is."""
    if not (_UPN.match(upn) or _TEMPORARY_UPN.match(upn)):
        return UPN_FORMAT
    if upn_check_letter(upn[1:]) != upn[0]:
        return UPN_CHECK_LETTER
    return None


def uln_check_digit(first_nine: str) -> int | None:
    """The ULN's 10th digit for its first nine, or None when no digit can make it valid.

    Weights 10 down to 2 on the first nine digits; the check digit is 10 minus the sum modulo
    11, so that the weighted sum of all ten digits (weight 1 for the check digit) is 10 modulo
    11. A remainder of 0 would need a check digit of 10: such numbers are never issued.
    """
    if len(first_nine) != 9 or not first_nine.isdigit():
        raise ValueError("a ULN starts with nine digits")
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 10 - total % 11
    return None if check == 10 else check


def uln_error(uln: str) -> str | None:
    """Why `uln` is not a valid ULN, or None when it is."""
    if not _ULN.match(uln):
        return ULN_FORMAT
    if uln_check_digit(uln[:9]) != int(uln[9]):
        return ULN_CHECK_DIGIT
    return None


def validate_upn(value: str) -> None:
    message = upn_error(value)
    if message:
        raise ValidationError(message, code="invalid_upn")


def validate_uln(value: str) -> None:
    message = uln_error(value)
    if message:
        raise ValidationError(message, code="invalid_uln")


def normalise_upn(value: str) -> str:
    """Upper case without spaces: how people copy UPNs from letters."""
    return re.sub(r"\s+", "", value or "").upper()


def normalise_uln(value: str) -> str:
    return re.sub(r"\s+", "", value or "")


def normalise_postcode(value: str) -> str:
    """Upper case with one space before the inward code: " sw1a1aa " -> "SW1A 1AA"."""
    compact = re.sub(r"\s+", "", value or "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def postcode_error(value: str) -> str | None:
    """Why `value` is not a UK postcode, or None when it is (or is blank)."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if compact and not _POSTCODE.match(compact):
        return POSTCODE_FORMAT
    return None


def reference_error(value: str) -> str | None:
    """Why `value` cannot be a child's LA reference, or None when it can."""
    if value and not re.match(REFERENCE_PATTERN, value):
        return REFERENCE_FORMAT
    return None
