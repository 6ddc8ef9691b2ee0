"""Passkeys over the API, under moto (contract v3, "Passkeys"; checklist 34, 37, 38, 40): added
on My Account after the current password, listed, renamed, removed; a passkey sign-in as good as a
password's, through a locked password; every refusal the same 401 as a wrong password."""

from datetime import timedelta
from typing import Any

import pytest

from tests.support.api import Answer, Api, staff
from tests.support.authenticator import SoftwareAuthenticator
from tests.support.clock import MovableClock
from tests.support.passkeys import add_passkey, passkey_sign_in, registration_options, sign_in_options
from tests.support.races import at_once, hold_writes_until_both_read
from tests.support.samples import LICENSE, PASSWORD, registration_body

WRONG_PASSWORD = "not my passphrase at all, sorry"


@pytest.fixture
def token(api: Api) -> str:
    created = api.post("/contractors", registration_body())
    assert created.status == 201, created.body
    return str(created.json["session"]["token"])


@pytest.fixture
def passkey(api: Api, token: str) -> SoftwareAuthenticator:
    authenticator, added = add_passkey(api, token)
    assert added.status == 201, added.body
    return authenticator


def _wrong_password(api: Api) -> Answer:
    return api.post("/sessions", {"license_number": LICENSE, "password": WRONG_PASSWORD})


def _failures() -> int:
    found = staff({"action": "get", "license_number": LICENSE})
    return int(found["contractor"]["lock"]["failed_sign_ins"])


def test_a_passkey_is_added_listed_and_signs_in_like_a_password(api: Api, token: str) -> None:
    # Given a signed-in contractor who confirms the password and creates a passkey
    authenticator, added = add_passkey(api, token, name="Office laptop")
    # Then it is listed with its name, no key material
    assert added.status == 201, added.body
    passkey = added.json["passkey"]
    assert set(passkey) == {"id", "name", "created_at", "last_used_at", "synced"}
    assert (passkey["id"], passkey["name"], passkey["last_used_at"], passkey["synced"]) == (
        authenticator.id,
        "Office laptop",
        None,
        True,
    )
    assert api.get("/me/passkeys", token=token).json == {"passkeys": [passkey]}
    # When the contractor signs in with it
    signed_in = passkey_sign_in(api, authenticator)
    # Then the body is a sign-in's, the session works, and the passkey shows its last use
    assert signed_in.status == 200, signed_in.body
    assert set(signed_in.json) == {"session", "contractor", "device_token"}
    assert signed_in.json["contractor"] == {"license_number": LICENSE, "business_name": "Sunset Builders Inc"}
    session = signed_in.json["session"]["token"]
    assert api.get("/me", token=session).status == 200
    assert api.get("/me/passkeys", token=session).json["passkeys"][0]["last_used_at"] is not None


def test_the_sign_in_options_name_no_account(api: Api) -> None:
    options = sign_in_options(api)
    assert options["allowCredentials"] == []
    assert options["userVerification"] == "required"
    assert options["rpId"] == "localhost"
    assert "user" not in options


def test_the_registration_options_follow_the_contract(api: Api, token: str, passkey: SoftwareAuthenticator) -> None:
    options = registration_options(api, token)
    assert options["authenticatorSelection"]["residentKey"] == "required"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert options["attestation"] == "none"
    assert {-7, -257} <= {param["alg"] for param in options["pubKeyCredParams"]}
    assert options["excludeCredentials"] == [{"type": "public-key", "id": passkey.id}]
    # The user handle is random and stable; never the license number.
    assert options["user"]["name"] == LICENSE
    assert options["user"]["displayName"] == "Sunset Builders Inc"
    assert LICENSE not in options["user"]["id"]
    assert registration_options(api, token)["user"]["id"] == options["user"]["id"]


def _refused_like_a_wrong_password(api: Api, answer: Answer) -> None:
    wrong = _wrong_password(api)
    assert (answer.status, answer.json) == (401, wrong.json)


def test_a_replayed_assertion_is_refused(api: Api, passkey: SoftwareAuthenticator) -> None:
    credential = passkey.get(sign_in_options(api))
    assert api.post("/sessions/passkey", {"credential": credential}).status == 200
    _refused_like_a_wrong_password(api, api.post("/sessions/passkey", {"credential": credential}))


