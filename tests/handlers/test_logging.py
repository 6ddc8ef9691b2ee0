"""Authentication events are logged; no password, answer or token ever is."""

import io
import json
import logging
from collections.abc import Callable, Iterator

import pytest
from contractor_accounts.observability import logger

from tests.support.api import Answer, Api, link_token, register_verified, sent_emails, staff
from tests.support.clock import MovableClock
from tests.support.samples import ANSWER, PASSWORD, registration_body


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
    secrets: list[str] = [PASSWORD, ANSWER, "wrong wrong wrong wrong"]
    created = register_verified(api)
    secrets += [created.json["session"]["token"], link_token("verify-email.html")]
    # ...and the contractor's own changes: a new email (its link), a new password
    me = created.json["session"]["token"]
    api.request(
        "PUT", "/me/email", {"email": "ana@new.example", "current_password": "a long passphrase of my own"}, token=me
    )
    secrets.append(link_token("verify-email.html", "ana@new.example"))
    changed = api.request(
        "PUT",
        "/me/password",
        {"current_password": "a long passphrase of my own", "new_password": "interim passphrase here"},
        token=me,
    )
    secrets += ["interim passphrase here", changed.json["session"]["token"]]
    api.request(
        "PUT",
        "/me/password",
        {"current_password": "interim passphrase here", "new_password": "a long passphrase of my own"},
        token=changed.json["session"]["token"],
    )
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
        {"reset_token": reset_token, "security_answer": ANSWER, "new_password": "another secret passphrase"},
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


def test_every_failed_token_authentication_is_logged_without_the_token(
    api: Api, clock: MovableClock, log_output: io.StringIO
) -> None:
    # Given a session that will expire, and tokens of every wrong kind
    session = api.post("/contractors", registration_body()).json["session"]["token"]
    unknown = "A" * 43  # token-shaped, never issued
    attempts: list[tuple[str, Callable[[], Answer]]] = [
        ("no Authorization header", lambda: api.get("/me")),
        ("another scheme", lambda: api.get("/me", headers={"Authorization": f"Basic {unknown}"})),
        ("a bare token", lambda: api.get("/me", headers={"Authorization": unknown})),
        ("a malformed bearer", lambda: api.get("/me", headers={"Authorization": "Bearer not-a-token"})),
        ("an unknown session", lambda: api.get("/me", token=unknown)),
        ("signing out an unknown session", lambda: api.delete("/sessions/current", token=unknown)),
        ("an unknown reset link", lambda: api.post("/password/reset/question", {"reset_token": unknown})),
        (
            "an unknown challenge",
            lambda: api.post(
                "/password/reset",
                {
                    "challenge_token": unknown,
                    "new_password": "my own brand new passphrase",
                    "security_question": "In what city was your first job?",
                    "security_answer": "Pasadena",
                },
            ),
        ),
    ]
    for what, attempt in attempts:
        # When each is tried
        before = len(log_output.getvalue())
        answer = attempt()
        # Then it is refused, and the refusal is logged with the caller's address
        assert answer.status == 401, what
        logged = [json.loads(line) for line in log_output.getvalue()[before:].splitlines() if line.startswith("{")]
        refusals = [entry for entry in logged if entry.get("message") in {"session_refused", "token_refused"}]
        assert refusals, f"{what}: nothing logged"
        assert all(entry.get("source_ip") == "198.51.100.7" for entry in refusals), what
    # And an expired session is logged too
    clock.advance(hours=9)
    before = len(log_output.getvalue())
    assert api.get("/me", token=session).status == 401
    assert "session_refused" in log_output.getvalue()[before:]
    # And no token, nor any part of one, is ever logged
    everything = log_output.getvalue()
    for token in (session, unknown, "not-a-token"):
        assert token not in everything
    assert "AAAAAAAAAA" not in everything
