"""Stopping the stack leaves no process behind, whichever way it is stopped."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import local_portal
from local_portal.client import descendant_pids
from tests.local_portal import FIXTURES

REPO = Path(__file__).resolve().parents[2]
PARAMETERS = {"Greeting": "hi", "SenderEmail": "no-reply@permits.example.gov"}


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has exited; only its parent has not collected it yet.
    state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    return state != "Z"


def wait_until_gone(pids: list[int], timeout: float = 10.0) -> list[int]:
    deadline = time.monotonic() + timeout
    while (alive := [pid for pid in pids if is_running(pid)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive


def test_given_a_running_stack_with_warm_workers_when_the_context_exits_then_no_process_remains() -> None:
    # Given a stack whose functions have each started a worker
    with local_portal.running(
        template=FIXTURES / "template.yaml", web_dir=FIXTURES / "web", parameters=PARAMETERS
    ) as stack:
        stack.invoke("PlainFunction", {})
        stack.invoke("EchoFunction", {"httpMethod": "OPTIONS"})
        processes = [stack.pid, *descendant_pids(stack.pid)]
        assert len(processes) >= 3

    # When the block has ended / Then the stack and every worker are gone
    assert wait_until_gone(processes) == []


def test_given_python_m_local_portal_when_sent_sigint_then_it_stops_with_its_workers(tmp_path: Path) -> None:
    # Given `python -m local_portal` running, warm (every function's worker started)
    ready = tmp_path / "ready.json"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "local_portal",
            "--api-port=0",
            "--invoke-port=0",
            "--web-port=0",
            "--aws-port=0",
            "--warm",
            f"--template={FIXTURES / 'template.yaml'}",
            f"--web-dir={FIXTURES / 'web'}",
            f"--ready-file={ready}",
            "--parameter-overrides",
            *(f"{name}={value}" for name, value in PARAMETERS.items()),
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while not ready.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert json.loads(ready.read_text())["pid"] == process.pid
        workers = descendant_pids(process.pid)
        assert len(workers) == 4  # one per function of the fixture template

        # When it gets Ctrl-C's signal
        process.send_signal(signal.SIGINT)

        # Then it exits cleanly and its workers are gone
        output, _ = process.communicate(timeout=15)
        assert process.returncode == 0, output.decode()
        assert b"Local portal is up" in output
        assert wait_until_gone(workers) == []
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
