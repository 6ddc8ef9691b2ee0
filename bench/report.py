"""The bench's table and docs/PERFORMANCE.md, from one run's figures."""

import math
from typing import Any

from bench import costs
from bench.cold import LAMBDA_FULL_CPU_MB
from bench.package import BUDGET_BYTES, RUNTIME_PROVIDED
from tests.performance.minimums import BY_CASE, DEFAULT_LIMITS_AT, MINIMUMS
from tests.support.environment import function_names

SIZES = (512, 1024, 1769)
# The choice of memory: the smallest size whose warm request is within this factor of the
# fastest size's. At a city's volume the sizes differ by cents a month (the table shows it);
# what a contractor waits for is the argument.
CLOSE_ENOUGH = 1.25


def _ms(seconds: float) -> str:
    if math.isnan(seconds):  # not measured
        return "n/a"
    return f"{seconds * 1000:.1f}" if seconds < 0.1 else f"{seconds * 1000:.0f}"


def _calls(services: dict[str, int], writes: int) -> str:
    dynamodb = services.get("dynamodb", 0)
    text = f"{dynamodb} ({writes}w)"
    others = {name: count for name, count in services.items() if name != "dynamodb"}
    for name, count in sorted(others.items()):
        text += f" +{count} {'SES' if name == 'sesv2' else name.upper()}"
    return text


