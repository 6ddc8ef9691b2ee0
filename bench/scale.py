"""Many contractors in the table, loaded fast (BatchWriteItem, 25 items a call) from one real
registered account's item, so every request can be measured against a city-sized table."""

import time
from typing import Any, Final

import boto3

from bench.environment import TABLE_NAME

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
