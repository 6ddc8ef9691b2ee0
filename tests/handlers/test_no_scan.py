"""No path scans the table: every route, every staff action and the reminder job, once each,
with a Scan refused (the autouse ``no_scan`` fixture does so for every handler test)."""

import boto3
import pytest

from tests.support.api import Api, invoke, link_token, register_verified, staff
from tests.support.aws_calls import ScanCalled
from tests.support.environment import TABLE_NAME
from tests.support.samples import PASSWORD, registration_body


def test_the_guard_fails_a_scan(aws: None) -> None:
    # Guards the guard: a scan from any client is refused
    with pytest.raises(ScanCalled):
        boto3.client("dynamodb").scan(TableName=TABLE_NAME)


def test_no_route_staff_action_or_job_scans(api: Api, no_scan: list[str]) -> None:
    # Every route of the template...
    api.get("/security-questions")
    token = register_verified(api).json["session"]["token"]
    api.post("/sessions", {"license_number": "1234567", "password": PASSWORD})
    api.get("/me", token=token)
    api.request("PATCH", "/me", {"phone": "323-555-0199"}, token=token)
    api.request("PUT", "/me/email", {"email": "new@example.com", "current_password": PASSWORD}, token=token)
    api.post("/me/email/verification", token=token)
    api.post("/email/verify", {"token": link_token("verify-email.html", "new@example.com")})
    api.request(
        "PUT",
        "/me/security-question",
        {
            "current_password": PASSWORD,
            "security_question": "In what city was your first job?",
            "security_answer": "Fresno",
        },
        token=token,
    )
    api.post("/password/forgot", {"license_number": "1234567"})
    reset = link_token("reset-password.html")
    api.post("/password/reset/question", {"reset_token": reset})
    api.post(
        "/password/reset", {"reset_token": reset, "security_answer": "Fresno", "new_password": "another passphrase now"}
    )
    token = api.post("/sessions", {"license_number": "1234567", "password": "another passphrase now"}).json["session"][
        "token"
    ]
    token = api.request(
        "PUT", "/me/password", {"current_password": "another passphrase now", "new_password": PASSWORD}, token=token
    ).json["session"]["token"]
    api.delete("/me/sessions", token=token)
    token = api.post("/sessions", {"license_number": "1234567", "password": PASSWORD}).json["session"]["token"]
    api.delete("/sessions/current", token=token)
    # ...every staff action...
    staff({"action": "import_contractors", "contractors": [{"license_number": "7654321", "business_name": "B"}]})
    temporary = staff({"action": "issue_temporary_password", "license_number": "7654321"})["temporary_password"]
    challenge = api.post("/sessions", {"license_number": "7654321", "password": temporary}).json["challenge_token"]
    api.post(
        "/password/reset",
        {
            "challenge_token": challenge,
            "new_password": "a first own passphrase",
            "security_question": "In what city was your first job?",
            "security_answer": "Fresno",
        },
    )
    for action in ("unlock", "disable", "enable", "get", "approve"):
        staff({"action": action, "license_number": "7654321"})
    staff({"action": "update_contact", "license_number": "7654321", "email": "b@example.com"})
    due_today = {"carrier": "State Fund", "policy_number": "WC-1", "expires_on": "2026-11-26"}
    register_verified(api, registration_body(license_number="5555555", email="e@example.com", workers_comp=due_today))
    # ...and the reminder job (with a reminder to send)
    assert invoke("ReminderFunction", {})["sent"] == 1
    # Then no Scan, and the job read the expiry index with a Query
    assert "Scan" not in no_scan
    assert "Query" in no_scan
    assert {"GetItem", "UpdateItem", "TransactWriteItems", "PutItem"} <= set(no_scan)
