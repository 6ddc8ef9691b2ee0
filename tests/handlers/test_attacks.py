"""Attacks on sign-in and recovery, through the handlers (issue 9, contract v2).

License numbers are public, so a stranger can aim at any account. These tests are the
attacks themselves: a stranger trying to keep a contractor locked out for ever, a stranger
hammering a license while the contractor signs in from a trusted browser, bursts of
concurrent guesses timed to buy extra judged attempts, and old reset links after staff
stepped in. Time moves on the injected clock; concurrency uses the reliability tests'
technique (moto serialized, every request past its reads before any of them writes)."""

import threading
from collections.abc import Callable
from typing import Any

import argon2
import pytest
from contractor_accounts.adapters.argon2_hasher import _DUMMY_HASH
from contractor_accounts.domain.policy import LOCKOUT_CAP, LOCKOUT_THRESHOLD, lockout_delay

from tests.support.api import (
    Answer,
    Api,
    register_verified,
    reset_emails,
    reset_token_from_last_email,
    sent_emails,
    staff,
)
from tests.support.clock import MovableClock
from tests.support.samples import ANSWER, LICENSE, NEW_PASSWORD, PASSWORD, registration_body

STRANGER_IP = "203.0.113.66"
CONTRACTOR_IP = "198.51.100.7"


def sign_in(api: Api, password: str = PASSWORD, device_token: str | None = None, ip: str = CONTRACTOR_IP) -> Answer:
    body: dict[str, Any] = {"license_number": LICENSE, "password": password}
    if device_token is not None:
        body["device_token"] = device_token
    return api.post("/sessions", body, source_ip=ip)


def stranger_guesses(api: Api, times: int = 1) -> None:
    for _ in range(times):
        assert sign_in(api, "a guess from a stranger", ip=STRANGER_IP).status == 401


def register(api: Api) -> None:
    """A contractor whose email is confirmed (reset links go only to a confirmed address)."""
    register_verified(api)


def lock_window_seconds() -> list[float]:
    """The lock after each counted failure from the 5th until the cap, as the contract states it."""
    windows = []
    failures = LOCKOUT_THRESHOLD
    while (delay := lockout_delay(failures)) < LOCKOUT_CAP:
        windows.append(delay.total_seconds())
        failures += 1
    return [*windows, LOCKOUT_CAP.total_seconds()]


# The perpetual lockout (contract v2: attempts during a lock are not counted and do not extend it).


def every_14_minutes_a_guess_then_the_contractor(
    api: Api, clock: MovableClock, rounds: int, password: str
) -> list[int]:
    """The stranger guesses every 14 minutes; a minute after each guess (15 minutes, the longest
    lock, after the guess before) the contractor signs in. The statuses the contractor got."""
    admitted = []
    for _ in range(rounds):
        clock.advance(minutes=14)
        stranger_guesses(api)
        clock.advance(minutes=1)
        admitted.append(sign_in(api, password).status)
        clock.advance(minutes=-1)
    return admitted


def test_a_stranger_guessing_every_14_minutes_never_keeps_the_contractor_out(api: Api, clock: MovableClock) -> None:
    register(api)
    # Given a stranger with the public license number: 20 bad sign-ins at once
    stranger_guesses(api, 20)
    # When for three hours the stranger guesses again every 14 minutes, and the contractor
    # signs in a minute after each guess (15 minutes, the longest lock, after the guess before)
    admitted = every_14_minutes_a_guess_then_the_contractor(api, clock, rounds=13, password=PASSWORD)
    # Then the right password got in every time
    assert admitted == [200] * 13


