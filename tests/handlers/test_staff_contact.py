"""Staff update_contact and approve, and handing a claimed license back to its owner, under moto."""

import json
from pathlib import Path

import pytest
from contractor_accounts import runtime

from tests.support.api import Api, link_token, register_verified, reset_emails, staff
from tests.support.samples import registration_body

EVENTS = Path(__file__).parents[2] / "events" / "staff"
OWNER_EMAIL = "owner@realbuilders.example"
ATTACKER_EMAIL = "attacker@evil.example"


def test_staff_hand_a_claimed_license_back_to_its_owner(api: Api) -> None:
    # Given an attacker registered the owner's (public) license with their own email, verified it,
    # and asked for a reset link
    attacker = register_verified(api, registration_body(email=ATTACKER_EMAIL, contact_name="Mallory"))
    attacker_session = attacker.json["session"]["token"]
    api.post("/password/forgot", {"license_number": "1234567"})
    attacker_link = link_token("reset-password.html", ATTACKER_EMAIL)
    # When staff correct the contact details to the owner's
    updated = staff(
        {
            "action": "update_contact",
            "actor": "pat at permits",
            "license_number": "123-4567",
            "contact_name": "Maria Lopez",
            "email": OWNER_EMAIL,
            "phone": "323-555-0142",
            "business_name": "Real Builders Inc",
        }
    )
    # Then the account has the owner's details, and staff-set email counts as verified
    assert updated["ok"] is True, updated
    contractor = updated["contractor"]
    assert (contractor["email"], contractor["email_verified"], contractor["pending_email"]) == (
        OWNER_EMAIL,
        True,
        None,
    )
    assert contractor["business_name"] == "Real Builders Inc"
    (entry,) = [entry for entry in contractor["audit"] if entry["action"] == "contact_updated"]
    assert (entry["actor"], entry["fields"]) == ("pat at permits", "business_name,contact_name,email,phone")
    # And the attacker's reset link is dead
    assert api.post("/password/reset/question", {"reset_token": attacker_link}).status == 401
    # When staff issue a temporary password and read it to the owner
    temporary = staff({"action": "issue_temporary_password", "license_number": "1234567"})["temporary_password"]
    # Then the attacker is signed out and their password no longer works
    assert api.get("/me", token=attacker_session).status == 401
    assert api.post("/sessions", {"license_number": "1234567", "password": "a long passphrase of my own"}).status == 401
    # When the owner signs in with it and completes SAVE AND LOGIN
    challenge = api.post("/sessions", {"license_number": "1234567", "password": temporary}).json["challenge_token"]
    done = api.post(
        "/password/reset",
        {
            "challenge_token": challenge,
            "new_password": "maria picks a fresh passphrase",
            "security_question": "In what city was your first job?",
            "security_answer": "Fresno",
        },
    )
    # Then their dashboard shows their email, verified; and reset links now go to them
    assert done.status == 200, done.body
    me = api.get("/me", token=done.json["session"]["token"]).json
    assert (me["email"], me["email_verified"]) == (OWNER_EMAIL, True)
    api.post("/password/forgot", {"license_number": "1234567"})
    assert reset_emails()[-1]["to"] == [OWNER_EMAIL]


def test_update_contact_validates_and_needs_the_account(api: Api) -> None:
    missing = staff({"action": "update_contact", "license_number": "9999999", "phone": "323-555-0100"})
    assert (missing["ok"], missing["error"]) == (False, "contractor_not_found")
    register_verified(api)
    bad = staff({"action": "update_contact", "license_number": "1234567", "email": "not an email"})
    assert (bad["ok"], bad["error"]) == (False, "validation_error")
    assert "email" in bad["fields"]
    nothing = staff({"action": "update_contact", "license_number": "1234567"})
    assert (nothing["ok"], nothing["error"]) == (False, "validation_error")
    renewed = staff(
        {
            "action": "update_contact",
            "license_number": "1234567",
            "workers_comp": {"carrier": "Other Co", "policy_number": "WC-2", "expires_on": "2028-01-31"},
        }
    )
    assert renewed["contractor"]["workers_comp"]["carrier"] == "Other Co"


def test_every_saved_staff_event_is_a_valid_action(api: Api) -> None:
    register_verified(api, registration_body(license_number="7654321"))
    for path in sorted(EVENTS.glob("*.json")):
        result = staff(json.loads(path.read_text()))
        assert result.get("error") != "validation_error", (path.name, result)


@pytest.fixture
def staff_approval(monkeypatch: pytest.MonkeyPatch) -> None:
    """The template parameter RequireStaffApproval set to "true"."""
    monkeypatch.setenv("REQUIRE_STAFF_APPROVAL", "true")
    runtime.settings.cache_clear()


@pytest.mark.usefixtures("staff_approval")
def test_with_staff_approval_a_registration_waits_until_staff_approve(api: Api) -> None:
    token = api.post("/contractors", registration_body()).json["session"]["token"]
    assert api.get("/me", token=token).json["account_status"] == "pending_review"
    assert staff({"action": "get", "license_number": "1234567"})["contractor"]["account_status"] == "pending_review"
    approved = staff({"action": "approve", "license_number": "1234567", "actor": "pat"})
    assert approved == {"ok": True, "license_number": "1234567", "account_status": "active"}
    assert api.get("/me", token=token).json["account_status"] == "active"
    again = staff({"action": "approve", "license_number": "1234567"})
    assert (again["ok"], again["error"]) == (False, "not_pending_review")


def test_by_default_a_registration_is_active_at_once(api: Api) -> None:
    token = api.post("/contractors", registration_body()).json["session"]["token"]
    assert api.get("/me", token=token).json["account_status"] == "active"
    refused = staff({"action": "approve", "license_number": "1234567"})
    assert (refused["ok"], refused["error"]) == (False, "not_pending_review")
