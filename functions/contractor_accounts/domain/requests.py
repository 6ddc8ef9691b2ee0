"""What a contractor or staff member asks for, already validated by the API's schemas."""

from dataclasses import dataclass

from contractor_accounts.domain.values import MailingAddress, WorkersComp


@dataclass(frozen=True, slots=True)
class NewAccount:
    """What a contractor gives to set up an account (already validated by the API schema)."""

    license_number: str
    password: str
    security_question: str
    security_answer: str
    business_name: str
    contact_name: str
    email: str
    phone: str
    mailing_address: MailingAddress
    workers_comp: WorkersComp


@dataclass(frozen=True, slots=True)
class NewPassword:
    """A password change with a token: an emailed reset link or a first sign-in challenge."""

    token: str
    new_password: str
    security_answer: str
    # Set only when the account has no security question yet (always at first sign-in).
    security_question: str | None = None


@dataclass(frozen=True, slots=True)
class ContactDetails:
    """Contact fields to change (None: unchanged). ``business_name`` and ``email`` only from staff."""

    business_name: str | None = None
    contact_name: str | None = None
    email: str | None = None
    phone: str | None = None
    mailing_address: MailingAddress | None = None
    workers_comp: WorkersComp | None = None
