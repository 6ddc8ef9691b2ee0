"""Functions run like Lambda containers: one long-lived worker process per function.

A worker imports its handler once (cold start) and then serves invocations one at a time
(warm), over a pair of pipes carrying JSON lines. Its stdout and stderr, the function's logs, are
copied to the stack's stderr prefixed with the function's name.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from local_portal.events import LOCAL_REGION
from local_portal.iam import Account
from local_portal.roles import Role
from local_portal.template import FunctionSpec

WORKER_SCRIPT = Path(__file__).with_name("_worker.py")
# Environment a worker inherits from the stack; everything else comes from the template.
_INHERITED_VARIABLES = ("PATH", "LANG", "LC_ALL", "HOME", "TMPDIR", "SSL_CERT_FILE", "SSL_CERT_DIR")

LogSink = Callable[[str, str], None]


def stderr_log_sink() -> LogSink:
    lock = threading.Lock()

    def write(source: str, line: str) -> None:
        with lock:
            sys.stderr.write(f"{source} | {line.rstrip()}\n")
            sys.stderr.flush()

    return write


@dataclass(frozen=True)
class Invocation:
    """What Lambda returns: the payload bytes, and the X-Amz-Function-Error value if it failed."""

    request_id: str
    payload: bytes
    function_error: str | None = None

    def json(self) -> Any:
        return json.loads(self.payload)


def function_environment(spec: FunctionSpec, aws_endpoint: str) -> dict[str, str]:
    """The environment Lambda would give the function, pointed at the local AWS emulator."""
    environment = {name: os.environ[name] for name in _INHERITED_VARIABLES if name in os.environ}
    environment.update(
        {
            # What the Lambda runtime sets for every function.
            "AWS_LAMBDA_FUNCTION_NAME": spec.logical_id,
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory_mb),
            "AWS_LAMBDA_FUNCTION_TIMEOUT": str(int(spec.timeout_seconds)),
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{spec.logical_id}",
            "AWS_LAMBDA_LOG_STREAM_NAME": f"local/[$LATEST]{uuid.uuid4().hex}",
            "AWS_EXECUTION_ENV": f"AWS_Lambda_{spec.runtime}",
            "AWS_REGION": LOCAL_REGION,
            "AWS_DEFAULT_REGION": LOCAL_REGION,
            "LAMBDA_TASK_ROOT": str(spec.code_dir),
            "_HANDLER": spec.handler,
            "TZ": ":UTC",
            # As `sam local` does: Powertools' Tracer then stays off (there is no X-Ray daemon).
            "AWS_SAM_LOCAL": "true",
            # Dummy credentials: the emulator accepts any.
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "PYTHONUNBUFFERED": "1",
        }
    )
    environment.update(spec.environment)
    # boto3 sends every service to this endpoint; set last so the template cannot point elsewhere.
    environment["AWS_ENDPOINT_URL"] = aws_endpoint
    return environment


class _Process:
    """A started worker process with its pipes and the threads that read them."""

    def __init__(self, spec: FunctionSpec, environment: Mapping[str, str], log: LogSink, role: str) -> None:
        request_read, self._request_write = os.pipe()
        response_read, response_write = os.pipe()
        try:
            self.popen = subprocess.Popen(
                [
                    sys.executable,
                    "-u",
                    str(WORKER_SCRIPT),
                    str(request_read),
                    str(response_write),
                    spec.handler,
                    role,
                ],
                cwd=spec.code_dir,
                env=dict(environment),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                pass_fds=(request_read, response_write),
            )
        finally:
            os.close(request_read)
            os.close(response_write)
        self.requests = os.fdopen(self._request_write, "w", encoding="utf-8")
        self.responses: queue.Queue[dict[str, Any] | None] = queue.Queue()
        name = spec.logical_id
        assert self.popen.stdout is not None
        assert self.popen.stderr is not None
        self._threads = [
            threading.Thread(target=self._read_responses, args=(response_read,), daemon=True),
            threading.Thread(target=self._copy_log, args=(self.popen.stdout, name, log), daemon=True),
            threading.Thread(target=self._copy_log, args=(self.popen.stderr, name, log), daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def _read_responses(self, fd: int) -> None:
        with os.fdopen(fd, "r", encoding="utf-8") as responses:
            for line in responses:
                self.responses.put(json.loads(line))
        self.responses.put(None)  # EOF: the worker exited

    @staticmethod
    def _copy_log(stream: IO[bytes], name: str, log: LogSink) -> None:
        with stream:
            for line in stream:
                log(name, line.decode("utf-8", "replace"))

    def alive(self) -> bool:
        return self.popen.poll() is None

    def begin_stop(self) -> None:
        """Closing the request pipe makes an idle worker leave its loop and exit."""
        with contextlib.suppress(OSError):
            self.requests.close()

    def finish_stop(self, grace_seconds: float = 2.0) -> None:
        try:
            self.popen.wait(timeout=grace_seconds)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
        for thread in self._threads:
            thread.join(timeout=1.0)


def role_argument(role: Role, account: Account) -> str:
    """What the worker holds the function's calls to: its role's statements, where it runs."""
    role.statements  # noqa: B018 - read here, so a statement the evaluator cannot judge stops the start
    where = {**asdict(account), "email_identities": sorted(account.email_identities)}
    return json.dumps({"arn": role.arn, "statements": list(role.documents), "account": where})


class FunctionWorker:
    """One function's long-lived worker, restarted on the next invoke if it died; its AWS calls
    are held to ``role`` (the JSON of ``role_argument``)."""

    def __init__(self, spec: FunctionSpec, environment: Mapping[str, str], log: LogSink, role: str) -> None:
        self.spec = spec
        self.environment = dict(environment)
        self.role = role
        self._log = log
        self._lock = threading.Lock()
        self._process: _Process | None = None
        self._closed = False

    def start(self) -> None:
        with self._lock:
            self._ensure_started()

    def _ensure_started(self) -> _Process:
        if self._closed:
            raise RuntimeError("the stack is stopping")
        if self._process is None or not self._process.alive():
            if self._process is not None:
                self._process.finish_stop(grace_seconds=0)
            self._process = _Process(self.spec, self.environment, self._log, self.role)
        return self._process

    def invoke(self, event: Any) -> Invocation:
        request_id = str(uuid.uuid4())
        with self._lock:
            process = self._ensure_started()
            started = time.monotonic()
            self._log(self.spec.logical_id, f"START RequestId: {request_id} Version: $LATEST")
            deadline = time.time() + self.spec.timeout_seconds
            request = {"request_id": request_id, "deadline_ms": int(deadline * 1000), "event": event}
            try:
                process.requests.write(json.dumps(request) + "\n")
                process.requests.flush()
                response = process.responses.get(timeout=self.spec.timeout_seconds)
            except (BrokenPipeError, ValueError):
                response = None
            except queue.Empty:
                # Lambda stops a timed-out sandbox; the next invoke is a cold start.
                process.popen.kill()
                process.finish_stop(grace_seconds=1.0)
                self._process = None
                response = {
                    "error": {
                        "errorMessage": f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())} {request_id} "
                        f"Task timed out after {self.spec.timeout_seconds:.2f} seconds",
                        "errorType": "Sandbox.Timedout",
                    }
                }
            if response is None:
                code = process.popen.wait(timeout=5)
                response = {
                    "error": {
                        "errorMessage": f"RequestId: {request_id} Error: Runtime exited with error: exit status {code}",
                        "errorType": "Runtime.ExitError",
                    }
                }
            elapsed_ms = (time.monotonic() - started) * 1000
            self._log(self.spec.logical_id, f"END RequestId: {request_id}")
            self._log(
                self.spec.logical_id,
                f"REPORT RequestId: {request_id}\tDuration: {elapsed_ms:.2f} ms\tMemory Size: {self.spec.memory_mb} MB",
            )
        if "error" in response:
            error = dict(response["error"])
            error.setdefault("requestId", request_id)
            return Invocation(request_id, json.dumps(error).encode(), function_error="Unhandled")
        return Invocation(request_id, str(response["payload"]).encode())

    def stop_begin(self) -> _Process | None:
        self._closed = True
        process, self._process = self._process, None
        if process is not None:
            process.begin_stop()
        return process


class FunctionPool:
    """Every function of the template, each with its worker (started on first invoke), each held
    to its own execution role."""

    def __init__(
        self,
        functions: Mapping[str, FunctionSpec],
        aws_endpoint: str,
        log: LogSink | None,
        roles: Mapping[str, Role],
        account: Account,
    ) -> None:
        sink = log or stderr_log_sink()
        self.workers = {
            name: FunctionWorker(
                spec, function_environment(spec, aws_endpoint), sink, role_argument(roles[name], account)
            )
            for name, spec in functions.items()
        }

    def get(self, name: str) -> FunctionWorker | None:
        """A function by logical ID, by ARN, or with a qualifier ("Name:$LATEST")."""
        if name.startswith("arn:"):
            parts = name.split(":")
            name = parts[6] if len(parts) > 6 else name
        return self.workers.get(name.split(":", 1)[0])

    def warm(self) -> None:
        for worker in self.workers.values():
            worker.start()

    def stop(self) -> None:
        # Close every pipe first so all workers exit in parallel, then wait for each.
        processes = [worker.stop_begin() for worker in self.workers.values()]
        for process in processes:
            if process is not None:
                process.finish_stop()
