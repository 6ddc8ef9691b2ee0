"""Helpers of the end-to-end tests: test data, and HTTP with the standard library only."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from local_portal import Stack
from tests.support import samples

# Licenses in events/legacy-contractors.csv, which the CSV import test owns.
RESERVED_LICENSES = frozenset({"7654321", "1029384"})
STAFF_PHONE = "(323) 848-6475"

# -- test data -------------------------------------------------------------------------------------

_used_licenses: set[str] = set()


def make_license() -> str:
    """A 7-digit license number no other test in this session uses."""
    while True:
        number = f"{random.randrange(1_000_000, 10_000_000)}"
        if number not in _used_licenses and number not in RESERVED_LICENSES:
            _used_licenses.add(number)
            return number


_WORDS = [
    "amber",
    "copper",
    "lantern",
    "harbor",
    "meadow",
    "violet",
    "thunder",
    "pebble",
    "walnut",
    "orchard",
    "canyon",
    "marble",
    "falcon",
    "willow",
    "saddle",
    "juniper",
    "quartz",
    "ember",
    "glacier",
    "tundra",
    "velvet",
    "cobalt",
]


def make_passphrase() -> str:
    """Five random words: long, not common, no license number, business name or email in it."""
    return " ".join(secrets.choice(_WORDS) for _ in range(5)) + f" {secrets.randbelow(90) + 10}"


def future_date(days: int = 400) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


@dataclass(frozen=True)
class Contractor:
    license_number: str
    password: str
    business_name: str
    contact_name: str
    email: str
    security_question: str
    security_answer: str


# -- HTTP and Lambda clients -----------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


def http(
    url: str,
    method: str = "GET",
    body: Any = None,
    *,
    raw: bytes | None = None,
    headers: dict[str, str] | None = None,
    token: str | None = None,
) -> Reply:
    """One request with the standard library; 4xx/5xx are answers, not exceptions."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))  # noqa: S310
    if data is not None and not request.has_header("Content-type"):
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - the local portal
            return Reply(answer.status, dict(answer.headers.items()), answer.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, dict(error.headers.items()), error.read())


def security_questions(stack: Stack) -> list[str]:
    reply = http(f"{stack.api_url}/security-questions")
    assert reply.status == 200, reply
    questions: list[str] = reply.json()["questions"]
    return questions


def registration_body(license_number: str, password: str, question: str, **overrides: Any) -> dict[str, Any]:
    """The shared sample, made unique per test (the stack is shared) and valid whatever today is."""
    unique = {
        "license_number": license_number,
        "password": password,
        "security_question": question,
        "security_answer": "Biscuit the beagle",
        "business_name": f"Sunset Builders {license_number} Inc",
        "email": f"maria.{license_number}@sunsetbuilders.example",
        "workers_comp": {"carrier": "State Fund", "policy_number": "WC-123456", "expires_on": future_date()},
    }
    return samples.registration_body(**{**unique, **overrides})


def wait_for_email(
    stack: Stack, address: str, pattern: re.Pattern[str], timeout_seconds: float = 20.0
) -> dict[str, Any]:
    """The newest email to ``address`` whose text matches ``pattern``, waiting for it: an email
    a queue hands to a mailer function (forgot password) arrives after the API's answer."""
    deadline = time.monotonic() + timeout_seconds
    while True:
        for email in stack.outbox():  # newest first
            recipients = email["to"] if isinstance(email["to"], list) else [email["to"]]
            if address in recipients and pattern.search(email.get("text") or ""):
                return email
        if time.monotonic() > deadline:
            raise AssertionError(f"no email to {address} matching {pattern.pattern!r} within {timeout_seconds} s")
        time.sleep(0.1)  # the outbox is polled, not waited on for a fixed time


def emailed_link(stack: Stack, address: str, page: str) -> str:
    """The newest link to ``page`` (e.g. "verify-email.html") emailed to ``address``, from the outbox."""
    pattern = re.compile(re.escape(f"{stack.web_url}/{page}") + r"#token=[A-Za-z0-9_-]+")
    for email in stack.outbox():  # newest first
        recipients = email["to"] if isinstance(email["to"], list) else [email["to"]]
        found = pattern.search(email.get("text") or "") if address in recipients else None
        if found:
            return found.group(0)
    raise AssertionError(f"no {page} link to {address} in the outbox")


def verify_email(stack: Stack, address: str) -> None:
    """Uses the confirmation link emailed to ``address``, as the contractor would."""
    token = emailed_link(stack, address, "verify-email.html").split("#token=", 1)[1]
    reply = http(f"{stack.api_url}/email/verify", "POST", {"token": token})
    assert reply.status == 200, (reply.status, reply.body)


REPO_ROOT_EVENTS = Path(__file__).resolve().parents[2] / "events"
