"""Import the city's legacy contractor list (CSV) through the StaffFunction.

    python -m staff_tools.import_csv legacy.csv --report report.csv
    python -m staff_tools.import_csv legacy.csv --endpoint-url http://127.0.0.1:3001   # local portal

Columns (header row required; only the first two must have a value):
    license_number, business_name, contact_name, email, phone, street, city, state, postal_code
Rows go to the function's ``import_contractors`` action in batches. Importing never
overwrites an account, so running the same file again is safe: rows already imported are
reported as ``already_exists``. Every row gets a line in the report.
"""

import argparse
import csv
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TextIO

import boto3

COLUMNS: Final = (
    "license_number",
    "business_name",
    "contact_name",
    "email",
    "phone",
    "street",
    "city",
    "state",
    "postal_code",
)
ADDRESS_COLUMNS: Final = ("street", "city", "state", "postal_code")
DEFAULT_BATCH: Final = 100

Invoke = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class RowResult:
    line: int
    license_number: str
    result: str  # imported | skipped
    reason: str = ""


def _normalized(license_number: str) -> str:
    return "".join(license_number.replace("-", " ").split())


def contractor_of(row: dict[str, str]) -> dict[str, Any]:
    values = {column: (row.get(column) or "").strip() for column in COLUMNS}
    contractor: dict[str, Any] = {
        column: values[column]
        for column in ("license_number", "business_name", "contact_name", "email", "phone")
        if values[column]
    }
    if any(values[column] for column in ADDRESS_COLUMNS):
        contractor["mailing_address"] = {column: values[column] for column in ADDRESS_COLUMNS}
    return contractor


def _batches(items: list[tuple[int, dict[str, Any]]], size: int) -> Iterator[list[tuple[int, dict[str, Any]]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def import_rows(
    rows: Iterable[dict[str, str]], invoke: Invoke, batch_size: int = DEFAULT_BATCH, actor: str = "csv-import"
) -> list[RowResult]:
    results: list[RowResult] = []
    pending: list[tuple[int, dict[str, Any]]] = []
    first_line: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        contractor = contractor_of(row)
        key = _normalized(str(contractor.get("license_number", "")))
        if key and key in first_line:
            results.append(RowResult(line, key, "skipped", f"duplicate_in_file (first on line {first_line[key]})"))
            continue
        if key:
            first_line[key] = line
        pending.append((line, contractor))
    for batch in _batches(pending, batch_size):
        answer = invoke({"action": "import_contractors", "actor": actor, "contractors": [row for _, row in batch]})
        if not answer.get("ok"):
            raise RuntimeError(f"the StaffFunction refused the batch: {answer.get('error')}: {answer.get('message')}")
        skipped = list(answer["skipped"])
        for line, contractor in batch:
            shown = _normalized(str(contractor.get("license_number", "")))
            reason = _take_reason(skipped, shown)
            results.append(RowResult(line, shown, "skipped" if reason else "imported", reason or ""))
    return sorted(results, key=lambda result: result.line)


def _take_reason(skipped: list[dict[str, str]], license_number: str) -> str | None:
    for position, entry in enumerate(skipped):
        if _normalized(entry["license_number"]) == license_number:
            return str(skipped.pop(position)["reason"])
    return None


def lambda_invoker(function_name: str, endpoint_url: str | None) -> Invoke:
    # Against the local portal (an endpoint on this machine) no real credentials are needed.
    if endpoint_url and endpoint_url.startswith(("http://127.0.0.1", "http://localhost")):
        client = boto3.client(
            "lambda",
            endpoint_url=endpoint_url,
            aws_access_key_id="local",
            aws_secret_access_key="local",
            region_name="us-west-2",
        )
    else:
        client = boto3.client("lambda", endpoint_url=endpoint_url)

    def invoke(event: dict[str, Any]) -> dict[str, Any]:
        response = client.invoke(FunctionName=function_name, Payload=json.dumps(event).encode())
        payload: dict[str, Any] = json.loads(response["Payload"].read())
        if response.get("FunctionError"):
            raise RuntimeError(f"the StaffFunction failed: {payload}")
        return payload

    return invoke


def write_report(results: list[RowResult], out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow(["line", "license_number", "result", "reason"])
    for result in results:
        writer.writerow([result.line, result.license_number, result.result, result.reason])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("csv_file", type=Path)
    parser.add_argument("--function-name", default="StaffFunction", help="deployed name, or logical ID locally")
    parser.add_argument("--endpoint-url", help="Lambda endpoint, e.g. http://127.0.0.1:3001 for the local portal")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH)
    parser.add_argument("--actor", default="csv-import", help="who runs the import, for the audit trail")
    parser.add_argument("--report", type=Path, help="write the per-row report to this CSV file")
    args = parser.parse_args(argv)

    with args.csv_file.open(newline="", encoding="utf-8-sig") as source:
        reader = csv.DictReader(source)
        missing = {"license_number", "business_name"} - set(reader.fieldnames or [])
        if missing:
            print(f"{args.csv_file}: missing column(s): {', '.join(sorted(missing))}", file=sys.stderr)
            return 2
        results = import_rows(
            reader, lambda_invoker(args.function_name, args.endpoint_url), args.batch_size, args.actor
        )
    if args.report:
        with args.report.open("w", newline="", encoding="utf-8") as out:
            write_report(results, out)
    else:
        write_report(results, sys.stdout)
    imported = sum(result.result == "imported" for result in results)
    print(f"{imported} imported, {len(results) - imported} skipped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
