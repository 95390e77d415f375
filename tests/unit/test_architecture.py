"""The layers are a checked contract: import-linter fails on an import that breaks them, and
tests/import_circles.py on modules that import each other."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH first: the linter analyses the package found there, not the installed one.
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(tree / "pyproject.toml")],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "graph_api", tmp_path / "graph_api", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_code_keeps_its_contracts() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_upward_import_fails_naming_the_import(tree: Path) -> None:
    (tree / "graph_api" / "store" / "upward.py").write_text("from graph_api.api import schema\n")
    result = _lint(tree)
    assert result.returncode != 0
    assert "graph_api.store.upward -> graph_api.api" in result.stdout


def test_neo4j_outside_the_query_layer_fails(tree: Path) -> None:
    (tree / "graph_api" / "rules" / "shortcut.py").write_text("import neo4j\n")
    result = _lint(tree)
    assert result.returncode != 0
    assert "graph_api.rules.shortcut -> neo4j" in result.stdout


def test_the_domain_imports_nothing_else_of_ours(tree: Path) -> None:
    (tree / "graph_api" / "domain" / "leak.py").write_text("from graph_api import settings\n")
    result = _lint(tree)
    assert result.returncode != 0
    assert "graph_api.domain.leak -> graph_api.settings" in result.stdout


def _circles(tree: Path) -> subprocess.CompletedProcess[str]:
    # The tree's own package first; the checker from this repository.
    env = {**os.environ, "PYTHONPATH": f"{tree}{os.pathsep}{ROOT}"}
    return subprocess.run(
        [sys.executable, "-m", "tests.import_circles", "graph_api"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_no_module_imports_itself_through_others() -> None:
    result = _circles(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no import circles in graph_api" in result.stdout


def test_a_circle_fails_naming_its_modules_even_through_an_import_in_a_function(tree: Path) -> None:
    (tree / "graph_api" / "rules" / "first.py").write_text("from graph_api.rules import second\n")
    (tree / "graph_api" / "rules" / "second.py").write_text(
        "def later() -> None:\n    from graph_api.rules import first  # noqa: F401\n"
    )
    result = _circles(tree)
    assert result.returncode == 1
    assert "graph_api.rules.first -> graph_api.rules.second -> graph_api.rules.first" in result.stdout
