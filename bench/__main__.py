"""`make bench`: measure every route and staff action, print the table, write docs/PERFORMANCE.md.

    .venv/bin/python -m bench [--requests 200] [--cold-runs 7] [--quick]

Needs `make build` (.aws-sam/build); everything else runs here against moto."""

import argparse
import contextlib
import os
import platform
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.support.environment import REPO_ROOT, TEMPLATE, configure, function_names

SIZES = (512, 1024, 1769)


def progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def quiet_stdout() -> Iterator[None]:
    """The handlers log and publish metrics to stdout (CloudWatch on Lambda): keep that work,
    drop its output, so the bench prints only its table."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


@dataclass
class Measured:
    calls: dict[str, tuple[dict[str, int], int, str]] = field(default_factory=dict)  # case: services, writes, list
    units: dict[str, tuple[int, int]] = field(default_factory=dict)  # case: write units, read units
    latency: dict[str, Any] = field(default_factory=dict)
    scale: dict[int, dict[str, tuple[dict[str, int], int]]] = field(default_factory=dict)
    load_seconds: dict[int, float] = field(default_factory=dict)
    contractor_item_bytes: int = 0
    # state: (bytes, of which attribute names, trusted devices)
    item_sizes: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    argon2: dict[str, float] = field(default_factory=dict)
    cold: list[Any] = field(default_factory=list)
    memory: list[Any] = field(default_factory=list)
    steps: list[Any] = field(default_factory=list)
    shares: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    packages: dict[str, Any] = field(default_factory=dict)


def _count_every_case(world: Any, calls: Any) -> dict[str, tuple[dict[str, int], int]]:
    from tests.performance.scenarios import SCENARIOS

    counted = {}
    for case, scenario in SCENARIOS.items():
        state = scenario.given(world)
        with calls.record():
            outcome = scenario.when(world, state)
        scenario.check(outcome)
        counted[case] = (dict(calls.by_service()), calls.dynamodb_writes())
    return counted


def in_process(measured: Measured, requests: int, scale: tuple[int, ...]) -> None:
    import boto3

    from bench.costs import capacity_units, item_size
    from bench.latency import measure
    from bench.scale import lighter_transaction_backups, load_contractors
    from tests.performance.scenarios import SCENARIOS, World, contractor_item_states
    from tests.support.aws_calls import counted_aws
    from tests.support.environment import TABLE_NAME

    with counted_aws() as calls, lighter_transaction_backups():
        world = World()
        client = boto3.client("dynamodb")
        for case, scenario in SCENARIOS.items():
            state = scenario.given(world)
            with calls.record():
                outcome = scenario.when(world, state)
            scenario.check(outcome)
            measured.calls[case] = (dict(calls.by_service()), calls.dynamodb_writes(), calls.summary())
            measured.units[case] = capacity_units(calls, client)
        profile = client.get_item(
            TableName=TABLE_NAME, Key={"pk": {"S": f"CONTRACTOR#{world.shared_license()}"}, "sk": {"S": "PROFILE"}}
        )
        measured.contractor_item_bytes = item_size(profile.get("Item"))
        for state, license_number in contractor_item_states(world):
            item = client.get_item(
                TableName=TABLE_NAME, Key={"pk": {"S": f"CONTRACTOR#{license_number}"}, "sk": {"S": "PROFILE"}}
            )["Item"]
            names = sum(len(name.encode("utf-8")) for name in item)
            measured.item_sizes[state] = (item_size(item), names, len(item.get("devices", {}).get("M", {})))
        for case in SCENARIOS:
            progress(f"latency: {case} x {requests}")
            measured.latency[case] = measure(case, world, calls, requests)
        loaded = 0
        for target in scale:
            progress(f"loading {target - loaded:,} contractors (BatchWriteItem)")
            measured.load_seconds[target] = load_contractors(
                target - loaded, 30_000_000 + loaded, world.shared_license()
            )
            loaded = target
            progress(f"calls at {target:,} contractors")
            measured.scale[target] = _count_every_case(world, calls)


def argon2_cost(measured: Measured, runs: int = 30) -> None:
    """argon2id at the contract's parameters, whatever the code's own settings say."""
    import argon2

    hasher = argon2.PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1, type=argon2.Type.ID)
    stored = hasher.hash("a long passphrase of my own")
    for name, work in (
        ("hash", lambda: hasher.hash("a long passphrase of my own")),
        ("verify", lambda: hasher.verify(stored, "a long passphrase of my own")),
    ):
        walls, cpus = [], []
        for _ in range(runs):
            wall, cpu = time.perf_counter(), time.process_time()
            work()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        measured.argon2[f"{name}_wall"] = statistics.median(walls)
        measured.argon2[f"{name}_cpu"] = statistics.median(cpus)


def in_children(measured: Measured, cold_runs: int, warm: int, memory_rounds: int, import_runs: int) -> None:
    from bench.cold import at_memory_sizes, cold_starts, memory_events_needed, moto_server, runtime_path
    from bench.import_costs import import_shares, step_costs
    from bench.package import compiled_copy, runnable_here
    from tests.performance.scenarios import World, first_requests

    progress("runnable copies of the built packages (native extensions for this machine)")
    compiled_dirs = {function: compiled_copy(runnable_here(function)) for function in function_names()}
    with runtime_path() as runtime_dir, moto_server() as endpoint:
        world = World()
        events = first_requests(world, 2 * cold_runs + memory_events_needed(SIZES, memory_rounds, warm))
        progress(f"cold starts: {cold_runs} rounds per function")
        cold_events = {function: function_events[: 2 * cold_runs] for function, function_events in events.items()}
        measured.cold = cold_starts(cold_events, runtime_dir, endpoint, cold_runs, compiled_dirs)
        progress("memory sizes")
        remaining = {function: function_events[2 * cold_runs :] for function, function_events in events.items()}
        measured.memory = at_memory_sizes(remaining, runtime_dir, endpoint, SIZES, memory_rounds)
        progress("import costs")
        measured.steps = step_costs(runtime_dir, import_runs)
        for function in function_names():
            measured.shares[function] = import_shares(function, runtime_dir, import_runs)


def packages(measured: Measured) -> None:
    from bench.package import built

    for function in function_names():
        measured.packages[function] = built(function)


def license_import(output: Path, rows: int) -> None:
    """The license file at full size, through the real handler under moto; its section of ``output``."""
    configure()
    from bench.license_import import markdown, run, with_section

    began = time.perf_counter()
    progress(f"the license import: {rows:,} rows, then 1% changed (in-process, moto)")
    with quiet_stdout():
        section = markdown(run(rows))
    print(section)
    before = output.read_text(encoding="utf-8") if output.exists() else ""
    output.write_text(with_section(before, section), encoding="utf-8")
    progress(f"wrote its section of {output} in {time.perf_counter() - began:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--requests", type=int, default=200, help="warm requests per case (default 200)")
    parser.add_argument("--cold-runs", type=int, default=7, help="cold starts per function, each beside a floor")
    parser.add_argument("--warm", type=int, default=20, help="warm requests per function at each memory size")
    parser.add_argument("--memory-rounds", type=int, default=3, help="cold starts per function at each memory size")
    parser.add_argument("--scale", default="1000,100000", help="contractors in the table, comma-separated")
    parser.add_argument("--quick", action="store_true", help="a smoke run: few requests, small table")
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "docs" / "PERFORMANCE.md")
    parser.add_argument(
        "--license-import",
        action="store_true",
        help="only the 245,000-row license file (first import and 1%% changed): its section of the output",
    )
    parser.add_argument("--license-rows", type=int, default=245_000, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.license_import:
        license_import(arguments.output, arguments.license_rows)
        return
    if arguments.quick:
        arguments.requests, arguments.cold_runs, arguments.warm, arguments.scale = 5, 2, 3, "200,1000"
        arguments.memory_rounds = 1
    scale = tuple(int(size) for size in arguments.scale.split(","))
    configure()
    from bench.report import render

    measured = Measured()
    began = time.perf_counter()
    with quiet_stdout():
        progress("AWS calls, warm latency and scale (in-process, moto)")
        in_process(measured, arguments.requests, scale)
        progress("argon2 at the contract's parameters")
        argon2_cost(measured)
        in_children(measured, arguments.cold_runs, arguments.warm, arguments.memory_rounds, import_runs=5)
        packages(measured)
    run = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared), Python {platform.python_version()}",
        "requests": arguments.requests,
        "cold_runs": arguments.cold_runs,
        "warm": arguments.warm,
        "memory_rounds": arguments.memory_rounds,
        "seconds": time.perf_counter() - began,
        "template_memory": {name: function.memory_mb for name, function in TEMPLATE.functions.items()},
    }
    table, document = render(measured, run)
    print(table)
    from bench.license_import import section_of, with_section

    # The license import's section is measured apart (--license-import): kept as it was.
    previous = arguments.output.read_text(encoding="utf-8") if arguments.output.exists() else ""
    document = with_section(document, section_of(previous))
    arguments.output.write_text(document, encoding="utf-8")
    progress(f"wrote {arguments.output} in {run['seconds']:.0f} s")


if __name__ == "__main__":
    main()
