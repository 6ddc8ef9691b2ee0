"""What each function ships: the files `sam build` puts in .aws-sam/build/<Function>, without
the distributions the Lambda Python runtime already provides.

Two ways to get the package: the real `make build` output (the bench), or the same thing
computed without the SAM CLI (the budget test): pip installs functions/requirements.txt for the
Lambda platform into a cache under .cache/, and the code under functions/ is added, as sam
build copies the CodeUri."""

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from tests.support.environment import FUNCTIONS_DIR, REPO_ROOT

BUILD_DIR: Final = REPO_ROOT / ".aws-sam" / "build"
CACHE_DIR: Final = REPO_ROOT / ".cache" / "lambda-dependencies"
REQUIREMENTS: Final = FUNCTIONS_DIR / "requirements.txt"
# The Lambda function's platform (template: python3.13, arm64; Amazon Linux 2023, glibc 2.34): the
# platforms the lock is resolved for (infra/lock.py), so every pinned wheel is found.
PLATFORM: Final = (
    *(f"--platform=manylinux{tag}_aarch64" for tag in ("_2_34", "_2_28", "_2_17", "2014")),
    "--python-version",
    "3.13",
    "--implementation",
    "cp",
)
# In the python3.13 runtime already (boto3 and what it needs): bundling them only adds bytes,
# and a bundled botocore would override the runtime's.
RUNTIME_PROVIDED: Final = frozenset(
    {"boto3", "botocore", "s3transfer", "jmespath", "python-dateutil", "urllib3", "six"}
)
OUR_CODE: Final = "(our code)"

# The documented budget of each function's shipped package (bytes, without bytecode, without
# what the runtime provides). tests/performance/test_package_budget.py holds every function to
# it; lower it when a cut lands, raise it only with the reason in docs/PERFORMANCE.md.
# 32 MB since passkeys (contract v3): py_webauthn brings cryptography (14 MB unpacked, with its own
# OpenSSL), pyOpenSSL, pyasn1 and cbor2, one code root for every function. None of it is imported at
# a cold start (tests/performance/imports.py): only the passkey routes load it, at first use.
BUDGET_BYTES: Final = {
    "RegisterFunction": 32_000_000,
    "LoginFunction": 32_000_000,
    "AccountFunction": 32_000_000,
    "ForgotFunction": 32_000_000,
    "ResetFunction": 32_000_000,
    "StaffFunction": 32_000_000,
    "ReminderFunction": 32_000_000,
    "EmailEventsFunction": 32_000_000,
    "ResetMailerFunction": 32_000_000,
    "LicenseDataFunction": 32_000_000,
    "NoticeFunction": 32_000_000,
}


def _distribution_name(dist_info: Path) -> str:
    name = dist_info.name.removesuffix(".dist-info").rsplit("-", 1)[0]
    return name.lower().replace("_", "-")


@dataclass(frozen=True)
class Package:
    by_distribution: dict[str, int]  # bytes, runtime-provided ones included
    files: int
    bytecode_files: int

    @property
    def shipped_bytes(self) -> int:
        return sum(size for name, size in self.by_distribution.items() if name not in RUNTIME_PROVIDED)

    @property
    def runtime_provided_bytes(self) -> int:
        return sum(size for name, size in self.by_distribution.items() if name in RUNTIME_PROVIDED)

    def largest(self, count: int = 4) -> list[tuple[str, int]]:
        shipped = {name: size for name, size in self.by_distribution.items() if name not in RUNTIME_PROVIDED}
        return sorted(shipped.items(), key=lambda item: -item[1])[:count]


def _owner_of_each_file(root: Path) -> dict[Path, str]:
    """Which distribution installed each file, from the dist-info RECORDs."""
    owners: dict[Path, str] = {}
    for dist_info in root.glob("*.dist-info"):
        name = _distribution_name(dist_info)
        record = dist_info / "RECORD"
        if record.exists():
            for line in record.read_text(encoding="utf-8").splitlines():
                relative = line.split(",", 1)[0]
                if relative:
                    owners[(root / relative).resolve()] = name
        for path in dist_info.rglob("*"):
            owners[path.resolve()] = name
    return owners


def measure(*roots: Path, skip_bytecode: bool = False) -> Package:
    """Bytes per distribution of the files under ``roots`` (files no RECORD names are our code;
    bytecode is counted with the source it was compiled from, or skipped)."""
    sizes: Counter[str] = Counter()
    files = bytecode = 0
    for root in roots:
        owners = _owner_of_each_file(root)
        for path in root.rglob("*"):
            if not path.is_file() or (skip_bytecode and path.parent.name == "__pycache__"):
                continue
            files += 1
            owner_path = path.resolve()
            if path.parent.name == "__pycache__":
                if skip_bytecode:
                    continue
                bytecode += 1
                owner_path = (path.parent.parent / (path.name.split(".", 1)[0] + ".py")).resolve()
            sizes[owners.get(owner_path, OUR_CODE)] += path.stat().st_size
    return Package(by_distribution=dict(sizes), files=files, bytecode_files=bytecode)


