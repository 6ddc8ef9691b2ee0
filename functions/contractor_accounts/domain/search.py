"""What staff ``find`` matches: the searchable fields of an account, each reduced to its search
key (case, accents, spaces and punctuation dropped), so "O'Brien Construction, Inc." is found
by "obrien con" and "323-555-0100" by "3235550". The store keeps one index entry per field
that has a value (``adapters/dynamodb/search_index.py``)."""

import unicodedata
from collections.abc import Mapping
from typing import Final, Literal

from contractor_accounts.domain.entities import Contractor
from contractor_accounts.domain.requests import ContactDetails

type SearchField = Literal["business_name", "contact_name", "email", "phone"]
SEARCH_FIELDS: Final[tuple[SearchField, ...]] = ("business_name", "contact_name", "email", "phone")
# A search key is bucketed by its first characters (the index entry's partition), so a search
# needs at least this many.
MIN_SEARCH_CHARACTERS: Final = 2
# At most this many accounts in one answer: enough to tell callers apart, small enough to read.
MAX_SEARCH_RESULTS: Final = 25


def search_key(text: str | None) -> str:
    """The text as searched: NFKD without accents, case-folded, letters and digits only."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum() and not unicodedata.combining(ch))


def search_keys(contractor: Contractor | None) -> dict[SearchField, str]:
    """The account's search key of each searchable field ("" when it has no value)."""
    if contractor is None:
        return {name: "" for name in SEARCH_FIELDS}
    return {name: search_key(getattr(contractor, name)) for name in SEARCH_FIELDS}


def keys_after(before: Mapping[SearchField, str], details: ContactDetails) -> dict[SearchField, str]:
    """The search keys once ``details`` are applied (a field left None keeps its key)."""
    return {
        name: before.get(name, "") if getattr(details, name) is None else search_key(getattr(details, name))
        for name in SEARCH_FIELDS
    }
