"""UPN check letters and ULN check digits, with the DfE's own examples."""

import pytest
from django.core.exceptions import ValidationError

from cases.validators import (
    ULN_CHECK_DIGIT,
    ULN_FORMAT,
    UPN_CHECK_LETTER,
    UPN_FORMAT,
    is_temporary_upn,
    normalise_upn,
    uln_check_digit,
    uln_error,
    upn_check_letter,
    upn_error,
    validate_uln,
    validate_upn,
)


@pytest.mark.parametrize("upn", ["H801200001001", "G80120000101A"])
def test_the_dfe_examples_are_valid(upn: str) -> None:
    assert upn_error(upn) is None
    validate_upn(upn)


def test_the_dfe_invalid_example_has_the_wrong_check_letter() -> None:
    assert upn_error("Z801200001001") == UPN_CHECK_LETTER
    with pytest.raises(ValidationError) as caught:
        validate_upn("Z801200001001")
    assert caught.value.messages == [UPN_CHECK_LETTER]


def test_the_check_letter_is_computed_by_the_weighted_sum() -> None:
    # 8*2 + 1*4 + 2*5 + 1*10 + 1*13 = 53; 53 mod 23 = 7 -> H (the 8th letter, no I, O or S).
    assert upn_check_letter("801200001001") == "H"
    # Temporary: the final letter A counts as 0 -> 52 mod 23 = 6 -> G.
    assert upn_check_letter("80120000101A") == "G"
    assert is_temporary_upn("G80120000101A")
    assert not is_temporary_upn("H801200001001")


@pytest.mark.parametrize(
    "upn",
    [
        "",
        "H80120000100",  # 12 characters
        "H8012000010011",  # 14 characters
        "880120000100A",  # no leading letter
        "H80120000101I",  # I is not a check letter
        "h801200001001",  # lower case (the services normalise before checking)
    ],
)
def test_malformed_upns_say_what_a_upn_looks_like(upn: str) -> None:
    assert upn_error(upn) == UPN_FORMAT


def test_upns_are_normalised_as_people_copy_them() -> None:
    assert normalise_upn(" h801 2000 01001 ") == "H801200001001"


def test_a_uln_with_its_mod_11_check_digit() -> None:
    # Weights 10..2 on 123456789: 210; 210 mod 11 = 1; check digit 10 - 1 = 9.
    assert uln_check_digit("123456789") == 9
    assert uln_error("1234567899") is None
    validate_uln("1234567899")
    # Every digit weighted (10..1) sums to 10 modulo 11.
    digits = [int(d) for d in "1234567899"]
    assert sum(d * w for d, w in zip(digits, range(10, 0, -1), strict=True)) % 11 == 10


def test_a_uln_with_the_wrong_check_digit_is_refused() -> None:
    assert uln_error("1234567890") == ULN_CHECK_DIGIT
    with pytest.raises(ValidationError) as caught:
        validate_uln("1234567890")
    assert caught.value.messages == [ULN_CHECK_DIGIT]


def test_no_check_digit_can_complete_a_remainder_of_zero() -> None:
    # 100000006: 1*10 + 6*2 = 22; 22 mod 11 = 0, so the check digit would have to be 10.
    assert uln_check_digit("100000006") is None
    assert all(uln_error(f"100000006{d}") == ULN_CHECK_DIGIT for d in range(10))


@pytest.mark.parametrize("uln", ["", "123456789", "12345678901", "0123456789", "12345x7899"])
def test_malformed_ulns(uln: str) -> None:
    assert uln_error(uln) == ULN_FORMAT
