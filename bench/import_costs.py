"""What a module costs at import, in a fresh interpreter as the function ships it: CPU time of
one step after a setup (the marginal cost), and each module's share of a handler's import
(``-X importtime``, cumulative, so a module counts what it alone brought in)."""

import math
import os
import re
import statistics
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from bench.package import RUNNABLE_DIR
from tests.support.environment import TEMPLATE, function_environment, lambda_variables

_MARGINAL: Final = """
import sys, time
exec(sys.argv[1])
started = time.process_time()
exec(sys.argv[2])
print(time.process_time() - started)
"""

# Marginal costs worth knowing: what every handler loads but one uses, and what was cut.
STEPS: Final = (
    (
        "the staff modules (use_cases.staff_desk, http.staff_events), after the rest of login's imports",
        "LoginFunction",
        "import contractor_accounts.use_cases.sign_in, contractor_accounts.adapters.dynamodb.store, "
        "contractor_accounts.http.views; import aws_lambda_powertools.event_handler",
        "import contractor_accounts.http.staff_events",
    ),
    (
        "the strength estimator: import zxcvbn and judge a 27-character passphrase",
        "RegisterFunction",
        "import contractor_accounts.domain.passwords",
        "from zxcvbn import zxcvbn; zxcvbn('a long passphrase of my own', max_length=128)",
    ),
    (
        "the strength estimator, warm: judge a 128-character passphrase",
        "RegisterFunction",
        "from zxcvbn import zxcvbn; zxcvbn('a long passphrase of my own', max_length=128)",
        "zxcvbn(('correct horse battery staple lantern harbor ' * 3)[:128], max_length=128)",
    ),
    (
        "argon2: import and the first hash at the contract's parameters",
        "LoginFunction",
        "import contractor_accounts.domain.passwords",
        "from contractor_accounts.adapters.argon2_hasher import PasswordHasher; "
        "PasswordHasher().hash_password('x' * 20)",
    ),
    (
        "an SES (sesv2) client, after the DynamoDB client",
        "ForgotFunction",
        "import boto3; boto3.client('dynamodb', region_name='us-west-2')",
        "boto3.client('sesv2', region_name='us-west-2')",
    ),
    (
        "Powertools' event handler with its OpenAPI validation (API functions only)",
        "LoginFunction",
        "import pydantic, aws_lambda_powertools",
        "from aws_lambda_powertools.event_handler import APIGatewayRestResolver",
    ),
    (
        "pydantic itself",
        "LoginFunction",
        "import aws_lambda_powertools",
        "import pydantic; from pydantic import BaseModel",
    ),
)
# Removed from the package; measured from this venv (which still has it, with bytecode: an
# underestimate of the shipped, bytecode-less cost).
TRACER_STEP: Final = (
    "aws-xray-sdk through Powertools' Tracer (removed)",
    "import boto3; boto3.client('dynamodb', region_name='us-west-2'); import aws_lambda_powertools",
    "from aws_lambda_powertools import Tracer; Tracer()",
)


@dataclass(frozen=True)
class StepCost:
    what: str
    function: str
    cpu_seconds: float  # median
    runs: int


def _environment(function: str, python_path: str | None) -> dict[str, str]:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        **function_environment(),
        **lambda_variables(function),
    }
    environment.pop("POWERTOOLS_TRACE_DISABLED", None)
    if python_path is not None:
        environment["PYTHONPATH"] = python_path
    return environment


def marginal_cpu(function: str, setup: str, step: str, runtime_dir: Path | None, runs: int) -> float:
    """Median CPU seconds of ``step`` after ``setup`` in a fresh interpreter: the function's
    build output and the runtime's SDK (``runtime_dir``), or this venv when it is None. NaN
    when the step no longer runs (a module it names has moved)."""
    if runtime_dir is None:
        command = [sys.executable, "-B", "-c", _MARGINAL, setup, step]
        python_path = None
    else:
        command = [sys.executable, "-B", "-S", "-c", _MARGINAL, setup, step]
        python_path = f"{RUNNABLE_DIR / function}{os.pathsep}{runtime_dir}"
    samples = []
    for _ in range(runs):
        completed = subprocess.run(  # noqa: S603 - our own interpreter
            command,
            env=_environment(function, python_path),
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        if completed.returncode != 0:
            return math.nan
        samples.append(float(completed.stdout.strip().splitlines()[-1]))
    return statistics.median(samples)


def step_costs(runtime_dir: Path, runs: int) -> list[StepCost]:
    costs = [
        StepCost(what, function, marginal_cpu(function, setup, step, runtime_dir, runs), runs)
        for what, function, setup, step in STEPS
    ]
    what, setup, step = TRACER_STEP
    costs.append(StepCost(what, "LoginFunction", marginal_cpu("LoginFunction", setup, step, None, runs), runs))
    return costs


_IMPORT_TIME: Final = re.compile(r"^import time:\s+(\d+)\s+\|\s+\d+\s+\|\s*(\S+)")


def import_shares(function: str, runtime_dir: Path, runs: int, top: int = 8) -> list[tuple[str, float]]:
    """Where a handler's import spends its time, by top-level package (our package by module):
    the median over ``runs`` of the summed self time of their modules (``-X importtime``, wall).
    Self time, unlike cumulative, does not depend on which module happened to import first.
    The handler module's own line includes what its body runs at import (settings, the
    DynamoDB client)."""
    module = TEMPLATE.functions[function].handler.rpartition(".")[0]
    samples: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        completed = subprocess.run(  # noqa: S603 - our own interpreter
            [sys.executable, "-B", "-S", "-X", "importtime", "-c", f"import {module}"],
            env=_environment(function, f"{RUNNABLE_DIR / function}{os.pathsep}{runtime_dir}"),
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        totals: dict[str, float] = defaultdict(float)
        for line in completed.stderr.splitlines():
            found = _IMPORT_TIME.match(line)
            if found:
                name = found.group(2)
                key = name if name.startswith("contractor_accounts.") or name == module else name.split(".")[0]
                totals[key] += int(found.group(1)) / 1e6
        for name, seconds in totals.items():
            samples[name].append(seconds)
    medians = {name: statistics.median(values + [0.0] * (runs - len(values))) for name, values in samples.items()}
    return sorted(medians.items(), key=lambda item: -item[1])[:top]
