"""The state board's record of a license (California's CSLB license master list, loaded by the
city each day): whether it is active, and whether the business name a contractor typed is the
board's. The list holds licenses that are current or expired-but-renewable; one a later file no
longer holds (cancelled, revoked) is kept as NOT LISTED, never deleted."""

import re
from dataclasses import dataclass
from datetime import date
from typing import Final

# CSLB's word for a license in good standing; "ACTIVE" reads the same (any case).
ACTIVE_STATUSES: Final = frozenset({"CLEAR", "ACTIVE"})
NOT_LISTED: Final = "NOT LISTED"
# Words a business name may carry or leave out without being another business.
_LEGAL_FORMS: Final = frozenset({"INC", "INCORPORATED", "LLC", "CORP", "CORPORATION", "CO", "COMPANY", "LTD", "LP"})
_NOT_A_LETTER_OR_DIGIT: Final = re.compile(r"[^0-9A-Z]+")


@dataclass(frozen=True, slots=True)
class StateLicense:
    license_number: str
    business_name: str
    # CSLB's PrimaryStatus as published ("CLEAR", "EXPIRED", "SUSPENDED", ...), or NOT_LISTED.
    primary_status: str
    expires_on: date | None
    classifications: tuple[str, ...]
    # The date of the file this record was last read from.
    as_of: date
    secondary_status: str | None = None
    workers_comp_carrier: str | None = None
    workers_comp_policy_number: str | None = None
    workers_comp_expires_on: date | None = None

    def is_active(self, today: date) -> bool:
        """In good standing and not expired ("today" is the city's)."""
        return self.primary_status.strip().upper() in ACTIVE_STATUSES and (
            self.expires_on is None or self.expires_on >= today
        )


@dataclass(frozen=True, slots=True)
class LicenseLookup:
    """What the service knows of a license: whether any list was loaded yet (until then nothing
    is checked), and the record when the list holds it."""

    list_loaded: bool
    record: StateLicense | None = None


def business_name_words(name: str) -> tuple[str, ...]:
    """The name as compared: upper case, letters and digits only, without legal forms."""
    words = _NOT_A_LETTER_OR_DIGIT.sub(" ", name.upper()).split()
    return tuple(word for word in words if word not in _LEGAL_FORMS)


def same_business_name(typed: str, board: str) -> bool:
    """Whether a typed business name is the board's, ignoring case, punctuation and the legal
    form ("Sunset Builders, Inc." is "SUNSET BUILDERS INC")."""
    return business_name_words(typed) == business_name_words(board)
