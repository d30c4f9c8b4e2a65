"""Render a Django template to PDF with WeasyPrint, which may read the app's own static files and
nothing else.

A PDF is built from text that caseworkers, families' letters and imports put in the database.
Templates escape it, but a renderer that follows any URL would turn one slip (or a future
template's `|safe`) into reading the server's files (file:///etc/...) or calling internal
addresses from inside the council's network. So the URL fetcher refuses everything except
`data:` URIs and files under the static directories.
"""

from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string

from send_cms.common.downloads import content_disposition

REFUSED = "PDFs may use only the app's own static files: {url}"


class URLRefused(ValueError):
    """WeasyPrint logs it and renders without the resource."""


@cache
def static_roots() -> tuple[Path, ...]:
    """Every directory a static file is served from (the finders' and STATIC_ROOT), resolved."""
    roots = [Path(settings.STATIC_ROOT)]
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location))
    return tuple(dict.fromkeys(root.resolve() for root in roots))


def allowed_file(url: str) -> Path | None:
    """The local file a file:// URL names, if it is a static file; None otherwise."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(url2pathname(unquote(parts.path))).resolve()  # symlinks and .. resolved first
    if not path.is_file():
        return None
    if any(path.is_relative_to(root) for root in static_roots()):
        return path
    return None


@cache
def _fetcher_class() -> type[Any]:
    from weasyprint.urls import URLFetcher  # lazily: importing WeasyPrint loads Pango

    class StaticFilesOnly(URLFetcher):  # type: ignore[misc]
        """WeasyPrint's fetcher with every scheme but data: refused, and file: only for static
        files. http(s), ftp and other file URLs fetch nothing (WeasyPrint leaves the resource
        out and logs why)."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if urlsplit(url).scheme.lower() == "data":
                return super().fetch(url, headers)
            path = allowed_file(url)
            if path is None:
                raise URLRefused(REFUSED.format(url=url[:200]))
            return super().fetch(path.as_uri(), headers)

    return StaticFilesOnly


def url_fetcher() -> Any:
    """A new restricted fetcher (WeasyPrint keeps state on it while rendering)."""
    return _fetcher_class()()


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported lazily: it loads Pango, which pages do not need

    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=url_fetcher())
    return bytes(document.write_pdf())


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    names = {"COUNCIL_NAME": settings.COUNCIL_NAME, "SERVICE_NAME": settings.SERVICE_NAME}
    return html_to_pdf(render_to_string(template_name, {**names, **context}))


def pdf_response(template_name: str, context: dict[str, Any], filename: str) -> HttpResponse:
    response = HttpResponse(render_pdf(template_name, context), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename, inline=True)
    return response
