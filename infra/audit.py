"""`make audit`: pip-audit of the lock, and a verdict that never passes by default.

pip-audit reports a package it could not look up as skipped ("could not be audited") and still
exits 0; an unreachable vulnerability service ends it with a traceback. Either way nothing was
checked, so this refuses (exit 2) and says so; known vulnerabilities fail it (exit 1); only a lock
whose every package was checked and found clean passes.

    python infra/audit.py functions/requirements.txt [--service pypi|osv]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

CLEAN, VULNERABLE, NOT_CHECKED = 0, 1, 2


def verdict(report: dict[str, Any] | None, stderr: str = "") -> tuple[int, str]:
    """The exit code and what to print, from pip-audit's JSON report (None: it gave none)."""
    if report is None:
        last = next((line for line in reversed(stderr.strip().splitlines()) if line.strip()), "no output")
        return NOT_CHECKED, f"audit refused: the vulnerability service could not be reached ({last.strip()})"
    dependencies = report.get("dependencies", [])
    if not dependencies:
        return NOT_CHECKED, "audit refused: pip-audit checked no package"
    skipped = [d for d in dependencies if d.get("skip_reason")]
    if skipped:
        reasons = "; ".join(f"{d['name']}: {d['skip_reason']}" for d in skipped[:3])
        return NOT_CHECKED, (
            f"audit refused: {len(skipped)} of {len(dependencies)} packages could not be checked, "
            f"so nothing is known about them (the vulnerability service is unreachable or incomplete): {reasons}"
        )
    found = [(d["name"], d["version"], v["id"]) for d in dependencies for v in d.get("vulns", [])]
    if found:
        return VULNERABLE, "known vulnerabilities: " + ", ".join(f"{n} {ver} ({vid})" for n, ver, vid in found)
    return CLEAN, f"no known vulnerability in {len(dependencies)} packages"


def run(lock: Path, service: str) -> tuple[int, str]:
    command = [
        str(Path(sys.executable).with_name("pip-audit")),
        "--requirement", str(lock), "--require-hashes", "--no-deps", "--disable-pip",
        "--vulnerability-service", service, "--format", "json", "--progress-spinner", "off",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)  # noqa: S603
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        return verdict(None, done.stderr)
    code, message = verdict(report, done.stderr)
    if code == CLEAN and done.returncode != 0:
        return NOT_CHECKED, f"audit refused: pip-audit exited {done.returncode}: {done.stderr.strip()[-300:]}"
    return code, message


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lock", type=Path)
    parser.add_argument("--service", default="pypi", choices=["pypi", "osv"])
    arguments = parser.parse_args()
    code, message = run(arguments.lock, arguments.service)
    print(message, file=sys.stderr if code else sys.stdout)
    raise SystemExit(code)


if __name__ == "__main__":
    main()
