"""The workers' compensation reminder job (ReminderFunction) under moto: who is reminded, once
per policy and threshold however often or concurrently it runs, and never by a Scan."""

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from contractor_accounts import runtime

from tests.support.api import Api, invoke, register_verified, sent_emails, staff
from tests.support.clock import MovableClock
from tests.support.races import hold_writes_until_both_read
from tests.support.samples import registration_body

TODAY = "2026-11-26"  # the clock fixture's date in Los Angeles
IN_30_DAYS = "2026-12-26"
EVENTS = Path(__file__).parents[2] / "events"


def at_once_results(*runs: Callable[[], dict[str, Any]]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    threads = [threading.Thread(target=lambda r=job: results.append(r())) for job in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == len(runs)
    return results


def run(event: dict[str, Any] | None = None) -> dict[str, Any]:
    return invoke("ReminderFunction", event or {})


def policy(expires_on: str, number: str = "WC-123456") -> dict[str, str]:
    return {"carrier": "State Fund", "policy_number": number, "expires_on": expires_on}


def reminders_to(address: str) -> list[dict[str, Any]]:
    return [email for email in sent_emails() if email["to"] == [address] and "workers' comp" in email["subject"]]


def contractor(api: Api, license_number: str, expires_on: str, *, verified: bool = True) -> str:
    address = f"c{license_number}@example.com"
    body = registration_body(license_number=license_number, email=address, workers_comp=policy(expires_on))
    if verified:
        register_verified(api, body)
    else:
        assert api.post("/contractors", body).status == 201
    return address


def test_reminds_each_threshold_reached_only_verified_contractors(api: Api) -> None:
    # Given policies expiring in 30 days, today, in 29 days (its 30-day reminder still owed), in
    # 31 days (not yet due), and one with an unverified email
    soon = contractor(api, "1000001", IN_30_DAYS)
    today = contractor(api, "1000002", TODAY)
    owed = contractor(api, "1000003", "2026-12-25")
    later = contractor(api, "1000005", "2026-12-27")
    unverified = contractor(api, "1000004", IN_30_DAYS, verified=False)
    # When the daily job runs
    result = run()
    # Then the three due contractors with a verified email are reminded, no one else
    assert result["ok"] is True
    assert (result["today"], result["sent"], result["not_eligible"]) == (TODAY, 3, 1)
    assert result["windows"]["workers_comp"] == f"2026-11-19..{IN_30_DAYS}"
    (first,) = reminders_to(soon)
    assert "30 days" in first["subject"]
    assert "December 26, 2026" in first["body"]
    assert "http://localhost:8080/" in first["body"]
    (second,) = reminders_to(today)
    assert "today" in second["subject"]
    (third,) = reminders_to(owed)
    assert "29 days" in third["subject"]
    assert reminders_to(later) == reminders_to(unverified) == []


def test_running_twice_sends_each_reminder_once(api: Api, clock: MovableClock) -> None:
    address = contractor(api, "1000001", IN_30_DAYS)
    assert run()["sent"] == 1
    assert run() == {**run(), "sent": 0}
    assert len(reminders_to(address)) == 1
    # 30 days later the same policy gets its expiry-day reminder, once
    clock.advance(days=30)
    assert run()["sent"] == 1
    assert run()["sent"] == 0
    assert len(reminders_to(address)) == 2


def test_a_renewed_policy_is_a_new_policy(api: Api, clock: MovableClock) -> None:
    address = contractor(api, "1000001", IN_30_DAYS)
    run()
    token = api.post("/sessions", {"license_number": "1000001", "password": "a long passphrase of my own"})
    renewed = api.request(
        "PATCH", "/me", {"workers_comp": policy("2027-01-25", "WC-999")}, token=token.json["session"]["token"]
    )
    assert renewed.status == 200
    clock.advance(days=30)
    assert run()["sent"] == 1
    assert "January 25, 2027" in reminders_to(address)[-1]["body"]


@pytest.mark.usefixtures("serialized_dynamodb")
def test_two_runs_racing_send_each_reminder_once(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    address = contractor(api, "1000001", IN_30_DAYS)
    # Given both runs have read the due contractors before either claims a reminder
    hold_writes_until_both_read(monkeypatch, "claim_reminder")
    # When they claim and send at once
    results = at_once_results(run, run)
    # Then exactly one sent it
    assert sorted(result["sent"] for result in results) == [0, 1]
    assert len(reminders_to(address)) == 1


def test_a_failed_email_is_retried_by_the_next_run(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    from botocore.exceptions import ClientError

    address = contractor(api, "1000001", IN_30_DAYS)
    client = runtime.sesv2()

    def refuse(**_: Any) -> None:
        raise ClientError({"Error": {"Code": "Throttling", "Message": "injected"}}, "SendEmail")

    client.meta.events.register("before-call.sesv2.SendEmail", refuse)
    try:
        assert run()["failed"] == 1
    finally:
        client.meta.events.unregister("before-call.sesv2.SendEmail", refuse)
    assert run()["sent"] == 1
    assert len(reminders_to(address)) == 1


def test_disabled_accounts_are_not_reminded(api: Api) -> None:
    address = contractor(api, "1000001", IN_30_DAYS)
    staff({"action": "disable", "license_number": "1000001"})
    assert run()["sent"] == 0
    assert reminders_to(address) == []


def test_today_replays_a_recent_missed_day_but_never_a_future_one(api: Api, clock: MovableClock) -> None:
    address = contractor(api, "1000001", IN_30_DAYS)
    # Given the run of the 26th was missed: it is run a day late for that day
    clock.advance(days=1)
    assert run({"today": TODAY})["sent"] == 1
    assert len(reminders_to(address)) == 1
    # A future day would send reminders early: refused
    future = run({"today": "2026-12-01"})
    assert (future["ok"], future["error"]) == (False, "validation_error")
    assert "today" in future["fields"]
    assert run({"today": "2020-01-01"})["ok"] is False
    assert run({"today": "not a date"})["ok"] is False


def test_the_saved_event_runs(api: Api) -> None:
    event = json.loads((EVENTS / "reminders.json").read_text())
    contractor(api, "1000001", IN_30_DAYS)
    assert run(event)["ok"] is True
    # EventBridge's own scheduled event (extra fields) runs for today
    scheduled = {"version": "0", "detail-type": "Scheduled Event", "source": "aws.scheduler", "detail": {}}
    assert run(scheduled)["today"] == TODAY
