"""infra/restore.py under moto: a point-in-time restore copied back never rolls
`session_generation` back, never copies a token item and keeps the live lockout and credentials."""

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "infra"))
import restore

from tests.support.environment import TABLE_NAME, TEMPLATE

RESTORED = "contractors-test-restored"
PK = {"S": "CONTRACTOR#1234567"}


def s(value: str) -> dict[str, str]:
    return {"S": value}


def n(value: int) -> dict[str, str]:
    return {"N": str(value)}


@pytest.fixture
def tables(aws: None) -> Iterator[Any]:
    client = boto3.client("dynamodb")
    TEMPLATE.create_table(client, table_name=RESTORED)
    # The backup: the account as it was, with a session and a reset link of generation 1
    client.put_item(
        TableName=RESTORED,
        Item={
            "pk": PK, "sk": s("PROFILE"), "license_number": s("1234567"), "business_name": s("Sunset Builders"),
            "password_hash": s("$argon2id$old"), "session_generation": n(1), "reset_token_hash": s("abc"),
            "devices": {"M": {"d1": {"M": {"issued_at": s("2026-11-01T00:00:00.000000Z")}}}},
            "failed_login_count": n(0),
        },
    )  # fmt: skip
    client.put_item(
        TableName=RESTORED, Item={"pk": PK, "sk": s("AUDIT#2026-11-01T00:00:00.000000Z#a1"), "action": s("imported")}
    )
    client.put_item(
        TableName=RESTORED,
        Item={"pk": s("TOKEN#" + "0" * 64), "sk": s("TOKEN"), "kind": s("session"), "license_number": s("1234567"),
              "session_generation": n(1)},
    )  # fmt: skip
    # Live: damaged (business name lost), the password changed since (generation 3), locked out
    client.put_item(
        TableName=TABLE_NAME,
        Item={"pk": PK, "sk": s("PROFILE"), "license_number": s("1234567"), "password_hash": s("$argon2id$new"),
              "session_generation": n(3), "failed_login_count": n(5)},
    )  # fmt: skip
    return client


def profile(client: Any) -> dict[str, Any]:
    item: dict[str, Any] = client.get_item(TableName=TABLE_NAME, Key={"pk": PK, "sk": s("PROFILE")})["Item"]
    return item


def test_one_contractor_comes_back_without_rolling_back_sessions_or_reviving_a_link(tables: Any) -> None:
    done = restore.restore_contractor(tables, RESTORED, TABLE_NAME, "1234567")
    item = profile(tables)
    assert done == {"profiles": 1, "audit_entries": 1}
    # The data comes back
    assert item["business_name"] == s("Sunset Builders")
    # Past both generations: every session, challenge and link of the backup and of today is dead
    assert item["session_generation"] == n(4)
    # No link hash, no trusted device from the backup
    assert "reset_token_hash" not in item
    assert "devices" not in item
    # The live lockout and the password changed since stay
    assert item["failed_login_count"] == n(5)
    assert item["password_hash"] == s("$argon2id$new")
    # No token item was copied
    tokens = tables.scan(
        TableName=TABLE_NAME, FilterExpression="begins_with(pk, :t)", ExpressionAttributeValues={":t": s("TOKEN#")}
    )
    assert tokens["Items"] == []
    # The old audit entry is back, and the restore itself is on record
    audit = tables.query(
        TableName=TABLE_NAME, KeyConditionExpression="pk = :pk AND begins_with(sk, :a)",
        ExpressionAttributeValues={":pk": PK, ":a": s("AUDIT#")},
    )["Items"]  # fmt: skip
    assert {entry["action"]["S"] for entry in audit} == {"imported", "restored_from_backup"}


def test_run_twice_it_only_moves_the_generation_on(tables: Any) -> None:
    restore.restore_contractor(tables, RESTORED, TABLE_NAME, "1234567")
    restore.restore_contractor(tables, RESTORED, TABLE_NAME, "1234567")
    assert profile(tables)["session_generation"] == n(5)


def test_credentials_come_back_only_when_asked(tables: Any) -> None:
    restore.restore_contractor(tables, RESTORED, TABLE_NAME, "1234567", restore_credentials=True)
    item = profile(tables)
    assert item["password_hash"] == s("$argon2id$old")
    assert item["session_generation"] == n(4)


def test_an_account_missing_from_the_live_table_is_created_with_a_new_generation(tables: Any) -> None:
    tables.delete_item(TableName=TABLE_NAME, Key={"pk": PK, "sk": s("PROFILE")})
    assert restore.restore_table(tables, RESTORED, TABLE_NAME) == {"profiles": 1, "audit_entries": 1}
    item = profile(tables)
    assert item["session_generation"] == n(2)
    assert item["password_hash"] == s("$argon2id$old")


def test_a_restored_table_to_become_the_stacks_has_no_token_left(tables: Any) -> None:
    assert restore.scrub(tables, RESTORED) == {"tokens_deleted": 1, "profiles": 1}
    items = tables.scan(TableName=RESTORED)["Items"]
    assert not [item for item in items if item["pk"]["S"].startswith("TOKEN#")]
    (scrubbed,) = [item for item in items if item["sk"]["S"] == "PROFILE"]
    assert scrubbed["session_generation"] == n(2)
    assert "reset_token_hash" not in scrubbed


def test_make_restore_contractor_names_its_arguments() -> None:
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text(encoding="utf-8")
    assert "restore-contractor:" in makefile
    assert "infra/restore.py contractor --license $(LICENSE) --source $(FROM)" in makefile
