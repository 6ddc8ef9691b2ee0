"""One scenario per case of bench/minimums.py: the state it needs (``given``, neither counted nor
timed) and the one request measured (``when``). Each ``given`` builds fresh state, so a case
can run hundreds of times in a row (the bench's latency) or once (the tests)."""

import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
from typing import Any, Final

from bench.environment import template
from bench.harness import Answer, Api, FakeLambdaContext, lambda_handler, staff
from local_portal.queues import deliver_batch, sqs_event

PASSWORD: Final = "a long passphrase of my own"
NEW_PASSWORD: Final = "quiet harbor lantern at dusk"
ANSWER: Final = "Biscuit"
QUESTION: Final = "What was the name of your first pet?"


def registration_body(license_number: str, email: str) -> dict[str, Any]:
    """The contract's example registration, for one license number."""
    return {
        "license_number": license_number,
        "password": PASSWORD,
        "security_question": QUESTION,
        "security_answer": ANSWER,
        "business_name": "Sunset Builders Inc",
        "contact_name": "Maria Lopez",
        "email": email,
        "phone": "323-555-0100",
        "mailing_address": {
            "street": "8300 Santa Monica Blvd",
            "city": "West Hollywood",
            "state": "CA",
            "postal_code": "90069",
        },
        "workers_comp": {"carrier": "State Fund", "policy_number": "WC-123456", "expires_on": "2030-06-30"},
    }


class World:
    """The handlers under moto, and fresh license numbers for each scenario."""

    def __init__(self) -> None:
        self.api = Api()
        self._licenses = count(20_000_001)
        self._rotations: dict[str, tuple[Any, int]] = {}

    def rotating(self, name: str, uses: int, make: Callable[[], Any]) -> Any:
        """The same state for ``uses`` requests in a row, then a fresh one (a reset token takes
        4 wrong answers before it burns, an account 5 reset emails an hour...)."""
        state, used = self._rotations.get(name, (None, uses))
        if used >= uses:
            state, used = make(), 0
        self._rotations[name] = (state, used + 1)
        return state

    def new_license(self) -> str:
        return str(next(self._licenses))

    def shared_license(self) -> str:
        """One registered account, for requests that leave it as they found it."""
        return str(self.rotating("shared", sys.maxsize, lambda: self.register()[0]))

    def register(self) -> tuple[str, str]:
        """A registered contractor who opened the emailed confirmation link (a reset link goes
        only to a verified address): (license, session token)."""
        license_number = self.new_license()
        address = f"c{license_number}@builders.example"
        answer = self.api.request("POST", "/contractors", registration_body(license_number, address))
        _expect(answer, 201)
        _expect(self.api.request("POST", "/email/verify", {"token": last_emailed_token(address)}), 200)
        return license_number, str(answer.json["session"]["token"])

    def sign_in(self, license_number: str, password: str = PASSWORD) -> Answer:
        return self.api.request("POST", "/sessions", {"license_number": license_number, "password": password})

    def returning_contractor(self) -> tuple[str, str]:
        """Imported by staff and given a temporary password: (license, temporary password)."""
        license_number = self.new_license()
        imported = staff(
            {
                "action": "import_contractors",
                "contractors": [{"license_number": license_number, "business_name": "Returning Builders"}],
            }
        )
        if imported.get("imported") != 1:
            raise AssertionError(f"import failed: {imported}")
        issued = staff({"action": "issue_temporary_password", "license_number": license_number})
        if not issued["ok"]:
            raise AssertionError(f"no temporary password: {issued}")
        return license_number, str(issued["temporary_password"])

    def reset_token(self) -> str:
        """A registered contractor's reset token, from the email SES (moto) sent once the
        mailer got the request."""
        license_number, _ = self.register()
        _expect(self.api.request("POST", "/password/forgot", {"license_number": license_number}), 202)
        self.deliver_reset_requests()
        return last_emailed_token(f"c{license_number}@builders.example")

    def queued_reset_request(self, license_number: str) -> dict[str, Any]:
        """The SQS event Lambda's poller hands the mailer for one forgot-password request of
        ``license_number`` (what else waits in the queue, left by the forgot scenarios, goes)."""
        import boto3

        sqs = boto3.client("sqs")
        queue_url = template().queue_url(_RESET_QUEUE)
        _expect(self.api.request("POST", "/password/forgot", {"license_number": license_number}), 202)
        while True:
            received = sqs.receive_message(
                QueueUrl=queue_url, MaxNumberOfMessages=10, MessageSystemAttributeNames=["All"]
            ).get("Messages", [])
            if not received:
                raise LookupError(f"no queued request for {license_number}")
            for message in received:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            ours = [message for message in received if json.loads(message["Body"])["license_number"] == license_number]
            if ours:
                return sqs_event(ours, template().resolve({"Fn::GetAtt": [_RESET_QUEUE, "Arn"]}))

    def deliver_reset_requests(self) -> None:
        """What Lambda's poller does with the queue: every request to the mailer."""
        import boto3

        (source,) = [source for source in template().sqs_sources if source.queue == _RESET_QUEUE]
        sqs = boto3.client("sqs")
        while deliver_batch(sqs, template(), source, reset_mailer):
            pass


