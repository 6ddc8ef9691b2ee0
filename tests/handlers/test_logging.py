"""Authentication events are logged; no password, answer or token ever is."""

import io
import json
import logging
from collections.abc import Iterator

import pytest
from contractor_accounts.observability import logger

from tests.handlers.conftest import Api, registration, sent_emails, staff


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """Everything the functions' Powertools logger writes, as it writes it (JSON lines)."""
    output = io.StringIO()
    handler = logging.StreamHandler(output)
    handler.setFormatter(logger.registered_formatter)
    logging.getLogger(logger.name).addHandler(handler)
    yield output
    logging.getLogger(logger.name).removeHandler(handler)


def test_stories_log_events_but_never_secrets(api: Api, log_output: io.StringIO) -> None:
    # Given every story: register, sign in, fail, sign out, temporary password, forgot and reset
    secrets: list[str] = ["a long passphrase of my own", "Biscuit", "wrong wrong wrong wrong"]
    created = api.post("/contractors", registration())
    secrets.append(created.json["session"]["token"])
    api.post("/sessions", {"license_number": "1234567", "password": "wrong wrong wrong wrong"})
    signed_in = api.post("/sessions", {"license_number": "1234567", "password": "a long passphrase of my own"})
    secrets.append(signed_in.json["session"]["token"])
    api.delete("/sessions/current", token=signed_in.json["session"]["token"])
    staff(
        {
            "action": "import_contractors",
            "contractors": [{"license_number": "7654321", "business_name": "Bel Air Builders"}],
        }
    )
    temporary = staff({"action": "issue_temporary_password", "license_number": "7654321"})["temporary_password"]
    challenge = api.post("/sessions", {"license_number": "7654321", "password": temporary}).json["challenge_token"]
    secrets += [temporary, challenge, "Pasadena", "my own brand new passphrase"]
    api.post(
        "/password/reset",
        {
            "challenge_token": challenge,
            "new_password": "my own brand new passphrase",
            "security_question": "In what city was your first job?",
            "security_answer": "Pasadena",
        },
    )
    api.post("/password/forgot", {"license_number": "1234567"})
    reset_token = sent_emails()[-1]["body"].split("#token=")[1][:43]
    secrets += [reset_token, "another secret passphrase"]
    api.post(
        "/password/reset",
        {"reset_token": reset_token, "security_answer": "Biscuit", "new_password": "another secret passphrase"},
    )
    # When we read everything the functions logged
    logged = log_output.getvalue()
    records = [json.loads(line) for line in logged.splitlines() if line.startswith("{")]
    events = [record for record in records if "message" in record]
    # Then each authentication event is there, with the caller's address from API Gateway
    messages = {event["message"] for event in events}
    assert {
        "account_registered",
        "sign_in_failed",
        "sign_in_succeeded",
        "signed_out",
        "staff_action",
        "new_password_challenge_issued",
        "first_sign_in_completed",
        "reset_email_sent",
        "password_reset",
    } <= messages
    assert any(event.get("source_ip") == "198.51.100.7" for event in events if event["message"] == "sign_in_failed")
    # And no secret appears anywhere
    for secret in secrets:
        assert secret not in logged
    assert "$argon2" not in logged
