"""Cold starts and memory sizes, measured in fresh interpreters as Lambda runs a function.

Each child imports the handler from the `make build` output (.aws-sam/build/<Function>, with
its arm64 native extensions swapped for this machine's: bench.package.runnable_here), first on
the path as /var/task is; -B because Lambda's code directory is read-only, so no bytecode is
written; -S and only the runtime's own AWS SDK besides, as the python3.13 runtime provides it),
then answers its first request, then any warm ones. AWS is a moto server in the bench's process:
the child's calls cross a socket as on Lambda, and moto's own work is not the child's CPU.

The floor is the same interpreter doing ``import boto3; boto3.client("dynamodb")``, timed in
the same run, alternating with the handler, so a busy shared machine moves both alike."""

import contextlib
import importlib.util
import json
import logging
import os
import socket
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from bench.latency import percentile_95
from bench.package import RUNNABLE_DIR
from tests.support.environment import TEMPLATE, create_resources, function_environment, lambda_variables

# What the python3.13 runtime provides beside the standard library.
RUNTIME_MODULES: Final = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six")
LAMBDA_FULL_CPU_MB: Final = 1769  # Lambda gives one full vCPU at 1,769 MB, CPU share scales with memory
CGROUP_CPU: Final = Path("/sys/fs/cgroup/cpu")  # cgroup v1 CPU controller (cfs quota)
CGROUP_V2: Final = Path("/sys/fs/cgroup")

