"""Rules about the code itself, read from the source with ast."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Lowest floor first: an app may import the apps below it, never those above.
# A new app takes its floor here.
FLOORS = ["accounts", "sessions", "streaks", "transfer", "api", "footcare"]
# Pure Python: only the standard library and these first-party modules.
PURE = {
    "accounts/words.py": set(),
    "sessions/engine.py": set(),
    "accounts/localtime.py": set(),
    "accounts/schedule.py": {"accounts.localtime"},
    "streaks/charts.py": {"sessions.engine", "accounts.words"},
}


def imports(path, root=ROOT):
    """(line, module) for every import in a file, relative ones resolved."""
    package = ".".join(path.relative_to(root).parent.parts)
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            # `from accounts import localtime` imports accounts.localtime.
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}" if base else alias.name


def app_files(root=ROOT):
    for app in FLOORS:
        yield from (root / app).rglob("*.py")


def upward_imports(root):
    found = []
    for path in app_files(root):
        name = path.relative_to(root)
        floor = FLOORS.index(name.parts[0])
        for line, module in imports(path, root):
            top = module.split(".")[0]
            if top in FLOORS and FLOORS.index(top) > floor:
                found.append(f"{name}:{line} imports {module}")
    return found


def test_imports_point_down():
    assert upward_imports(ROOT) == []


def test_the_check_finds_an_upward_import(tmp_path):
    (tmp_path / "accounts").mkdir()
    (tmp_path / "accounts" / "bad.py").write_text(
        "from . import localtime\nfrom streaks import charts\n"
    )
    assert upward_imports(tmp_path) == ["accounts/bad.py:2 imports streaks.charts"]


@pytest.mark.parametrize(("name", "allowed"), PURE.items())
def test_pure_modules_import_no_django_and_no_model(name, allowed):
    stdlib = __import__("sys").stdlib_module_names
    for line, module in imports(ROOT / name):
        top = module.split(".")[0]
        if top == "__future__" or top in stdlib:
            continue
        assert any(module.startswith(ok) for ok in allowed), f"{name}:{line} {module}"


def test_no_mark_safe_in_the_app():
    # format_html and templates escape; mark_safe on composed markup does not.
    for path in app_files():
        assert "mark_safe" not in path.read_text(), path
