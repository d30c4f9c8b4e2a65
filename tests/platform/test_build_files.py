"""The build and deploy files say what the README says: every pin of pyproject.toml is in the
lock files at the same version, a deploy migrates once before anything starts, and the image
holds one copy of the code."""

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\$", re.MULTILINE)


def _locked(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text()
    return {canonicalize_name(n): version for n, version in PIN.findall(text)}


def _pins(requirements: list[str]) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in requirements:
        requirement = Requirement(line)
        (specifier,) = requirement.specifier
        pins[canonicalize_name(requirement.name)] = specifier.version
    return pins


@pytest.mark.parametrize(
    ("lock", "groups"),
    [("requirements.lock", ["dependencies"]), ("requirements-dev.lock", ["dependencies", "dev"])],
)
def test_the_locks_hold_every_pin_of_pyproject_at_its_version(lock: str, groups: list[str]) -> None:
    """Run `make lock` after changing a dependency in pyproject.toml."""
    project = PYPROJECT["project"]
    wanted = _pins(project["dependencies"])
    if "dev" in groups:
        wanted |= _pins(project["optional-dependencies"]["dev"])
    locked = _locked(lock)
    assert {n: v for n, v in wanted.items() if locked.get(n) != v} == {}
    text = (ROOT / lock).read_text()
    every_pin = re.findall(r"^[A-Za-z0-9][^ \n]*==", text, re.MULTILINE)
    assert len(every_pin) == len(PIN.findall(text))  # each with its hashes
    assert all(f"{n}=={v} \\\n    --hash=sha256:" in text for n, v in PIN.findall(text))


def test_production_locks_no_development_tool() -> None:
    dev_only = set(_pins(PYPROJECT["project"]["optional-dependencies"]["dev"]))
    assert dev_only & set(_locked("requirements.lock")) == set()
    production, development = _locked("requirements.lock"), _locked("requirements-dev.lock")
    assert {n: v for n, v in production.items() if development.get(n) != v} == {}


def test_a_deploy_migrates_once_before_web_worker_and_beat_start() -> None:
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert services["migrate"]["command"] == "python manage.py migrate --noinput"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
        assert "migrate" not in str(services[name]["command"])


def test_the_image_installs_the_lock_and_holds_one_copy_of_the_code() -> None:
    steps = [line for line in (ROOT / "Dockerfile").read_text().splitlines() if line[:1].isupper()]
    copies = [line for line in steps if line.startswith("COPY . ")]
    assert copies == ["COPY . ."]
    installs = [line for line in steps if "pip install" in line]
    assert installs == [
        "RUN pip install --require-hashes --no-deps -r requirements.lock",
        "RUN pip install --no-deps -e . && pip check",
    ]
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", "node_modules", "tests", ".env", "*.sqlite3"} <= ignored
