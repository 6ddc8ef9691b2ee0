"""The WebAuthn ceremony as a port: the options a browser is handed, and the verification of what
it answers (signature, RP ID hash, origin, type, challenge, user verification, sign count). The
adapter (``adapters.webauthn_ceremony``, py_webauthn) is loaded only on the passkey routes.

Every JSON value is in WebAuthn Level 3's standard JSON forms (base64url without padding)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


class CeremonyRefused(Exception):
    """The answer does not verify, or is not an answer at all. ``reason`` is for the log only."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class RelyingParty:
    """The site passkeys belong to: its RP ID (a host name, for ever) and the origins on it."""

    rp_id: str
    name: str
    origins: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Assertion:
    """What a sign-in answer names before it is verified: which passkey, whose, which challenge."""

    credential_id: str
    user_handle: str | None
    challenge: str


@dataclass(frozen=True, slots=True)
class VerifiedAssertion:
    sign_count: int
    synced: bool


@dataclass(frozen=True, slots=True)
class NewCredential:
    """A verified registration: the challenge it answered, the credential and its public key."""

    challenge: str
    credential_id: str
    public_key: bytes
    sign_count: int
    synced: bool


class WebAuthnCeremony(Protocol):
    def registration_options(
        self,
        party: RelyingParty,
        *,
        challenge: str,
        user_handle: str,
        user_name: str,
        display_name: str,
        exclude: Sequence[str],
    ) -> dict[str, Any]:
        """PublicKeyCredentialCreationOptionsJSON: a discoverable credential (resident key
        required), user verification required, attestation none, ES256 and RS256, the account's
        passkeys excluded."""
        ...

    def authentication_options(self, party: RelyingParty, *, challenge: str) -> dict[str, Any]:
        """PublicKeyCredentialRequestOptionsJSON: no credentials listed (discoverable), user
        verification required."""
        ...

    def verify_registration(self, party: RelyingParty, credential: Mapping[str, Any]) -> NewCredential:
        """A RegistrationResponseJSON verified against the challenge it carries (the caller then
        consumes that challenge: one it did not issue matches nothing). Raises CeremonyRefused."""
        ...

    def read_assertion(self, credential: Mapping[str, Any]) -> Assertion:
        """Which passkey an AuthenticationResponseJSON names, unverified. Raises CeremonyRefused."""
        ...

    def verify_assertion(
        self, party: RelyingParty, credential: Mapping[str, Any], challenge: str, public_key: bytes, sign_count: int
    ) -> VerifiedAssertion:
        """The answer verified with the passkey's public key; a sign count that does not increase
        (when either is non-zero) is a cloned authenticator. Raises CeremonyRefused."""
        ...
