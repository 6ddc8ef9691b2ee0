"""The reads the state board's list adds beside the account (contract v3): the account and its
license together (registration, the early check, the dashboard), licenses and accounts by the
hundred, the licenses expiring on a day, and the accounts waiting for staff review. Never a Scan."""

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from contractor_accounts.domain.entities import Contractor
from contractor_accounts.domain.license_check import AccountAndLicense, PendingReview
from contractor_accounts.domain.state_license import StateLicense


class LicenseChecks(Protocol):
    def account_and_license(self, license_number: str) -> AccountAndLicense:
        """The account (consistent), the board's record and whether a list was loaded, in one read."""
        ...

    def licenses(self, license_numbers: Sequence[str]) -> dict[str, StateLicense]:
        """The board's records of those licenses that it holds."""
        ...

    def accounts(self, license_numbers: Sequence[str]) -> list[Contractor]:
        """The accounts of those licenses that have one."""
        ...

    def licenses_expiring_on(self, day: date) -> list[str]:
        """The licenses whose board record expires on ``day`` (the import's expiry index items)."""
        ...

    def pending_reviews(self, limit: int) -> list[PendingReview]:
        """The accounts waiting for staff approval, oldest first."""
        ...
