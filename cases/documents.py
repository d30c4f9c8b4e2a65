"""What a document may be: the file types accepted (checked by content, not by name) and the
records of other apps a document may be attached to.

A file's name and the type the browser declares are whatever the uploader's computer says: a
program renamed to "report.pdf" claims to be a PDF. So the type is read from the file's first
bytes by `filetype` (a maintained, pure-Python signature reader; no libmagic needed), and a file
whose content is none of the accepted types, or whose content disagrees with its name, is
refused. The size limit is the `DOCUMENT_MAX_BYTES` setting.

Annual reviews, panel agenda items and appeals live in apps that build on casework, so casework
cannot import them. Each of those apps registers its model here from its AppConfig.ready
(`register_attachable`), naming how to find the record's child; a document can be attached
only to a registered model, and only to a record of the same child.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

import filetype
from django.conf import settings
from django.db import models
from django.db.models import QuerySet

#: The accepted types: detected MIME type -> (what people call it, file name endings it may have).
ACCEPTED: dict[str, tuple[str, tuple[str, ...]]] = {
    "application/pdf": ("PDF", (".pdf",)),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        "Word document (DOCX)",
        (".docx",),
    ),
    "image/png": ("PNG image", (".png",)),
    "image/jpeg": ("JPEG image", (".jpg", ".jpeg")),
}
ACCEPTED_NAMES = "a PDF, a Word document (DOCX) or a PNG or JPEG image"
#: The browser's hint for the file chooser (the server checks the content whatever it says).
ACCEPT_ATTRIBUTE = ".pdf,.docx,.png,.jpg,.jpeg"
#: How many bytes the type is read from (filetype reads no more than this).
SIGNATURE_BYTES = 8192


def max_bytes() -> int:
    return int(settings.DOCUMENT_MAX_BYTES)


def size_text(size: int) -> str:
    """ "20 MB", "512 KB": a size as people read it."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} MB"
    return f"{max(1, round(size / 1024))} KB"


def detected_type(upload: IO[bytes]) -> str | None:
    """The MIME type the file's content shows, whatever its name says; None if unknown."""
    upload.seek(0)
    head = upload.read(SIGNATURE_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind is not None else None


def extension_matches(filename: str, mime_type: str) -> bool:
    """Whether the file's name ends as a file of its content's type would."""
    return PurePath(filename).suffix.lower() in ACCEPTED[mime_type][1]


# --- records of other apps a document may be attached to ---------------------------------------


@dataclass(frozen=True)
class Attachable:
    """A model documents may be attached to: a name for the API and forms, a label for pages,
    how to find the child a record is about, a child's records (for the upload form) and how
    to name one in a list."""

    name: str
    label: str
    model: type[models.Model]
    child_id_of: Callable[[Any], uuid.UUID]
    records_of: Callable[[uuid.UUID], "QuerySet[Any]"]
    describe: Callable[[Any], str] = str


_attachables: dict[str, Attachable] = {}


def register_attachable(
    *,
    name: str,
    label: str,
    model: type[models.Model],
    child_id_of: Callable[[Any], uuid.UUID],
    records_of: Callable[[uuid.UUID], "QuerySet[Any]"],
    describe: Callable[[Any], str] = str,
) -> None:
    """Let an app that builds on casework accept documents on its records (called once in its
    AppConfig.ready). `name` is the API's field for it, e.g. "appeal"."""
    _attachables[name] = Attachable(
        name=name,
        label=label,
        model=model,
        child_id_of=child_id_of,
        records_of=records_of,
        describe=describe,
    )


def attachables() -> dict[str, Attachable]:
    return dict(_attachables)


def attachable_for(obj: models.Model) -> Attachable | None:
    """The registration of `obj`'s model, if documents may be attached to it."""
    for found in _attachables.values():
        if isinstance(obj, found.model):
            return found
    return None
