"""The register of settings, a case's timeline, and its documents and letters."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404

from cases.models import (
    Child,
    Document,
    Establishment,
    Letter,
    LetterTemplateVersion,
    TimelineEntry,
)
from cases.selectors.children import _scope, _sees_everything
from send_cms.common.search import search_words

# --- establishments and the timeline -------------------------------------------------------------


def establishment_list(*, user: Any) -> QuerySet[Establishment]:
    """The register of settings is not personal data: every role may read it."""
    return Establishment.objects.order_by("name", "urn")


def establishment_search(
    *, q: str, among: QuerySet[Establishment] | None = None
) -> QuerySet[Establishment]:
    """Settings whose name, URN, UKPRN or postcode hold every word of `q` (at most 10 words),
    open ones first, then by name: how a person finds a setting they know by name."""
    words = search_words(q)
    if not words:
        return Establishment.objects.none()
    query = Q()
    for word in words:
        query &= Q(name__icontains=word) | Q(postcode__icontains=word) | Q(urn=word) | Q(ukprn=word)
    settings = among if among is not None else Establishment.objects.all()
    return settings.filter(query).order_by("-is_open", "name", "urn")


def establishment_find(*, reference: str) -> Establishment | None:
    """An establishment by URN (6 digits) or UKPRN (8 digits)."""
    reference = reference.strip()
    if not reference.isdigit():
        return None
    return Establishment.objects.filter(Q(urn=reference) | Q(ukprn=reference)).first()


def timeline_for(*, child: Child) -> QuerySet[TimelineEntry]:
    """The case's timeline, newest first: by the date each step happened (a step recorded late
    is placed on its own date), then, on one day, the later entry first."""
    return (
        TimelineEntry.objects.filter(child=child)
        .select_related("recorded_by", "request")
        .order_by("-occurred_on", "-id")
    )


# --- documents -----------------------------------------------------------------------------------


def document_list(
    *, user: Any, child: Child | None = None, attached_to: Any = None
) -> QuerySet[Document]:
    """The documents the user may see (on children they may read), newest first; of one child,
    or attached to one record of another app (a review, a panel item, an appeal)."""
    documents = _scope(
        Document.objects.select_related(
            "child", "uploaded_by", "advice_request", "plan_version", "attached_type"
        ),
        user,
        "child_id",
    )
    if child is not None:
        documents = documents.filter(child=child)
    if attached_to is not None:
        documents = documents.filter(
            attached_type=ContentType.objects.get_for_model(attached_to),
            attached_id=attached_to.pk,
        )
    return documents.order_by("-created_at", "-id")


def document_get(*, user: Any, pk: Any) -> Document:
    """One document the user may see (404 otherwise: a document of a child they may not read
    is as absent as one that does not exist). The caller records the download."""
    document = document_list(user=user).filter(pk=pk).first()
    if document is None:
        raise Http404("No document with this id.")
    return document


def letter_list(*, user: Any, child: Child | None = None) -> QuerySet[Letter]:
    """Letters made for families, newest first: for those who read casework (panel members see
    the papers of their panels, not the council's letters to the family)."""
    if not _sees_everything(user):
        return Letter.objects.none()
    letters = Letter.objects.select_related(
        "child", "created_by", "template_version__template", "request", "plan"
    )
    if child is not None:
        letters = letters.filter(child=child)
    return letters.order_by("-created_at", "-id")


def letter_get(*, user: Any, pk: Any) -> Letter:
    """One letter the user may read (404 otherwise). The caller records the download."""
    letter = letter_list(user=user).filter(pk=pk).first()
    if letter is None:
        raise Http404("No letter with this id.")
    return letter


def letter_wordings_current() -> dict[str, LetterTemplateVersion]:
    """The wording in use for each kind of letter that has been saved (kinds never saved use
    the built-in wording)."""
    current: dict[str, LetterTemplateVersion] = {}
    for version in LetterTemplateVersion.objects.select_related("template").order_by(
        "template__kind", "-number"
    ):
        current.setdefault(version.template.kind, version)
    return current


def letter_wording_versions(*, kind: str) -> QuerySet[LetterTemplateVersion]:
    """Every version of one kind's wording, newest first."""
    return (
        LetterTemplateVersion.objects.filter(template__kind=kind)
        .select_related("created_by", "template")
        .order_by("-number")
    )
