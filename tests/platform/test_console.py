"""A newcomer's console under `make run`'s settings: no broker warning when tasks run in-process,
a 403 as one quiet line, the port from PORT, and a build with no deprecated licence table."""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
#: `make run`'s settings with nothing set, as a newcomer has them (no Redis, a throwaway database).
LOCAL = {"DJANGO_SETTINGS_MODULE": "send_cms.settings.local", "DATABASE_URL": "sqlite://:memory:"}


def _local_python(code: str) -> subprocess.CompletedProcess[str]:
    keep = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    setup = "import django; django.setup()\n"
    return subprocess.run(
        [sys.executable, "-c", setup + code],
        cwd=ROOT,
        env={**keep, **LOCAL},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_tasks_run_in_process_without_a_broker_warning() -> None:
    """An eager task still takes a producer; the memory broker's URL names its host."""
    result = _local_python(
        "from send_cms.celery import app\n"
        "with app.producer_or_acquire() as producer:\n"
        "    print(producer.connection.as_uri(), app.conf.task_always_eager)\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["memory://:**@localhost//", "True"]
    assert "No hostname was supplied" not in result.stderr


def test_a_403_is_one_info_line_without_a_traceback() -> None:
    result = _local_python(
        "from django.core.exceptions import PermissionDenied\n"
        "from django.core.handlers.exception import response_for_exception\n"
        "from django.test import RequestFactory\n"
        "request = RequestFactory().get('/tribunals/')\n"
        "response = response_for_exception(request, PermissionDenied('You need a role.'))\n"
        "print(response.status_code)\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "403"
    lines = [line for line in result.stderr.splitlines() if "Forbidden" in line]
    assert len(lines) == 1, result.stderr
    assert " INFO " in lines[0]
    assert lines[0].endswith("django.request: Forbidden (Permission denied): /tribunals/")
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_a_403_from_a_page_is_logged_at_info(
    panel_member_client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO", logger="django.request"):
        assert panel_member_client.get("/tribunals/").status_code == 403
        assert panel_member_client.get("/cases/no-such-page/").status_code == 404
    forbidden = [r for r in caplog.records if r.getMessage().startswith("Forbidden")]
    assert [(r.levelname, r.exc_info) for r in forbidden] == [("INFO", None)]
    missing = [r for r in caplog.records if r.getMessage().startswith("Not Found")]
    assert [r.levelname for r in missing] == ["WARNING"]  # other statuses keep their level


@pytest.mark.parametrize(("port", "served"), [(None, "127.0.0.1:8000"), ("8123", "127.0.0.1:8123")])
def test_make_run_serves_on_port(port: str | None, served: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PORT"}
    if port:
        env["PORT"] = port
    result = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert f"manage.py runserver {served}" in result.stdout


def test_the_licence_is_an_spdx_expression_for_a_setuptools_that_reads_it() -> None:
    """A licence table is deprecated (setuptools warns on every build); an SPDX string needs
    setuptools 77 or later (PEP 639)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert config["project"]["license"] == "MIT"
    assert config["build-system"]["requires"] == ["setuptools>=77"]
    classifiers = config["project"].get("classifiers", [])
    assert not [c for c in classifiers if c.startswith("License ::")]  # not both (PEP 639)
