"""The domain package stays pure: no Flask, no database, so its rules test in microseconds."""
from __future__ import annotations

import ast
from pathlib import Path

import fieldops.domain

FORBIDDEN = ("flask", "flask_sqlalchemy", "flask_login", "sqlalchemy", "fieldops.models",
             "fieldops.services", "fieldops.extensions")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names.add("fieldops." + module.lstrip(".") if node.level else module)
    return names


def test_domain_imports_no_flask_and_no_database():
    folder = Path(fieldops.domain.__file__).parent
    files = sorted(folder.glob("*.py"))
    assert len(files) > 3
    for path in files:
        for name in imported_modules(path):
            assert not name.startswith(FORBIDDEN), f"{path.name} imports {name}"
