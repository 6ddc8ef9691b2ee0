"""Many contractors in the table, loaded fast (BatchWriteItem, 25 items a call) from one real
registered account's item, so every request can be measured against a city-sized table."""

import copy
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

import boto3

from tests.support.environment import TABLE_NAME

BATCH: Final = 25  # BatchWriteItem's limit


def load_contractors(count: int, start: int, like_license: str) -> float:
    """Put ``count`` contractors (licenses from ``start``) shaped like ``like_license``'s
    account item; returns the seconds it took."""
    client = boto3.client("dynamodb")
    key = {"pk": {"S": f"CONTRACTOR#{like_license}"}, "sk": {"S": "PROFILE"}}
    original: dict[str, Any] = client.get_item(TableName=TABLE_NAME, Key=key, ConsistentRead=True)["Item"]
    began = time.perf_counter()
    for first in range(start, start + count, BATCH):
        requests = []
        for number in range(first, min(first + BATCH, start + count)):
            license_number = str(number)
            item = {
                **original,
                "pk": {"S": f"CONTRACTOR#{license_number}"},
                "license_number": {"S": license_number},
                "email": {"S": f"c{license_number}@builders.example"},
            }
            requests.append({"PutRequest": {"Item": item}})
        pending: Any = {TABLE_NAME: requests}
        while pending:
            pending = client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or None
    return time.perf_counter() - began


@contextmanager
def lighter_transaction_backups() -> Iterator[None]:
    """moto backs up every table a TransactWriteItems touches with a deep copy of the whole
    table (to roll back a failed one): at 100,000 contractors that is seconds per transaction,
    for the bench only. Here the backup copies the table's structure and deep-copies only the
    partitions the transaction names, which is all a rollback can need. Bench-only; the tests
    run moto as it is."""
    from moto.dynamodb import models
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    real_transact = models.DynamoDBBackend.transact_write_items

    def transact_write_items(backend: Any, transact_items: list[dict[str, Any]]) -> None:
        touched: dict[str, set[Any]] = defaultdict(set)
        for entry in transact_items:
            ((_, operation),) = entry.items()
            table = backend.tables.get(operation.get("TableName"))
            key = operation.get("Key") or operation.get("Item") or {}
            if table is not None and table.hash_key_attr in key:
                touched[table.name].add(DynamoType(key[table.hash_key_attr]))

        def backup(table: Table) -> Table:
            clone = copy.copy(table)
            clone.items = defaultdict(
                dict,
                {
                    partition: copy.deepcopy(items)
                    if partition in touched[table.name]
                    else (dict(items) if isinstance(items, dict) else items)
                    for partition, items in table.items.items()
                },
            )
            return clone

        class CopyWithLighterTableBackups:
            copy = staticmethod(copy.copy)

            @staticmethod
            def deepcopy(value: Any, memo: Any = None) -> Any:
                return backup(value) if isinstance(value, Table) else copy.deepcopy(value, memo)

        setattr(models, "copy", CopyWithLighterTableBackups)  # noqa: B010 - the module's own `copy` name
        try:
            real_transact(backend, transact_items)
        finally:
            setattr(models, "copy", copy)  # noqa: B010

    models.DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        models.DynamoDBBackend.transact_write_items = real_transact  # type: ignore[method-assign]
