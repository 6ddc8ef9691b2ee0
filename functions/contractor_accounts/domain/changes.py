"""What the store writes at once, or not at all: each change a use case decided, with the
conditions on what it read (the ``ContractorStore`` port takes these)."""

from dataclasses import dataclass
from datetime import datetime

from contractor_accounts.domain.entities import AuditEntry, Contractor, TokenKind, TokenRecord, TrustedDevice
from contractor_accounts.domain.policy import MAX_WRONG_ANSWERS
from contractor_accounts.domain.requests import ContactDetails


@dataclass(frozen=True, slots=True)
class Claim:
    """A password attempt claimed before it was judged (``steps.password_check``): counted as
    one failure of the account, or of the trusted device ``device``. ``counted`` is the count
    the claim returned (its own failure included). A success takes back exactly that much
    (``count - counted``, on the condition that the count is still at least ``counted``), so
    failures counted by other attempts after this claim stay counted."""

    counted: int
    device: str | None = None

    @classmethod
    def of(cls, contractor: Contractor, device: str | None = None) -> "Claim":
        """The claim as the claiming write returned ``contractor`` (through ``device``, or not)."""
        if device is None:
            return cls(contractor.failed_login_count)
        failures = next((known.failures for known in contractor.trusted_devices if known.token_hash == device), 0)
        return cls(failures, device)

    def as_held_by(self, contractor: Contractor) -> "Claim":
        """This claim as ``contractor`` (read after a lost write) still holds it: all of it; or,
        when a concurrent success (or staff) already took back failures counted before it, only
        its own one while any is left. Never more: failures counted after it stay counted."""
        held = Claim.of(contractor, self.device).counted
        return self if held >= self.counted else Claim(min(1, held), self.device)


@dataclass(frozen=True, slots=True)
class PasswordChange:
    """Everything a password change writes at once, or not at all."""

    license_number: str
    expected_generation: int
    consumed_token_hash: str
    consumed_token_kind: TokenKind
    password_hash: str
    at: datetime
    audit: AuditEntry
    security_question: str | None = None
    security_answer_hash: str | None = None
    new_session: TokenRecord | None = None
    # The change ends every trusted device; the browser that made it (it proved the link and
    # the answer, or held the challenge) is the only one left.
    new_device: TrustedDevice | None = None
    # For an emailed link: the account's newest reset token must still be this one.
    expected_reset_token_hash: str | None = None
    max_answers: int = MAX_WRONG_ANSWERS

    @classmethod
    def through(
        cls,
        token: TokenRecord,
        password_hash: str,
        at: datetime,
        action: str,
        device: TrustedDevice,
        *,
        security_question: str | None = None,
        security_answer_hash: str | None = None,
        new_session: TokenRecord | None = None,
    ) -> "PasswordChange":
        """A new password set through ``token`` (an emailed reset link, only while it is the
        account's newest; or a first sign-in challenge), audited as ``action``, with ``device``
        as the account's one trusted device."""
        return cls(
            license_number=token.license_number,
            expected_generation=token.session_generation,
            consumed_token_hash=token.token_hash,
            consumed_token_kind=token.kind,
            password_hash=password_hash,
            at=at,
            audit=AuditEntry(token.license_number, action, "contractor", at),
            security_question=security_question,
            security_answer_hash=security_answer_hash,
            new_session=new_session,
            new_device=device,
            expected_reset_token_hash=token.token_hash if token.kind == "reset" else None,
        )


@dataclass(frozen=True, slots=True)
class OwnPasswordChange:
    """``PUT /me/password``: every session ends; the one that asked continues as ``new_session``."""

    license_number: str
    expected_generation: int
    seen_password_hash: str
    password_hash: str
    ended_session_hash: str
    new_session: TokenRecord
    at: datetime
    audit: AuditEntry
    # The asking browser's trusted device (it proved the current password): it stays, with no
    # failures; every other device ends. None when the session came from no live device.
    kept_device: TrustedDevice | None = None


@dataclass(frozen=True, slots=True)
class ContactChange:
    """Contact fields written at once: the contractor's own (``PATCH /me``) or staff's
    (``update_contact``). ``business_name`` and ``email`` come only from staff (an email set by
    staff counts as verified)."""

    license_number: str
    details: ContactDetails
    audit: AuditEntry
    # The contractor's own change: the session's generation (a change of a signed-out account
    # is refused). None for staff.
    expected_generation: int | None = None
    # The account as read before the change (None: read as absent): the old ``find`` entries of
    # the searchable fields it changes are removed, provided those fields are still as read.
    before: Contractor | None = None


@dataclass(frozen=True, slots=True)
class VerificationIssue:
    """A new emailed verification link: its token, the account's email-time list, and for an
    email change the address waiting for it."""

    token: TokenRecord
    sent_at: tuple[datetime, ...]
    pending_email: str | None
    audit: AuditEntry | None = None
    # The current password was confirmed for this change: its claim (the account's or the
    # session's device's) is taken back in the same write. Never for a plain resend.
    confirmed: Claim | None = None


@dataclass(frozen=True, slots=True)
class DeviceChange:
    """What a successful sign-in does to the account's trusted devices (the device it was
    judged by, if any, is the ``Claim``'s)."""

    # A new device token for the browser, and the older ones it pushes out. ``seen``: how many
    # devices the account had when this was computed; the write holds only while the account
    # still has that many, ``evicted`` among them (so the cap holds under concurrent sign-ins).
    added: TrustedDevice | None = None
    evicted: tuple[str, ...] = ()
    seen: int = 0
