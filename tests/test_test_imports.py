"""No test module imports from another test module or from a conftest: what tests share lives
in tests/support (or a suite's own helper module), fixtures in conftest files."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def imported_modules(source: str, path: Path) -> list[str]:
    """Every module ``source`` (the file at ``path``) imports from, relative imports resolved;
    ``from package import name`` counts as ``package.name`` (it may be a module)."""
    package = ".".join(path.relative_to(TESTS.parent).with_suffix("").parts[:-1])
    modules = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            modules += [module, *(f"{module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
    return modules


def _forbidden(module: str) -> bool:
    name = module.rsplit(".", 1)[-1]
    return name == "conftest" or name.startswith("test_")


def test_no_test_module_imports_from_a_test_module_or_a_conftest() -> None:
    offenders = [
        f"{path.relative_to(TESTS.parent)} imports {module}"
        for path in sorted(TESTS.rglob("*.py"))
        for module in imported_modules(path.read_text(encoding="utf-8"), path)
        if _forbidden(module)
    ]
    assert offenders == []


def test_the_check_resolves_relative_imports_and_catches_every_form() -> None:
    source = (
        "from .conftest import LICENSE\n"
        "from . import test_other\n"
        "from ..handlers.test_attacks import x\n"
        "import tests.conftest\n"
        "from tests.support.api import Api\n"
    )
    modules = imported_modules(source, TESTS / "unit" / "test_example.py")
    assert [module for module in modules if _forbidden(module)] == [
        "tests.unit.conftest",
        "tests.unit.test_other",
        "tests.handlers.test_attacks",
        "tests.conftest",
    ]