def _table(rows: list[list[str]], header: list[str]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def calls_table(measured: Any) -> str:
    scale = sorted(measured.scale)
    header = ["function", "request", "outcome", "AWS calls", "minimum", *[f"calls at {n:,}" for n in scale]]
    header += ["WU/RU", "median ms", "p95 ms", "argon2 ms", "in moto ms"]
    rows = []
    for minimum in MINIMUMS:
        services, writes, _ = measured.calls[minimum.case]
        made = _calls(services, writes)
        documented = _calls(*minimum.calls(DEFAULT_LIMITS_AT))
        mark = "" if made == documented else " ✗"
        latency = measured.latency[minimum.case]
        write_units, read_units = measured.units[minimum.case]
        rows.append(
            [
                minimum.function.removesuffix("Function"),
                minimum.request,
                minimum.outcome,
                made + mark,
                documented,
                *[_calls(*measured.scale[n][minimum.case]) for n in scale],
                f"{write_units}/{read_units}",
                _ms(latency.median),
                _ms(latency.p95),
                _ms(latency.hash_median),
                _ms(latency.aws_median),
            ]
        )
    return _table(rows, header)


def cold_table(measured: Any) -> str:
    rows = [
        [
            cold.function.removesuffix("Function"),
            _ms(cold.import_cpu),
            _ms(cold.first_cpu),
            _ms(cold.floor_cpu),
            f"**{cold.import_ratio:.2f}x**",
            f"{cold.with_first_request_ratio:.2f}x",
            f"{cold.compiled_ratio:.2f}x",
            f"{_ms(cold.import_wall)} / {_ms(cold.floor_wall)}",
        ]
        for cold in measured.cold
    ]
    header = [
        "function",
        "import CPU ms",
        "first request CPU ms",
        "floor CPU ms",
        "import / floor",
        "(import + first) / floor",
        "import with .pyc / floor",
        "wall ms import / floor",
    ]
    return _table(rows, header)


def _billed(entry: Any) -> float:
    return float(entry.billed(costs.DYNAMODB_ROUND_TRIP_S, costs.SES_ROUND_TRIP_S))


def memory_choice(measured: Any) -> dict[str, tuple[int, dict[int, float]]]:
    """Per function: the chosen size and the cost per million warm requests at each size."""
    chosen = {}
    for function in function_names():
        at = {entry.memory_mb: entry for entry in measured.memory if entry.function == function}
        per_million = {
            size: 1e6 * _billed(entry) * size / 1024 * costs.LAMBDA_ARM_PER_GB_SECOND
            + costs.LAMBDA_PER_MILLION_REQUESTS
            for size, entry in at.items()
        }
        fastest = min(_billed(entry) for entry in at.values())
        size = min(size for size, entry in at.items() if _billed(entry) <= fastest * CLOSE_ENOUGH)
        chosen[function] = (size, per_million)
    return chosen


def memory_table(measured: Any) -> str:
    chosen = memory_choice(measured)
    rows = []
    for function in function_names():
        at = {entry.memory_mb: entry for entry in measured.memory if entry.function == function}
        size, per_million = chosen[function]
        row = [function.removesuffix("Function")]
        for memory in SIZES:
            entry = at[memory]
            row.append(
                f"{_ms(entry.own_median)} / {_ms(entry.own_p95)} ({_ms(entry.cpu_scaled_median)}) / "
                f"**{_ms(_billed(entry))}** / {_ms(entry.cold)}"
            )
        row += [" / ".join(f"${per_million[memory]:.2f}" for memory in SIZES), f"**{size} MB**"]
        rows.append(row)
    header = [
        "function",
        *[f"{memory} MB: own median / p95 (CPU-scaled) / billed / cold ms" for memory in SIZES],
        "$ per million warm (512 / 1024 / 1769)",
        "choice",
    ]
    return _table(rows, header)


def package_table(measured: Any) -> str:
    rows = []
    for function in function_names():
        package = measured.packages[function]
        rows.append(
            [
                function.removesuffix("Function"),
                f"{package.shipped_bytes:,}",
                f"{BUDGET_BYTES[function]:,}",
                f"{package.runtime_provided_bytes:,}",
                f"{package.files:,} / {package.bytecode_files:,}",
                ", ".join(f"{name} {size / 1e6:.2f} MB" for name, size in package.largest(5)),
            ]
        )
    header = ["function", "shipped bytes", "budget", "runtime's own, bundled anyway", "files / .pyc", "largest"]
    return _table(rows, header)


def steps_table(measured: Any) -> str:
    rows = [[step.what, step.function.removesuffix("Function"), _ms(step.cpu_seconds)] for step in measured.steps]
    return _table(rows, ["what", "measured in", "CPU ms (median)"])


def shares_table(measured: Any) -> str:
    rows = [
        [function.removesuffix("Function"), ", ".join(f"{name} {_ms(seconds)}" for name, seconds in shares)]
        for function, shares in measured.shares.items()
    ]
    return _table(rows, ["function", "import self time by package, ms (-X importtime, wall, median)"])


def monthly_costs(measured: Any) -> tuple[str, float]:
    chosen = memory_choice(measured)
    lines = []
    rows = []
    total = 0.0
    for case, requests in costs.MONTHLY_REQUESTS.items():
        minimum = BY_CASE[case]
        services, _, _ = measured.calls[case]
        write_units, read_units = measured.units[case]
        size = chosen[minimum.function][0]
        seconds = costs.billed_seconds(
            measured.latency[case].own_median,
            size,
            services.get("dynamodb", 0),
            services.get("sesv2", 0),
            services.get("sqs", 0),
        )
        cost = costs.CaseCost(case, requests, seconds, size, write_units, read_units, services.get("sesv2", 0))
        total += cost.total_usd
        rows.append(
            [
                minimum.request + f" ({minimum.outcome})",
                f"{requests:,}",
                f"{size}",
                _ms(seconds),
                f"{write_units}/{read_units}",
                f"{cost.lambda_usd:.4f}",
                f"{cost.dynamodb_usd:.4f}",
                f"{cost.api_gateway_usd:.4f}",
                f"{cost.ses_usd:.4f}",
                f"{cost.total_usd:.4f}",
            ]
        )
    header = ["request", "a month", "MB", "billed ms", "WU/RU", "Lambda $", "DynamoDB $", "API GW $", "SES $", "$"]
    lines.append(_table(rows, header))
    return "\n".join(lines), total


def item_table(measured: Any) -> str:
    rows = [
        [state, f"{size:,}", f"{names:,}", str(devices), str(-(-size // 1024))]
        for state, (size, names, devices) in measured.item_sizes.items()
    ]
    return _table(rows, ["state", "bytes", "of which attribute names", "trusted devices", "write units"])


def render(measured: Any, run: dict[str, Any]) -> tuple[str, str]:
    table = calls_table(measured)
    cost_table, monthly = monthly_costs(measured)
    cognito_essentials = costs.cognito_usd(costs.CONTRACTORS, costs.COGNITO_ESSENTIALS_PER_MAU)
    argon2 = measured.argon2
    scale_load = ", ".join(f"{n:,} in {seconds:.0f} s" for n, seconds in sorted(measured.load_seconds.items()))
    growth = [
        minimum.case
        for minimum in MINIMUMS
        if len({tuple(sorted(measured.scale[n][minimum.case][0].items())) for n in measured.scale}) > 1
    ]
    reasons = "\n".join(
        f"- **{minimum.case}** ({minimum.request}, {minimum.outcome}): {minimum.dynamodb} DynamoDB "
        f"({minimum.dynamodb_writes} writes){f', {minimum.ses} SES' if minimum.ses else ''}"
        f"{f', {minimum.sqs} SQS' if minimum.sqs else ''}"
        f"{f', {minimum.s3} S3' if minimum.s3 else ''}"
        f"{' (+1 UpdateItem, the per-address counter, at PerAddressLimitsAt=function)' if minimum.per_address else ''}"
        f": {minimum.why}."
        for minimum in MINIMUMS
    )
    chosen = memory_choice(measured)
    choices = ", ".join(f"{function.removesuffix('Function')} {size} MB" for function, (size, _) in chosen.items())
    quota_method = (
        "a cgroup `cpu.cfs_quota_us` / `cpu.max` per size"
        if all(entry.quota for entry in measured.memory)
        else "no quota could be set here: CPU time scaled by 1769 / MB, waiting kept"
    )
    document = f"""# Performance

Generated by `make bench` ({run["date"]}; {run["machine"]}; {run["seconds"]:.0f} s). Do not edit
by hand: change the code or `bench/`, then run `make bench` again. The figures are from one run
on a shared 2-core x86_64 machine; ratios taken in the same run are the ones to compare.

The documented minimum of every request lives in `tests/performance/minimums.py` (the reasons are below);
`tests/performance/` holds the code to it in `make test` (call counts, import deny lists,
package budgets: deterministic, no timings): a request above its minimum fails them.

## Every request

AWS calls per request (DynamoDB calls, of which writes `w`; `+n SES`), counted with botocore's
`before-call` hook around the one request through the real handler under moto; the same with
{" and ".join(f"{n:,}" for n in sorted(measured.scale))} contractors in the table (loaded with
BatchWriteItem: {scale_load}). ✗ marks a request above its minimum. WU/RU: write and read
capacity units, estimated from the items' sizes (a write is ceil(size / 1 KB) units, twice in a
transaction; the contractor item is {measured.contractor_item_bytes:,} bytes). Latency: warm,
in-process, {run["requests"]} requests per row (state prepared untimed), with argon2's own time and
the time inside moto (a network round trip on Lambda) shown apart. `POST /password/forgot`
answers as soon as the request is queued (no floor, no sleep); the email is the reset mailer's
work, measured on its own rows (the SQS event as Lambda's poller hands it over).

{table}

Calls that grow with the table: {", ".join(growth) or "none (no request path reads more than its own items)"}.

### Why each minimum

{reasons}

## Per-address limits: in the function or at the edge

Sign-in, forgot password and registration are limited per caller address (checklist 7). Counted
in the function (`PerAddressLimitsAt=function`, the default), each of those requests makes one
more DynamoDB write (an UpdateItem on a per-address, per-minute counter item) before any password
work. Folding that count into a write the request makes anyway is not sound: the limit must be
decided before the password is judged (or, for a registration, before the body is even validated),
and the only write before that is the sign-in's claim on the account, another item; a
transaction could carry both, but it returns no values, so the account would need a GetItem
again (the same round trips, twice the write units). So the choice is where the limit lives:
with `PerAddressLimitsAt=edge` the functions count nothing and the city enables the API's AWS WAF
rate-based rule on `/sessions`, `/password/forgot` and `/contractors` (WAF counts per address over
a sliding window and answers 403 before any function runs; its own price, about $5 a month for
the web ACL, $1 a month per rule and $0.60 per million requests, replaces {len([m for m in MINIMUMS if m.per_address])}
requests' extra write). The minima above are those of `edge`; `tests/performance/minimums.py` adds the
counter for `function`, and `tests/performance/test_aws_calls.py` holds both configurations. The
table above was measured with the template's default, `function`.

## The contractor item

Its size, as DynamoDB bills it (attribute names count), through one account's common states
(measured in this run):

{item_table(measured)}

A write costs ceil(size / 1 KB) write units (twice in a transaction): a verified account with no
trusted device fits in one; the first trusted device (every browser that signs in gets one) takes
it over 1 KB, and each device adds about 115 bytes (its 64-character hash as the map key, its
issue time and failure count). Decision: **the attribute names stay readable** (the README
promises items "readable in the console", and staff and operators read them there). Shortening
every name would save about 250 bytes, which brings a one-device account back under 1 KB but not a
three-device one; compacting the devices map (base64 keys, one-letter fields) saves about 35 bytes
a device, not enough to change a unit at any count. What it costs: a sign-in writes the account
twice (the claim, then the transaction), so an account over 1 KB costs 3 more write units per
sign-in than one under it: $0.625 x 3 = about $1.90 per million sign-ins, or about $0.08 a month
for the city below (its 40,000 monthly sign-ins). Not worth an item nobody can read.

## Cold start

A fresh interpreter imports the handler as Lambda does: the `make build` package
(`.aws-sam/build/<Function>`, its arm64 native extensions swapped for this machine's wheels of
the same versions), first on the path, `-B` (Lambda's code directory is read-only: bytecode not
in the package is compiled at every cold start and never saved), and only the runtime's own SDK
besides. Then its first request, against a moto server (its work is not the child's CPU). The
floor is `import boto3; boto3.client("dynamodb")` in the same interpreter setup, alternating with
the handler, {run["cold_runs"]} runs each; medians of the child's CPU time (steadier than wall
time on a shared machine). The target of issue 12 is an import within 1.3x the floor.

{cold_table(measured)}

### What the imports cost

The marginal CPU cost of one step after a setup, each in a fresh interpreter from the shipped
package (median of 5): what every handler loads but one uses, and what was cut.

{steps_table(measured)}

Where each handler's import spends its time, by package (self time of its modules, summed):

{shares_table(measured)}

## Memory size

Lambda's CPU share is proportional to memory (1,769 MB = one vCPU). Each function's main request
(register, sign in, dashboard, forgot with an email sent, reset with a link, staff `get`) under a
CPU quota of memory / 1,769 of one core per 10 ms ({quota_method}; a period shorter than a
request, so the share holds within one: with the kernel's default 100 ms a short request would
finish inside one period's quota unthrottled, flattering the small sizes): {run["warm"]} warm requests per size in
one child that takes the sizes in turn request by request (a busy shared machine then slows
every size alike), and {run["memory_rounds"]} cold starts per size. "Own" is the handler's time
without its waits on AWS (the moto server's latency here), in brackets the same from CPU time x
1769 / MB as a cross-check; "billed" adds {costs.DYNAMODB_ROUND_TRIP_S * 1000:.0f} ms per DynamoDB call and
{costs.SES_ROUND_TRIP_S * 1000:.0f} ms per SES call (assumed in-region round trips); "cold" is the
import and the first request without its AWS waits. The choice: the smallest size whose billed
warm request is within {CLOSE_ENOUGH}x of the fastest size's: at a city's volume the sizes differ
by cents a month, and what a contractor waits for is the argument.
The template gives every function {sorted(set(run["template_memory"].values()))} MB today.

{memory_table(measured)}

Proposed: {choices}.

## Package per function

What `sam build` put in `.aws-sam/build/<Function>` (bytes on disk, unzipped), without what the
python3.13 runtime provides ({", ".join(sorted(RUNTIME_PROVIDED))}; the column beside says how much
of it is bundled anyway, a dependency's pin). Budgets: `bench/package.py`, held by
`tests/performance/test_package_budget.py` (computed like sam build, without the SAM CLI). Every
function ships the same package today (one code root, one requirements file).

{package_table(measured)}

## Password hashing

argon2id at the contract's parameters (m=19456 KiB, t=2, p=1), in-process, median of 30, at one
full core (1,769 MB): hash {_ms(argon2["hash_wall"])} ms wall ({_ms(argon2["hash_cpu"])} ms CPU),
verify {_ms(argon2["verify_wall"])} ms wall ({_ms(argon2["verify_cpu"])} ms CPU). Every sign-in
verifies once (an unknown license against a dummy hash); registration and a password change hash
twice (password and security answer). At 512 MB a verify takes about
{_ms(argon2["verify_cpu"] * LAMBDA_FULL_CPU_MB / 512)} ms.

## Monthly cost for a city of 10,000 contractors

List prices as of 2026, us-west-2, **to be checked** on the AWS price pages: Lambda arm64
${costs.LAMBDA_ARM_PER_GB_SECOND:.10f} per GB-second and ${costs.LAMBDA_PER_MILLION_REQUESTS:.2f} per
million requests; DynamoDB on-demand ${costs.DYNAMODB_PER_MILLION_WRITE_UNITS:.3f} per million write
units and ${costs.DYNAMODB_PER_MILLION_READ_UNITS:.3f} per million read units; API Gateway REST
${costs.API_GATEWAY_REST_PER_MILLION:.2f} per million requests; SES ${costs.SES_PER_THOUSAND_EMAILS:.2f}
per 1,000 emails; Amazon Cognito user pools: 10,000 monthly active users free on the Lite and
Essentials tiers, then ${costs.COGNITO_LITE_PER_MAU} (Lite) or ${costs.COGNITO_ESSENTIALS_PER_MAU}
(Essentials) per MAU. Free tiers left out (a city account may use them for other things).

A month, assumed: every contractor signs in 4 times (40,000), one sign-in in ten fails once,
3 dashboard loads per session (120,000), half sign out; forgot password asked 1,000 times (each
one run of the reset mailer) and 800 resets; registrations: 100; 20 temporary passwords; 300
staff actions (SQS: about 3,000 requests, $0.40 per million, left out). Billed duration = the
handler's own time measured above (without moto) / the memory size's CPU share + 5 ms per
DynamoDB or SQS call + 30 ms per SES call (assumed in-region round trips), no sleep,
at the proposed memory size. Units per request as measured above.

{cost_table}

**Total: ${monthly:.2f} a month** (${monthly * 12:.2f} a year) at today's call counts.

Amazon Cognito for the same users, even if all 10,000 sign in every month: (10,000 MAU - 10,000
free) x ${costs.COGNITO_ESSENTIALS_PER_MAU} = **${cognito_essentials:.2f} a month** for user management,
but its hosted sign-in still sits behind the same API Gateway and functions for the portal's own
data (dashboard, workers' comp, staff), and it has no license-number username normalization,
contract-exact lockout or staff temporary password flow without custom Lambda triggers (billed
like ours). Growth to 20,000 contractors would cost
${costs.cognito_usd(2 * costs.CONTRACTORS, costs.COGNITO_ESSENTIALS_PER_MAU):.2f} a month on Cognito
Essentials; ours scales with requests (about ${monthly * 2:.2f}).

## How to run

`make bench` (needs `make build`; takes several minutes: {run["requests"]} requests per row, the
100,000-contractor load, {run["cold_runs"]} cold starts per function beside the floor, three memory
sizes). `.venv/bin/python -m bench --quick` is a smoke run; `--help` lists the knobs.
"""
    return table, document
