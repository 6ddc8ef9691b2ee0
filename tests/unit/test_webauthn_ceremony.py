"""The WebAuthn ceremony's adapter (py_webauthn) against a software authenticator: every check the
contract lists refuses what it must, and the options say what the contract says."""

import secrets

import pytest
from contractor_accounts.adapters.webauthn_ceremony import PyWebAuthnCeremony
from contractor_accounts.ports.webauthn import CeremonyRefused, RelyingParty

from tests.support.authenticator import LOCAL_ORIGIN, LOCAL_RP_ID, SoftwareAuthenticator

PARTY = RelyingParty(LOCAL_RP_ID, "City of West Hollywood permits", (LOCAL_ORIGIN,))
CEREMONY = PyWebAuthnCeremony()


def _options(exclude: tuple[str, ...] = ()) -> dict[str, object]:
    return CEREMONY.registration_options(
        PARTY,
        challenge=secrets.token_urlsafe(32),
        user_handle=secrets.token_urlsafe(32),
        user_name="1234567",
        display_name="Sunset Builders Inc",
        exclude=list(exclude),
    )


def _registered(authenticator: SoftwareAuthenticator) -> tuple[bytes, int]:
    created = CEREMONY.verify_registration(PARTY, authenticator.create(_options()))
    return created.public_key, created.sign_count


def test_registration_options_ask_for_a_discoverable_verified_credential_without_attestation() -> None:
    options = _options(exclude=("AAAA",))
    assert options["authenticatorSelection"] == {
        "residentKey": "required",
        "requireResidentKey": True,
        "userVerification": "required",
    }
    assert options["attestation"] == "none"
    assert [param["alg"] for param in options["pubKeyCredParams"]] == [-7, -257]  # type: ignore[index, union-attr]
    assert options["excludeCredentials"] == [{"type": "public-key", "id": "AAAA"}]
    assert options["rp"] == {"id": LOCAL_RP_ID, "name": PARTY.name}
    assert options["user"]["name"] == "1234567"  # type: ignore[index]


def test_sign_in_options_name_no_account_and_require_user_verification() -> None:
    options = CEREMONY.authentication_options(PARTY, challenge=secrets.token_urlsafe(32))
    assert options["allowCredentials"] == []
    assert options["userVerification"] == "required"
    assert options["rpId"] == LOCAL_RP_ID


@pytest.mark.parametrize("algorithm", ["ES256", "RS256"])
def test_a_passkey_registers_and_signs_in(algorithm: str) -> None:
    authenticator = SoftwareAuthenticator(algorithm=algorithm)  # type: ignore[arg-type]
    options = _options()
    response = authenticator.create(options)
    created = CEREMONY.verify_registration(PARTY, response)
    assert created.challenge == options["challenge"]
    assert created.credential_id == authenticator.id
    assert created.synced is True
    challenge = secrets.token_urlsafe(32)
    answer = authenticator.get({"challenge": challenge})
    assertion = CEREMONY.read_assertion(answer)
    assert (assertion.credential_id, assertion.challenge) == (authenticator.id, challenge)
    assert assertion.user_handle == options["user"]["id"]  # type: ignore[index]
    verified = CEREMONY.verify_assertion(PARTY, answer, challenge, created.public_key, created.sign_count)
    assert verified.sign_count == 1


@pytest.mark.parametrize(
    "wrong",
    [
        {"origin": "https://evil.example"},
        {"origin": "http://127.0.0.1:8080"},
        {"rp_id": "evil.example"},
        {"user_verified": False},
    ],
    ids=["another-site", "the-ip-address", "another-rp-id", "no-user-verification"],
)
def test_a_registration_from_the_wrong_place_or_without_verification_is_refused(wrong: dict[str, object]) -> None:
    authenticator = SoftwareAuthenticator(**wrong)  # type: ignore[arg-type]
    with pytest.raises(CeremonyRefused):
        CEREMONY.verify_registration(PARTY, authenticator.create(_options()))


@pytest.mark.parametrize(
    "wrong",
    [{"origin": "https://evil.example"}, {"rp_id": "evil.example"}, {"user_verified": False}],
    ids=["another-site", "another-rp-id", "no-user-verification"],
)
def test_an_assertion_from_the_wrong_place_or_without_verification_is_refused(wrong: dict[str, object]) -> None:
    authenticator = SoftwareAuthenticator()
    public_key, count = _registered(authenticator)
    for name, value in wrong.items():
        setattr(authenticator, name, value)
    challenge = secrets.token_urlsafe(32)
    with pytest.raises(CeremonyRefused):
        CEREMONY.verify_assertion(PARTY, authenticator.get({"challenge": challenge}), challenge, public_key, count)


def test_another_challenge_or_another_key_is_refused() -> None:
    authenticator = SoftwareAuthenticator()
    public_key, count = _registered(authenticator)
    answer = authenticator.get({"challenge": secrets.token_urlsafe(32)})
    with pytest.raises(CeremonyRefused):
        CEREMONY.verify_assertion(PARTY, answer, secrets.token_urlsafe(32), public_key, count)
    stranger_key, _ = _registered(SoftwareAuthenticator())
    challenge = CEREMONY.read_assertion(answer).challenge
    with pytest.raises(CeremonyRefused):
        CEREMONY.verify_assertion(PARTY, answer, challenge, stranger_key, count)


def test_a_sign_count_that_does_not_increase_is_a_clone() -> None:
    authenticator = SoftwareAuthenticator()
    public_key, _ = _registered(authenticator)
    twin = authenticator.clone()
    first = authenticator.get({"challenge": "Y2hhbGxlbmdl"})
    verified = CEREMONY.verify_assertion(PARTY, first, "Y2hhbGxlbmdl", public_key, 0)
    cloned = twin.get({"challenge": "Y2hhbGxlbmdl"})  # the same count as the original's last
    with pytest.raises(CeremonyRefused):
        CEREMONY.verify_assertion(PARTY, cloned, "Y2hhbGxlbmdl", public_key, verified.sign_count)


def test_an_authenticator_that_keeps_no_count_signs_in_again_and_again() -> None:
    authenticator = SoftwareAuthenticator(counts=False)
    public_key, _ = _registered(authenticator)
    for _ in range(2):
        answer = authenticator.get({"challenge": "Y2hhbGxlbmdl"})
        assert CEREMONY.verify_assertion(PARTY, answer, "Y2hhbGxlbmdl", public_key, 0).sign_count == 0


@pytest.mark.parametrize(
    "garbage",
    [{}, {"response": {}}, {"response": {"clientDataJSON": "!!"}}, {"id": "x", "response": {"clientDataJSON": "e30"}}],
)
def test_garbage_is_a_refusal_never_an_error(garbage: dict[str, object]) -> None:
    with pytest.raises(CeremonyRefused):
        CEREMONY.read_assertion(garbage)
    with pytest.raises(CeremonyRefused):
        CEREMONY.verify_registration(PARTY, garbage)
