"""The layout's rule that import-linter cannot hold: app_pages is not a package, so each
page stub is checked here to do nothing but call one feature's page."""

import ast
from pathlib import Path

import pytest

from wijkmap.config import REPO_ROOT

FEATURES = ("explorer", "change", "workshop", "contributions", "coverage", "beheer")
PAGES = sorted((REPO_ROOT / "app_pages").glob("*.py"))


def test_every_page_of_the_navigation_has_a_stub():
    assert {path.stem for path in PAGES} == {
        "kaart",
        "verandering",
        "gegevens",
        "voorbeelden",
        "bijdragen",
        "moderatie",
        "beheer",
    }


@pytest.mark.parametrize("path", PAGES, ids=lambda path: path.stem)
def test_a_page_stub_imports_one_feature_page_and_calls_it(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imports = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    assert len(imports) == 1, f"{path.name}: one import, of its feature's page"
    (module,) = [node.module for node in imports if isinstance(node, ast.ImportFrom)]
    package, _, leaf = module.removeprefix("wijkmap.").partition(".")
    assert package in FEATURES and leaf.endswith("page"), f"{path.name} imports {module}"
    calls = [node for node in tree.body if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)]
    assert [ast.unparse(call.value) for call in calls] == ["page()"]
