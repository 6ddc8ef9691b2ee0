"""The build check `make build` runs on sam build's output: it compiles the packages to bytecode
and refuses an extension for the wrong machine, a module without bytecode, or a bundled botocore."""

import struct
import subprocess
import sys
from pathlib import Path

import pytest

from infra.build_check import EM_AARCH64, BuildCheckError, check_package, compile_package
from tests.support.environment import TEMPLATE

EM_X86_64 = 62


def shared_object(path: Path, machine: int) -> None:
    """The first 20 bytes of a little-endian 64-bit ELF shared object for `machine`."""
    path.write_bytes(b"\x7fELF" + bytes([2, 1, 1]) + bytes(9) + struct.pack("<HH", 3, machine) + bytes(44))


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A function package as sam build leaves it: our code, a dependency, an aarch64 extension."""
    root = tmp_path / "LoginFunction"
    (root / "contractor_accounts").mkdir(parents=True)
    (root / "contractor_accounts" / "__init__.py").write_text('"""The package."""\n')
    (root / "login").mkdir()
    (root / "login" / "app.py").write_text("def lambda_handler(event, context):\n    return {}\n")
    (root / "pydantic_core").mkdir()
    shared_object(root / "pydantic_core" / "_pydantic_core.cpython-313-aarch64-linux-gnu.so", EM_AARCH64)
    return root


def test_given_a_built_package_when_compiled_then_every_module_has_bytecode_and_the_check_passes(
    package: Path,
) -> None:
    # When the package is compiled
    compile_package(package)
    # Then the check finds every module compiled and the one aarch64 extension
    checked = check_package(package)
    assert (checked.modules, checked.compiled, checked.extensions) == (2, 2, 1)


def test_given_a_package_without_bytecode_when_checked_then_the_build_fails(package: Path) -> None:
    with pytest.raises(BuildCheckError, match=r"without \.pyc"):
        check_package(package)


def test_given_an_x86_extension_when_checked_then_the_build_fails(package: Path) -> None:
    shared_object(package / "pydantic_core" / "_other.cpython-313-x86_64-linux-gnu.so", EM_X86_64)
    compile_package(package)
    with pytest.raises(BuildCheckError, match="not linux aarch64"):
        check_package(package)


def test_given_a_bundled_botocore_when_checked_then_the_build_fails(package: Path) -> None:
    (package / "botocore").mkdir()
    compile_package(package)
    with pytest.raises(BuildCheckError, match="bundles botocore"):
        check_package(package)


def test_the_lock_pins_every_package_and_bundles_no_boto() -> None:
    lock = Path(__file__).resolve().parents[1] / "functions" / "requirements.txt"
    lines = [line for line in lock.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    assert lines
    assert all("==" in line and "[" not in line for line in lines), lines
    names = {line.split("==")[0] for line in lines}
    assert not names & {"boto3", "botocore", "aws-xray-sdk", "s3transfer"}


def test_every_handler_imports_without_the_packages_the_lock_leaves_out() -> None:
    # The package ships no aws-xray-sdk (it bundles a botocore that shadows the runtime's): no
    # handler may need it, which a Powertools Tracer would. Checked in a fresh interpreter.
    modules = sorted({function.handler.rpartition(".")[0] for function in TEMPLATE.functions.values()})
    script = "import sys; sys.modules['aws_xray_sdk'] = None; import tests.conftest; " + "; ".join(
        f"import {module}" for module in modules
    )
    root = Path(__file__).resolve().parents[1]
    env = {"PYTHONPATH": f"{root / 'functions'}:{root}", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert len(modules) == len(TEMPLATE.functions)
