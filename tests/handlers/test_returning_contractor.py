"""The returning contractor's story through the handlers: staff import, temporary password,
NEW_PASSWORD_REQUIRED, SAVE AND LOGIN, dashboard."""

import json

from tests.support.api import Api, staff
from tests.support.clock import MovableClock
from tests.support.samples import NEW_PASSWORD, OTHER_QUESTION, registration_body


def import_and_issue(license_number: str = "7654321", clock: MovableClock | None = None) -> str:
    result = staff(
        {
            "action": "import_contractors",
            "actor": "jdoe",
            "contractors": [
                {"license_number": license_number, "business_name": "Old Town Roofing", "email": "ops@oldtown.example"}
            ],
        }
    )
    assert result == {"ok": True, "imported": 1, "skipped": []}
    if clock:
        clock.advance(seconds=1)
    issued = staff({"action": "issue_temporary_password", "license_number": license_number, "actor": "jdoe"})
    assert issued["ok"] is True
    password: str = issued["temporary_password"]
    return password


def test_returning_contractor_story(api: Api) -> None:
    # Given staff imported the contractor, who cannot self-register
    temporary = import_and_issue()
    assert api.post("/contractors", registration_body(license_number="7654321")).json["error"] == "license_on_file"
    # When they sign in with the temporary password
    challenge = api.post("/sessions", {"license_number": "7654321", "password": temporary})
    # Then they get only the challenge
    assert challenge.status == 200
    assert challenge.json["challenge"] == "NEW_PASSWORD_REQUIRED"
    assert "session" not in challenge.json
    challenge_token = challenge.json["challenge_token"]
    # And the challenge token opens nothing else
    assert api.get("/me", token=challenge_token).status == 401
    assert api.delete("/sessions/current", token=challenge_token).status == 401
    # When they SAVE AND LOGIN with a password of their own and a security question
    saved = api.post(
        "/password/reset",
        {
            "challenge_token": challenge_token,
            "new_password": NEW_PASSWORD,
            "security_question": OTHER_QUESTION,
            "security_answer": "Pasadena",
        },
    )
    # Then they are signed in and reach the dashboard
    assert saved.status == 200, saved.body
    assert saved.json["contractor"] == {"license_number": "7654321", "business_name": "Old Town Roofing"}
    assert api.get("/me", token=saved.json["session"]["token"]).json["license_number"] == "7654321"
    # And the temporary password no longer works, the new one does
    assert api.post("/sessions", {"license_number": "7654321", "password": temporary}).status == 401
    assert api.post("/sessions", {"license_number": "7654321", "password": NEW_PASSWORD}).status == 200
    # And the challenge cannot be used twice
    again = api.post(
        "/password/reset",
        {
            "challenge_token": challenge_token,
            "new_password": "another passphrase entirely",
            "security_question": OTHER_QUESTION,
            "security_answer": "Pasadena",
        },
    )
    assert again.status == 401
    assert again.json["error"] == "invalid_or_expired_token"


def test_new_password_must_differ_from_the_temporary_one(api: Api) -> None:
    temporary = import_and_issue()
    token = api.post("/sessions", {"license_number": "7654321", "password": temporary}).json["challenge_token"]
    answer = api.post(
        "/password/reset",
        {
            "challenge_token": token,
            "new_password": temporary,
            "security_question": OTHER_QUESTION,
            "security_answer": "abc",
        },
    )
    assert answer.status == 422
    assert "new_password" in answer.json["fields"]


def test_temporary_password_expires_after_seven_days(api: Api, clock: MovableClock) -> None:
    temporary = import_and_issue()
    clock.advance(days=7, seconds=1)
    right = api.post("/sessions", {"license_number": "7654321", "password": temporary})
    assert right.status == 401
    assert right.json["error"] == "temporary_password_expired"
    assert "(323) 848-6475" in right.json["message"]
    wrong = api.post("/sessions", {"license_number": "7654321", "password": "WRONG-WRONG-WRONG-WRONG"})
    assert wrong.json["error"] == "invalid_credentials"


def test_challenge_expires_after_fifteen_minutes(api: Api, clock: MovableClock) -> None:
    temporary = import_and_issue()
    token = api.post("/sessions", {"license_number": "7654321", "password": temporary}).json["challenge_token"]
    clock.advance(minutes=15, seconds=1)
    answer = api.post(
        "/password/reset",
        {
            "challenge_token": token,
            "new_password": NEW_PASSWORD,
            "security_question": OTHER_QUESTION,
            "security_answer": "abc",
        },
    )
    assert answer.status == 401
    assert answer.json["error"] == "invalid_or_expired_token"


def test_issuing_a_temporary_password_ends_sessions_and_the_old_password(api: Api) -> None:
    created = api.post("/contractors", registration_body())
    token = created.json["session"]["token"]
    issued = staff({"action": "issue_temporary_password", "license_number": "1234567"})
    assert api.get("/me", token=token).status == 401
    assert api.post("/sessions", {"license_number": "1234567", "password": "a long passphrase of my own"}).status == 401
    challenge = api.post("/sessions", {"license_number": "1234567", "password": issued["temporary_password"]})
    assert challenge.json["challenge"] == "NEW_PASSWORD_REQUIRED"


def test_staff_get_shows_status_and_audit_but_no_secret(api: Api, clock: MovableClock) -> None:
    import_and_issue(clock=clock)
    result = staff({"action": "get", "license_number": "76-54321"})
    assert result["ok"] is True
    contractor = result["contractor"]
    assert contractor["license_number"] == "7654321"
    assert contractor["registration"] == "temporary_password"
    assert [entry["action"] for entry in contractor["audit"]] == ["temporary_password_issued", "imported"]
    assert contractor["audit"][0]["actor"] == "jdoe"
    text = json.dumps(result)
    assert "argon2" not in text
    assert "hash" not in text


def test_staff_errors_are_clean(api: Api) -> None:
    assert staff({"action": "unlock", "license_number": "1111111"})["error"] == "contractor_not_found"
    assert staff({"action": "explode"})["error"] == "validation_error"
    bad_license = staff({"action": "get", "license_number": "abc"})
    assert bad_license["ok"] is False
    assert set(bad_license["fields"]) == {"license_number"}


def test_import_reports_each_skipped_row(api: Api) -> None:
    api.post("/contractors", registration_body())
    result = staff(
        {
            "action": "import_contractors",
            "contractors": [
                {"license_number": "1111111", "business_name": "A Co"},
                {"license_number": "11-11111", "business_name": "A Co again"},
                {"license_number": "12345678901", "business_name": "Bad Co"},
                {"license_number": "1234567", "business_name": "Already Registered"},
                {"license_number": "2222222"},
            ],
        }
    )
    assert result["imported"] == 1
    reasons = {(row["license_number"], row["reason"].split(":")[0]) for row in result["skipped"]}
    assert ("1111111", "duplicate_in_request") in reasons
    assert ("1234567", "already_exists") in reasons
    assert len(result["skipped"]) == 4
    # Importing the same file again imports nothing and overwrites nothing
    again = staff(
        {"action": "import_contractors", "contractors": [{"license_number": "1111111", "business_name": "Z"}]}
    )
    assert again["imported"] == 0
    assert staff({"action": "get", "license_number": "1111111"})["contractor"]["business_name"] == "A Co"