def test_after_a_password_reset_the_stranger_still_cannot_keep_the_contractor_out(
    api: Api, clock: MovableClock
) -> None:
    register(api)
    stranger_guesses(api, 20)
    # Given the contractor reset the password while the stranger was at it
    api.post("/password/forgot", {"license_number": LICENSE})
    reset = api.post(
        "/password/reset",
        {"reset_token": reset_token_from_last_email(), "security_answer": ANSWER, "new_password": NEW_PASSWORD},
    )
    assert reset.status == 200
    # When the stranger keeps at it: 20 more at once (once the sliding per-address window has let
    # go of the first 20), then one every 14 minutes
    clock.advance(minutes=2)
    stranger_guesses(api, 20)
    admitted = every_14_minutes_a_guess_then_the_contractor(api, clock, rounds=6, password=NEW_PASSWORD)
    # Then the new password gets in every time
    assert admitted == [200] * 6


def test_at_the_longest_lock_a_refused_guess_does_not_extend_it(api: Api, clock: MovableClock) -> None:
    register(api)
    # Given a stranger who waited out every lock until it reached its cap (15 minutes)
    stranger_guesses(api, LOCKOUT_THRESHOLD - 1)
    for window in lock_window_seconds():
        stranger_guesses(api)
        clock.advance(seconds=window)
    clock.advance(seconds=-LOCKOUT_CAP.total_seconds())
    # When the stranger guesses again inside the lock, one minute before it ends
    clock.advance(seconds=LOCKOUT_CAP.total_seconds() - 60)
    stranger_guesses(api)
    # Then the refused guess neither counted nor moved the lock: it ends on time
    locked = staff({"action": "get", "license_number": LICENSE})["contractor"]["lock"]
    assert locked["failed_sign_ins"] == len(lock_window_seconds()) + LOCKOUT_THRESHOLD - 1
    clock.advance(seconds=59)
    assert sign_in(api).status == 401  # still inside the lock: refused, looking like a wrong password
    clock.advance(seconds=1)
    assert sign_in(api).status == 200


# Trusted devices (OWASP device cookies).


def test_the_contractors_own_browser_gets_in_while_a_stranger_hammers(api: Api, clock: MovableClock) -> None:
    register(api)
    # Given the contractor signed in once from this browser, which keeps the device token
    device_token = sign_in(api).json["device_token"]
    # When a stranger hammers the license for a quarter of an hour
    for _ in range(15):
        stranger_guesses(api, 6)
        clock.advance(minutes=1)
        # Then the contractor's browser gets in each minute, with the same device token
        signed_in = sign_in(api, device_token=device_token)
        assert signed_in.status == 200
        assert signed_in.json["device_token"] == device_token
    # And a browser without the token is held by the account's lock
    assert sign_in(api).status == 401


def test_a_device_token_speaks_only_for_its_own_account(api: Api, clock: MovableClock) -> None:
    register(api)
    api.post("/contractors", registration_body(license_number="2222222", email="other@example.com"))
    other_device = api.post("/sessions", {"license_number": "2222222", "password": PASSWORD}).json["device_token"]
    stranger_guesses(api, 5)
    # A device token of another account does not get around this account's lock
    refused = sign_in(api, device_token=other_device)
    assert refused.status == 401
    assert refused.json["error"] == "invalid_credentials"


# Concurrency: the attempt is recorded before it is judged.


@pytest.fixture
def judged_passwords(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], list[str]]:
    """Holds every request at its password verification until ``parties`` requests are there
    (each has read all it reads by then), and records which hashes were verified."""
    verified: list[str] = []
    original = argon2.PasswordHasher.verify

    def arm(parties: int) -> list[str]:
        barrier = threading.Barrier(parties, timeout=20)

        def held(self: argon2.PasswordHasher, hash: str | bytes, password: str | bytes) -> bool:
            verified.append(str(hash))
            barrier.wait()
            return bool(original(self, hash, password))

        monkeypatch.setattr(argon2.PasswordHasher, "verify", held)
        return verified

    return arm


