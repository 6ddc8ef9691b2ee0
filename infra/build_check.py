"""After `sam build`: compile every function package to bytecode, then check what will ship.

`make build` runs it on .aws-sam/build. Lambda's /var/task is read-only, so without .pyc files every
cold start compiles each imported module again (~800 of them; import measured at 3.3-4.2 s without
and 0.8-1.4 s with). The bytecode is written with unchecked hashes: valid whatever the timestamps
in the zip, and the sources ship beside it for tracebacks.

It fails the build when a package
- holds a compiled extension that is not linux aarch64 (the functions run on arm64),
- has a module without its .pyc for the runtime's Python (3.13),
- bundles boto3, botocore or aws-xray-sdk (the runtime's boto3 must not be shadowed).
"""

from __future__ import annotations

import argparse
import compileall
import py_compile
import sys
from dataclasses import dataclass
from importlib.util import cache_from_source
from pathlib import Path

RUNTIME_PYTHON = (3, 13)
ELF_MAGIC = b"\x7fELF"
EM_AARCH64 = 183
FORBIDDEN = ("boto3", "botocore", "s3transfer", "aws_xray_sdk")


@dataclass(frozen=True)
class Package:
    path: Path
    bytes: int
    modules: int
    compiled: int
    extensions: int


class BuildCheckError(Exception):
    """What is wrong with a built package, in words."""


def elf_machine(path: Path) -> int | None:
    """The ELF e_machine of a shared object, None when it is not ELF."""
    with path.open("rb") as file:
        header = file.read(20)
    if len(header) < 20 or header[:4] != ELF_MAGIC:
        return None
    byteorder = "little" if header[5] == 1 else "big"
    return int.from_bytes(header[18:20], byteorder)


def compile_package(package: Path) -> None:
    ok = compileall.compile_dir(
        package,
        quiet=1,
        workers=0,
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
    )
    if not ok:
        raise BuildCheckError(f"{package}: some modules do not compile")


def check_package(package: Path) -> Package:
    problems: list[str] = []
    for name in FORBIDDEN:
        if (package / name).exists():
            problems.append(f"bundles {name} (the Lambda runtime provides boto3 and botocore)")
    sources = [p for p in package.rglob("*.py") if "__pycache__" not in p.parts]
    missing = [p for p in sources if not Path(cache_from_source(str(p))).is_file()]
    if missing:
        problems.append(f"{len(missing)} modules without .pyc, e.g. {missing[0].relative_to(package)}")
    extensions = [p for p in package.rglob("*.so*") if p.is_file()]
    for extension in extensions:
        machine = elf_machine(extension)
        if machine != EM_AARCH64:
            problems.append(f"{extension.relative_to(package)} is not linux aarch64 (ELF machine {machine})")
    if problems:
        raise BuildCheckError(f"{package.name}: " + "; ".join(problems))
    size = sum(p.stat().st_size for p in package.rglob("*") if p.is_file())
    return Package(package, size, len(sources), len(sources) - len(missing), len(extensions))


def function_packages(build_dir: Path) -> list[Path]:
    return sorted(p for p in build_dir.iterdir() if p.is_dir() and (p / "contractor_accounts").is_dir())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build_dir", type=Path, help="sam build's output, .aws-sam/build")
    parser.add_argument("--no-compile", action="store_true", help="only check")
    arguments = parser.parse_args()
    if sys.version_info[:2] != RUNTIME_PYTHON:
        raise SystemExit(
            f"run with Python {'.'.join(map(str, RUNTIME_PYTHON))}, the runtime's: .pyc files are per version"
        )
    packages = function_packages(arguments.build_dir)
    if not packages:
        raise SystemExit(f"no function package in {arguments.build_dir}: run sam build first")
    try:
        for package in packages:
            if not arguments.no_compile:
                compile_package(package)
            checked = check_package(package)
            if checked.extensions == 0:
                raise BuildCheckError(f"{package.name}: no compiled extension at all (pydantic-core, argon2 expected)")
            print(
                f"{package.name}: {checked.bytes / 2**20:.1f} MiB, {checked.compiled}/{checked.modules} modules "
                f"compiled, {checked.extensions} aarch64 extensions"
            )
    except BuildCheckError as error:
        raise SystemExit(f"build check failed: {error}") from None


if __name__ == "__main__":
    main()
