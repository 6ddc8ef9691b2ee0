"""Races, AWS faults and equal-cost sign-in.

DynamoDB serializes conflicting writes to one item; moto does not lock, so these tests
serialize moto's request handling the same way and let every request do its reads first
(a barrier), which is exactly when a read-then-write design would let both win."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from contractor_accounts import runtime

from tests.support.api import Api, register_verified, sent_emails, staff
from tests.support.races import at_once, hold_writes_until_both_read
from tests.support.samples import ANSWER, PASSWORD, registration_body


@pytest.mark.usefixtures("serialized_dynamodb")
def test_concurrent_registrations_give_exactly_one_account(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given two browsers registering the same license, both past their checks
    hold_writes_until_both_read(monkeypatch, "create_contractor")
    # When both write
    statuses = at_once(
        lambda: api.post("/contractors", registration_body()), lambda: api.post("/contractors", registration_body())
    )
    # Then one account, one "already registered"
    assert statuses == [201, 409]


@pytest.mark.usefixtures("serialized_dynamodb")
def test_a_reset_link_used_twice_at_once_works_once(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    register_verified(api)
    api.post("/password/forgot", {"license_number": "1234567"})
    token = sent_emails()[-1]["body"].split("#token=")[1][:43]
    hold_writes_until_both_read(monkeypatch, "change_password")
    body = {"reset_token": token, "security_answer": ANSWER}
    statuses = at_once(
        lambda: api.post("/password/reset", {**body, "new_password": "first new passphrase here"}),
        lambda: api.post("/password/reset", {**body, "new_password": "second new passphrase here"}),
    )
    assert statuses == [200, 401]


@pytest.mark.usefixtures("serialized_dynamodb")
def test_concurrent_failed_sign_ins_are_counted_up_to_the_lock_and_no_further(api: Api) -> None:
    api.post("/contractors", registration_body())
    attempts = [
        (lambda: api.post("/sessions", {"license_number": "1234567", "password": "wrong wrong wrong wrong"}))
        for _ in range(8)
    ]
    assert at_once(*attempts) == [401] * 8
    # No lost update, and the 6th to 8th came during the lock: refused, not counted (contract v2)
    assert staff({"action": "get", "license_number": "1234567"})["contractor"]["lock"]["failed_sign_ins"] == 5


@pytest.fixture
def dynamodb_throttled() -> Iterator[Callable[[str], None]]:
    client = runtime.dynamodb()
    registered: list[tuple[str, Callable[..., None]]] = []

    def throttle(operation: str) -> None:
        def refuse(**_: Any) -> None:
            raise ClientError(
                {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "injected"}}, operation
            )

        event = f"before-call.dynamodb.{operation}"
        client.meta.events.register(event, refuse)
        registered.append((event, refuse))

    yield throttle
    for event, handler in registered:
        client.meta.events.unregister(event, handler)


def test_throttled_dynamodb_answers_503_and_writes_nothing(api: Api, dynamodb_throttled: Callable[[str], None]) -> None:
    # Given DynamoDB refuses writes
    dynamodb_throttled("TransactWriteItems")
    # When a contractor registers
    answer = api.post("/contractors", registration_body())
    # Then a clean, retryable answer
    assert answer.status == 503
    assert answer.json["error"] == "service_unavailable"
    assert answer.headers["Cache-Control"] == "no-store"
    assert "Retry-After" in answer.headers
    # And no half-written account
    assert staff({"action": "get", "license_number": "1234567"})["error"] == "contractor_not_found"


def test_throttled_reads_fail_closed(api: Api, dynamodb_throttled: Callable[[str], None]) -> None:
    token = api.post("/contractors", registration_body()).json["session"]["token"]
    dynamodb_throttled("GetItem")
    assert api.get("/me", token=token).status == 503
    dynamodb_throttled("UpdateItem")
    assert api.post("/sessions", {"license_number": "1234567", "password": PASSWORD}).status == 503


def test_sign_in_costs_one_verification_whether_or_not_the_account_exists(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    import argon2

    # Given a registered account, and argon2's verifications counted
    api.post("/contractors", registration_body())
    verified: list[str] = []
    original = argon2.PasswordHasher.verify

    def counting(self: argon2.PasswordHasher, hash: str | bytes, password: str | bytes) -> bool:
        verified.append(str(hash))
        return bool(original(self, hash, password))

    monkeypatch.setattr(argon2.PasswordHasher, "verify", counting)

    # When a wrong password is tried on the known license and on an unknown one
    for license_number in ("1234567", "7777777"):
        assert api.post("/sessions", {"license_number": license_number, "password": "wrong wrong wrong"}).status == 401

    # Then each cost exactly one argon2id verification at the contract's parameters
    # (their time is the bench's business: docs/PERFORMANCE.md)
    assert len(verified) == 2
    assert all(stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$") for stored in verified)


@pytest.mark.usefixtures("serialized_dynamodb")
def test_concurrent_new_sign_ins_never_take_the_account_past_ten_devices(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an account with 10 live trusted devices
    api.post("/contractors", registration_body())
    sign_in = {"license_number": "1234567", "password": PASSWORD}
    for _ in range(10):
        assert api.post("/sessions", sign_in).status == 200
    assert len(staff({"action": "get", "license_number": "1234567"})["contractor"]["trusted_devices"]) == 10
    # When 4 new browsers sign in at once, each having read the same 10 devices
    hold_writes_until_both_read(monkeypatch, "start_session", parties=4, first_only=True)
    statuses = at_once(*[lambda: api.post("/sessions", sign_in) for _ in range(4)])
    # Then every one gets in (a lost race reads the map again), and the cap holds
    assert statuses == [200] * 4
    assert len(staff({"action": "get", "license_number": "1234567"})["contractor"]["trusted_devices"]) == 10