@pytest.mark.parametrize(
    ("knob", "value"),
    [
        ("origin", "https://evil.example"),
        ("origin", "http://127.0.0.1:8080"),
        ("rp_id", "evil.example"),
        ("user_verified", False),
    ],
    ids=["another-site", "the-ip-address-origin", "another-rp-id", "no-user-verification"],
)
def test_an_assertion_from_the_wrong_place_or_without_verification_is_refused(
    api: Api, passkey: SoftwareAuthenticator, knob: str, value: Any
) -> None:
    setattr(passkey, knob, value)
    _refused_like_a_wrong_password(api, passkey_sign_in(api, passkey))


def test_a_cloned_authenticator_is_refused(api: Api, passkey: SoftwareAuthenticator) -> None:
    # Given a copy of the passkey made before its last use (its count is behind the original's)
    twin = passkey.clone()
    assert passkey_sign_in(api, passkey).status == 200
    # When the copy signs in, its count not above the one the original last reported
    _refused_like_a_wrong_password(api, passkey_sign_in(api, twin))


def test_an_expired_challenge_is_refused(api: Api, passkey: SoftwareAuthenticator, clock: MovableClock) -> None:
    credential = passkey.get(sign_in_options(api))
    clock.advance(timedelta(minutes=5, seconds=1))
    _refused_like_a_wrong_password(api, api.post("/sessions/passkey", {"credential": credential}))


def test_an_unknown_passkey_and_a_disabled_account_are_refused(api: Api, passkey: SoftwareAuthenticator) -> None:
    stranger = SoftwareAuthenticator()
    stranger.user_handle = passkey.user_handle
    _refused_like_a_wrong_password(api, passkey_sign_in(api, stranger))
    assert staff({"action": "disable", "license_number": LICENSE})["ok"]
    _refused_like_a_wrong_password(api, passkey_sign_in(api, passkey))


