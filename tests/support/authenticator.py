"""A software WebAuthn authenticator (a passkey in a test): an EC P-256 (ES256) or RSA (RS256) key
made with ``cryptography``, authenticator data with the UP/UV/BE/BS flags and its sign count,
attestation "none" in CBOR (py_webauthn's own encoder), and the browser's part: clientDataJSON and
``credential.toJSON()``'s RegistrationResponseJSON / AuthenticationResponseJSON.

Each knob is a way an answer can be wrong: another origin or RP ID, no user verification, a sign
count that does not increase (a clone), another challenge."""

import hashlib
import json
import secrets
import struct
from dataclasses import dataclass, field
from typing import Any, Literal

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.encode_cbor import encode_cbor

LOCAL_ORIGIN = "http://localhost:8080"
LOCAL_RP_ID = "localhost"
_UP, _UV, _BE, _BS, _AT = 0x01, 0x04, 0x08, 0x10, 0x40


def _b64(data: bytes) -> str:
    return bytes_to_base64url(data)


@dataclass
class SoftwareAuthenticator:
    origin: str = LOCAL_ORIGIN
    rp_id: str = LOCAL_RP_ID
    algorithm: Literal["ES256", "RS256"] = "ES256"
    user_verified: bool = True
    backup_eligible: bool = True
    backed_up: bool = True
    # Counts each signature (0: an authenticator that keeps no count, as synced passkeys do).
    counts: bool = True
    sign_count: int = 0
    credential_id: bytes = field(default_factory=lambda: secrets.token_bytes(16))
    user_handle: bytes | None = None
    _key: Any = None

    def __post_init__(self) -> None:
        if self.algorithm == "ES256":
            self._key = ec.generate_private_key(ec.SECP256R1())
        else:
            self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    @property
    def id(self) -> str:
        return _b64(self.credential_id)

    def clone(self) -> "SoftwareAuthenticator":
        """The same key and count on another device: both sign, each counting on its own."""
        twin = SoftwareAuthenticator(
            origin=self.origin,
            rp_id=self.rp_id,
            algorithm=self.algorithm,
            counts=self.counts,
            sign_count=self.sign_count,
            credential_id=self.credential_id,
            user_handle=self.user_handle,
        )
        twin._key = self._key
        return twin

    # The ceremonies, as navigator.credentials.create()/get() then toJSON().

    def create(self, options: dict[str, Any], *, challenge: str | None = None) -> dict[str, Any]:
        """RegistrationResponseJSON for PublicKeyCredentialCreationOptionsJSON ``options``."""
        self.user_handle = base64url_to_bytes(options["user"]["id"])
        client_data = self._client_data("webauthn.create", challenge or options["challenge"])
        attested = b"\0" * 16 + struct.pack(">H", len(self.credential_id)) + self.credential_id + self._cose_key()
        auth_data = self._auth_data(_AT) + attested
        attestation = encode_cbor({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": self.id,
            "rawId": self.id,
            "type": "public-key",
            "response": {
                "clientDataJSON": _b64(client_data),
                "attestationObject": _b64(attestation),
                "transports": ["internal"],
            },
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {"credProps": {"rk": True}},
        }

    def get(self, options: dict[str, Any], *, challenge: str | None = None) -> dict[str, Any]:
        """AuthenticationResponseJSON for PublicKeyCredentialRequestOptionsJSON ``options``."""
        if self.counts:
            self.sign_count += 1
        client_data = self._client_data("webauthn.get", challenge or options["challenge"])
        auth_data = self._auth_data(0)
        signed = auth_data + hashlib.sha256(client_data).digest()
        if self.algorithm == "ES256":
            signature = self._key.sign(signed, ec.ECDSA(hashes.SHA256()))
        else:
            signature = self._key.sign(signed, padding.PKCS1v15(), hashes.SHA256())
        return {
            "id": self.id,
            "rawId": self.id,
            "type": "public-key",
            "response": {
                "clientDataJSON": _b64(client_data),
                "authenticatorData": _b64(auth_data),
                "signature": _b64(signature),
                "userHandle": _b64(self.user_handle) if self.user_handle else None,
            },
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
        }

    def _client_data(self, kind: str, challenge: str) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": False}).encode()

    def _auth_data(self, extra_flags: int) -> bytes:
        flags = _UP | extra_flags
        flags |= _UV if self.user_verified else 0
        flags |= _BE if self.backup_eligible else 0
        flags |= _BS if self.backed_up else 0
        return hashlib.sha256(self.rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", self.sign_count)

    def _cose_key(self) -> bytes:
        public = self._key.public_key()
        if self.algorithm == "ES256":
            numbers = public.public_numbers()
            return encode_cbor(
                {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")}
            )
        numbers = public.public_numbers()
        return encode_cbor({1: 3, 3: -257, -1: numbers.n.to_bytes(256, "big"), -2: numbers.e.to_bytes(3, "big")})
