"""The WebAuthn ceremony on py_webauthn (``ports.webauthn``). Imported only by the passkey routes'
factory in ``runtime`` (lazily): ``webauthn``, ``cryptography`` and ``cbor2`` stay out of every
handler's cold start (tests/performance/imports.py holds that).

Any answer the library cannot take (malformed JSON, CBOR or keys, a wrong signature, origin, RP
ID, type or challenge, no user verification, a sign count that does not increase) is a refusal,
never an error: the routes answer 401 or 422, never a 5xx."""

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    parse_authentication_credential_json,
    parse_client_data_json,
)
from webauthn.helpers.cose import COSEAlgorithmIdentifier
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticatorSelectionCriteria,
    ClientDataType,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from contractor_accounts.domain.policy import PASSKEY_CHALLENGE_MINUTES
from contractor_accounts.ports.webauthn import (
    Assertion,
    CeremonyRefused,
    NewCredential,
    RelyingParty,
    VerifiedAssertion,
)

# At least ES256 and RS256 (contract v3); ES256 first, the one every platform authenticator makes.
ALGORITHMS: Final = [COSEAlgorithmIdentifier.ECDSA_SHA_256, COSEAlgorithmIdentifier.RSASSA_PKCS1_v1_5_SHA_256]
# The browser's timeout (a hint): the challenge's own life.
_TIMEOUT_MS: Final = PASSKEY_CHALLENGE_MINUTES * 60 * 1000


def _json(options: Any) -> dict[str, Any]:
    return dict(json.loads(options_to_json(options)))


def _challenge_of(credential: Mapping[str, Any], expected_type: ClientDataType) -> str:
    """The challenge clientDataJSON carries (base64url), read before the answer is verified."""
    response = credential.get("response")
    if not isinstance(response, Mapping) or not isinstance(response.get("clientDataJSON"), str):
        raise CeremonyRefused("no clientDataJSON")
    client_data = parse_client_data_json(base64url_to_bytes(response["clientDataJSON"]))
    if client_data.type != expected_type:
        raise CeremonyRefused("wrong client data type")
    return bytes_to_base64url(client_data.challenge)


def _refusing[T](verify: Callable[[], T]) -> T:
    """``verify()``'s answer; whatever the library cannot take is a CeremonyRefused, never a 5xx."""
    try:
        return verify()
    except CeremonyRefused:
        raise
    except Exception as refused:
        raise CeremonyRefused(f"{type(refused).__name__}: {refused}") from refused


class PyWebAuthnCeremony:
    """``WebAuthnCeremony`` on py_webauthn 3."""

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
        options = generate_registration_options(
            rp_id=party.rp_id,
            rp_name=party.name,
            user_id=base64url_to_bytes(user_handle),
            user_name=user_name,
            user_display_name=display_name,
            challenge=base64url_to_bytes(challenge),
            timeout=_TIMEOUT_MS,
            attestation=AttestationConveyancePreference.NONE,
            authenticator_selection=AuthenticatorSelectionCriteria(
                resident_key=ResidentKeyRequirement.REQUIRED,
                require_resident_key=True,
                user_verification=UserVerificationRequirement.REQUIRED,
            ),
            exclude_credentials=[PublicKeyCredentialDescriptor(id=base64url_to_bytes(known)) for known in exclude],
            supported_pub_key_algs=ALGORITHMS,
        )
        return _json(options)

    def authentication_options(self, party: RelyingParty, *, challenge: str) -> dict[str, Any]:
        options = generate_authentication_options(
            rp_id=party.rp_id,
            challenge=base64url_to_bytes(challenge),
            timeout=_TIMEOUT_MS,
            allow_credentials=[],
            user_verification=UserVerificationRequirement.REQUIRED,
        )
        return _json(options)

    def verify_registration(self, party: RelyingParty, credential: Mapping[str, Any]) -> NewCredential:
        challenge = _refusing(lambda: _challenge_of(credential, ClientDataType.WEBAUTHN_CREATE))
        verified = _refusing(
            lambda: verify_registration_response(
                credential=dict(credential),
                expected_challenge=base64url_to_bytes(challenge),
                expected_rp_id=party.rp_id,
                expected_origin=list(party.origins),
                require_user_presence=True,
                require_user_verification=True,
                supported_pub_key_algs=ALGORITHMS,
            )
        )
        return NewCredential(
            challenge=challenge,
            credential_id=bytes_to_base64url(verified.credential_id),
            public_key=bytes(verified.credential_public_key),
            sign_count=verified.sign_count,
            synced=bool(verified.credential_backed_up),
        )

    def read_assertion(self, credential: Mapping[str, Any]) -> Assertion:
        challenge = _refusing(lambda: _challenge_of(credential, ClientDataType.WEBAUTHN_GET))
        parsed = _refusing(lambda: parse_authentication_credential_json(dict(credential)))
        handle = parsed.response.user_handle
        return Assertion(
            credential_id=bytes_to_base64url(parsed.raw_id),
            user_handle=bytes_to_base64url(handle) if handle else None,
            challenge=challenge,
        )

    def verify_assertion(
        self, party: RelyingParty, credential: Mapping[str, Any], challenge: str, public_key: bytes, sign_count: int
    ) -> VerifiedAssertion:
        verified = _refusing(
            lambda: verify_authentication_response(
                credential=dict(credential),
                expected_challenge=base64url_to_bytes(challenge),
                expected_rp_id=party.rp_id,
                expected_origin=list(party.origins),
                credential_public_key=public_key,
                credential_current_sign_count=sign_count,
                require_user_verification=True,
            )
        )
        return VerifiedAssertion(sign_count=verified.new_sign_count, synced=bool(verified.credential_backed_up))
