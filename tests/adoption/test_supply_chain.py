"""Supply chain: the lock is hashed, `make sbom` describes it, `make audit` refuses to pass when
nothing could be checked, and the release files are there (LICENSE, CHANGELOG, version)."""

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / ".tools-venv" / "bin"
LOCK = ROOT / "functions" / "requirements.txt"
sys.path.insert(0, str(ROOT / "infra"))
import audit  # noqa: E402


def pins() -> list[str]:
    return [line for line in LOCK.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]


def test_every_pin_of_the_lock_has_hashes() -> None:
    for line in pins():
        assert re.fullmatch(r"[a-z0-9-]+==[\w.]+( --hash=sha256:[0-9a-f]{64})+", line), line


def tools() -> Path:
    if not (TOOLS / "python").is_file():
        pytest.fail("`make tools` installs .tools-venv (make test does)", pytrace=False)
    return TOOLS


def test_make_sbom_lists_every_pin_with_its_hashes() -> None:
    tools()
    done = subprocess.run(["make", "-s", "sbom"], cwd=ROOT, capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    sbom = json.loads((ROOT / "dist" / "sbom.cdx.json").read_text(encoding="utf-8"))
    assert sbom["bomFormat"] == "CycloneDX"
    assert sbom["metadata"]["component"]["name"] == "contractor-accounts"
    listed = {(c["name"].lower(), c["version"]) for c in sbom["components"]}
    assert listed == {tuple(line.split(" ")[0].split("==")) for line in pins()}
    for component in sbom["components"]:  # each pin's wheel hashes, as the lock gives them
        assert any(reference.get("hashes") for reference in component["externalReferences"]), component["name"]


def test_make_audit_refuses_when_the_vulnerability_service_cannot_be_reached() -> None:
    # Offline whatever the network: every request goes to a proxy that is not there
    env = {**os.environ, "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}
    done = subprocess.run(
        [str(tools() / "python"), "infra/audit.py", str(LOCK)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert done.returncode == audit.NOT_CHECKED, done.stdout + done.stderr
    assert "audit refused" in done.stderr


def test_the_audit_verdicts() -> None:
    assert audit.verdict(None, "Traceback...\nConnectionError: no route")[0] == audit.NOT_CHECKED
    assert audit.verdict({"dependencies": []})[0] == audit.NOT_CHECKED
    skipped = {"dependencies": [{"name": "a", "skip_reason": "not found"}, {"name": "b", "version": "1", "vulns": []}]}
    assert audit.verdict(skipped)[0] == audit.NOT_CHECKED
    found = {"dependencies": [{"name": "a", "version": "1", "vulns": [{"id": "PYSEC-1"}]}]}
    assert audit.verdict(found) == (audit.VULNERABLE, "known vulnerabilities: a 1 (PYSEC-1)")
    assert audit.verdict({"dependencies": [{"name": "a", "version": "1", "vulns": []}]})[0] == audit.CLEAN


def test_a_license_a_changelog_and_one_version() -> None:
    assert "Apache License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    with (ROOT / "pyproject.toml").open("rb") as file:
        version = tomllib.load(file)["project"]["version"]
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    first = re.search(r"^## \[([^\]]+)\]", changelog, re.MULTILINE)
    assert first, "CHANGELOG.md has no release heading"
    assert first.group(1) == version
