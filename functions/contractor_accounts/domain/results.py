"""What the use cases give back (``http.views`` turns them into response bodies)."""

from dataclasses import dataclass
from datetime import date

from contractor_accounts.domain.entities import Contractor, TokenRecord
from contractor_accounts.domain.state_license import StateLicense


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A token as the client gets it, and the record the store keeps (hash only)."""

    token: str
    record: TokenRecord


@dataclass(frozen=True, slots=True)
class SignedIn:
    session: IssuedToken
    contractor: Contractor
    # The browser's device token: the one it sent when live, else a new one (None at registration).
    device_token: str | None = None


@dataclass(frozen=True, slots=True)
class ChallengeIssued:
    challenge: IssuedToken


@dataclass(frozen=True, slots=True)
class Dashboard:
    contractor: Contractor
    today: date
    # The state board's record of the license (contract v3), when its list holds it.
    state_license: StateLicense | None = None


@dataclass(frozen=True, slots=True)
class PasswordResetDone:
    """A reset by emailed link: the browser that did it gets a device token (contract v3)."""

    license_number: str
    device_token: str
