"""The base model every casework table uses: a UUID id (the API's ids) and created/updated times."""

import uuid

from django.core.validators import MaxLengthValidator
from django.db import models

#: The longest free text a person types in one box (reasons, notes, views): about 800 words. A
#: box of text is for what a letter or a record needs, not for pasting documents into.
FREE_TEXT_MAX_LENGTH = 5000
FREE_TEXT_TOO_LONG = f"Enter {FREE_TEXT_MAX_LENGTH:,} characters or fewer"


def free_text_validators() -> list[MaxLengthValidator]:
    """The validators of a TextField a person types into (Django checks no length for one)."""
    return [MaxLengthValidator(FREE_TEXT_MAX_LENGTH, message=FREE_TEXT_TOO_LONG)]


class BaseModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
