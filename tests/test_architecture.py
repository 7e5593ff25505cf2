"""The import-direction rules of ARCHITECTURE.md, checked by walking every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "analysis", "content", "storage")

# What each package may import among the four, and which third-party roots are reserved.
ALLOWED = {
    "bot": {"bot", "analysis", "content", "storage"},
    "analysis": {"analysis"},
    "content": {"content", "analysis"},
    "storage": {"storage"},
}
RESERVED = {"telegram": "bot", "sqlalchemy": "storage", "alembic": "storage"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def _modules() -> list[tuple[str, Path]]:
    return [(pkg, p) for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))]


@pytest.mark.parametrize(("package", "path"), _modules(), ids=lambda v: str(v))
def test_imports_follow_the_one_direction(package: str, path: Path) -> None:
    roots = _imports(path)
    for root in roots & set(PACKAGES):
        assert root in ALLOWED[package], f"{path.relative_to(ROOT)} imports {root}"
    for library, owner in RESERVED.items():
        if library in roots:
            assert package == owner, f"{path.relative_to(ROOT)} imports {library}"


def test_rule_checker_sees_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import telegram\nfrom storage.models import User\n")
    assert {"telegram", "storage"} <= _imports(bad)
