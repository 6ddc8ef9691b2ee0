"""The port through which passkeys are kept (the DynamoDB adapter: ``adapters.dynamodb.passkeys``).
A passkey lives on its account's item; a passkey challenge is an item of its own; the account is
found from a sign-in's user handle through a small item naming its license number."""

from typing import Protocol

from contractor_accounts.domain.entities import AuditEntry, Contractor, PasskeyChallenge
from contractor_accounts.domain.passkeys import PasskeyAddition, PasskeyRegistrationStart, PasskeySignIn


class PasskeyStore(Protocol):
    def put_passkey_challenge(self, challenge: PasskeyChallenge) -> None:
        """A sign-in challenge stored (by its hash): one PutItem."""
        ...

    def contractor_by_passkey_handle(self, user_handle: str) -> Contractor | None:
        """The account whose WebAuthn user handle this is (None for any other value)."""
        ...

    def start_passkey_session(self, sign_in: PasskeySignIn) -> None:
        """Consumes the challenge, moves the passkey's sign count, stores the session and the
        device, all at once (``PasskeySignIn`` says on what condition). Raises ConflictingWrite."""
        ...

    def start_passkey_registration(self, start: PasskeyRegistrationStart) -> None:
        """Stores the registration challenge, makes the user handle when it is new, and takes back
        the claimed attempt, provided the account is as claimed. Raises ConflictingWrite."""
        ...

    def add_passkey(self, addition: PasskeyAddition) -> None:
        """Raises ConflictingWrite: with the account as ``found`` when the account's condition
        failed (signed out, disabled, 10 passkeys, this one already there), without when the
        challenge was not this session's live one."""
        ...

    def rename_passkey(
        self, license_number: str, expected_generation: int, credential_id: str, name: str, audit: AuditEntry
    ) -> None:
        """Raises ConflictingWrite (``found``: the account) when the account has no such passkey
        or its sessions are not of ``expected_generation``."""
        ...

    def remove_passkey(
        self, license_number: str, expected_generation: int, credential_id: str, audit: AuditEntry
    ) -> None:
        """As ``rename_passkey``."""
        ...
