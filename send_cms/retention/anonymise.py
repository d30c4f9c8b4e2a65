"""Anonymising what people typed, for the apps' disposers.

Every text box of a record (each TextField, found from the model, so a box added later is
anonymised too) and the named short fields are overwritten in one UPDATE per table: emptied
where the field may be empty, or replaced by `REMOVED` where the record needs text. A record
edited by people (one with a `version`) has its version raised, so a form opened before the
disposal cannot write the old text back.
"""

from typing import Any

from django.db import models
from django.db.models import F

from send_cms.common.versioning import Versioned

#: What anonymised text reads, where a field may not be empty.
REMOVED = "[Removed: retention period ended]"


def anonymise_text(queryset: models.QuerySet[Any], *, also: tuple[str, ...] = ()) -> int:
    """Overwrite every text box of the queryset's records and the fields named in `also`;
    the number of records changed."""
    model = queryset.model
    values: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if isinstance(field, models.TextField) or field.name in also:
            values[field.name] = "" if field.blank else REMOVED
    if not values:
        return 0
    if issubclass(model, Versioned):
        values["version"] = F("version") + 1
    return queryset.update(**values)
