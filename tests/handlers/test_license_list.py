"""The state board's list through the real handlers under moto (whose guard fails any Scan):
registration sends a license the list lacks to review, staff list and approve it, the early
check and the dashboard read the same items."""

from datetime import date

from tests.support.api import Api, sent_emails, staff
from tests.support.licenses import board_record, loaded
from tests.support.samples import registration_body


def test_pending_registrations_are_listed_oldest_first_without_a_scan_and_approve_emails(api: Api) -> None:
    # Given the list holds one license, and two licenses it lacks register
    loaded(None, board_record("5555555", business_name="OTHER NAME LLC"))
    for number in ("7000001", "7000002"):
        body = registration_body(license_number=number, email=f"c{number}@example.com")
        assert api.post("/contractors", body).status == 201
    # When staff list what waits for review
    listed = staff({"action": "list_pending"})
    # Then both, oldest first, with no state record to compare
    assert [row["license_number"] for row in listed["pending"]] == ["7000001", "7000002"]
    assert listed["pending"][0]["state_record"] is None
    # When staff approve one, it leaves the list and the contractor is emailed
    assert staff({"action": "approve", "license_number": "7000001"})["account_status"] == "active"
    assert [row["license_number"] for row in staff({"action": "list_pending"})["pending"]] == ["7000002"]
    (approval,) = [email for email in sent_emails() if "approved" in email["subject"]]
    assert approval["to"] == ["c7000001@example.com"]


def test_the_check_the_refusals_and_the_dashboard_read_the_list(api: Api) -> None:
    loaded(None, board_record("6000001", primary_status="SUSPENDED"), board_record("6000002"))
    assert api.post("/contractors/check", {"license_number": "6000001"}).json == {"status": "not_active"}
    assert api.post("/contractors/check", {"license_number": "6000003"}).json == {"status": "not_found"}
    refused = api.post("/contractors", registration_body(license_number="6000001", email="a@example.com"))
    assert (refused.status, refused.json["error"], list(refused.json["fields"])) == (
        422,
        "license_not_active",
        ["license_number"],
    )
    created = api.post("/contractors", registration_body(license_number="6000002", email="b@example.com"))
    assert created.status == 201
    assert api.post("/contractors/check", {"license_number": "6000002"}).json == {"status": "registered"}
    me = api.request("GET", "/me", token=created.json["session"]["token"]).json
    assert me["account_status"] == "active"
    assert me["state_license"]["expires_on"] == date(2028, 3, 31).isoformat()
