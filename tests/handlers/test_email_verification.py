"""Email verification through the handlers (checklist 30): the link at registration and on an
email change, POST /email/verify, the resend and its limit, and forgot-password only to a
verified address."""

import pytest

from tests.support.api import Api, link_token, register_verified, reset_emails, sent_emails, staff
from tests.support.clock import MovableClock
from tests.support.samples import EMAIL, PASSWORD, registration_body


def register(api: Api) -> str:
    created = api.post("/contractors", registration_body())
    assert created.status == 201, created.body
    return str(created.json["session"]["token"])


def test_registration_emails_a_link_with_only_the_citys_words(api: Api) -> None:
    # Given a new registration_body
    token = register(api)
    # Then the dashboard shows the email as not yet verified
    me = api.get("/me", token=token).json
    assert (me["email"], me["email_verified"], me["pending_email"]) == (EMAIL, False, None)
    # And the email sent to it holds the link in the fragment, and nothing the requester typed
    (email,) = sent_emails()
    assert email["to"] == [EMAIL]
    body = email["body"]
    assert "verify-email.html#token=" in body
    assert "?token" not in body
    for typed in ("Maria Lopez", "Sunset Builders", "1234567", "8300 Santa Monica", "WC-123456"):
        assert typed not in body
        assert typed not in email["subject"]


def test_the_link_verifies_the_address_once(api: Api) -> None:
    token = register(api)
    link = link_token("verify-email.html")
    # When the link is opened
    verified = api.post("/email/verify", {"token": link})
    # Then the address is verified
    assert verified.status == 200
    assert verified.json == {"email": EMAIL}
    assert api.get("/me", token=token).json["email_verified"] is True
    # And the link works once
    again = api.post("/email/verify", {"token": link})
    assert again.status == 401
    assert again.json["error"] == "invalid_or_expired_token"


def test_the_link_expires_after_24_hours(api: Api, clock: MovableClock) -> None:
    register(api)
    link = link_token("verify-email.html")
    clock.advance(hours=24, seconds=1)
    assert api.post("/email/verify", {"token": link}).status == 401


@pytest.mark.parametrize("token", ["", "not-a-token", "A" * 43])
def test_a_bad_token_is_refused_the_same_way(api: Api, token: str) -> None:
    answer = api.post("/email/verify", {"token": token})
    assert answer.status in {401, 422}
    if answer.status == 401:
        assert answer.json["error"] == "invalid_or_expired_token"


def test_only_the_newest_link_works_and_resends_are_limited_to_five_an_hour(api: Api, clock: MovableClock) -> None:
    token = register(api)
    first = link_token("verify-email.html")
    # When the contractor asks for the link again (registration sent 1 of the 5 of this hour)
    for _ in range(4):
        clock.advance(minutes=1)
        assert api.post("/me/email/verification", token=token).status == 202
    newest = link_token("verify-email.html")
    # Then a sixth in the hour is refused, and says why
    limited = api.post("/me/email/verification", token=token)
    assert limited.status == 429
    assert limited.json["error"] == "too_many_requests"
    assert len(sent_emails()) == 5
    # And only the newest link works
    assert api.post("/email/verify", {"token": first}).status == 401
    assert api.post("/email/verify", {"token": newest}).status == 200
    # And once verified there is nothing to send
    nothing = api.post("/me/email/verification", token=token)
    assert (nothing.status, nothing.json["error"]) == (409, "nothing_to_verify")


def test_resend_needs_a_session(api: Api) -> None:
    assert api.post("/me/email/verification").status == 401


def test_forgot_password_sends_nothing_to_an_unverified_email_and_answers_the_same(api: Api) -> None:
    # Given a contractor whose email is not verified, and one whose email is
    register(api)
    register_verified(api, registration_body(license_number="7777777", email="v@verified.example"))
    # When both ask for a reset link
    unverified = api.post("/password/forgot", {"license_number": "1234567"})
    verified = api.post("/password/forgot", {"license_number": "7777777"})
    # Then the answers are the same
    assert (unverified.status, unverified.json) == (verified.status, verified.json)
    # And only the verified address got a link
    assert [email["to"] for email in reset_emails()] == [["v@verified.example"]]


def test_an_imported_email_counts_as_verified(api: Api) -> None:
    staff(
        {
            "action": "import_contractors",
            "contractors": [{"license_number": "3333333", "business_name": "Q Co", "email": "q@q.example"}],
        }
    )
    assert staff({"action": "get", "license_number": "3333333"})["contractor"]["email_verified"] is True
    api.post("/password/forgot", {"license_number": "3333333"})
    assert [email["to"] for email in reset_emails()] == [["q@q.example"]]


def test_a_password_change_ends_an_outstanding_link(api: Api) -> None:
    token = register(api)
    link = link_token("verify-email.html")
    changed = api.request(
        "PUT",
        "/me/password",
        {"current_password": PASSWORD, "new_password": "a brand new passphrase here"},
        token=token,
    )
    assert changed.status == 200
    assert api.post("/email/verify", {"token": link}).status == 401
