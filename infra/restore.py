"""Restore contractors from a point-in-time restore of the table, without reviving anything.

A point-in-time restore is a new table holding the items as they were. Copied back as they are,
they would roll `session_generation` back (sessions, challenges and reset links of the older
generation would work again) and bring back token items and link hashes revoked since. So:

    restore.py contractor --license 1234567 --source <restored table> (--target <table> | --stack <stack>)
    restore.py table --source <restored table> (--target <table> | --stack <stack>)
    restore.py scrub --table <restored table>

`contractor` copies one account (its PROFILE and AUDIT items) into the live table. The profile's
`session_generation` becomes one more than the higher of the restored and the live one (so every
session, challenge and link of either is dead: the contractor signs in again); the link hashes,
pending email and trusted devices are dropped; the live item's sign-in counters and email windows
are kept; with a live account, its credentials (password, security question) are kept unless
`--restore-credentials`. Audit entries are added, never overwritten, plus one that records the
restore. The write is conditional on the live item being unchanged since it was read.
`table` does that for every account of the restored table. `scrub` prepares a restored table that
is to become the stack's table (docs/operations.md): every TOKEN# item deleted, every profile's
generation bumped and its link hashes dropped. No TOKEN# item is ever copied.

Works on the raw items with boto3 (the table's documented layout, docs/data-model.md), not on the
service's code.
"""

from __future__ import annotations

import argparse
import secrets
from datetime import UTC, datetime
from typing import Any

import boto3

PROFILE = "PROFILE"
# Links and devices: their tokens are gone (never copied), and a hash left behind would name one.
DROPPED = ("reset_token_hash", "reset_request_id", "verification_token_hash", "pending_email", "devices")
# Live counters and windows: a restore must not reset a lockout or an email limit.
KEPT_FROM_LIVE = (
    "failed_login_count",
    "last_failed_login_at",
    "reset_emails_sent_at",
    "verification_emails_sent_at",
    "undeliverable_email",
    "undeliverable_since",
)
CREDENTIALS = (
    "password_hash",
    "password_state",
    "temporary_password_expires_at",
    "password_changed_at",
    "security_question",
    "security_answer_hash",
)


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _generation(item: dict[str, Any] | None) -> int:
    return int(item["session_generation"]["N"]) if item and "session_generation" in item else 0


def restored_profile(
    restored: dict[str, Any], live: dict[str, Any] | None, *, restore_credentials: bool = False
) -> dict[str, Any]:
    """The profile to write: the restored one, made safe against the live one."""
    item = {name: value for name, value in restored.items() if name not in DROPPED}
    if live is not None:
        kept = KEPT_FROM_LIVE + (() if restore_credentials else CREDENTIALS)
        for name in kept:
            item.pop(name, None)
            if name in live:
                item[name] = live[name]
    item["session_generation"] = {"N": str(max(_generation(restored), _generation(live)) + 1)}
    item["updated_at"] = {"S": now()}
    return item


def restore_contractor(
    client: Any, source: str, target: str, license_number: str, *, restore_credentials: bool = False
) -> dict[str, int]:
    pk = f"CONTRACTOR#{license_number}"
    items = _query(client, source, pk)
    profile = next((item for item in items if item["sk"]["S"] == PROFILE), None)
    if profile is None:
        raise SystemExit(f"{license_number}: no profile in {source}")
    live = client.get_item(TableName=target, Key={"pk": {"S": pk}, "sk": {"S": PROFILE}}, ConsistentRead=True).get(
        "Item"
    )
    condition: dict[str, Any] = (
        {"ConditionExpression": "attribute_not_exists(pk)"}
        if live is None
        else {
            "ConditionExpression": "session_generation = :live OR attribute_not_exists(session_generation)",
            "ExpressionAttributeValues": {":live": {"N": str(_generation(live))}},
        }
    )
    at = now()
    record = {
        "pk": {"S": pk},
        "sk": {"S": f"AUDIT#{at}#{secrets.token_hex(4)}"},
        "action": {"S": "restored_from_backup"},
        "actor": {"S": "operator"},
        "at": {"S": at},
        "details": {
            "M": {
                "source_table": {"S": source},
                "credentials_restored": {"BOOL": restore_credentials and live is not None},
            }
        },
    }
    put: dict[str, Any] = {
        "TableName": target,
        "Item": restored_profile(profile, live, restore_credentials=restore_credentials),
    }
    client.transact_write_items(
        TransactItems=[{"Put": {**put, **condition}}, {"Put": {"TableName": target, "Item": record}}]
    )
    audits = 0
    for item in items:
        if item["sk"]["S"].startswith("AUDIT#"):
            try:
                client.put_item(TableName=target, Item=item, ConditionExpression="attribute_not_exists(pk)")
                audits += 1
            except client.exceptions.ConditionalCheckFailedException:
                pass  # already there: never overwritten
    return {"profiles": 1, "audit_entries": audits}


