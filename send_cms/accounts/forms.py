"""Forms for signing in: the second factor's code."""

from django import forms
from django.core.validators import RegexValidator

from send_cms.common.forms import GovukForm

CODE_REQUIRED = "Enter the 6-digit code from your authenticator app"
CODE_FORMAT = "The code must be 6 digits, like 123456"
CODE_WRONG = (
    "The code is not right. Enter the 6-digit code your authenticator app shows now, "
    "and check the time on your phone is set automatically"
)


class SecondFactorForm(GovukForm):
    otp_token = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code changes every 30 seconds.",
        error_messages={"required": CODE_REQUIRED},
        validators=[RegexValidator(r"^\d{6}$", CODE_FORMAT)],
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-5",
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "spellcheck": "false",
            }
        ),
    )

    def clean_otp_token(self) -> str:
        return str(self.cleaned_data["otp_token"]).replace(" ", "")
