"""The state board's license list as the service reads it (the import writes it:
``LicenseDataFunction``)."""

from typing import Protocol

from contractor_accounts.domain.state_license import LicenseLookup


class LicenseRecords(Protocol):
    def look_up_license(self, license_number: str) -> LicenseLookup:
        """The board's record of ``license_number`` and whether any list has been loaded, in one
        read."""
        ...
