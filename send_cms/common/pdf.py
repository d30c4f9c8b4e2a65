"""Render a Django template to PDF with WeasyPrint; static files are read from disk, not fetched."""

from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

from send_cms.common.downloads import content_disposition


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported lazily: it loads Pango, which pages do not need

    names = {"COUNCIL_NAME": settings.COUNCIL_NAME, "SERVICE_NAME": settings.SERVICE_NAME}
    html = render_to_string(template_name, {**names, **context})
    return bytes(HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())


def pdf_response(template_name: str, context: dict[str, Any], filename: str) -> HttpResponse:
    response = HttpResponse(render_pdf(template_name, context), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename, inline=True)
    return response
