"""The ``LicenseRecords`` port's contract, on the DynamoDB adapter (under moto) and on the fake
alike: a license's state record and whether any list was loaded come back from one read."""

from datetime import date

import pytest
from contractor_accounts import runtime
from contractor_accounts.domain.state_license import LicenseLookup, StateLicense, same_business_name
from contractor_accounts.ports.license_records import LicenseRecords

from tests.support.licenses import loaded
from tests.unit.fakes import InMemoryLicenseRecords

RECORD = StateLicense(
    license_number="1234567",
    business_name="SUNSET BUILDERS INC",
    primary_status="CLEAR",
    expires_on=date(2028, 3, 31),
    classifications=("B", "C-10"),
    as_of=date(2026, 3, 1),
    workers_comp_carrier="STATE COMPENSATION INSURANCE FUND",
    workers_comp_policy_number="WC-123456",
    workers_comp_expires_on=date(2027, 6, 30),
)


@pytest.fixture(params=["dynamodb", "in_memory"])
def records(request: pytest.FixtureRequest) -> LicenseRecords:
    if request.param == "in_memory":
        return InMemoryLicenseRecords()
    request.getfixturevalue("aws")
    return runtime.license_records()


def test_before_any_list_is_loaded_nothing_is_known(records: LicenseRecords) -> None:
    assert records.look_up_license("1234567") == LicenseLookup(list_loaded=False, record=None)


def test_a_loaded_list_gives_the_record_as_imported_or_none(records: LicenseRecords) -> None:
    # Given a list holding one license
    loaded(records, RECORD)
    # Then that license's record comes back whole, and another license is known to be absent
    assert records.look_up_license("1234567") == LicenseLookup(list_loaded=True, record=RECORD)
    assert records.look_up_license("7654321") == LicenseLookup(list_loaded=True, record=None)


@pytest.mark.parametrize(
    ("status", "expires_on", "active"),
    [
        ("CLEAR", date(2028, 3, 31), True),
        ("active", date(2028, 3, 31), True),
        ("CLEAR", date(2026, 2, 28), False),  # expired
        ("SUSPENDED", date(2028, 3, 31), False),
        ("NOT LISTED", None, False),
    ],
)
def test_a_license_is_active_when_clear_and_not_expired(status: str, expires_on: date | None, active: bool) -> None:
    record = StateLicense("1", "A", status, expires_on, (), date(2026, 3, 1))
    assert record.is_active(date(2026, 3, 2)) is active


@pytest.mark.parametrize(
    ("typed", "board", "same"),
    [
        ("Sunset Builders, Inc.", "SUNSET BUILDERS INC", True),
        ("sunset builders", "SUNSET BUILDERS INC", True),
        ("Sunset Builders LLC", "SUNSET BUILDERS CORP", True),
        ("Sunrise Builders", "SUNSET BUILDERS INC", False),
    ],
)
def test_business_names_compare_without_case_punctuation_or_legal_form(typed: str, board: str, same: bool) -> None:
    assert same_business_name(typed, board) is same
