"""The layers of ``contractor_accounts``, read from its imports (``ast``, nothing imported):
who may import whom, that no use case imports another, that the package map names every module,
and the size limits that keep each module readable."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "functions" / "contractor_accounts"
PREFIX = "contractor_accounts"

# What each layer may import of ours (besides itself). The composition root (runtime) is the
# only importer of adapters; nothing of ours imports runtime but the functions' handlers.
ALLOWED: dict[str, set[str]] = {
    "domain": set(),
    "ports": {"domain"},
    "settings": {"domain"},
    "observability": set(),
    "steps": {"domain", "ports", "settings", "observability"},
    "use_cases": {"domain", "ports", "steps", "settings", "observability"},
    "http": {"domain", "settings", "observability", "use_cases"},
    "adapters": {"domain", "ports", "observability"},
    "runtime": {"domain", "ports", "steps", "use_cases", "settings", "adapters", "observability"},
}
MAX_MODULE_LINES = 400
MAX_CLASS_LINES = 200


def modules() -> dict[str, Path]:
    return {
        ".".join(path.relative_to(PACKAGE).with_suffix("").parts): path
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "__init__.py"
    }


def imports_of(path: Path) -> set[str]:
    """Every module of ours ``path`` imports, at any depth (lazy imports inside functions too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PREFIX + "."):
            found.add(node.module.removeprefix(PREFIX + "."))
        elif isinstance(node, ast.ImportFrom) and node.module == PREFIX:
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name.removeprefix(PREFIX + ".") for alias in node.names if alias.name.startswith(PREFIX))
    return found


def layer(module: str) -> str:
    return module.split(".")[0]


@pytest.mark.parametrize("module", sorted(modules()))
def test_each_module_imports_only_the_layers_beneath_it(module: str) -> None:
    # Given a module of the package and the layer it belongs to
    own = layer(module)
    # When its imports are read
    crossing = {imported for imported in imports_of(modules()[module]) if layer(imported) != own}
    # Then every one of them is in a layer it may use
    assert {imported for imported in crossing if layer(imported) not in ALLOWED[own]} == set()


def test_every_module_is_in_a_layer_with_rules() -> None:
    assert {layer(module) for module in modules()} <= set(ALLOWED)


@pytest.mark.parametrize("module", sorted(m for m in modules() if layer(m) == "use_cases"))
def test_no_use_case_imports_another(module: str) -> None:
    # Shared rules live in the domain; shared steps over the ports in ``steps``.
    assert {imported for imported in imports_of(modules()[module]) if layer(imported) == "use_cases"} == set()


def test_the_domain_does_no_io() -> None:
    # Given the libraries that reach outside the process
    io_libraries = {"boto3", "botocore", "aws_lambda_powertools", "urllib", "http", "socket", "requests", "os"}
    for module, path in modules().items():
        if layer(module) != "domain":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {
            alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        }
        names |= {
            node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
        }
        # Then no domain module imports one
        assert names & io_libraries == set(), module


def test_only_the_composition_root_imports_adapters() -> None:
    importers = {
        module
        for module, path in modules().items()
        if layer(module) != "adapters" and any(layer(imported) == "adapters" for imported in imports_of(path))
    }
    assert importers == {"runtime"}


def test_the_package_map_names_every_module() -> None:
    # Given the map a newcomer reads first
    described = (PACKAGE / "__init__.py").read_text(encoding="utf-8")
    # Then every module is named in it, under its layer's folder
    sections = {
        folder: described.split(f"\n    {folder}/", 1)[1].split("\n\n", 1)[0]
        for folder in {layer(module) for module in modules() if "." in module}
    }
    missing = [
        module
        for module in modules()
        if module.rsplit(".", 1)[-1] + ".py" not in (sections[layer(module)] if "." in module else described)
    ]
    assert missing == []


@pytest.mark.parametrize("module", sorted(modules()))
def test_modules_and_classes_stay_readable(module: str) -> None:
    source = modules()[module].read_text(encoding="utf-8")
    assert len(source.splitlines()) <= MAX_MODULE_LINES
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef):
            assert node.end_lineno is not None
            assert node.end_lineno - node.lineno + 1 <= MAX_CLASS_LINES, node.name


def test_the_import_reader_sees_every_form(tmp_path: Path) -> None:
    # Given a module importing ours in each way Python allows, one of them lazily
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import contractor_accounts.adapters.ses_mailer\n"
        "from contractor_accounts import runtime\n"
        "from contractor_accounts.use_cases.sign_in import SignIn\n"
        "def later():\n    from contractor_accounts.domain.policy import TOKEN_BYTES\n",
        encoding="utf-8",
    )
    # Then the reader finds all four, so a forbidden one cannot hide
    assert imports_of(sample) == {"adapters.ses_mailer", "runtime", "use_cases.sign_in", "domain.policy"}
