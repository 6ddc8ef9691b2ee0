"""The passkey routes' bodies (contract v3) and their views. Credentials travel in WebAuthn Level
3's standard JSON forms (what ``credential.toJSON()`` gives: base64url without padding); only the
members the verifier reads are typed, and a browser's other members are kept for it (``extra``),
since browsers add some (``authenticatorData``, ``publicKey``...). Key material is never returned."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from contractor_accounts.domain.entities import Passkey
from contractor_accounts.domain.policy import MAX_BODY_BYTES
from contractor_accounts.http.fields import PasskeyName, StrictModel
from contractor_accounts.http.schemas import CurrentPassword

Base64Url = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]*$", max_length=MAX_BODY_BYTES)]


class _WebAuthnJson(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class AttestationResponseJson(_WebAuthnJson):
    clientDataJSON: Base64Url
    attestationObject: Base64Url
    transports: list[Annotated[str, StringConstraints(max_length=32)]] | None = None


class AssertionResponseJson(_WebAuthnJson):
    clientDataJSON: Base64Url
    authenticatorData: Base64Url
    signature: Base64Url
    userHandle: Base64Url | None = None


class _CredentialJson(_WebAuthnJson):
    """What ``credential.toJSON()`` gives for either ceremony, but its ``response``."""

    id: Base64Url
    rawId: Base64Url
    type: Literal["public-key"]
    clientExtensionResults: dict[str, Any] = Field(default_factory=dict)
    authenticatorAttachment: str | None = None


class RegistrationResponseJson(_CredentialJson):
    """RegistrationResponseJSON (``credential.toJSON()`` after ``navigator.credentials.create``)."""

    response: AttestationResponseJson


class AuthenticationResponseJson(_CredentialJson):
    """AuthenticationResponseJSON (``credential.toJSON()`` after ``navigator.credentials.get``)."""

    response: AssertionResponseJson


class PasskeySignInOptionsRequest(StrictModel):
    """An empty object: the options name no account."""


class PasskeySignInRequest(StrictModel):
    credential: AuthenticationResponseJson


class PasskeyOptionsRequest(StrictModel):
    current_password: CurrentPassword


class PasskeyAddRequest(StrictModel):
    credential: RegistrationResponseJson
    name: PasskeyName | None = Field(default=None, description='What the contractor calls it; "Passkey" if left out.')


class PasskeyRenameRequest(StrictModel):
    name: PasskeyName


class OptionsResponse(BaseModel):
    options: dict[str, Any] = Field(
        description="PublicKeyCredentialCreationOptionsJSON or PublicKeyCredentialRequestOptionsJSON: "
        "hand it to PublicKeyCredential.parseCreationOptionsFromJSON / parseRequestOptionsFromJSON."
    )


class PasskeyView(BaseModel):
    id: str = Field(description="The credential ID (base64url), as the browser names it.")
    name: str
    created_at: datetime
    last_used_at: datetime | None = Field(description="null until it is used to sign in.")
    synced: bool = Field(description="The backup-state flag: the passkey is synced (phone, password manager).")


class PasskeyResponse(BaseModel):
    passkey: PasskeyView


class PasskeysResponse(BaseModel):
    passkeys: list[PasskeyView]


def credential_json(credential: BaseModel) -> dict[str, Any]:
    """The credential as the browser sent it (members the verifier reads and the others)."""
    return credential.model_dump(mode="json", exclude_none=True)


def passkey_view(passkey: Passkey) -> PasskeyView:
    return PasskeyView(
        id=passkey.credential_id,
        name=passkey.name,
        created_at=passkey.created_at,
        last_used_at=passkey.last_used_at,
        synced=passkey.synced,
    )
