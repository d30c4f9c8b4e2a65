"""The timescales package imports only the standard library and `holidays`."""

import ast
import sys
from pathlib import Path

import send_cms.timescales

PACKAGE = Path(send_cms.timescales.__file__).parent
ALLOWED = set(sys.stdlib_module_names) | {"holidays", "send_cms", "__future__"}


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_only_stdlib_holidays_and_itself():
    modules = sorted(PACKAGE.glob("*.py"))
    assert modules
    for module in modules:
        for name in _imports(module):
            assert name.split(".")[0] in ALLOWED, f"{module.name} imports {name}"
            if name.startswith("send_cms"):
                assert name.startswith("send_cms.timescales"), f"{module.name} imports {name}"
