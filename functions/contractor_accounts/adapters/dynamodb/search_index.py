"""Staff ``find`` without a Scan: index items of their own in the one table, no GSI.

  FIND#<field>#<first 2 characters of the key> / <search key>#<license>   {license_number}

One item per searchable field that has a value (``domain/search.py``: business name, contact
name, email, phone), so an account has at most 4. A search is one Query of the bucket its text
falls in (``begins_with`` on the sort key, so a prefix matches), then one BatchGetItem of the
accounts found: the answer is read from the accounts themselves, never from a stale copy.

The items are kept in step by ``index_writes``, the one builder every write that changes a
searchable field calls (registration and staff import, staff ``update_contact``, ``PATCH /me``,
email verification), inside that write's own transaction: the change and its index entries are
written together or not at all. Costs: docs/data-model.md."""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

from contractor_accounts.adapters.dynamodb.items import contractor_from, contractor_key
from contractor_accounts.adapters.dynamodb.table import Operations, Table
from contractor_accounts.domain.entities import Contractor
from contractor_accounts.domain.search import MIN_SEARCH_CHARACTERS, SEARCH_FIELDS, SearchField, search_key

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

_FIND: Final = "FIND#"


def _partition(field: SearchField, key: str) -> str:
    return f"{_FIND}{field}#{key[:MIN_SEARCH_CHARACTERS]}"


def find_key(field: SearchField, key: str, license_number: str) -> dict[str, str]:
    """The index item of one field's search key of one account."""
    return {"pk": _partition(field, key), "sk": f"{key}#{license_number}"}


def index_writes(
    table: Table, license_number: str, before: Mapping[SearchField, str], after: Mapping[SearchField, str]
) -> list["TransactWriteItemTypeDef"]:
    """The index's part of a write: for each field whose search key changes, the old entry
    deleted and the new one put (nothing for a field left as it was)."""
    writes: list[TransactWriteItemTypeDef] = []
    for field in SEARCH_FIELDS:
        old, new = before.get(field, ""), after.get(field, "")
        if old == new:
            continue
        if old:
            writes.append(table.delete(find_key(field, old, license_number)))
        if new:
            item = {**find_key(field, new, license_number), "item_type": "find", "license_number": license_number}
            writes.append(table.put(item))
    return writes


class SearchIndex(Operations):
    def find_contractors(self, field: SearchField, text: str, limit: int) -> tuple[list[Contractor], bool]:
        """The accounts whose ``field`` starts with ``text`` (as searched), in key order: at most
        ``limit``, and whether there were more. One Query of at most ``limit + 1`` entries, then
        one BatchGetItem of their accounts."""
        key = search_key(text)
        if len(key) < MIN_SEARCH_CHARACTERS:
            return [], False
        entries = self.table.query(
            "pk = :pk AND begins_with(sk, :key)", {":pk": _partition(field, key), ":key": key}, limit=limit + 1
        )
        licenses = list(dict.fromkeys(str(entry["license_number"]) for entry in entries))
        more = len(licenses) > limit
        licenses = licenses[:limit]
        if not licenses:
            return [], False
        found = {
            item["license_number"]: contractor_from(item)
            for item in self.table.get_many([contractor_key(number) for number in licenses])
        }
        return [found[number] for number in licenses if number in found], more
