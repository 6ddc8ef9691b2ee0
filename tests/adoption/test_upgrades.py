"""Upgrades that deploy: CloudFormation creates or deletes at most one global secondary index in
one table update, and never changes the key schema in place. The last release's table is kept in
infra/released-table.json (written by `make release-table`), not read from a tag."""

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "infra"))
from release_table import table_definition  # noqa: E402

RELEASED = json.loads((ROOT / "infra" / "released-table.json").read_text(encoding="utf-8"))


def index_changes(released: dict[str, object], current: dict[str, object]) -> tuple[set[str], set[str]]:
    before, after = set(released["GlobalSecondaryIndexes"]), set(current["GlobalSecondaryIndexes"])  # type: ignore[call-overload]
    return after - before, before - after


def check_upgrade(released: dict[str, object], current: dict[str, object]) -> None:
    assert current["KeySchema"] == released["KeySchema"], "the table's key schema cannot change in an update"
    created, deleted = index_changes(released, current)
    assert len(created) + len(deleted) <= 1, (
        f"one release may create or delete one global secondary index (CloudFormation's limit), not "
        f"{sorted(created)} created and {sorted(deleted)} deleted: stage it over two releases (docs/operations.md)"
    )


def test_this_template_upgrades_the_last_releases_table_in_one_update() -> None:
    check_upgrade(RELEASED, table_definition(ROOT / "infra" / "template.yaml"))


def test_the_rule_refuses_two_indexes_in_one_release() -> None:
    released = {"KeySchema": [], "GlobalSecondaryIndexes": ["A"]}
    check_upgrade(released, {"KeySchema": [], "GlobalSecondaryIndexes": ["A", "B"]})
    with pytest.raises(AssertionError, match="one release may create or delete one"):
        check_upgrade(released, {"KeySchema": [], "GlobalSecondaryIndexes": ["A", "B", "C"]})
    with pytest.raises(AssertionError, match="one release may create or delete one"):
        check_upgrade(released, {"KeySchema": [], "GlobalSecondaryIndexes": ["B"]})  # one deleted, one created
    with pytest.raises(AssertionError, match="key schema"):
        check_upgrade(released, {"KeySchema": [{"AttributeName": "x"}], "GlobalSecondaryIndexes": ["A"]})


def test_the_released_table_names_the_version_it_was_written_at() -> None:
    assert RELEASED["version"]
    assert (ROOT / "Makefile").read_text(encoding="utf-8").count("infra/release_table.py") == 1