def at_once(*requests: Callable[[], Answer]) -> list[Answer]:
    answers: list[Answer] = []
    threads = [threading.Thread(target=lambda r=request: answers.append(r())) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


@pytest.mark.usefixtures("serialized_dynamodb")
def test_right_after_a_lock_ends_ten_concurrent_guesses_get_one_judgement(
    api: Api, clock: MovableClock, judged_passwords: Callable[[int], list[str]]
) -> None:
    register(api)
    # Given a lock that has just ended (5 failures, 1 second)
    stranger_guesses(api, LOCKOUT_THRESHOLD)
    clock.advance(seconds=lockout_delay(LOCKOUT_THRESHOLD).total_seconds())
    # When 10 attempts arrive at once, 9 wrong and 1 right, all read before any writes
    verified = judged_passwords(10)
    attempts = [lambda n=n: sign_in(api, f"wrong guess number {n}", ip=STRANGER_IP) for n in range(9)]
    answers = at_once(*attempts, lambda: sign_in(api))
    # Then each cost one verification, but only one was judged against the real password
    assert len(verified) == 10
    judged = [stored for stored in verified if stored != _DUMMY_HASH]
    assert len(judged) == 1
    assert sorted(answer.status for answer in answers) in ([200] + [401] * 9, [401] * 10)


@pytest.mark.usefixtures("serialized_dynamodb")
def test_twelve_concurrent_answers_on_one_link_get_five_judgements_and_hide_the_right_one(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contractor_accounts import runtime

    register(api)
    api.post("/password/forgot", {"license_number": LICENSE})
    token = reset_token_from_last_email()
    # Given 12 answers on one link, each past its reads (the link and the account) before any writes,
    # the right one going last
    store = runtime.store()
    read_account = store.get_contractor
    everyone_read = threading.Barrier(12, timeout=20)
    wrong_ones_done = threading.Event()
    right_thread: list[threading.Thread] = []

    def after_everyone_read(license_number: str) -> Any:
        contractor = read_account(license_number)
        everyone_read.wait()
        if threading.current_thread() in right_thread:
            wrong_ones_done.wait(timeout=20)
        return contractor

    monkeypatch.setattr(store, "get_contractor", after_everyone_read)
    judged: list[str] = []
    verify_answer = runtime.hasher().verify_answer

    def counting(stored_hash: str | None, answer: str) -> bool:
        judged.append(answer)
        return verify_answer(stored_hash, answer)

    monkeypatch.setattr(runtime.hasher(), "verify_answer", counting)

    def answer_with(answer: str) -> Answer:
        return api.post(
            "/password/reset", {"reset_token": token, "security_answer": answer, "new_password": NEW_PASSWORD}
        )

    wrong: list[Answer] = []
    right: list[Answer] = []
    wrong_threads = [
        threading.Thread(target=lambda n=n: wrong.append(answer_with(f"Rex the {n}th"))) for n in range(11)
    ]
    right_thread.append(threading.Thread(target=lambda: right.append(answer_with(ANSWER))))
    for thread in [*wrong_threads, *right_thread]:
        thread.start()
    for thread in wrong_threads:
        thread.join(timeout=60)
    wrong_ones_done.set()
    right_thread[0].join(timeout=60)

    # Then at most five answers were judged
    assert len(judged) <= 5
    # And the right answer, refused, looks exactly like the wrong ones refused after the fifth
    assert right[0].status == 401
    assert (right[0].status, right[0].body) in {(answer.status, answer.body) for answer in wrong}
    # And the password did not change
    assert sign_in(api).status == 200


def test_after_five_wrong_answers_the_right_one_gets_the_same_answer_as_a_sixth_wrong_one(api: Api) -> None:
    register(api)
    api.post("/password/forgot", {"license_number": LICENSE})
    token = reset_token_from_last_email()
    body = {"reset_token": token, "new_password": NEW_PASSWORD}
    for _ in range(5):
        assert api.post("/password/reset", {**body, "security_answer": "Rex"}).status == 401
    sixth_wrong = api.post("/password/reset", {**body, "security_answer": "Rex"})
    right = api.post("/password/reset", {**body, "security_answer": ANSWER})
    assert (right.status, right.body) == (sixth_wrong.status, sixth_wrong.body)


# Reset links die when staff step in (contract v2).


def test_a_temporary_password_kills_the_old_reset_link_and_keeps_working(api: Api) -> None:
    register(api)
    api.post("/password/forgot", {"license_number": LICENSE})
    old_link = reset_token_from_last_email()
    # Given staff issue a temporary password after the link was sent
    temporary = staff({"action": "issue_temporary_password", "license_number": LICENSE})["temporary_password"]
    # When someone uses the old link
    question = api.post("/password/reset/question", {"reset_token": old_link})
    used = api.post(
        "/password/reset", {"reset_token": old_link, "security_answer": ANSWER, "new_password": NEW_PASSWORD}
    )
    # Then the link refuses, and the temporary password still works
    assert (question.status, question.json["error"]) == (401, "invalid_or_expired_token")
    assert (used.status, used.json["error"]) == (401, "invalid_or_expired_token")
    assert sign_in(api, temporary).json["challenge"] == "NEW_PASSWORD_REQUIRED"
    assert sign_in(api, NEW_PASSWORD).status == 401


def test_a_disable_kills_the_old_reset_link_even_after_enable(api: Api) -> None:
    register(api)
    api.post("/password/forgot", {"license_number": LICENSE})
    old_link = reset_token_from_last_email()
    staff({"action": "disable", "license_number": LICENSE})
    staff({"action": "enable", "license_number": LICENSE})
    used = api.post(
        "/password/reset", {"reset_token": old_link, "security_answer": ANSWER, "new_password": NEW_PASSWORD}
    )
    assert (used.status, used.json["error"]) == (401, "invalid_or_expired_token")
    assert sign_in(api).status == 200
    assert len(reset_emails()) == 1
    assert "password was changed" not in sent_emails()[-1]["subject"]  # nothing changed


# Round trips: the attempt is claimed in the write that also reads the account.


@pytest.fixture
def dynamodb_calls(api: Api) -> list[str]:
    from contractor_accounts import runtime

    calls: list[str] = []

    def record(model: Any, **_: Any) -> None:
        calls.append(model.name)

    runtime.dynamodb().meta.events.register("before-call.dynamodb", record)
    return calls


def test_each_sign_in_outcome_makes_the_fewest_dynamodb_round_trips(
    api: Api, clock: MovableClock, dynamodb_calls: list[str]
) -> None:
    # The request's own calls: the notice function (the stream, after the answer) is not counted
    api.deliver_queued = False
    api.post("/contractors", registration_body(license_number="2222222", email="other@example.com"))
    register(api)
    device_token = sign_in(api).json["device_token"]
    outcomes: dict[str, list[str]] = {}

    def measured(outcome: str, request: Callable[[], Answer], status: int) -> None:
        dynamodb_calls.clear()
        assert request().status == status
        outcomes[outcome] = list(dynamodb_calls)

    counter = "UpdateItem"  # the per-address counter (another issue may fold it away)
    claim = "UpdateItem"  # counts the attempt and returns the account: no GetItem before it
    measured("success", lambda: sign_in(api), 200)
    measured("success through a trusted device", lambda: sign_in(api, device_token=device_token), 200)
    measured("wrong password", lambda: sign_in(api, "not the passphrase at all"), 401)
    measured("wrong password through a trusted device", lambda: sign_in(api, "nope", device_token=device_token), 401)
    stranger_guesses(api, 5)
    measured("locked", lambda: sign_in(api), 401)
    measured("unknown license", lambda: api.post("/sessions", {"license_number": "7777777", "password": "x"}), 401)
    staff({"action": "disable", "license_number": "2222222"})
    measured("disabled", lambda: api.post("/sessions", {"license_number": "2222222", "password": PASSWORD}), 401)
    assert outcomes == {
        "success": [counter, claim, "TransactWriteItems"],
        "success through a trusted device": [counter, claim, "TransactWriteItems"],
        "wrong password": [counter, claim],
        "wrong password through a trusted device": [counter, claim],
        "locked": [counter, claim],
        "unknown license": [counter, claim],
        "disabled": [counter, claim],
    }