def built(logical_id: str) -> Package:
    """The `make build` output of one function."""
    directory = BUILD_DIR / logical_id
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory} is missing: run `make build` first")
    return measure(directory)


def _requirements_key() -> str:
    return hashlib.sha256(REQUIREMENTS.read_bytes() + " ".join(PLATFORM).encode()).hexdigest()[:16]


def lambda_dependencies() -> Path:
    """functions/requirements.txt installed for the Lambda platform (wheels only, no bytecode:
    what sam build bundles), cached by the requirements' content."""
    target = CACHE_DIR / _requirements_key()
    if target.exists():
        return target
    return _pip_install_once(target, [*PLATFORM, "--only-binary=:all:", "-r", str(REQUIREMENTS)])


def _pip_install_once(target: Path, arguments: list[str]) -> Path:
    """``pip install --target`` into ``target``, installed aside then renamed into place: a
    concurrent run never sees half a cache, and the first to finish wins."""
    target.parent.mkdir(parents=True, exist_ok=True)
    installing = Path(tempfile.mkdtemp(prefix="installing-", dir=target.parent))
    subprocess.run(  # noqa: S603 - pip of our own interpreter
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-compile",
            "--target",
            str(installing),
            *arguments,
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    try:
        installing.rename(target)
    except OSError:  # another run got there first
        shutil.rmtree(installing, ignore_errors=True)
    return target


def computed() -> Package:
    """The package sam build would make, computed without the SAM CLI: the dependencies, and
    functions/ as sam build copies it (without the bytecode caches tests leave there)."""
    return measure(lambda_dependencies(), FUNCTIONS_DIR, skip_bytecode=True)


HOST_PLATFORMS: Final = tuple(f"--platform=manylinux{tag}_{os.uname().machine}" for tag in ("2014", "_2_28", "_2_34"))
RUNNABLE_DIR: Final = REPO_ROOT / ".cache" / "bench-runnable"


def _platform_specific(dist_info: Path) -> bool:
    wheel = dist_info / "WHEEL"
    return wheel.exists() and "Root-Is-Purelib: false" in wheel.read_text(encoding="utf-8")


def compiled_copy(runnable: Path) -> Path:
    """A copy of a runnable package with its bytecode compiled in (what a build that ships
    .pyc would give), to measure what bytecode saves at a cold start."""
    compiled = runnable.with_name(runnable.name + "-compiled")
    shutil.rmtree(compiled, ignore_errors=True)
    shutil.copytree(runnable, compiled, symlinks=True)
    subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-m", "compileall", "-q", "-j", "1", str(compiled)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return compiled


def _native_wheels(pins: list[str]) -> Path:
    """This machine's wheels of the pinned distributions, installed once per set of pins."""
    target = RUNNABLE_DIR / (".native-" + hashlib.sha256(" ".join(pins).encode()).hexdigest()[:16])
    if target.exists():
        return target
    return _pip_install_once(
        target,
        [
            "--no-deps",
            "--only-binary=:all:",
            *HOST_PLATFORMS,
            "--python-version",
            "3.13",
            "--implementation",
            "cp",
            *pins,
        ],
    )


def runnable_here(logical_id: str) -> Path:
    """The built package, runnable on this machine: a copy of .aws-sam/build/<Function> whose
    native extensions (built for Lambda's arm64) are swapped for this machine's wheels of the
    same versions. Everything else, bytecode or its absence included, is the shipped files."""
    source = BUILD_DIR / logical_id
    if not source.is_dir():
        raise FileNotFoundError(f"{source} is missing: run `make build` first")
    twin = RUNNABLE_DIR / logical_id
    shutil.rmtree(twin, ignore_errors=True)
    shutil.copytree(source, twin, symlinks=True)
    if os.uname().machine == "aarch64":
        return twin
    pins = []
    for dist_info in twin.glob("*.dist-info"):
        if not _platform_specific(dist_info):
            continue
        name, version = dist_info.name.removesuffix(".dist-info").rsplit("-", 1)
        pins.append(f"{name}=={version}")
        for line in (dist_info / "RECORD").read_text(encoding="utf-8").splitlines():
            relative = line.split(",", 1)[0]
            if relative:
                (twin / relative).unlink(missing_ok=True)
        shutil.rmtree(dist_info, ignore_errors=True)
    if pins:
        shutil.copytree(_native_wheels(sorted(pins)), twin, dirs_exist_ok=True)
    return twin
