"""Run one staff action: send an event (a file from events/staff/, or JSON on the command line)
to the StaffFunction and print its result.

    python -m staff_tools.invoke events/staff/get.json --license-number 7654321
    python -m staff_tools.invoke '{"action": "unlock", "license_number": "7654321"}'
    python -m staff_tools.invoke events/staff/import_contractors.json --endpoint-url http://127.0.0.1:3001

Locally (``make run``) pass ``--endpoint-url http://127.0.0.1:3001``; any credentials work there.
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from staff_tools.import_csv import lambda_invoker


def event_from(argument: str, license_number: str | None, actor: str | None) -> dict[str, Any]:
    text = argument if argument.lstrip().startswith("{") else Path(argument).read_text(encoding="utf-8")
    event: dict[str, Any] = json.loads(text)
    if license_number is not None:
        event["license_number"] = license_number
    if actor is not None:
        event["actor"] = actor
    return event


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("event", help="a JSON file, or the JSON event itself")
    parser.add_argument("--license-number", help="replaces the event's license_number")
    parser.add_argument("--actor", help="who acts, for the audit trail (replaces the event's actor)")
    parser.add_argument("--function-name", default="StaffFunction", help="deployed name, or logical ID locally")
    parser.add_argument("--endpoint-url", help="Lambda endpoint, e.g. http://127.0.0.1:3001 for the local portal")
    args = parser.parse_args(argv)
    result = lambda_invoker(args.function_name, args.endpoint_url)(
        event_from(args.event, args.license_number, args.actor)
    )
    print(json.dumps(result, indent=2))
    return 0 if result.get("ok") else 1


if __name__ == "__main__":
    sys.exit(main())
