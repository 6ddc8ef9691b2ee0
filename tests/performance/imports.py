"""What importing a handler loads, as Lambda's init phase does: in a fresh interpreter, with the
function's environment, nothing else imported first.

The deny lists say what each function must not load at import; test_imports.py checks them
and `make bench` reports the import cost of what every handler loads but only one needs."""

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from tests.support.environment import FUNCTIONS_DIR, TEMPLATE, function_environment, lambda_variables

# Loaded by no function at import: tracing SDK (Lambda's active tracing needs none), type stubs
# (typing only), test tools.
# (Powertools' own package __init__ loads its tracing module; that module loads the SDK lazily.)
DENIED_EVERYWHERE: Final = ("aws_xray_sdk", "mypy_boto3*", "moto", "pytest")
API_FUNCTIONS: Final = ("RegisterFunction", "LoginFunction", "AccountFunction", "ForgotFunction", "ResetFunction")
NEVER_JUDGE_A_PASSWORD: Final = (
    "LoginFunction",
    "AccountFunction",
    "ForgotFunction",
    "StaffFunction",
    "ResetMailerFunction",
    "NoticeFunction",
)


@dataclass(frozen=True)
class Denied:
    function: str
    module: str  # a package ("zxcvbn": it and its submodules) or a name prefix ("mypy_boto3*")
    why: str


def _deny_list() -> tuple[Denied, ...]:
    entries: list[Denied] = []
    for function in (*API_FUNCTIONS, "StaffFunction", "ResetMailerFunction", "LicenseDataFunction", "NoticeFunction"):
        entries += [Denied(function, module, "never needed at run time") for module in DENIED_EVERYWHERE]
        # The User-Agent parser: loaded when a browser is named (a notice, the activity shown),
        # by domain/browsers.py, never at import.
        entries.append(Denied(function, "ua_parser", "loaded only where a browser is named, on first use"))
    entries += [
        Denied(function, "zxcvbn", "this function never judges a password's strength")
        for function in NEVER_JUDGE_A_PASSWORD
    ]
    entries += [
        Denied(function, "contractor_accounts.use_cases.staff_desk", "staff actions run only in StaffFunction")
        for function in API_FUNCTIONS
    ]
    # The passkey ceremony (py_webauthn, and the cryptography and CBOR it brings) is loaded by the
    # first passkey request only (runtime.webauthn_ceremony): no handler's cold start pays for it.
    entries += [
        Denied(function, module, "only the passkey routes verify WebAuthn, and they load it on first use")
        for function in (*API_FUNCTIONS, "StaffFunction", "ResetMailerFunction", "NoticeFunction")
        for module in ("webauthn", "cryptography", "cbor2")
    ]
    entries += [
        Denied("ForgotFunction", "argon2", "forgot password hashes nothing"),
        Denied("ResetMailerFunction", "argon2", "the reset mailer hashes nothing"),
        Denied("ResetMailerFunction", "aws_lambda_powertools.event_handler", "the reset mailer has no HTTP route"),
        Denied("StaffFunction", "aws_lambda_powertools.event_handler", "staff has no HTTP route"),
        Denied("LicenseDataFunction", "argon2", "the license import hashes no password"),
        Denied("LicenseDataFunction", "zxcvbn", "the license import judges no password"),
        Denied("LicenseDataFunction", "aws_lambda_powertools.event_handler", "the license import has no HTTP route"),
        Denied("LicenseDataFunction", "contractor_accounts.use_cases.staff_desk", "staff actions run in StaffFunction"),
        Denied("NoticeFunction", "argon2", "the notice function hashes nothing"),
        Denied("NoticeFunction", "aws_lambda_powertools.event_handler", "the notice function has no HTTP route"),
    ]
    return tuple(entries)


DENIED: Final = _deny_list()

# Clients a function may build at import (init phase): only what its first request surely needs.
CLIENTS_AT_IMPORT: Final = ("dynamodb",)
# ForgotFunction sends every request to the queue: its SQS client is surely needed too; every
# license import streams its file from S3.
MORE_CLIENTS_AT_IMPORT: Final = {"ForgotFunction": ("sqs",), "LicenseDataFunction": ("s3",)}


def clients_at_import(function: str) -> set[str]:
    return {*CLIENTS_AT_IMPORT, *MORE_CLIENTS_AT_IMPORT.get(function, ())}


# The probe imports boto3 first (its hook sees every client built); the package's own __init__,
# which every handler imports before boto3 (its guard keeps botocore from loading pyOpenSSL), comes
# first here too, so the probe sees what Lambda's import of the handler loads.
_PROBE: Final = """
import json, sys
import contractor_accounts
import boto3
boto3.setup_default_session()
clients = []
def record(event_name, **kwargs):
    clients.append(event_name.split(".")[-1])
boto3.DEFAULT_SESSION.events.register("creating-client-class", record)
import importlib
module_name = sys.argv[1]
importlib.import_module(module_name)
print(json.dumps({"modules": sorted(sys.modules), "clients": clients}))
"""


@dataclass(frozen=True)
class Imported:
    modules: frozenset[str]
    clients: tuple[str, ...]

    def loads(self, module: str) -> bool:
        if module.endswith("*"):
            return any(name.startswith(module[:-1]) for name in self.modules)
        return any(name == module or name.startswith(module + ".") for name in self.modules)


def import_handler(logical_id: str, code_dir: Path = FUNCTIONS_DIR) -> Imported:
    """Import the function's handler module in a fresh interpreter (``code_dir`` first on the
    path, as /var/task is on Lambda) and say what got loaded and which AWS clients were built."""
    module_name = TEMPLATE.functions[logical_id].handler.rpartition(".")[0]
    environment = {
        **os.environ,
        **function_environment(),
        **lambda_variables(logical_id),
        "PYTHONPATH": str(code_dir),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    for unset in ("AWS_ENDPOINT_URL", "POWERTOOLS_TRACE_DISABLED"):
        environment.pop(unset, None)
    completed = subprocess.run(
        [sys.executable, "-c", _PROBE, module_name],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    found = json.loads(completed.stdout.strip().splitlines()[-1])
    return Imported(modules=frozenset(found["modules"]), clients=tuple(found["clients"]))
