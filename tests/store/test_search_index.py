"""Staff ``find`` on the store (both implementations): the index entries written with the
account, moved by each write that changes a searchable field, and the search itself (prefix,
case and punctuation aside, at most the limit). And the one builder of the entries' writes."""

from datetime import timedelta

import pytest
from contractor_accounts import runtime
from contractor_accounts.adapters.dynamodb.search_index import find_key, index_writes
from contractor_accounts.adapters.dynamodb.table import Table
from contractor_accounts.domain.changes import ContactChange
from contractor_accounts.domain.entities import AuditEntry, TokenRecord
from contractor_accounts.domain.requests import ContactDetails
from contractor_accounts.domain.search import search_key, search_keys
from contractor_accounts.ports.store import ConflictingWrite, ContractorStore

from tests.store.implementations import implementation
from tests.support.clock import START
from tests.support.samples import LICENSE
from tests.unit.fakes import InMemoryContractorStore, account


@pytest.fixture(params=["dynamodb", "in_memory"])
def store(request: pytest.FixtureRequest) -> ContractorStore:
    return implementation(request, InMemoryContractorStore, runtime.store)


def audit(action: str, license_number: str = LICENSE) -> AuditEntry:
    return AuditEntry(license_number, action, "test", START)


def licenses(found: tuple[list, bool]) -> list[str]:  # type: ignore[type-arg]
    return [contractor.license_number for contractor in found[0]]


def test_the_search_key_drops_case_accents_spaces_and_punctuation() -> None:
    assert search_key("O'Brien Construction, Inc.") == "obrienconstructioninc"
    assert search_key("Peña  Roofing") == "penaroofing"
    assert search_key("(323) 555-0100") == "3235550100"
    assert search_key("Jo@Example.COM") == "joexamplecom"
    assert search_key(None) == ""


def test_the_builder_moves_only_the_fields_that_change() -> None:
    table = Table(None, "t")  # type: ignore[arg-type]
    before = {"business_name": "acme", "contact_name": "pat", "email": "", "phone": "3235550100"}
    after = {**before, "business_name": "acmebuilders", "email": "patexamplecom"}
    writes = index_writes(table, LICENSE, before, after)
    assert [next(iter(write)) for write in writes] == ["Delete", "Put", "Put"]
    assert writes[0]["Delete"]["Key"] == {"pk": {"S": "FIND#business_name#ac"}, "sk": {"S": f"acme#{LICENSE}"}}
    assert writes[2]["Put"]["Item"]["pk"] == {"S": "FIND#email#pa"}
    assert index_writes(table, LICENSE, before, before) == []
    assert find_key("phone", "3235550100", LICENSE) == {"pk": "FIND#phone#32", "sk": f"3235550100#{LICENSE}"}


def test_a_registered_account_is_found_by_each_field(store: ContractorStore) -> None:
    store.create_contractor(
        account(business_name="O'Brien Construction, Inc.", contact_name="Pat O'Brien", phone="323-555-0100"),
        None,
        None,
    )
    store.create_contractor(account(license_number="7654321", business_name="Obelisk Homes", email=None), None, None)
    assert licenses(store.find_contractors("business_name", "OBRIEN con", 25)) == [LICENSE]
    assert licenses(store.find_contractors("business_name", "ob", 25)) == ["7654321", LICENSE]
    assert licenses(store.find_contractors("contact_name", "pat o'b", 25)) == [LICENSE]
    assert licenses(store.find_contractors("phone", "(323) 555", 25)) == [LICENSE]
    assert licenses(store.find_contractors("email", "MARIA@", 25)) == [LICENSE]
    assert store.find_contractors("business_name", "zz", 25) == ([], False)


def test_a_change_moves_the_entry_and_is_refused_when_the_field_changed_since_it_was_read(
    store: ContractorStore,
) -> None:
    store.create_contractor(account(business_name="Acme Builders"), None, None)
    read = store.get_contractor(LICENSE)
    assert read is not None
    store.update_contact(
        ContactChange(LICENSE, ContactDetails(business_name="Zenith Builders"), audit("contact_updated"), before=read)
    )
    assert licenses(store.find_contractors("business_name", "acme", 25)) == []
    assert licenses(store.find_contractors("business_name", "zenith", 25)) == [LICENSE]
    # A second change from the old read would leave the new entry behind: refused
    with pytest.raises(ConflictingWrite):
        store.update_contact(
            ContactChange(LICENSE, ContactDetails(business_name="Other"), audit("contact_updated"), before=read)
        )
    assert licenses(store.find_contractors("business_name", "zenith", 25)) == [LICENSE]


def test_a_verified_email_moves_the_email_entry(store: ContractorStore) -> None:
    link = TokenRecord(
        token_hash="v" * 64,
        kind="verify",
        license_number=LICENSE,
        session_generation=0,
        created_at=START,
        expires_at=START + timedelta(hours=24),
        email="new@example.com",
    )
    store.create_contractor(
        account(verification_token_hash="v" * 64, pending_email="new@example.com"), None, None, link
    )
    read = store.get_contractor(LICENSE)
    assert read is not None
    store.verify_email(link, audit("email_changed"), read.email)
    assert licenses(store.find_contractors("email", "new@", 25)) == [LICENSE]
    assert licenses(store.find_contractors("email", str(read.email)[:5], 25)) == []


def test_at_most_the_limit_and_whether_there_were_more(store: ContractorStore) -> None:
    for number in range(27):
        store.create_contractor(
            account(license_number=str(1000000 + number), business_name=f"Acme {number:02}", email=None), None, None
        )
    found, more = store.find_contractors("business_name", "acme", 25)
    assert (len(found), more) == (25, True)
    assert found[0].business_name == "Acme 00"
    assert store.find_contractors("business_name", "acme 26", 25)[1] is False
    assert search_keys(found[0])["business_name"] == "acme00"
