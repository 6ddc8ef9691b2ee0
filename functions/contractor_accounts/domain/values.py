"""Value objects of the account: its mailing address and its workers' compensation."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class MailingAddress:
    street: str
    city: str
    state: str
    postal_code: str


@dataclass(frozen=True, slots=True)
class WorkersCompPolicy:
    carrier: str
    policy_number: str
    expires_on: date


@dataclass(frozen=True, slots=True)
class WorkersCompExempt:
    pass


# An account's workers' compensation: a policy, or exempt (no employees).
WorkersComp = WorkersCompPolicy | WorkersCompExempt
