"""docs/SECURITY.md names, for every checklist item, the tests that prove it; every one of those
tests exists, so the document cannot rot.

In its "proved by" cells, `file.py::name` names a test, `file.py` a test file (`e2e/` a folder of them), and a name with
`…` (after the file it belongs to, in the same cell) any test of that file it matches, `…`
standing for any characters."""

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
DOCUMENT = ROOT / "docs" / "SECURITY.md"
CHECKLIST_ITEMS = range(1, 33)
_ROW = re.compile(r"^\| (\d+) \|.*\| ([^|]+) \|$", re.MULTILINE)
_TOKEN = re.compile(r"`([^`]+)`")


@cache
def defined_tests(relative: str) -> frozenset[str]:
    """The test functions a file under tests/ defines (module level and in classes)."""
    tree = ast.parse((TESTS / relative).read_text(encoding="utf-8"))
    return frozenset(
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_")
    )


def _is_test_file(token: str) -> bool:
    """A test file, or a folder of them (`e2e/`), under tests/."""
    return (token.endswith(".py") and Path(token).name.startswith("test_")) or (
        token.endswith("/") and (TESTS / token).is_dir()
    )


def references() -> list[tuple[int, str, str | None]]:
    """(item, test file, name pattern or None) for every test the rows name."""
    found: list[tuple[int, str, str | None]] = []
    for item, cell in _ROW.findall(DOCUMENT.read_text(encoding="utf-8")):
        current: str | None = None
        for token in _TOKEN.findall(cell):
            file, _, name = token.partition("::")
            if _is_test_file(file):
                current = file
                found.append((int(item), file, name or None))
            elif token.startswith(("test_", "…")) or token.endswith("…"):
                assert current is not None, f"item {item}: {token!r} names no file before it"
                found.append((int(item), current, token))
    return found


def _matches(pattern: str, names: frozenset[str]) -> bool:
    regex = ".*".join(re.escape(part) for part in pattern.split("…"))
    return any(re.fullmatch(regex, name) for name in names)


def test_every_checklist_item_has_a_row_naming_its_tests() -> None:
    rows = {int(item) for item, _ in _ROW.findall(DOCUMENT.read_text(encoding="utf-8"))}
    assert set(CHECKLIST_ITEMS) <= rows
    # Item 3 and 29 are proved by construction/configuration; every other row names a test file.
    named = {item for item, _, _ in references()}
    assert set(CHECKLIST_ITEMS) - {3, 29} <= named, sorted(set(CHECKLIST_ITEMS) - {3, 29} - named)


@pytest.mark.parametrize(("item", "file", "name"), references(), ids=lambda value: str(value))
def test_every_test_named_in_the_security_doc_exists(item: int, file: str, name: str | None) -> None:
    assert (TESTS / file).exists(), f"item {item}: tests/{file} does not exist"
    if name is not None:
        assert _matches(name, defined_tests(file)), f"item {item}: no test in tests/{file} matches {name!r}"


def test_a_missing_test_would_be_caught() -> None:
    # Guards the guard: a renamed test, or a pattern nothing matches, fails the check above.
    names = defined_tests("test_security_doc.py")
    assert _matches("…would_be_caught", names)
    assert not _matches("test_that_was_renamed", names)
    assert not _matches("…renamed…", names)
