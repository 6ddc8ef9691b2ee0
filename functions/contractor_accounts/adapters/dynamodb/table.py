"""The table helper every operation is made of: items put, the one UpdateExpression builder
(``Update``), the one Delete of a token, a single write or one transaction, and ``conditional``:
a single write whose lost condition is the domain's answer, not an error."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from botocore.exceptions import ClientError

from contractor_accounts.adapters.dynamodb.items import contractor_from, from_wire, is_account_key, to_wire, token_key
from contractor_accounts.ports.store import ConflictingWrite, NoSuchContractor

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.literals import ReturnValueType
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def conditional[T](write: Callable[[], T]) -> T | None:
    """``write()``'s answer, or None when its condition failed (ConditionalCheckFailedException):
    for a single conditional write that is an answer (locked, claimed already, not a session)."""
    try:
        return write()
    except ClientError as error:
        if _error_code(error) == "ConditionalCheckFailedException":
            return None
        raise


@dataclass
class Update:
    """One item's update: the clauses of its UpdateExpression, its condition, and the values and
    names both use. The one place an UpdateExpression is put together (SET, REMOVE, then ADD)."""

    key: dict[str, str]
    sets: list[str] = field(default_factory=list)
    removes: list[str] = field(default_factory=list)
    adds: list[str] = field(default_factory=list)
    condition: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    @property
    def expression(self) -> str:
        clauses = (("SET", self.sets), ("REMOVE", self.removes), ("ADD", self.adds))
        return " ".join(f"{word} {', '.join(parts)}" for word, parts in clauses if parts)

    def set_or_remove(self, attribute: str, placeholder: str, value: object) -> None:
        """SET ``attribute`` to ``value``, or REMOVE it when there is none."""
        if value:
            self.sets.append(f"{attribute} = {placeholder}")
            self.values[placeholder] = value
        else:
            self.removes.append(attribute)


class Table:
    """The table's writes, built one way whether they go alone or in a transaction."""

    def __init__(self, client: "DynamoDBClient", name: str) -> None:
        self.client = client
        self.name = name

    def get(self, key: dict[str, str]) -> dict[str, Any] | None:
        item = self.client.get_item(TableName=self.name, Key=to_wire(key), ConsistentRead=True).get("Item")
        return from_wire(item) if item else None

    def get_many(self, keys: list[dict[str, str]], *, consistent: bool = False) -> list[dict[str, Any]]:
        """The items of ``keys`` that exist, in one BatchGetItem (eventually consistent unless
        ``consistent``: for items only a daily import writes). Keys DynamoDB leaves unprocessed
        are asked for again."""
        found: list[dict[str, Any]] = []
        request: dict[str, Any] = {self.name: {"Keys": [to_wire(key) for key in keys]}}
        if consistent:
            request[self.name]["ConsistentRead"] = True
        while request:
            response = self.client.batch_get_item(RequestItems=request)
            found += [from_wire(item) for item in response.get("Responses", {}).get(self.name, [])]
            request = dict(response.get("UnprocessedKeys") or {})
        return found

    def query(
        self,
        key_condition: str,
        values: Mapping[str, Any],
        *,
        index: str | None = None,
        limit: int | None = None,
        descending: bool = False,
    ) -> list[dict[str, Any]]:
        """Every item the key condition matches (page after page), or one page of ``limit``.
        Consistent on the table; an index (a GSI) has no consistent reads."""
        request: dict[str, Any] = {
            "TableName": self.name,
            "KeyConditionExpression": key_condition,
            "ExpressionAttributeValues": to_wire(values),
        }
        if index:
            request["IndexName"] = index
        if descending:
            request["ScanIndexForward"] = False
        if limit:
            request["Limit"] = limit
        if not index:
            request["ConsistentRead"] = True
        items: list[dict[str, Any]] = []
        while True:
            response = self.client.query(**request)
            items += [from_wire(item) for item in response.get("Items", [])]
            if limit or "LastEvaluatedKey" not in response:
                return items
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def put(self, item: dict[str, Any], condition: str = "") -> "TransactWriteItemTypeDef":
        return self._action("Put", {"Item": to_wire(item)}, condition)

    def update(self, update: Update) -> "TransactWriteItemTypeDef":
        return self._action(
            "Update",
            {"Key": to_wire(update.key), "UpdateExpression": update.expression},
            update.condition,
            update.values,
            update.names,
        )

    def delete(
        self, key: dict[str, str], condition: str = "", values: Mapping[str, Any] | None = None
    ) -> "TransactWriteItemTypeDef":
        return self._action("Delete", {"Key": to_wire(key)}, condition, values)

    def delete_token(
        self, token_hash: str, kind: str | None = None, max_answers: int | None = None
    ) -> "TransactWriteItemTypeDef":
        """The one Delete of a token: only while it is a token of ``kind`` (and has counted at
        most ``max_answers`` security answers); without ``kind``, whatever is there."""
        if kind is None:
            return self.delete(token_key(token_hash))
        condition = "attribute_exists(pk) AND #kind = :kind"
        values: dict[str, Any] = {":kind": kind}
        if max_answers is not None:
            condition += " AND answers_counted <= :max_answers"
            values[":max_answers"] = max_answers
        return self._action("Delete", {"Key": to_wire(token_key(token_hash))}, condition, values, {"#kind": "kind"})

    def _action(
        self,
        kind: str,
        request: dict[str, Any],
        condition: str = "",
        values: Mapping[str, Any] | None = None,
        names: Mapping[str, str] | None = None,
    ) -> "TransactWriteItemTypeDef":
        action: dict[str, Any] = {"TableName": self.name, **request}
        if condition:
            action["ConditionExpression"] = condition
        if values:
            action["ExpressionAttributeValues"] = to_wire(values)
        if names:
            action["ExpressionAttributeNames"] = dict(names)
        return cast("TransactWriteItemTypeDef", {kind: action})

    def write(self, action: "TransactWriteItemTypeDef", returns: "ReturnValueType | None" = None) -> dict[str, Any]:
        """One action alone (PutItem, UpdateItem or DeleteItem): the item's attributes as
        ``returns`` asks. A lost condition raises; ``conditional`` turns it into an answer."""
        ((kind, request),) = cast(dict[str, dict[str, Any]], action).items()
        calls = {"Put": self.client.put_item, "Update": self.client.update_item, "Delete": self.client.delete_item}
        call = cast(Callable[..., Mapping[str, Any]], calls[kind])
        response = call(**request, **({"ReturnValues": returns} if returns else {}))
        return from_wire(response.get("Attributes", {}))

    def transact(self, items: list["TransactWriteItemTypeDef"]) -> None:
        """One transaction. A condition on the account that fails returns the account as it was
        (ALL_OLD, no extra read): NoSuchContractor when there is none, else ConflictingWrite
        with the account as ``found``, so no caller needs a read to tell the two apart."""
        actions = [next(iter(cast(dict[str, dict[str, Any]], item).values())) for item in items]
        for action in actions:
            if action.get("ConditionExpression") and _is_account(action):
                action["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        try:
            self.client.transact_write_items(TransactItems=items)
        except ClientError as error:
            if _error_code(error) == "TransactionCanceledException":
                reasons = cast(list[dict[str, Any]], error.response.get("CancellationReasons", []))
                codes = [str(reason.get("Code", "None")) for reason in reasons]
                for action, reason in zip(actions, reasons, strict=False):
                    if reason.get("Code") == "ConditionalCheckFailed" and _is_account(action):
                        found = reason.get("Item")
                        if not found:
                            raise NoSuchContractor(",".join(codes)) from error
                        raise ConflictingWrite(",".join(codes), contractor_from(from_wire(found))) from error
                # A lost condition or a concurrent transaction on the same item: a lost race.
                if any(code in {"ConditionalCheckFailed", "TransactionConflict"} for code in codes):
                    raise ConflictingWrite(",".join(codes)) from error
            raise


def _is_account(action: Mapping[str, Any]) -> bool:
    """A transaction's action on an account item (``Key``, or the ``Item`` of a Put)."""
    return is_account_key(action.get("Key") or action.get("Item") or {})


class Operations:
    """A group of the store's operations: each holds the one table helper."""

    def __init__(self, table: Table) -> None:
        self.table = table
