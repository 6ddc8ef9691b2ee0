"""The contractor's own account (/me, bearer) through the handlers: contact details and
workers' compensation, email change, password change, security question, signing out
everywhere; each audit-logged, a wrong current password counted like a sign-in."""

from typing import Any

import pytest

from tests.support.api import Answer, Api, link_token, register_verified, reset_emails, sent_emails, staff
from tests.support.clock import MovableClock
from tests.support.samples import EMAIL, LICENSE, NEW_PASSWORD, PASSWORD, registration_body


@pytest.fixture
def token(api: Api) -> str:
    """A registered contractor with a verified email, signed in."""
    return str(register_verified(api).json["session"]["token"])


def put(api: Api, path: str, body: Any, token: str | None) -> Answer:
    return api.request("PUT", path, body, token=token)


def audit_actions() -> list[str]:
    return [entry["action"] for entry in staff({"action": "get", "license_number": LICENSE})["contractor"]["audit"]]


def test_every_me_route_needs_a_live_session(api: Api) -> None:
    for method, path, body in [
        ("GET", "/me", None),
        ("PATCH", "/me", {"phone": "323-555-0199"}),
        ("PUT", "/me/email", {"email": "new@example.com", "current_password": PASSWORD}),
        ("POST", "/me/email/verification", None),
        ("PUT", "/me/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}),
        (
            "PUT",
            "/me/security-question",
            {
                "current_password": PASSWORD,
                "security_question": "In what city was your first job?",
                "security_answer": "Fresno",
            },
        ),
        ("DELETE", "/me/sessions", None),
    ]:
        answer = api.request(method, path, body, token="A" * 43)
        assert (answer.status, answer.json["error"]) == (401, "unauthorized"), (method, path)


def test_renewing_an_expired_policy_makes_it_valid(api: Api, token: str, clock: MovableClock) -> None:
    # Given a policy that has since expired
    clock.advance(days=600)
    clock_token = api.post("/sessions", {"license_number": LICENSE, "password": PASSWORD}).json["session"]["token"]
    assert api.get("/me", token=clock_token).json["workers_comp"]["status"] == "expired"
    # When the contractor enters the renewal
    renewal = {"carrier": "State Fund", "policy_number": "WC-654321", "expires_on": "2029-06-30"}
    answer = api.request("PATCH", "/me", {"workers_comp": renewal}, token=clock_token)
    # Then the dashboard answers with the new policy, valid again
    assert answer.status == 200, answer.body
    assert answer.json["workers_comp"] == {
        "exempt": False,
        "carrier": "State Fund",
        "policy_number": "WC-654321",
        "expires_on": "2029-06-30",
        "status": "valid",
    }
    assert api.get("/me", token=clock_token).json["workers_comp"]["status"] == "valid"
    assert "contact_updated" in audit_actions()


def test_patch_validates_like_registration(api: Api, token: str) -> None:
    answer = api.request(
        "PATCH",
        "/me",
        {
            "phone": "12",
            "workers_comp": {"carrier": "State Fund", "policy_number": "WC-1", "expires_on": "2020-01-01"},
        },
        token=token,
    )
    assert answer.status == 422
    assert "phone" in answer.json["fields"]
    expired = api.request(
        "PATCH",
        "/me",
        {"workers_comp": {"carrier": "State Fund", "policy_number": "WC-1", "expires_on": "2020-01-01"}},
        token=token,
    )
    assert expired.status == 422
    assert "workers_comp.expires_on" in expired.json["fields"]
    for refused in ({"business_name": "New Name"}, {"license_number": "7654321"}, {"email": "x@y.example"}, {}):
        answer = api.request("PATCH", "/me", refused, token=token)
        assert answer.status == 422, refused
    me = api.get("/me", token=token).json
    assert (me["phone"], me["business_name"]) == ("323-555-0100", "Sunset Builders Inc")


def test_contact_details_change(api: Api, token: str) -> None:
    address = {"street": "1 Main St", "city": "Los Angeles", "state": "ca", "postal_code": "90001"}
    answer = api.request(
        "PATCH", "/me", {"contact_name": "Ana Lopez", "phone": "323-555-0199", "mailing_address": address}, token=token
    )
    assert answer.status == 200
    assert (answer.json["contact_name"], answer.json["phone"]) == ("Ana Lopez", "323-555-0199")
    assert answer.json["mailing_address"] == {**address, "state": "CA"}
    assert api.get("/me", token=token).json["mailing_address"]["city"] == "Los Angeles"


def test_changing_the_email_takes_effect_when_the_new_address_confirms_it(api: Api, token: str) -> None:
    # When the contractor changes the email
    answer = put(api, "/me/email", {"email": "ana@newmail.example", "current_password": PASSWORD}, token)
    assert answer.status == 202
    # Then the old address stays until the link is used, and the new one waits
    me = api.get("/me", token=token).json
    assert (me["email"], me["email_verified"], me["pending_email"]) == (EMAIL, True, "ana@newmail.example")
    # And the old (verified) address got a notice without a link
    notice = [email for email in sent_emails() if email["to"] == [EMAIL]][-1]
    assert "#token=" not in notice["body"]
    assert "change" in notice["subject"]
    assert "ana@newmail.example" not in notice["body"]
    # When the link sent to the new address is opened
    link = link_token("verify-email.html", "ana@newmail.example")
    assert api.post("/email/verify", {"token": link}).json == {"email": "ana@newmail.example"}
    # Then the new address is the account's, verified, and reset links go there
    me = api.get("/me", token=token).json
    assert (me["email"], me["email_verified"], me["pending_email"]) == ("ana@newmail.example", True, None)
    api.post("/password/forgot", {"license_number": LICENSE})
    assert reset_emails()[-1]["to"] == ["ana@newmail.example"]
    assert {"email_change_requested", "email_changed"} <= set(audit_actions())


def test_a_pending_email_change_gets_no_reset_link(api: Api, token: str) -> None:
    put(api, "/me/email", {"email": "attacker@evil.example", "current_password": PASSWORD}, token)
    api.post("/password/forgot", {"license_number": LICENSE})
    assert [email["to"] for email in reset_emails()] == [[EMAIL]]


def test_a_wrong_current_password_is_refused_and_counts_toward_the_lockout(api: Api, token: str) -> None:
    bodies = [
        ("/me/email", {"email": "new@example.com", "current_password": "not my password at all"}),
        ("/me/password", {"current_password": "not my password at all", "new_password": NEW_PASSWORD}),
        (
            "/me/security-question",
            {
                "current_password": "not my password at all",
                "security_question": "In what city was your first job?",
                "security_answer": "Fresno",
            },
        ),
    ]
    for path, body in bodies:
        answer = put(api, path, body, token)
        assert (answer.status, answer.json["error"]) == (401, "invalid_credentials"), path
    lock = staff({"action": "get", "license_number": LICENSE})["contractor"]["lock"]
    assert lock["failed_sign_ins"] == 3
    # Nothing changed
    assert api.get("/me", token=token).json["pending_email"] is None
    assert api.post("/sessions", {"license_number": LICENSE, "password": PASSWORD}).status == 200


def test_five_wrong_current_passwords_lock_sign_in_as_five_wrong_sign_ins_would(api: Api, token: str) -> None:
    for _ in range(5):
        put(api, "/me/password", {"current_password": "not my password at all", "new_password": NEW_PASSWORD}, token)
    # Then even the right password is refused for now, at sign-in and on /me
    assert api.post("/sessions", {"license_number": LICENSE, "password": PASSWORD}).status == 401
    refused = put(api, "/me/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}, token)
    assert (refused.status, refused.json["error"]) == (401, "invalid_credentials")


def test_changing_the_password_signs_out_every_other_session(api: Api, token: str) -> None:
    # Given the contractor is signed in on a second browser, and asked for a reset link
    other = api.post("/sessions", {"license_number": LICENSE, "password": PASSWORD}).json["session"]["token"]
    api.post("/password/forgot", {"license_number": LICENSE})
    reset_link = link_token("reset-password.html")
    # When they change the password here
    answer = put(api, "/me/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}, token)
    # Then this browser continues with a new session token, with the same absolute expiry
    assert answer.status == 200, answer.body
    session = answer.json["session"]
    assert set(session) == {"token", "expires_at"}
    assert api.get("/me", token=session["token"]).status == 200
    # And the other browser, the old token and the reset link are dead
    assert api.get("/me", token=other).status == 401
    assert api.get("/me", token=token).status == 401
    assert api.post("/password/reset/question", {"reset_token": reset_link}).status == 401
    # And the new password works, the old does not
    assert api.post("/sessions", {"license_number": LICENSE, "password": NEW_PASSWORD}).status == 200
    assert api.post("/sessions", {"license_number": LICENSE, "password": PASSWORD}).status == 401
    # And the verified address is told (by the notice function, from the activity record)
    (notice,) = [email for email in sent_emails() if "password was changed" in email["subject"]]
    assert notice["to"] == [EMAIL]
    assert "password_changed" in audit_actions()


def test_the_new_password_follows_the_policy(api: Api, token: str) -> None:
    for new_password, why in [
        ("1234567890123456", "new_password"),
        (PASSWORD, "new_password"),
        ("my license 1234567 is here", "new_password"),
    ]:
        answer = put(api, "/me/password", {"current_password": PASSWORD, "new_password": new_password}, token)
        assert answer.status == 422, new_password
        assert why in answer.json["fields"]


def test_the_password_changed_notice_goes_only_to_a_verified_address(api: Api) -> None:
    token = api.post("/contractors", registration_body()).json["session"]["token"]
    before = len(sent_emails())
    answer = put(api, "/me/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}, token)
    assert answer.status == 200
    assert len(sent_emails()) == before


def test_changing_the_security_question(api: Api, token: str) -> None:
    body = {
        "current_password": PASSWORD,
        "security_question": "In what city was your first job?",
        "security_answer": "Fresno",
    }
    assert put(api, "/me/security-question", body, token).status == 204
    # The next reset link asks the new question
    api.post("/password/forgot", {"license_number": LICENSE})
    question = api.post("/password/reset/question", {"reset_token": link_token("reset-password.html")})
    assert question.json == {"security_question": "In what city was your first job?"}
    assert "security_question_changed" in audit_actions()
    refused = put(api, "/me/security-question", {**body, "security_question": "Who?"}, token)
    assert refused.status == 422


def test_signing_out_everywhere_ends_every_session(api: Api, token: str) -> None:
    other = api.post("/sessions", {"license_number": LICENSE, "password": PASSWORD}).json["session"]["token"]
    assert api.delete("/me/sessions", token=token).status == 204
    assert api.get("/me", token=token).status == 401
    assert api.get("/me", token=other).status == 401
    assert "signed_out_everywhere" in audit_actions()
    # Signing in again works
    assert api.post("/sessions", {"license_number": LICENSE, "password": PASSWORD}).status == 200


def test_a_right_current_password_takes_back_its_claim_but_a_resend_does_not(api: Api) -> None:
    # Given an unconfirmed email and two wrong current passwords
    token = api.post("/contractors", registration_body()).json["session"]["token"]
    for _ in range(2):
        put(api, "/me/email", {"email": "new@example.com", "current_password": "not my password at all"}, token)
    # When the link is sent again (no password): the failures stay
    assert api.post("/me/email/verification", token=token).status == 202
    assert staff({"action": "get", "license_number": LICENSE})["contractor"]["lock"]["failed_sign_ins"] == 2
    # When the right current password changes the email: the count is back to zero
    assert put(api, "/me/email", {"email": "new@example.com", "current_password": PASSWORD}, token).status == 202
    assert staff({"action": "get", "license_number": LICENSE})["contractor"]["lock"]["failed_sign_ins"] == 0


def test_signing_out_everywhere_ends_trusted_devices(api: Api, token: str) -> None:
    device = api.post("/sessions", {"license_number": LICENSE, "password": PASSWORD}).json["device_token"]
    assert staff({"action": "get", "license_number": LICENSE})["contractor"]["trusted_devices"]
    api.delete("/me/sessions", token=token)
    assert staff({"action": "get", "license_number": LICENSE})["contractor"]["trusted_devices"] == []
    assert device
