"""The GOV.UK date input gives the Design System's messages, and never loses what was typed."""

import datetime as dt

import pytest

from send_cms.common.forms import GovukDateField, GovukForm


class DateForm(GovukForm):
    received_on = GovukDateField(label="Date received")


def _form(day: str, month: str, year: str) -> DateForm:
    return DateForm({"received_on_day": day, "received_on_month": month, "received_on_year": year})


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter date received"),
        ("30", "2", "2026", "Date received must be a real date"),
        ("8", "", "2025", "Date received must include a month"),
        ("", "", "2025", "Date received must include a day and month"),
        ("8", "9", "25", "Year must include 4 numbers"),
        ("eight", "9", "2025", "Date received must be a real date"),
    ],
)
def test_date_errors(day: str, month: str, year: str, message: str) -> None:
    form = _form(day, month, year)
    assert not form.is_valid()
    assert form.errors["received_on"] == [message]
    html = str(form)
    assert "govuk-form-group--error" in html
    assert f'value="{day}"' in html if day else True


def test_a_real_date_is_accepted() -> None:
    form = _form("29", "2", "2028")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["received_on"] == dt.date(2028, 2, 29)


def test_the_date_renders_as_a_fieldset_with_day_month_year() -> None:
    html = str(DateForm())
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Date received' in html
    for part in ("Day", "Month", "Year"):
        assert f">{part}</label>" in html