@pytest.mark.usefixtures("serialized_dynamodb")
def test_five_uses_of_one_challenge_at_once_sign_in_once(
    api: Api, passkey: SoftwareAuthenticator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given five answers to one challenge (each a valid signature, counts 1..5), every write held
    # until all five have read and verified (when a read-then-write design would let all win)
    options = sign_in_options(api)
    credentials = [passkey.get(options) for _ in range(5)]
    hold_writes_until_both_read(monkeypatch, "start_passkey_session", parties=5)
    # When all five arrive at once, Then exactly one gets a session
    statuses = at_once(*(lambda c=c: api.post("/sessions/passkey", {"credential": c}) for c in credentials))
    assert statuses == [200, 401, 401, 401, 401]


def test_a_passkey_signs_in_while_the_password_is_locked_and_a_failed_one_counts_nothing(
    api: Api, passkey: SoftwareAuthenticator
) -> None:
    # Given a stranger who has locked the password
    for _ in range(6):
        assert _wrong_password(api).status == 401
    locked = _failures()
    assert api.post("/sessions", {"license_number": LICENSE, "password": PASSWORD}).status == 401
    # When the contractor signs in with the passkey, Then it gets in
    assert passkey_sign_in(api, passkey).status == 200
    # And a failed passkey sign-in counts nothing toward the password's lockout
    wrong = passkey.clone()
    wrong.origin = "https://evil.example"
    assert passkey_sign_in(api, wrong).status == 401
    assert _failures() == locked


def test_a_stranger_guessing_the_instant_each_lock_ends_never_keeps_the_passkey_out(
    api: Api, passkey: SoftwareAuthenticator, clock: MovableClock
) -> None:
    # Given a stranger who guesses 1 ms after every lock ends (the Stranger of
    # tests/unit/test_timed_stranger.py, over HTTP; from many addresses, so no per-address limit)
    api = Api(source_ip=None)
    signed_in = 0
    for _ in range(20):
        found = staff({"action": "get", "license_number": LICENSE})["contractor"]["lock"]
        if found["locked_until"]:
            clock.set(_parsed(found["locked_until"]) + timedelta(milliseconds=1))
        assert _wrong_password(api).status == 401
        # When the contractor signs in with the passkey meanwhile, Then it gets in every time
        assert passkey_sign_in(api, passkey).status == 200
        signed_in += 1
    assert signed_in == 20
    assert _failures() >= 15


def _parsed(moment: str) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


def test_no_user_verification_or_another_origin_is_no_new_passkey(api: Api, token: str) -> None:
    for knob, value in (("user_verified", False), ("origin", "https://evil.example"), ("rp_id", "evil.example")):
        authenticator = SoftwareAuthenticator()
        setattr(authenticator, knob, value)
        _, added = add_passkey(api, token, authenticator)
        assert (added.status, added.json["error"]) == (422, "passkey_rejected"), knob
    assert api.get("/me/passkeys", token=token).json == {"passkeys": []}


def test_a_registration_challenge_belongs_to_the_session_that_asked(api: Api, token: str) -> None:
    # Given the options one session asked for
    options = registration_options(api, token)
    other = api.post("/sessions", {"license_number": LICENSE, "password": PASSWORD}).json["session"]["token"]
    credential = SoftwareAuthenticator().create(options)
    # When another session of the account answers them, Then no passkey is added
    answer = api.post("/me/passkeys", {"credential": credential}, token=other)
    assert (answer.status, answer.json["error"]) == (422, "passkey_rejected")
    # And the session that asked can still use it, once
    assert api.post("/me/passkeys", {"credential": credential}, token=token).status == 201
    assert api.post("/me/passkeys", {"credential": credential}, token=token).status == 422


def test_a_wrong_current_password_is_refused_and_counted(api: Api, token: str) -> None:
    answer = api.post("/me/passkeys/options", {"current_password": WRONG_PASSWORD}, token=token)
    assert (answer.status, answer.json["error"]) == (401, "invalid_credentials")
    assert _failures() == 1
    registration_options(api, token)
    assert _failures() == 0


def test_an_account_has_at_most_ten_passkeys(api: Api, token: str) -> None:
    for _ in range(10):
        assert add_passkey(api, token)[1].status == 201
    answer = api.post("/me/passkeys/options", {"current_password": PASSWORD}, token=token)
    assert (answer.status, answer.json["error"]) == (409, "too_many_passkeys")
    assert _failures() == 0


def test_a_passkey_is_renamed_and_removed_and_another_accounts_is_not_found(
    api: Api, token: str, passkey: SoftwareAuthenticator
) -> None:
    renamed = api.request("PATCH", f"/me/passkeys/{passkey.id}", {"name": "Phone"}, token=token)
    assert (renamed.status, renamed.json["passkey"]["name"]) == (200, "Phone")
    other = api.post("/contractors", registration_body(license_number="7654321", email="o@builders.example"))
    stranger = str(other.json["session"]["token"])
    assert api.request("PATCH", f"/me/passkeys/{passkey.id}", {"name": "Mine"}, token=stranger).status == 404
    assert api.delete(f"/me/passkeys/{passkey.id}", token=stranger).status == 404
    assert api.delete("/me/passkeys/not-a-passkey", token=token).status == 404
    assert api.delete(f"/me/passkeys/{passkey.id}", token=token).status == 204
    assert api.get("/me/passkeys", token=token).json == {"passkeys": []}
    _refused_like_a_wrong_password(api, passkey_sign_in(api, passkey))


def test_signing_out_everywhere_leaves_the_passkeys(api: Api, token: str, passkey: SoftwareAuthenticator) -> None:
    assert api.delete("/me/sessions", token=token).status == 204
    assert passkey_sign_in(api, passkey).status == 200


def test_staff_see_the_passkeys_and_remove_them(api: Api, passkey: SoftwareAuthenticator) -> None:
    shown = staff({"action": "get", "license_number": LICENSE})["contractor"]["passkeys"]
    assert [(entry["name"], entry["last_used_at"]) for entry in shown] == [("My laptop", None)]
    assert set(shown[0]) == {"name", "created_at", "last_used_at", "synced"}
    assert staff({"action": "remove_passkeys", "license_number": LICENSE})["ok"]
    assert staff({"action": "get", "license_number": LICENSE})["contractor"]["passkeys"] == []
    _refused_like_a_wrong_password(api, passkey_sign_in(api, passkey))
    assert staff({"action": "remove_passkeys", "license_number": "7777777"})["error"] == "contractor_not_found"


def test_a_temporary_password_removes_every_passkey(api: Api, passkey: SoftwareAuthenticator) -> None:
    assert staff({"action": "issue_temporary_password", "license_number": LICENSE})["ok"]
    assert staff({"action": "get", "license_number": LICENSE})["contractor"]["passkeys"] == []
    _refused_like_a_wrong_password(api, passkey_sign_in(api, passkey))


def test_no_passkeys_are_offered_without_the_final_domain(
    api: Api, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contractor_accounts import runtime

    for rp_id in ("", "d1234abcd.cloudfront.net"):
        monkeypatch.setenv("PASSKEY_RP_ID", rp_id)
        runtime.settings.cache_clear()
        assert api.post("/sessions/passkey/options", {}).status == 404
        assert api.post("/me/passkeys/options", {"current_password": PASSWORD}, token=token).status == 404
    runtime.settings.cache_clear()