_CHILD: Final = r"""
import json, sys, time
t0, w0 = time.process_time(), time.perf_counter()
spec = json.load(open(sys.argv[1]))
aws = {"seconds": 0.0, "calls": {}, "mark": 0.0}
if spec["time_aws"]:
    # Time inside AWS calls (the moto server's latency here, a network round trip on Lambda)
    # is taken out of the durations; the caller adds modelled round trips instead.
    import boto3
    boto3.setup_default_session()

    def before(event_name, **kwargs):
        service = event_name.split(".")[1]
        aws["calls"][service] = aws["calls"].get(service, 0) + 1
        aws["mark"] = time.perf_counter()

    def after(**kwargs):
        aws["seconds"] += time.perf_counter() - aws["mark"]

    for name, hook in (("before-call", before), ("after-call", after), ("after-call-error", after)):
        boto3.DEFAULT_SESSION.events.register(name, hook)
if spec["mode"] == "floor":
    import boto3
    boto3.client("dynamodb")
    result = {"import_cpu": time.process_time() - t0, "import_wall": time.perf_counter() - w0}
else:
    import importlib
    module_name, _, attribute = spec["handler"].rpartition(".")
    handler = getattr(importlib.import_module(module_name), attribute)
    t1, w1 = time.process_time(), time.perf_counter()

    class Context:
        function_name = spec["function"]
        function_version = "$LATEST"
        memory_limit_in_mb = spec["memory_mb"]
        invoked_function_arn = "arn:aws:lambda:us-west-2:123456789012:function:" + spec["function"]
        aws_request_id = "00000000-0000-0000-0000-000000000000"
        log_group_name = "/aws/lambda/" + spec["function"]
        log_stream_name = "bench"

        def get_remaining_time_in_millis(self):
            return 10_000

    requests = []
    for index, event in enumerate(spec["events"]):
        if spec["rotate"] and index:
            # Request 0 warms up at full CPU; then each request runs in the next size's CPU
            # group in turn, so a busy machine slows every size alike.
            with open(spec["rotate"][(index - 1) % len(spec["rotate"])] + "/cgroup.procs", "w") as group:
                group.write(str(__import__("os").getpid()))
        c, w, in_aws, calls = time.process_time(), time.perf_counter(), aws["seconds"], dict(aws["calls"])
        answer = handler(event, Context())
        requests.append(
            {
                "cpu": time.process_time() - c,
                "wall": time.perf_counter() - w,
                "aws": aws["seconds"] - in_aws,
                "calls": {k: v - calls.get(k, 0) for k, v in aws["calls"].items() if v - calls.get(k, 0)},
                "status": answer.get("statusCode", 200 if answer.get("ok") else 500),
            }
        )
    result = {
        "import_cpu": t1 - t0,
        "import_wall": w1 - w0,
        "first_cpu": requests[0]["cpu"],
        "first_wall": requests[0]["wall"],
        "requests": requests,
    }
with open(sys.argv[2], "w") as out:
    json.dump(result, out)
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """A moto server in this process, with the template's table, email resources and queues; this
    process's handlers use it too (AWS_ENDPOINT_URL), so the state they prepare is the children's."""
    from contractor_accounts import runtime
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per AWS call otherwise
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    previous = os.environ.get("AWS_ENDPOINT_URL")
    os.environ["AWS_ENDPOINT_URL"] = endpoint
    try:
        create_resources()
        runtime.reset()
        yield endpoint
    finally:
        runtime.reset()
        if previous is None:
            os.environ.pop("AWS_ENDPOINT_URL", None)
        else:
            os.environ["AWS_ENDPOINT_URL"] = previous
        server.stop()


@contextlib.contextmanager
def runtime_path() -> Iterator[Path]:
    """A directory holding only what the Lambda runtime provides (links into this venv)."""
    with tempfile.TemporaryDirectory(prefix="bench-runtime-") as directory:
        for name in RUNTIME_MODULES:
            spec = importlib.util.find_spec(name)
            if spec is None or spec.origin is None:
                raise ModuleNotFoundError(name)
            origin = Path(spec.origin)
            source = origin.parent if origin.name == "__init__.py" else origin
            (Path(directory) / source.name).symlink_to(source)
        yield Path(directory)


class CpuLimit:
    """A CPU quota for a child, as Lambda's CPU share at a memory size: cgroup v1 cfs quota or
    cgroup v2 cpu.max, when this machine lets us make one; else None (the caller scales)."""

    def __init__(self, memory_mb: int) -> None:
        self.memory_mb = memory_mb
        self.path: Path | None = None
        # 10 ms, shorter than a request: the share then holds within one request (with the
        # default 100 ms, a 25 ms request fits in one period's quota even at 512 MB).
        period = 10_000
        quota = round(period * memory_mb / LAMBDA_FULL_CPU_MB)
        for base, files in (
            (CGROUP_CPU, {"cpu.cfs_period_us": str(period), "cpu.cfs_quota_us": str(quota)}),
            (CGROUP_V2, {"cpu.max": f"{quota} {period}"}),
        ):
            if not (base / next(iter(files))).exists() and not (base / "cgroup.procs").exists():
                continue
            path = base / f"contractor-bench-{os.getpid()}-{memory_mb}"
            try:
                path.mkdir(exist_ok=True)
                for name, value in files.items():
                    (path / name).write_text(value)
            except OSError:
                with contextlib.suppress(OSError):
                    path.rmdir()
                continue
            self.path = path
            return

    def enter(self) -> None:
        """Move the calling process (a child, before exec) into the group."""
        if self.path is not None:
            (self.path / "cgroup.procs").write_text(str(os.getpid()))

    def remove(self) -> None:
        if self.path is not None:
            with contextlib.suppress(OSError):
                self.path.rmdir()


def run_child(
    mode: str,
    function: str,
    events: list[dict[str, Any]],
    runtime_dir: Path,
    endpoint: str,
    limit: CpuLimit | None = None,
    *,
    time_aws: bool = False,
    code_dir: Path | None = None,
    rotate: list[str] | None = None,
) -> dict[str, Any]:
    code_dir = code_dir or RUNNABLE_DIR / function
    if mode != "floor" and not code_dir.is_dir():
        raise FileNotFoundError(f"{code_dir} is missing: run `make build` and bench.package.runnable_here first")
    environment = {
        "PATH": os.environ.get("PATH", ""),
        **function_environment(),
        **lambda_variables(function),
        "AWS_ENDPOINT_URL": endpoint,
        "PYTHONPATH": str(runtime_dir) if mode == "floor" else f"{code_dir}{os.pathsep}{runtime_dir}",
    }
    environment.pop("POWERTOOLS_TRACE_DISABLED", None)
    with tempfile.TemporaryDirectory(prefix="bench-child-") as scratch:
        spec_path, result_path = Path(scratch) / "spec.json", Path(scratch) / "result.json"
        spec = {
            "mode": mode,
            "function": function,
            "handler": TEMPLATE.functions[function].handler,
            "memory_mb": limit.memory_mb if limit else LAMBDA_FULL_CPU_MB,
            "events": events,
            "time_aws": time_aws,
            "rotate": rotate or [],
        }
        spec_path.write_text(json.dumps(spec))
        subprocess.run(  # noqa: S603 - our own interpreter running our own child
            [sys.executable, "-B", "-S", "-c", _CHILD, str(spec_path), str(result_path)],
            env=environment,
            cwd=code_dir if mode != "floor" else scratch,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=True,
            timeout=300,
            preexec_fn=limit.enter if limit and limit.path else None,
        )
        result: dict[str, Any] = json.loads(result_path.read_text())
        return result


@dataclass(frozen=True)
class ColdStart:
    function: str
    import_cpu: float  # median seconds: the package as built
    first_cpu: float
    floor_cpu: float
    import_wall: float
    floor_wall: float
    compiled_import_cpu: float  # the same package with its bytecode compiled in
    runs: int

    @property
    def import_ratio(self) -> float:
        return self.import_cpu / self.floor_cpu

    @property
    def with_first_request_ratio(self) -> float:
        return (self.import_cpu + self.first_cpu) / self.floor_cpu

    @property
    def compiled_ratio(self) -> float:
        return self.compiled_import_cpu / self.floor_cpu


def cold_starts(
    events: dict[str, list[dict[str, Any]]],
    runtime_dir: Path,
    endpoint: str,
    runs: int,
    compiled_dirs: dict[str, Path],
) -> list[ColdStart]:
    """``runs`` rounds per function of floor, handler as built, handler with bytecode (in
    turn, so a busy machine slows all three alike); medians of each."""
    results = []
    for function, function_events in events.items():
        floors, handlers, compiled = [], [], []
        for run in range(runs):
            floors.append(run_child("floor", function, [], runtime_dir, endpoint))
            handlers.append(run_child("handler", function, [function_events[2 * run]], runtime_dir, endpoint))
            compiled.append(
                run_child(
                    "handler",
                    function,
                    [function_events[2 * run + 1]],
                    runtime_dir,
                    endpoint,
                    code_dir=compiled_dirs[function],
                )
            )
        results.append(
            ColdStart(
                function=function,
                import_cpu=statistics.median(h["import_cpu"] for h in handlers),
                first_cpu=statistics.median(h["first_cpu"] for h in handlers),
                floor_cpu=statistics.median(f["import_cpu"] for f in floors),
                import_wall=statistics.median(h["import_wall"] for h in handlers),
                floor_wall=statistics.median(f["import_wall"] for f in floors),
                compiled_import_cpu=statistics.median(c["import_cpu"] for c in compiled),
                runs=runs,
            )
        )
    return results


@dataclass(frozen=True)
class AtMemory:
    function: str
    memory_mb: int
    own_median: float  # seconds of the handler's own work per warm request, under the quota
    own_p95: float
    cpu_scaled_median: float  # the same from CPU time x 1769 / MB (a cross-check)
    cold: float  # import + first request, without its AWS waits
    dynamodb_calls: int  # per warm request (median)
    ses_calls: int
    quota: bool  # measured under a quota (else: CPU time scaled by 1769/MB)

    def billed(self, dynamodb_round_trip: float, ses_round_trip: float) -> float:
        """A warm request's duration on Lambda: its own time plus modelled round trips."""
        return self.own_median + self.dynamodb_calls * dynamodb_round_trip + self.ses_calls * ses_round_trip