_RESET_QUEUE: Final = "ResetRequestsQueue"


def reset_mailer(event: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = lambda_handler("ResetMailerFunction")(event, FakeLambdaContext("ResetMailerFunction"))
    return result


def last_emailed_token(address: str) -> str:
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    for message in reversed(ses_backends[DEFAULT_ACCOUNT_ID]["us-west-2"].sent_messages):
        if address in message.destinations["ToAddresses"]:
            found = re.search(r"#token=([A-Za-z0-9_-]+)", str(message.body))
            if found:
                return found.group(1)
    raise LookupError(f"no reset link was emailed to {address}")


def _expect(answer: Answer, status: int) -> None:
    if answer.status != status:
        raise AssertionError(f"expected {status}, got {answer.status}: {answer.body}")


Outcome = Answer | dict[str, Any]


@dataclass(frozen=True)
class Scenario:
    given: Callable[[World], Any]
    when: Callable[[World, Any], Outcome]
    expected: int | str  # an HTTP status, "ok" for a staff action, "consumed" for a queued message
    reusable: bool = False  # the request leaves its state as it found it: ``given`` once for many

    def check(self, outcome: Outcome) -> None:
        if isinstance(outcome, Answer):
            _expect(outcome, int(self.expected))
        elif self.expected == "consumed":
            if outcome != {"batchItemFailures": []}:
                raise AssertionError(f"the mailer reported failures: {outcome}")
        elif not outcome.get("ok"):
            raise AssertionError(f"staff action failed: {outcome}")


def _nothing(_: World) -> None:
    return None


def _post(path: str, body: Callable[[Any], dict[str, Any]]) -> Callable[[World, Any], Outcome]:
    return lambda world, state: world.api.request("POST", path, body(state))


def _three_rows(world: World) -> list[dict[str, str]]:
    return [{"license_number": world.new_license(), "business_name": f"Builder {n}"} for n in range(3)]


def _locked(world: World) -> str:
    license_number, _ = world.register()
    for _ in range(5):
        _expect(world.sign_in(license_number, "not my passphrase at all"), 401)
    return license_number


def _challenge(world: World) -> str:
    license_number, temporary = world.returning_contractor()
    answer = world.sign_in(license_number, temporary)
    _expect(answer, 200)
    return str(answer.json["challenge_token"])


def _disabled(world: World) -> str:
    license_number, _ = world.register()
    assert staff({"action": "disable", "license_number": license_number})["ok"]
    return license_number


def _staff_action(action: str) -> Callable[[World, Any], Outcome]:
    return lambda world, license_number: staff({"action": action, "license_number": license_number})


def _registered_license(world: World) -> str:
    return world.register()[0]


def _session_of(world: World, license_number: str) -> str:
    answer = world.sign_in(license_number)
    _expect(answer, 200)
    return str(answer.json["session"]["token"])


SCENARIOS: Final[dict[str, Scenario]] = {
    "security_questions": Scenario(
        _nothing, lambda world, _: world.api.request("GET", "/security-questions"), 200, reusable=True
    ),
    "register_new": Scenario(
        lambda world: world.new_license(),
        _post("/contractors", lambda license_number: registration_body(license_number, "new@builders.example")),
        201,
    ),
    "register_taken": Scenario(
        _registered_license,
        _post("/contractors", lambda license_number: registration_body(license_number, "again@builders.example")),
        409,
        reusable=True,
    ),
    "sign_in_success": Scenario(
        _registered_license, lambda world, license_number: world.sign_in(license_number), 200, reusable=True
    ),
    "sign_in_wrong_password": Scenario(
        # Four failures an account, so the fifth (which locks) is never the one measured.
        lambda world: world.rotating("wrong_password", 4, lambda: _registered_license(world)),
        lambda world, license_number: world.sign_in(license_number, "not my passphrase"),
        401,
    ),
    "sign_in_unknown_license": Scenario(
        lambda world: world.new_license(), lambda world, license_number: world.sign_in(license_number), 401
    ),
    "sign_in_locked": Scenario(
        _locked, lambda world, license_number: world.sign_in(license_number), 401, reusable=True
    ),
    "sign_in_temporary_password": Scenario(
        lambda world: world.returning_contractor(), lambda world, state: world.sign_in(*state), 200, reusable=True
    ),
    "sign_out": Scenario(
        lambda world: _session_of(world, world.shared_license()),
        lambda world, token: world.api.request("DELETE", "/sessions/current", token=token),
        204,
    ),
    "dashboard": Scenario(
        lambda world: world.register()[1],
        lambda world, token: world.api.request("GET", "/me", token=token),
        200,
        reusable=True,
    ),
    "forgot_with_email": Scenario(
        # At most 5 reset emails an hour per account: a new account every 5 requests.
        lambda world: world.rotating("forgot", 5, lambda: _registered_license(world)),
        _post("/password/forgot", lambda license_number: {"license_number": license_number}),
        202,
    ),
    "forgot_unknown_license": Scenario(
        lambda world: world.new_license(),
        _post("/password/forgot", lambda license_number: {"license_number": license_number}),
        202,
    ),
    "reset_mailer_sent": Scenario(
        # At most 5 reset emails an hour per account: a new account every 5 requests.
        lambda world: world.queued_reset_request(world.rotating("mailer", 5, lambda: _registered_license(world))),
        lambda world, event: reset_mailer(event),
        "consumed",
    ),
    "reset_mailer_unknown_license": Scenario(
        lambda world: world.queued_reset_request(world.new_license()),
        lambda world, event: reset_mailer(event),
        "consumed",
        reusable=True,
    ),
    "reset_question": Scenario(
        lambda world: world.reset_token(),
        _post("/password/reset/question", lambda token: {"reset_token": token}),
        200,
        reusable=True,
    ),
    "reset_with_token": Scenario(
        lambda world: world.reset_token(),
        _post(
            "/password/reset",
            lambda token: {"reset_token": token, "security_answer": ANSWER, "new_password": NEW_PASSWORD},
        ),
        200,
    ),
    "reset_wrong_answer": Scenario(
        # A link takes 4 wrong answers; the 5th burns it (a different answer).
        lambda world: world.rotating("wrong_answer", 4, world.reset_token),
        _post(
            "/password/reset",
            lambda token: {"reset_token": token, "security_answer": "Rex", "new_password": NEW_PASSWORD},
        ),
        401,
    ),
    "reset_first_sign_in": Scenario(
        _challenge,
        _post(
            "/password/reset",
            lambda token: {
                "challenge_token": token,
                "new_password": NEW_PASSWORD,
                "security_question": QUESTION,
                "security_answer": ANSWER,
            },
        ),
        200,
    ),
    "staff_import": Scenario(
        _three_rows, lambda world, rows: staff({"action": "import_contractors", "contractors": rows}), "ok"
    ),
    "staff_issue_temporary_password": Scenario(
        _registered_license, _staff_action("issue_temporary_password"), "ok", reusable=True
    ),
    "staff_unlock": Scenario(_locked, _staff_action("unlock"), "ok", reusable=True),
    "staff_disable": Scenario(_registered_license, _staff_action("disable"), "ok", reusable=True),
    "staff_enable": Scenario(_disabled, _staff_action("enable"), "ok", reusable=True),
    "staff_get": Scenario(_registered_license, _staff_action("get"), "ok", reusable=True),
}


def first_requests(world: World, count_each: int) -> dict[str, list[dict[str, Any]]]:
    """``count_each`` events of each function's main request, state prepared (the cold-start
    and memory-size children replay them): register, sign in, the dashboard, forgot password
    (an account with email), a reset with its emailed link, staff ``get``, the reset mailer's
    SQS event for an account with email."""
    shared = world.shared_license()
    token = _session_of(world, shared)
    makers: dict[str, Callable[[], dict[str, Any]]] = {
        "RegisterFunction": lambda: world.api.event(
            "POST", "/contractors", registration_body(world.new_license(), "new@builders.example")
        )[1],
        "LoginFunction": lambda: world.api.event("POST", "/sessions", {"license_number": shared, "password": PASSWORD})[
            1
        ],
        "AccountFunction": lambda: world.api.event("GET", "/me", token=token)[1],
        "ForgotFunction": lambda: world.api.event(
            "POST",
            "/password/forgot",
            {"license_number": world.rotating("forgot", 5, lambda: _registered_license(world))},
        )[1],
        "ResetFunction": lambda: world.api.event(
            "POST",
            "/password/reset",
            {"reset_token": world.reset_token(), "security_answer": ANSWER, "new_password": NEW_PASSWORD},
        )[1],
        "StaffFunction": lambda: {"action": "get", "license_number": shared},
        "ResetMailerFunction": lambda: world.queued_reset_request(
            world.rotating("mailer", 5, lambda: _registered_license(world))
        ),
    }
    return {function: [make() for _ in range(count_each)] for function, make in makers.items()}
