"""Forgot password through the handlers, with the email read back from moto's SES."""

import re
from typing import Any

import pytest
from botocore.exceptions import ClientError
from contractor_accounts import runtime

from tests.handlers.conftest import Api, MovableClock, register_verified, reset_emails, sent_emails, staff

NEW_PASSWORD = "a different passphrase now"


def reset_token_from_last_email() -> str:
    body = sent_emails()[-1]["body"]
    match = re.search(r"reset-password\.html#token=([A-Za-z0-9_-]{43})", body)
    assert match, body
    return match.group(1)


def forgot(api: Api, license_number: str = "1234567") -> Any:
    answer = api.post("/password/forgot", {"license_number": license_number})
    assert answer.status == 202
    return answer.json


def test_forgot_answers_the_same_for_everyone(api: Api) -> None:
    register_verified(api)
    staff({"action": "import_contractors", "contractors": [{"license_number": "5555555", "business_name": "No Mail"}]})
    real = forgot(api)
    unknown = forgot(api, "9999999")
    no_email = forgot(api, "5555555")
    assert real == unknown == no_email
    assert len(reset_emails()) == 1


def test_reset_story(api: Api) -> None:
    created = register_verified(api)
    session = created.json["session"]["token"]
    forgot(api)
    email = sent_emails()[-1]
    assert email["to"] == ["maria@sunsetbuilders.example"]
    assert "?token" not in email["body"]
    token = reset_token_from_last_email()
    question = api.post("/password/reset/question", {"reset_token": token})
    assert question.json == {"security_question": "What was the name of your first pet?"}
    done = api.post(
        "/password/reset", {"reset_token": token, "security_answer": "  bIScuit ", "new_password": NEW_PASSWORD}
    )
    assert done.status == 200, done.body
    assert api.get("/me", token=session).status == 401  # every session revoked
    assert api.post("/sessions", {"license_number": "1234567", "password": NEW_PASSWORD}).status == 200
    assert "password was changed" in sent_emails()[-1]["subject"]
    replay = api.post(
        "/password/reset", {"reset_token": token, "security_answer": "biscuit", "new_password": NEW_PASSWORD}
    )
    assert replay.status == 401
    assert replay.json["error"] == "invalid_or_expired_token"


def test_only_the_newest_link_works(api: Api) -> None:
    register_verified(api)
    forgot(api)
    first = reset_token_from_last_email()
    forgot(api)
    second = reset_token_from_last_email()
    assert api.post("/password/reset/question", {"reset_token": first}).status == 401
    assert api.post("/password/reset/question", {"reset_token": second}).status == 200


def test_link_expires_after_an_hour(api: Api, clock: MovableClock) -> None:
    register_verified(api)
    forgot(api)
    token = reset_token_from_last_email()
    clock.advance(minutes=60, seconds=1)
    assert api.post("/password/reset/question", {"reset_token": token}).status == 401


def test_five_wrong_answers_burn_the_link(api: Api) -> None:
    register_verified(api)
    forgot(api)
    token = reset_token_from_last_email()
    for _ in range(5):
        wrong = api.post(
            "/password/reset", {"reset_token": token, "security_answer": "Rex", "new_password": NEW_PASSWORD}
        )
        assert wrong.status == 401
        assert wrong.json["error"] == "incorrect_security_answer"
    right = api.post(
        "/password/reset", {"reset_token": token, "security_answer": "Biscuit", "new_password": NEW_PASSWORD}
    )
    assert right.status == 401
    assert right.json["error"] == "invalid_or_expired_token"


def test_at_most_five_emails_an_hour(api: Api, clock: MovableClock) -> None:
    register_verified(api)
    for _ in range(6):
        forgot(api)
        clock.advance(minutes=1)
    assert len(reset_emails()) == 5
    clock.advance(minutes=55)
    forgot(api)
    assert len(reset_emails()) == 6


def test_new_password_follows_the_policy(api: Api) -> None:
    register_verified(api)
    forgot(api)
    token = reset_token_from_last_email()
    weak = api.post(
        "/password/reset", {"reset_token": token, "security_answer": "Biscuit", "new_password": "1234567890123456"}
    )
    assert weak.status == 422
    assert "new_password" in weak.json["fields"]
    # The link still works after a refused password
    assert api.post("/password/reset/question", {"reset_token": token}).status == 200


