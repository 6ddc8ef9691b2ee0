"""`local_portal.running()`: the stack in a child process, for tests.

A child process rather than threads in the test process: the test process may use moto's
in-process mocks (mock_aws) whose global state would otherwise be shared with the stack's.
The child stops on exit of the context (SIGTERM), and on its own if the test process dies
(its stdin pipe closes).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from local_portal.events import LOCAL_REGION


class StackError(RuntimeError):
    """The stack did not start, or did not answer."""


class FunctionError(RuntimeError):
    """The function raised (the invoke response carried X-Amz-Function-Error)."""

    def __init__(self, function_name: str, payload: dict[str, Any]) -> None:
        super().__init__(f"{function_name}: {payload.get('errorType')}: {payload.get('errorMessage')}")
        self.payload = payload


@dataclass(frozen=True)
class Stack:
    """A running stack's URLs, and helpers to invoke functions and read the outbox."""

    api_url: str
    invoke_url: str
    web_url: str
    aws_endpoint: str
    pid: int

    def invoke(self, function_name: str, payload: Mapping[str, Any]) -> Any:
        """Invoke a function synchronously; its result, or FunctionError if it raised."""
        request = urllib.request.Request(  # noqa: S310 - the stack's own http URL
            f"{self.invoke_url}/2015-03-31/functions/{function_name}/invocations",
            data=json.dumps(payload).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as reply:  # noqa: S310 - local http
                body = reply.read()
                function_error = reply.headers.get("X-Amz-Function-Error")
        except urllib.error.HTTPError as exc:
            raise StackError(f"invoke {function_name}: {exc.code} {exc.read().decode(errors='replace')}") from exc
        result = json.loads(body) if body else None
        if function_error:
            raise FunctionError(function_name, result if isinstance(result, dict) else {})
        return result

    def lambda_client(self) -> Any:
        """boto3's Lambda client pointed at the invoke endpoint, as `aws lambda invoke` would be."""
        import boto3  # only for the callers that want it: the rest of this module is standard library
        from botocore.config import Config

        return boto3.client(
            "lambda",
            endpoint_url=self.invoke_url,
            region_name=LOCAL_REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(retries={"max_attempts": 1}, read_timeout=60),
        )

    def outbox(self) -> list[dict[str, Any]]:
        """Every email sent so far, newest first."""
        with urllib.request.urlopen(f"{self.web_url}/outbox.json", timeout=10) as reply:  # noqa: S310
            entries: list[dict[str, Any]] = json.load(reply)
        return entries


@contextmanager
def running(
    api_port: int = 0,
    invoke_port: int = 0,
    web_port: int = 0,
    aws_port: int = 0,
    *,
    host: str = "127.0.0.1",
    template: Path | None = None,
    web_dir: Path | None = None,
    parameters: Mapping[str, str] | None = None,
    log: IO[str] | IO[bytes] | Path | None = None,
    startup_timeout: float = 60.0,
) -> Iterator[Stack]:
    """Run `python -m local_portal` on free ports (by default) until the block ends.

    `log` receives the stack's output (banner, access log, the functions' logs): a file, an open
    file object or None for this process's stderr.
    """
    command = [
        sys.executable,
        "-m",
        "local_portal",
        f"--host={host}",
        f"--api-port={api_port}",
        f"--invoke-port={invoke_port}",
        f"--web-port={web_port}",
        f"--aws-port={aws_port}",
        "--stop-on-stdin-eof",
    ]
    if template is not None:
        command.append(f"--template={template}")
    if web_dir is not None:
        command.append(f"--web-dir={web_dir}")
    if parameters:
        command += ["--parameter-overrides", *(f"{name}={value}" for name, value in parameters.items())]

    with tempfile.TemporaryDirectory(prefix="local-portal-") as directory:
        ready_file = Path(directory) / "ready.json"
        command.append(f"--ready-file={ready_file}")
        log_file = open(log, "ab") if isinstance(log, Path) else None  # noqa: SIM115 - closed below
        output: Any = log_file or log or None
        process = subprocess.Popen(
            command,
            cwd=Path(__file__).resolve().parent.parent,
            stdin=subprocess.PIPE,
            stdout=output if output is not None else sys.stderr,
            stderr=output if output is not None else sys.stderr,
        )
        try:
            urls = _wait_until_ready(process, ready_file, startup_timeout)
            yield Stack(
                api_url=urls["api_url"],
                invoke_url=urls["invoke_url"],
                web_url=urls["web_url"],
                aws_endpoint=urls["aws_endpoint"],
                pid=process.pid,
            )
        finally:
            _stop(process)
            if log_file is not None:
                log_file.close()


def _wait_until_ready(process: subprocess.Popen[bytes], ready_file: Path, timeout: float) -> dict[str, str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready_file.exists():
            urls: dict[str, str] = json.loads(ready_file.read_text())
            return urls
        if process.poll() is not None:
            raise StackError(f"the local portal exited with status {process.returncode} before it was ready")
        time.sleep(0.05)
    raise StackError(f"the local portal was not ready within {timeout} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        # It did not stop in time: kill it and whatever it started (same process group or not).
        for pid in descendant_pids(process.pid):
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.kill()
        process.wait()
    if process.stdin is not None:
        process.stdin.close()


def descendant_pids(pid: int) -> list[int]:
    """Every process under `pid`, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found: list[int] = []
    pending = [pid]
    while pending:
        for child in children.get(pending.pop(), []):
            found.append(child)
            pending.append(child)
    return found