def memory_events_needed(sizes: tuple[int, ...], rounds: int, warm: int) -> int:
    return rounds * len(sizes) + 1 + warm * len(sizes)


def at_memory_sizes(
    events: dict[str, list[dict[str, Any]]],
    runtime_dir: Path,
    endpoint: str,
    sizes: tuple[int, ...],
    rounds: int,
) -> list[AtMemory]:
    """Each function at each memory size's CPU share: ``rounds`` cold starts per size (one
    child each, sizes in turn), then one child whose warm requests take the sizes in turn. The
    handler's own time is its wall time minus what it waited on AWS."""
    limits = {size: CpuLimit(size) for size in sizes}
    quota = all(limit.path is not None for limit in limits.values())
    results = []
    try:
        for function, function_events in events.items():
            colds: dict[int, list[float]] = {size: [] for size in sizes}
            for round_index in range(rounds):
                for offset, size in enumerate(sizes):
                    event = function_events[round_index * len(sizes) + offset]
                    child = run_child(
                        "handler",
                        function,
                        [event],
                        runtime_dir,
                        endpoint,
                        limits[size] if quota else None,
                        time_aws=True,
                    )
                    first = child["requests"][0]
                    colds[size].append(
                        child["import_wall"] + first["wall"] - first["aws"]
                        if quota
                        else (child["import_cpu"] + first["cpu"]) * LAMBDA_FULL_CPU_MB / size
                    )
            child = run_child(
                "handler",
                function,
                function_events[rounds * len(sizes) :],
                runtime_dir,
                endpoint,
                time_aws=True,
                rotate=[str(limits[size].path) for size in sizes] if quota else None,
            )
            warm = child["requests"][1:]
            for offset, size in enumerate(sizes):
                mine = warm[offset :: len(sizes)]
                scaled = [request["cpu"] * LAMBDA_FULL_CPU_MB / size for request in mine]
                own = [request["wall"] - request["aws"] for request in mine] if quota else scaled
                results.append(
                    AtMemory(
                        function=function,
                        memory_mb=size,
                        own_median=statistics.median(own),
                        own_p95=percentile_95(own),
                        cpu_scaled_median=statistics.median(scaled),
                        cold=statistics.median(colds[size]),
                        dynamodb_calls=round(statistics.median(r["calls"].get("dynamodb", 0) for r in mine)),
                        ses_calls=round(statistics.median(r["calls"].get("sesv2", 0) for r in mine)),
                        quota=quota,
                    )
                )
    finally:
        for limit in limits.values():
            limit.remove()
    return results