def test_imported_account_without_question_sets_one(api: Api) -> None:
    staff(
        {
            "action": "import_contractors",
            "contractors": [{"license_number": "3333333", "business_name": "Q Co", "email": "q@q.example"}],
        }
    )
    forgot(api, "3333333")
    token = reset_token_from_last_email()
    assert api.post("/password/reset/question", {"reset_token": token}).json == {"security_question": None}
    missing = api.post(
        "/password/reset", {"reset_token": token, "security_answer": "abc", "new_password": NEW_PASSWORD}
    )
    assert missing.status == 422
    assert "security_question" in missing.json["fields"]
    done = api.post(
        "/password/reset",
        {
            "reset_token": token,
            "security_question": "In what city was your first job?",
            "security_answer": "Fresno",
            "new_password": NEW_PASSWORD,
        },
    )
    assert done.status == 200
    assert api.post("/sessions", {"license_number": "3333333", "password": NEW_PASSWORD}).status == 200


@pytest.mark.parametrize("code", ["Throttling", "MessageRejected"])
def test_ses_failure_changes_nothing_the_contractor_sees(api: Api, code: str) -> None:
    register_verified(api)
    forgot(api)
    working = reset_token_from_last_email()
    client = runtime.sesv2()

    def refuse(**_: Any) -> None:
        raise ClientError({"Error": {"Code": code, "Message": "injected"}}, "SendEmail")

    client.meta.events.register("before-call.sesv2.SendEmail", refuse)
    try:
        answer = forgot(api)
    finally:
        client.meta.events.unregister("before-call.sesv2.SendEmail", refuse)
    assert answer == forgot(api, "9999999")
    # The failed attempt left nothing behind: the earlier link still works
    assert api.post("/password/reset/question", {"reset_token": working}).status == 200


def test_forgot_requests_are_limited_per_caller_address(api: Api) -> None:
    for number in range(10):
        assert api.post("/password/forgot", {"license_number": f"100000{number}"}).status == 202
    limited = api.post("/password/forgot", {"license_number": "1234567"})
    assert limited.status == 429
    assert limited.json["error"] == "too_many_requests"
    assert api.post("/password/forgot", {"license_number": "1234567"}, source_ip="203.0.113.50").status == 202


def test_a_contractor_still_on_a_temporary_password_may_use_forgot_password(api: Api) -> None:
    # Given staff imported a contractor with an email and issued a temporary password
    staff(
        {
            "action": "import_contractors",
            "contractors": [{"license_number": "4444444", "business_name": "Temp Co", "email": "t@temp.example"}],
        }
    )
    temporary = staff({"action": "issue_temporary_password", "license_number": "4444444"})["temporary_password"]
    # When they use Forgot Password instead, choosing a question since they have none
    forgot(api, "4444444")
    token = reset_token_from_last_email()
    done = api.post(
        "/password/reset",
        {
            "reset_token": token,
            "security_question": "In what city was your first job?",
            "security_answer": "Fresno",
            "new_password": NEW_PASSWORD,
        },
    )
    # Then the new password signs them in directly and the temporary one is dead
    assert done.status == 200
    assert "session" in api.post("/sessions", {"license_number": "4444444", "password": NEW_PASSWORD}).json
    assert api.post("/sessions", {"license_number": "4444444", "password": temporary}).status == 401


def test_forgot_answers_after_the_same_floor_for_a_real_account_and_an_unknown_license(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contractor_accounts.api import Stopwatch

    # Given the deployed pacing (answers no sooner than the floor), on a stopwatch that
    # records instead of sleeping: the real account's work takes 40 ms, the unknown's 5 ms
    monkeypatch.setenv("FORGOT_MIN_ANSWER_MS", "600")
    runtime.settings.cache_clear()
    register_verified(api)
    readings: list[float] = []
    slept: list[float] = []
    monkeypatch.setattr(Stopwatch, "elapsed", staticmethod(lambda: readings.pop(0)))
    monkeypatch.setattr(Stopwatch, "sleep", staticmethod(slept.append))

    # When a real account (which is emailed) and an unknown license ask
    readings.extend([10.0, 10.040])
    assert forgot(api, "1234567")
    readings.extend([20.0, 20.005])
    assert forgot(api, "9999999")

    # Then each answer is held to the floor, whatever the work took
    assert len(reset_emails()) == 1
    assert slept == pytest.approx([0.560, 0.595])
    assert readings == []
