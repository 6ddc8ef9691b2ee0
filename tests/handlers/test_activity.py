"""The account's activity and its notices through the real handlers under moto (contract v3,
"Notices and the account's activity"): every listed event is recorded in the request's own
write, GET /me/activity and staff ``get`` show them, NoticeFunction (fed by the table's stream,
as `make run` feeds it) emails a notice for each event that asks for one and never for a staff
action, and a failed notice changes nothing of the request or its answer."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.support.api import Answer, Api, deliver_stream, link_token, register_verified, sent_emails, staff
from tests.support.clock import MovableClock
from tests.support.environment import TABLE_NAME
from tests.support.samples import ANSWER, EMAIL, LICENSE, NEW_PASSWORD, PASSWORD, QUESTION

CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
)
BROWSER = {"User-Agent": CHROME_ANDROID}
OTHER_QUESTION = "In what city was your first job?"


def sign_in(api: Api, password: str = PASSWORD, device_token: str | None = None) -> Answer:
    body: dict[str, Any] = {"license_number": LICENSE, "password": password}
    if device_token:
        body["device_token"] = device_token
    return api.post("/sessions", body, headers=BROWSER)


def activity(api: Api, token: str) -> dict[str, Any]:
    answer = api.get("/me/activity", token=token, headers=BROWSER)
    assert answer.status == 200, answer.body
    return dict(answer.json)


def events(api: Api, token: str) -> list[str]:
    return [event["event"] for event in activity(api, token)["events"]]


def notices() -> list[dict[str, Any]]:
    """The notices sent (every email but the links)."""
    return [email for email in sent_emails() if "#token=" not in str(email["body"])]


def activity_items() -> list[dict[str, Any]]:
    items = boto3.client("dynamodb").query(
        TableName=TABLE_NAME,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :activity)",
        ExpressionAttributeValues={":pk": {"S": f"CONTRACTOR#{LICENSE}"}, ":activity": {"S": "ACTIVITY#"}},
    )["Items"]
    return list(items)


@pytest.fixture
def token(api: Api) -> str:
    """A registered contractor with a verified address, signed in from Chrome on Android."""
    created = register_verified(api)
    return str(created.json["session"]["token"])


def test_each_contractor_event_is_recorded_and_shown_newest_first_with_its_browser(
    api: Api, token: str, clock: MovableClock
) -> None:
    # Given a contractor who signs in (a new browser), then from the trusted device
    clock.advance(seconds=1)
    device = sign_in(api).json["device_token"]
    clock.advance(seconds=1)
    session = sign_in(api, device_token=device).json["session"]["token"]
    # When they change everything the contract lists, a second apart
    steps: list[tuple[str, str, dict[str, Any] | None]] = [
        ("PATCH", "/me", {"phone": "323-555-0199"}),
        ("PUT", "/me/email", {"email": "maria@new.example", "current_password": PASSWORD}),
        ("POST", "/email/verify", None),
        (
            "PUT",
            "/me/security-question",
            {"current_password": PASSWORD, "security_question": OTHER_QUESTION, "security_answer": "Fresno"},
        ),
        ("PUT", "/me/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}),
    ]
    for method, path, body in steps:
        clock.advance(seconds=1)
        if path == "/email/verify":
            body = {"token": link_token("verify-email.html", "maria@new.example")}
        answer = api.request(method, path, body, token=session, headers=BROWSER)
        assert answer.status in {200, 202, 204}, (path, answer.body)
        if path == "/me/password":
            session = answer.json["session"]["token"]
    clock.advance(seconds=1)
    shown = activity(api, session)
    # Then each is there, newest first, by the contractor, from its browser and address
    assert [event["event"] for event in shown["events"]][:7] == [
        "password_changed",
        "security_question_changed",
        "email_verified",
        "email_change_requested",
        "profile_updated",
        "signed_in",
        "signed_in",
    ]
    # (registering and opening the link were the same instant of the test's clock)
    assert {event["event"] for event in shown["events"][7:]} == {"email_verified", "registered"}
    latest = shown["events"][1]
    assert (latest["by"], latest["browser"], latest["ip"]) == ("contractor", "Chrome on Android", "198.51.100.7")
    assert shown["failed_sign_ins_since_last_success"] == 0
    # And the records keep no more than they need, and are kept 90 days
    for item in activity_items():
        assert set(item) <= {
            "pk", "sk", "item_type", "license_number", "event", "at", "user_agent", "ip", "notice", "notice_to",
            "expires_at_epoch",
        }  # fmt: skip
    # Signing out everywhere is the last thing a session records
    assert api.delete("/me/sessions", token=session, headers=BROWSER).status == 204
    clock.advance(seconds=1)
    again = sign_in(api, NEW_PASSWORD).json["session"]["token"]
    assert events(api, again)[:2] == ["signed_in", "signed_out_everywhere"]


def test_a_reset_and_a_first_sign_in_are_recorded(api: Api, token: str, clock: MovableClock) -> None:
    # A reset by link
    clock.advance(seconds=1)
    api.post("/password/forgot", {"license_number": LICENSE})
    reset = {"reset_token": link_token("reset-password.html", EMAIL), "security_answer": ANSWER}
    assert api.post("/password/reset", {**reset, "new_password": NEW_PASSWORD}, headers=BROWSER).status == 200
    assert "password_reset" in events(api, sign_in(api, NEW_PASSWORD).json["session"]["token"])
    # SAVE AND LOGIN after a temporary password from staff (a staff action, shown in the past tense)
    clock.advance(seconds=1)
    temporary = staff({"action": "issue_temporary_password", "license_number": LICENSE})["temporary_password"]
    clock.advance(seconds=1)
    challenge = sign_in(api, temporary).json["challenge_token"]
    done = api.post(
        "/password/reset",
        {
            "challenge_token": challenge,
            "new_password": PASSWORD,
            "security_question": QUESTION,
            "security_answer": ANSWER,
        },
        headers=BROWSER,
    )
    assert done.status == 200, done.body
    shown = events(api, done.json["session"]["token"])
    assert shown[:2] == ["first_password_set", "temporary_password_issued"]


def test_failures_are_not_recorded_but_counted_from_the_account(api: Api, token: str) -> None:
    for _ in range(3):
        assert sign_in(api, "not the passphrase at all").status == 401
    shown = activity(api, token)
    assert "signed_in" not in [event["event"] for event in shown["events"]]
    assert shown["failed_sign_ins_since_last_success"] == 3
    sign_in(api)
    assert activity(api, token)["failed_sign_ins_since_last_success"] == 0


def test_staff_get_shows_the_same_events_and_staff_actions_in_the_past_tense(
    api: Api, token: str, clock: MovableClock
) -> None:
    clock.advance(seconds=1)
    staff({"action": "unlock", "license_number": LICENSE})
    clock.advance(seconds=1)
    staff({"action": "update_contact", "license_number": LICENSE, "phone": "323-555-0111"})
    got = staff({"action": "get", "license_number": LICENSE})["contractor"]["activity"]
    mine = activity(api, token)
    assert got == mine
    assert [(event["event"], event["by"]) for event in got["events"][:2]] == [
        ("contact_updated", "staff"),
        ("unlocked", "staff"),
    ]
    # Staff actions are not recorded twice: their audit entries are their record
    assert {item["event"]["S"] for item in activity_items()} == {"registered", "email_verified"}


def test_the_activity_needs_a_live_session(api: Api, token: str) -> None:
    assert api.get("/me/activity").status == 401
    assert api.get("/me/activity", token="A" * 43).status == 401
    staff({"action": "disable", "license_number": LICENSE})
    assert api.get("/me/activity", token=token).status == 401


def test_a_notice_goes_for_each_listed_event_and_none_for_staff_actions(api: Api, token: str) -> None:
    # Given the notices of registration (none: registering sends the link only)
    assert notices() == []
    # When the contractor signs in from a new browser, then from the trusted device
    device = sign_in(api).json["device_token"]
    session = sign_in(api, device_token=device).json["session"]["token"]
    assert [email["subject"] for email in notices()] == ["City of West Hollywood: a sign-in from a new browser"]
    # And changes the question, the email, the password, and signs out everywhere
    body = {"current_password": PASSWORD, "security_question": OTHER_QUESTION, "security_answer": "Fresno"}
    api.request("PUT", "/me/security-question", body, token=session, headers=BROWSER)
    api.request("PUT", "/me/email", {"email": "maria@new.example", "current_password": PASSWORD}, token=session)
    new = api.request(
        "PUT", "/me/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}, token=session
    )
    api.delete("/me/sessions", token=new.json["session"]["token"])
    subjects = [email["subject"].split(": ", 1)[1] for email in notices()]
    assert subjects[1:] == [
        "your security question was changed",
        "a change of your email address was requested",
        "your permit portal password was changed",
        "your account was signed out everywhere",
    ]
    # Each to the verified address (the email change: the old one), naming the browser, no link
    for email in notices():
        assert email["to"] == [EMAIL]
        assert "Forgot Password" in str(email["body"])
        assert "http" not in str(email["body"]).split("<body", 1)[0]
        assert CHROME_ANDROID not in str(email["body"])
    assert "Browser: Chrome on Android" in str(notices()[0]["body"])
    # Then staff actions send none
    before = len(notices())
    for action in (
        {"action": "unlock"},
        {"action": "disable"},
        {"action": "enable"},
        {"action": "issue_temporary_password"},
    ):
        assert staff({**action, "license_number": LICENSE})["ok"]
    staff({"action": "update_contact", "license_number": LICENSE, "phone": "323-555-0111"})
    deliver_stream()
    assert len(notices()) == before


@contextmanager
def ses_refusing() -> Iterator[None]:
    from contractor_accounts import runtime

    refusal = ClientError({"Error": {"Code": "MessageRejected", "Message": "no"}}, "SendEmail")
    with mock.patch.object(runtime.sesv2(), "send_email", side_effect=refusal):
        yield


def test_a_failed_notice_changes_nothing_and_the_answer_is_the_same(api: Api, token: str) -> None:
    # Given SES refuses every send while the notice function runs
    api.deliver_queued = False
    answer = api.request(
        "PUT", "/me/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}, token=token
    )
    assert answer.status == 200
    assert set(answer.json) == {"session"}
    with ses_refusing():
        results = deliver_stream()
    # Then the notice function consumed the record (best effort: nothing to retry), nothing was sent
    assert results == [{"batchItemFailures": []}]
    assert notices() == []
    # And the change stands
    assert sign_in(api, NEW_PASSWORD).status == 200


def test_a_record_the_notice_function_cannot_read_is_reported_for_another_delivery(api: Api, token: str) -> None:
    from contractor_accounts import runtime

    api.deliver_queued = False
    api.delete("/me/sessions", token=token)
    refusal = ClientError({"Error": {"Code": "InternalServerError", "Message": "down"}}, "GetItem")
    with mock.patch.object(runtime.dynamodb(), "get_item", side_effect=refusal):
        (failed,) = deliver_stream()
    assert failed["batchItemFailures"][0]["itemIdentifier"]
    # Read again, it is sent
    assert deliver_stream() == [{"batchItemFailures": []}]
    assert [email["subject"] for email in notices()] == [
        "City of West Hollywood: your account was signed out everywhere"
    ]
