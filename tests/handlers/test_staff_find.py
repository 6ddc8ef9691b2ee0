"""Staff ``find`` under moto (the StaffFunction, as the console invokes it), with the autouse
guard that refuses any Scan: by business name, contact name, email and phone; kept in step by
registration, staff import and update_contact, PATCH /me and email verification. Also: an
unknown action lists the valid ones, actors with ordinary punctuation, and ``get``'s sign-ins."""

import json
from pathlib import Path

from tests.support.api import Api, link_token, register_verified, staff
from tests.support.samples import PASSWORD, registration_body

EVENTS = Path(__file__).parents[2] / "events" / "staff"


def find(**searched: str) -> dict:  # type: ignore[type-arg]
    return staff({"action": "find", "actor": "Pat (permit counter)", **searched})


def found(**searched: str) -> list[str]:
    answer = find(**searched)
    assert answer["ok"] is True, answer
    return [result["license_number"] for result in answer["results"]]


def test_staff_find_a_caller_by_each_field_without_a_scan(api: Api, no_scan: list[str]) -> None:
    # Given a registered contractor and an imported one
    token = register_verified(api, registration_body(business_name="O'Brien Construction, Inc.")).json["session"][
        "token"
    ]
    staff(
        {
            "action": "import_contractors",
            "actor": "O'Brien, J.",
            "contractors": [
                {"license_number": "7654321", "business_name": "Obelisk Homes", "contact_name": "Dana Wu"},
            ],
        }
    )
    # When staff search by the start of a name, however the caller says it
    assert found(business_name="obrien CONSTR") == ["1234567"]
    assert found(business_name="O B") == ["7654321", "1234567"]
    assert found(contact_name="dana") == ["7654321"]
    # Then each result says what tells callers apart
    result = find(business_name="obelisk")["results"][0]
    assert set(result) == {
        "license_number",
        "business_name",
        "contact_name",
        "email",
        "phone",
        "city",
        "account_status",
    }
    # And the contractor's own change of phone moves its entry
    api.request("PATCH", "/me", {"phone": "(213) 555-0199"}, token=token)
    assert found(phone="213-555") == ["1234567"]
    # And a confirmed new email too
    api.request("PUT", "/me/email", {"email": "new@example.com", "current_password": PASSWORD}, token=token)
    assert found(email="new@") == []  # only once confirmed
    api.post("/email/verify", {"token": link_token("verify-email.html", "new@example.com")})
    assert found(email="NEW@example") == ["1234567"]
    # And staff's own change of business name
    staff({"action": "update_contact", "license_number": "7654321", "business_name": "Zenith Homes"})
    assert found(business_name="obel") == []
    assert found(business_name="zenith") == ["7654321"]
    # And nothing scanned the table
    assert "Scan" not in no_scan
    assert "Query" in no_scan


def test_find_needs_one_field_of_two_characters(api: Api) -> None:
    assert find(business_name="a")["error"] == "validation_error"
    both = staff({"action": "find", "business_name": "ab", "phone": "32"})
    assert both["ok"] is False
    assert "exactly one" in json.dumps(both)


def test_an_unknown_action_lists_the_valid_ones(api: Api) -> None:
    answer = staff({"action": "fnd", "business_name": "acme"})
    assert answer["ok"] is False
    assert answer["error"] == "validation_error"
    for action in ("find", "get", "unlock", "issue_temporary_password"):
        assert action in answer["message"]


def test_get_says_the_recent_sign_ins_failures_and_lock(api: Api) -> None:
    register_verified(api)
    api.post("/sessions", {"license_number": "1234567", "password": PASSWORD})
    for _ in range(6):
        api.post("/sessions", {"license_number": "1234567", "password": "not the password at all"})
    answer = staff({"action": "get", "license_number": "1234567", "actor": "Pat (permit counter)"})
    assert answer["ok"] is True, answer
    summary = answer["contractor"]["sign_ins"]
    assert summary.startswith("Last signed in ")
    assert "failed sign-ins since" in summary
    assert "Locked until" in summary


def test_the_saved_find_event_runs(api: Api) -> None:
    register_verified(api)
    event = json.loads((EVENTS / "find.json").read_text(encoding="utf-8"))
    answer = staff(event)
    assert answer["ok"] is True, answer
