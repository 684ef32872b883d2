"""Export, import and backups sit above every other app: none of them imports
`transfer` (ARCHITECTURE: accounts -> nothing, sessions -> accounts, ...)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


@pytest.mark.parametrize("app", ["accounts", "sessions", "streaks"])
def test_lower_apps_never_import_transfer(app):
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in sorted((ROOT / app).rglob("*.py"))
        for module in imported_modules(path)
        if module == "transfer" or module.startswith("transfer.")
    ]
    assert offenders == []
