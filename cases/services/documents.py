"""Documents on a child's record: an upload checked (type by content, size), stored through
Django's storage API (the `default` storage: the file system, or S3-compatible storage by
setting) and audited; an advice report can record its advice as received in the same step."""

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction

from cases import documents as rules
from cases import messages as msg
from cases.models import AdviceRequest, Child, Document, DocumentKind, PlanVersion
from cases.services.common import (
    Errors,
    actor_user,
    add_error,
    check_not_future,
    raise_if,
    timeline_record,
    today,
)
from cases.services.requests import advice_request_receive
from send_cms.accounts.actor import Actor
from send_cms.audit.services import record
from send_cms.common.exceptions import TransitionNotAllowed

UPLOADED = "document.uploaded"


def check_file(file: UploadedFile) -> tuple[str, str]:
    """The file's safe display name and its type read from its content; ValidationError on
    "file" when it is empty, too big, of a type not accepted, or not what its name says."""
    name = (file.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255]
    size = file.size or 0
    if size == 0:
        raise ValidationError({"file": [msg.DOCUMENT_EMPTY]})
    limit = rules.max_bytes()
    if size > limit:
        raise ValidationError({"file": [msg.DOCUMENT_TOO_BIG.format(limit=rules.size_text(limit))]})
    mime_type = rules.detected_type(file)
    if mime_type not in rules.ACCEPTED:
        claimed = next(
            (label for label, endings in rules.ACCEPTED.values() if name.lower().endswith(endings)),
            None,
        )
        if claimed is not None:
            # A ".pdf" that is a ZIP or a program: say so, not just "wrong type".
            raise ValidationError({"file": [msg.DOCUMENT_NOT_WHAT_IT_SAYS.format(kind=claimed)]})
        raise ValidationError({"file": [msg.DOCUMENT_WRONG_TYPE]})
    if not rules.extension_matches(name, mime_type):
        raise ValidationError(
            {
                "file": [
                    msg.DOCUMENT_NAME_DISAGREES.format(
                        kind=rules.ACCEPTED[mime_type][0], ending=rules.ACCEPTED[mime_type][1][0]
                    )
                ]
            }
        )
    return name, mime_type


def _sha256(file: UploadedFile) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _check_links(
    errors: Errors,
    *,
    child: Child,
    advice_request: AdviceRequest | None,
    plan_version: PlanVersion | None,
    attached_to: models.Model | None,
) -> None:
    if advice_request is not None and advice_request.request.child_id != child.pk:
        add_error(errors, "advice_request", msg.DOCUMENT_OTHER_CHILD)
    if plan_version is not None and plan_version.plan.child_id != child.pk:
        add_error(errors, "plan_version", msg.DOCUMENT_OTHER_CHILD)
    if attached_to is not None:
        found = rules.attachable_for(attached_to)
        if found is None:
            add_error(errors, "attached_to_id", msg.DOCUMENT_CANNOT_ATTACH)
        elif found.child_id_of(attached_to) != child.pk:
            add_error(errors, "attached_to_id", msg.DOCUMENT_OTHER_CHILD)


@transaction.atomic
def document_upload(
    *,
    actor: Actor | None,
    child: Child,
    file: UploadedFile,
    kind: str,
    title: str = "",
    received_on: dt.date | None = None,
    advice_request: AdviceRequest | None = None,
    plan_version: PlanVersion | None = None,
    attached_to: models.Model | None = None,
    advice_received: bool = False,
) -> Document:
    """Keep an uploaded file on the child's record.

    With `advice_received` (an advice report for an advice request still awaited), the advice
    is recorded as received on `received_on` through the advice service, in the same
    transaction: the report and the step stand or fall together.
    """
    errors: Errors = {}
    try:
        filename, mime_type = check_file(file)
    except ValidationError as error:
        errors.update(error.message_dict)
        filename, mime_type = "", ""
    check_not_future(errors, "received_on", received_on, "The date it was received")
    _check_links(
        errors,
        child=child,
        advice_request=advice_request,
        plan_version=plan_version,
        attached_to=attached_to,
    )
    if advice_received:
        if advice_request is None:
            add_error(errors, "advice_request", msg.DOCUMENT_RECEIVED_NEEDS_ADVICE)
        elif kind != DocumentKind.ADVICE:
            add_error(errors, "kind", msg.DOCUMENT_RECEIVED_NEEDS_ADVICE_KIND)
        if received_on is None:
            add_error(errors, "received_on", msg.DOCUMENT_RECEIVED_NEEDS_DATE)
    raise_if(errors)

    if advice_received:
        assert advice_request is not None
        assert received_on is not None
        try:
            advice_request_receive(actor=actor, advice=advice_request, received_on=received_on)
        except TransitionNotAllowed as refused:
            raise ValidationError({"advice_request": [str(refused)]}) from refused

    document = Document(
        child=child,
        kind=kind,
        title=(title or filename)[:200],
        filename=filename,
        mime_type=mime_type,
        size=file.size or 0,
        sha256=_sha256(file),
        received_on=received_on,
        advice_request=advice_request,
        plan_version=plan_version,
        attached_to=attached_to,
        uploaded_by=actor_user(actor),
    )
    document.full_clean(exclude=["file"])
    # The storage writes the file (a local folder, or a bucket) under a name it chooses from
    # the document's id; if the row then cannot be saved, the file is removed again.
    document.file.save(filename, file, save=False)
    try:
        with transaction.atomic():
            document.save(force_insert=True)
    except Exception:
        document.file.delete(save=False)
        raise
    record(
        actor=actor,
        action=UPLOADED,
        obj=document,
        child_id=child.pk,
        changes={
            "kind": kind,
            "title": document.title,
            "filename": filename,
            "size": document.size,
            "type": mime_type,
            "advice_request": advice_request,
            "plan_version": plan_version,
            "attached_to": f"{attached_to._meta.label_lower} {attached_to.pk}"
            if attached_to is not None
            else None,
        },
    )
    timeline_record(
        actor=actor,
        child=child,
        event=UPLOADED,
        title=f"{DocumentKind(kind).label} added",
        occurred_on=received_on or today(),
        detail=document.title,
        request=advice_request.request if advice_request is not None else None,
        plan=plan_version.plan if plan_version is not None else None,
    )
    return document
