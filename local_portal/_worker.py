"""One function's "container": imports the handler once, then serves invocations until EOF.

Run as a script (not as part of the local_portal package) with the function's code directory as
its working directory, so sys.path looks like Lambda's /var/task. Standard library only.
Protocol, one JSON object per line: requests on fd argv[1], responses on fd argv[2]; stdout and
stderr are left to the function's logs. argv[4] is the function's execution role (its arn,
resolved statements and account, as JSON): every AWS call the function makes is held to it
before it leaves the process (local_portal/iam.py), and a call the role does not allow fails
with AWS's AccessDenied, logged.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import signal
import sys
import traceback
from pathlib import Path
from typing import Any


def _load_sibling(name: str) -> Any:
    # By path, under a private name: the repository must not join the function's sys.path.
    spec = importlib.util.spec_from_file_location(f"_local_portal_{name}", Path(__file__).with_name(f"{name}.py"))
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building the class
    spec.loader.exec_module(module)
    return module


def _hold_to_role(role_json: str) -> None:
    """Every client the function makes from boto3's default session is held to its role (the
    hooks are on the session before the handler's import can make a client)."""
    import boto3

    iam = _load_sibling("iam")
    role = json.loads(role_json)
    account = iam.Account(**{**role["account"], "email_identities": frozenset(role["account"]["email_identities"])})

    def log(line: str) -> None:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()

    boto3.setup_default_session()
    assert boto3.DEFAULT_SESSION is not None
    iam.Enforcer(role["arn"], iam.read_statements(role["statements"]), account, log).install(
        boto3.DEFAULT_SESSION.events
    )


def _error(
    exc: BaseException, error_type: str | None = None, message: str | None = None, user_frames_only: bool = False
) -> dict[str, Any]:
    tb = exc.__traceback__
    if user_frames_only and tb is not None:
        tb = tb.tb_next  # the first frame is this worker calling the handler
    return {
        "errorMessage": message if message is not None else str(exc),
        "errorType": error_type or type(exc).__name__,
        "stackTrace": traceback.format_list(traceback.extract_tb(tb)),
    }


def _load_handler(spec: str) -> Any:
    module_name, _, function_name = spec.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        message = f"Unable to import module '{module_name}': {exc}"
        raise _InitError(_error(exc, "Runtime.ImportModuleError", message)) from exc
    except SyntaxError as exc:
        message = f"Syntax error in module '{module_name}': {exc}"
        raise _InitError(_error(exc, "Runtime.UserCodeSyntaxError", message)) from exc
    except Exception as exc:
        raise _InitError(_error(exc)) from exc
    handler = getattr(module, function_name, None)
    if not callable(handler):
        raise _InitError(
            {
                "errorMessage": f"Handler '{function_name}' missing on module '{module_name}'",
                "errorType": "Runtime.HandlerNotFound",
                "stackTrace": [],
            }
        )
    return handler


class _InitError(Exception):
    def __init__(self, payload: dict[str, Any]) -> None:
        super().__init__(payload["errorMessage"])
        self.payload = payload


def _report_error(payload: dict[str, Any]) -> None:
    # Lambda's runtime logs unhandled errors too, so they show up next to the function's logs.
    sys.stderr.write(f"[ERROR] {payload['errorType']}: {payload['errorMessage']}\n")
    sys.stderr.write("".join(payload.get("stackTrace", [])))
    sys.stderr.flush()


def main() -> int:
    request_fd, response_fd, handler_spec, role = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    # The stack stops workers by closing their pipes; Ctrl-C in the terminal is its business.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    code_dir = os.getcwd()
    sys.path[0] = code_dir  # replaces this script's own directory, as in /var/task
    requests = os.fdopen(request_fd, "r", encoding="utf-8")
    responses = os.fdopen(response_fd, "w", encoding="utf-8")

    lambda_context = _load_sibling("events").LambdaContext
    init_error: dict[str, Any] | None = None
    try:
        _hold_to_role(role)
        handler = _load_handler(handler_spec)
    except _InitError as exc:
        init_error = exc.payload
        _report_error(init_error)

    for line in requests:
        request = json.loads(line)
        if init_error is not None:
            # Like Lambda, a failed init fails this invocation and the next one starts afresh.
            responses.write(json.dumps({"error": init_error}) + "\n")
            responses.flush()
            return 1
        context = lambda_context.from_environment(request["request_id"], request["deadline_ms"])
        response: dict[str, Any]
        try:
            result = handler(request["event"], context)
        except Exception as exc:
            response = {"error": _error(exc, user_frames_only=True)}
            _report_error(response["error"])
        else:
            try:
                response = {"payload": json.dumps(result)}
            except (TypeError, ValueError) as exc:
                response = {"error": _error(exc, "Runtime.MarshalError", f"Unable to marshal response: {exc}")}
                _report_error(response["error"])
        sys.stdout.flush()
        sys.stderr.flush()
        responses.write(json.dumps(response) + "\n")
        responses.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