def restore_table(client: Any, source: str, target: str, *, restore_credentials: bool = False) -> dict[str, int]:
    totals = {"profiles": 0, "audit_entries": 0}
    for item in _scan(client, source, "sk = :profile", {":profile": {"S": PROFILE}}):
        license_number = item["pk"]["S"].removeprefix("CONTRACTOR#")
        done = restore_contractor(client, source, target, license_number, restore_credentials=restore_credentials)
        totals = {key: totals[key] + done[key] for key in totals}
    return totals


def scrub(client: Any, table: str) -> dict[str, int]:
    tokens = 0
    for item in _scan(client, table, "begins_with(pk, :token)", {":token": {"S": "TOKEN#"}}):
        client.delete_item(TableName=table, Key={"pk": item["pk"], "sk": item["sk"]})
        tokens += 1
    profiles = 0
    for item in _scan(client, table, "sk = :profile", {":profile": {"S": PROFILE}}):
        client.put_item(TableName=table, Item=restored_profile(item, None))
        profiles += 1
    return {"tokens_deleted": tokens, "profiles": profiles}


def _query(client: Any, table: str, pk: str) -> list[dict[str, Any]]:
    pages = client.get_paginator("query").paginate(
        TableName=table,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": pk}},
        ConsistentRead=True,
    )
    return [item for page in pages for item in page["Items"]]


def _scan(client: Any, table: str, expression: str, values: dict[str, Any]) -> list[dict[str, Any]]:
    pages = client.get_paginator("scan").paginate(
        TableName=table, FilterExpression=expression, ExpressionAttributeValues=values, ConsistentRead=True
    )
    return [item for page in pages for item in page["Items"]]


def stack_table(stack: str) -> str:
    outputs = boto3.client("cloudformation").describe_stacks(StackName=stack)["Stacks"][0]["Outputs"]
    return str(next(o["OutputValue"] for o in outputs if o["OutputKey"] == "ContractorsTableName"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("contractor", "table"):
        command = commands.add_parser(name)
        command.add_argument("--source", required=True, help="the table restored to a point in time")
        where = command.add_mutually_exclusive_group(required=True)
        where.add_argument("--target", help="the live table")
        where.add_argument("--stack", help="the stack whose ContractorsTableName is the live table")
        command.add_argument("--restore-credentials", action="store_true")
        if name == "contractor":
            command.add_argument("--license", required=True)
    commands.add_parser("scrub").add_argument("--table", required=True)
    arguments = parser.parse_args()
    client = boto3.client("dynamodb")
    if arguments.command == "scrub":
        print(scrub(client, arguments.table))
        return
    target = arguments.target or stack_table(arguments.stack)
    if arguments.command == "contractor":
        print(
            restore_contractor(
                client, arguments.source, target, arguments.license, restore_credentials=arguments.restore_credentials
            )
        )
    else:
        print(restore_table(client, arguments.source, target, restore_credentials=arguments.restore_credentials))


if __name__ == "__main__":
    main()
