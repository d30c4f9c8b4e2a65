"""What reporting's tables share: rows written once."""

from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models

USER = settings.AUTH_USER_MODEL


class WriteOnce(models.Model):
    """Rows written once: saving an existing row or deleting one is refused with `refused`."""

    refused: ClassVar[str] = ""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError(self.refused)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError(self.refused)
