"""Every GOV.UK Frontend and MOJ Frontend class the pages use exists in the pinned packages, and
every project class (`app-`) is defined in the project's stylesheet.

A class a package does not have renders as nothing: a grid column that is not there stacks its
cards, a tag colour that is not there is a plain tag. Upgrading a package drops classes without
a sound; this test names each one, and the templates or Python that use it.
"""

import ast
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOVUK = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
MOJ = ROOT / "node_modules" / "@ministryofjustice" / "frontend" / "moj"
PROJECT_CSS = ROOT / "static" / "css"
CODE = ("cases", "panels", "reviews", "tribunals", "reporting", "send_cms", "templates")
PREFIXES = ("govuk-", "moj-", "app-")

_TEMPLATE_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)
_CLASS_ATTR = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CSS_CLASS = re.compile(r"\.((?:\\.|[\w-])+)")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def css_classes(text: str) -> set[str]:
    return {name.replace("\\", "") for name in _CSS_CLASS.findall(_CSS_COMMENT.sub("", text))}


def markup_classes(text: str) -> set[str]:
    """The classes of every class attribute, template tags taken out first."""
    found = set()
    for double, single in _CLASS_ATTR.findall(_TEMPLATE_TAG.sub(" ", text)):
        found.update((double or single).split())
    return found


def package_classes() -> set[str]:
    """The packages' stylesheets, and the classes their own component markup uses (some, like
    `govuk-table__row` or `moj-timeline__header`, are structure the CSS does not style)."""
    found = set()
    for css in (GOVUK / "govuk-frontend.min.css", MOJ / "moj-frontend.min.css"):
        found |= css_classes(css.read_text())
    for package in (GOVUK / "components", MOJ / "components"):
        for markup in [*package.rglob("*.njk"), *package.rglob("template*.html")]:
            found |= markup_classes(markup.read_text())
    return {c for c in found if c.startswith(("govuk-", "moj-"))}


def project_files(pattern: str) -> list[Path]:
    return sorted(p for top in CODE for p in (ROOT / top).rglob(pattern) if p.is_file())


def used_classes() -> dict[str, set[str]]:
    """Each prefixed class the templates and the Python (presenters' tag colours) use."""
    used: dict[str, set[str]] = defaultdict(set)
    for template in project_files("*.html"):
        if "templates" not in template.parts:
            continue
        for name in markup_classes(template.read_text()):
            if name.startswith(PREFIXES):
                used[name].add(str(template.relative_to(ROOT)))
    for module in project_files("*.py"):
        if {"migrations", "settings"} & set(module.parts):  # settings name packages, not classes
            continue
        tree = ast.parse(module.read_text())
        in_f_strings = {  # "govuk-input--width-" of f"govuk-input--width-{n}" is not a class
            id(part)
            for node in ast.walk(tree)
            if isinstance(node, ast.JoinedStr)
            for part in node.values
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in in_f_strings
            ):
                names = node.value.split()
                if names and all(n.startswith(PREFIXES) and "/" not in n for n in names):
                    for name in names:
                        used[name].add(str(module.relative_to(ROOT)))
    return used


def test_the_scan_sees_the_pages_classes() -> None:
    used = used_classes()
    assert {"govuk-button", "govuk-tag--red", "moj-timeline", "app-card"} <= set(used)
    assert len(used) > 150


def test_every_govuk_and_moj_class_exists_in_the_packages() -> None:
    known = package_classes()
    assert {"govuk-grid-column-one-third", "govuk-table__row", "moj-timeline__header"} <= known
    missing = {
        name: sorted(where)
        for name, where in used_classes().items()
        if name.startswith(("govuk-", "moj-")) and name not in known
    }
    assert not missing, missing


def test_every_app_class_is_defined_in_the_project_stylesheet() -> None:
    defined = set()
    for css in PROJECT_CSS.rglob("*.css"):
        defined |= css_classes(css.read_text())
    missing = {
        name: sorted(where)
        for name, where in used_classes().items()
        if name.startswith("app-") and name not in defined
    }
    assert not missing, missing
