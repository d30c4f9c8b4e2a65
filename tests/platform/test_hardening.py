"""What the responses tell browsers, proxies and API clients: nothing kept, nothing inline, errors
as JSON under /api/, the health check saying only "ok"; and PDFs that fetch nothing but static
files."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from pypdf import PdfReader
from rest_framework.test import APIClient

from send_cms.common import pdf
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
GOVUK_PNG = ROOT / "node_modules/govuk-frontend/dist/govuk/assets/images/govuk-icon-180.png"


def _csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
        for part in (p.strip() for p in header.split(";"))
        if part
    }


# --- headers ------------------------------------------------------------------------------------
def test_a_page_is_not_stored_and_allows_no_inline_script_or_style(
    caseworker_client: Client,
) -> None:
    child = ChildFactory.create()
    response = caseworker_client.get(f"/cases/{child.pk}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    csp = _csp(response)
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_an_api_response_is_not_stored(caseworker_api: APIClient) -> None:
    response = caseworker_api.get("/api/v1/children/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Content-Security-Policy" in response
    anonymous = APIClient().get("/api/v1/children/")
    assert anonymous.status_code == 401
    assert "no-store" in anonymous["Cache-Control"]


def test_a_download_is_not_stored(manager_client: Client) -> None:
    response = manager_client.get("/reporting/dashboard.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]


def test_static_files_and_the_anonymous_sign_in_page_may_be_cached() -> None:
    static = Client().get("/static/css/app.css")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")


# --- no inline script or style in any template ------------------------------------------------
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates"), *ROOT.glob("send_cms/*/templates")]
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)
#: Not served to browsers: WeasyPrint's PDFs and HTML email.
NOT_PAGES = re.compile(r"(^|/)(pdf|email)/|_pdf\.html$")


def test_no_page_template_has_inline_script_style_or_event_handlers() -> None:
    offenders = []
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            relative = path.relative_to(directory).as_posix()
            if NOT_PAGES.search(relative):
                continue
            for match in INLINE.finditer(path.read_text()):
                offenders.append(f"{relative}: {match.group(0).strip()}")
    assert offenders == []


# --- every CSV neutralises formulas ---------------------------------------------------------------
PACKAGES = ("send_cms", "cases", "panels", "reviews", "tribunals", "reporting", "benchmarks")
OWN_CSV = re.compile(r"csv\.(writer|DictWriter)\(|text/csv")


def test_every_csv_export_goes_through_csv_response() -> None:
    """`csv_response` quotes a cell a spreadsheet would run as a formula (= + - @ tab CR); a CSV
    written any other way would not, so nothing else in the code writes one."""
    writers = [
        path.relative_to(ROOT).as_posix()
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if OWN_CSV.search(path.read_text())
    ]
    assert writers == ["send_cms/common/exports.py"]


# --- the API speaks JSON ------------------------------------------------------------------------
def test_the_api_answers_404_as_json(caseworker_api: APIClient, caseworker_client: Client) -> None:
    for path in ("/api/v1/no-such-thing/", "/api/v1/children/not-a-uuid/"):
        response = caseworker_api.get(path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "Not found."}
    page = caseworker_client.get("/no-such-page/")
    assert page.status_code == 404
    assert "Page not found" in page.content.decode()


def test_the_browsable_api_is_off(caseworker_api: APIClient) -> None:
    response = caseworker_api.get("/api/v1/children/", HTTP_ACCEPT="text/html")
    assert response.status_code == 406 or response["Content-Type"] == "application/json"
    assert b"<html" not in response.content.lower()
    renderers = settings.REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"]
    assert renderers == ["rest_framework.renderers.JSONRenderer"]


def test_the_api_docs_load_their_script_from_a_file(caseworker_client: Client) -> None:
    html = caseworker_client.get("/api/v1/docs/").content.decode()
    assert INLINE.search(html) is None
    assert "/static/css/api-docs.css" in html
    script = caseworker_client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")


# --- the health check ----------------------------------------------------------------------------
def test_the_health_check_tells_a_stranger_only_ok() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_health_check_tells_an_administrator_more(admin_client_: Client) -> None:
    response = admin_client_.get("/healthz")
    assert response.json() == {"status": "ok", "database": "ok", "broker": "in-process"}


# --- PDFs fetch only the app's static files -------------------------------------------------------
def _images(content: bytes) -> int:
    count = 0
    for page in PdfReader(io.BytesIO(content)).pages:
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        count += sum(1 for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image")
    return count


def test_a_pdf_fetches_a_file_outside_the_static_files_as_nothing(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(GOVUK_PNG.read_bytes())
    outside = pdf.html_to_pdf(f'<p>x</p><img src="{secret.as_uri()}">')
    inside = pdf.html_to_pdf(f'<p>x</p><img src="{GOVUK_PNG.as_uri()}">')
    assert _images(outside) == 0
    assert _images(inside) == 1


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file://localhost/etc/hostname",
        (ROOT / "static" / ".." / "pyproject.toml").as_uri(),
        "http://127.0.0.1:8000/static/css/app.css",
        "https://example.invalid/x.png",
        "ftp://example.invalid/x",
    ],
)
def test_the_pdf_fetcher_refuses_anything_but_static_files(url: str) -> None:
    assert pdf.allowed_file(url) is None
    with pytest.raises(pdf.URLRefused):
        pdf.url_fetcher().fetch(url)


def test_the_pdf_fetcher_reads_a_static_file() -> None:
    css = ROOT / "static" / "css" / "app.css"
    assert pdf.allowed_file(css.as_uri()) == css.resolve()
    response = pdf.url_fetcher().fetch(css.as_uri())
    assert response.read() == css.read_bytes()


def test_a_file_reference_in_user_text_fetches_nothing(
    caseworker, caseworker_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name typed as markup is text in the PDF, and no URL in it reaches the fetcher."""
    asked: list[str] = []
    fetcher = pdf.url_fetcher()
    real_fetch = fetcher.fetch

    def spy(url: str, headers=None):
        asked.append(url)
        return real_fetch(url, headers)

    monkeypatch.setattr(fetcher, "fetch", spy)
    monkeypatch.setattr(pdf, "url_fetcher", lambda: fetcher)
    child = ChildFactory.create(last_name='<img src="file:///etc/passwd">')
    response = caseworker_client.get(f"/tribunals/children/{child.pk}/chronology.pdf")
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert '<imgsrc="file:///etc/passwd">' in "".join(text.split())  # shown as text
    assert not any("passwd" in url for url in asked)
    assert _images(response.content) == 0
