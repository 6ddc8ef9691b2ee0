"""One scenario per case of tests/performance/minimums.py: the state it needs (``given``, neither counted nor
timed) and the one request measured (``when``). Each ``given`` builds fresh state, so a case
can run hundreds of times in a row (`make bench`'s latency) or once (the tests)."""

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any, Final

from local_portal.queues import sqs_event
from tests.support.api import Answer, Api, bounce, deliver_queued, invoke, link_token, sns_event, staff
from tests.support.authenticator import SoftwareAuthenticator
from tests.support.environment import TABLE_NAME, TEMPLATE
from tests.support.passkeys import add_passkey, registration_options, sign_in_options
from tests.support.samples import ANSWER, NEW_PASSWORD, PASSWORD, QUESTION, WORKERS_COMP
from tests.support.samples import registration_body as sample_registration

VERIFY_PAGE: Final = "verify-email.html"
RESET_PAGE: Final = "reset-password.html"


def registration_body(license_number: str, email: str, expires_on: str = "2030-06-30") -> dict[str, Any]:
    """The contract's example registration (the tests' sample), for one license number."""
    policy = {**WORKERS_COMP, "expires_on": expires_on}
    return sample_registration(license_number=license_number, email=email, workers_comp=policy)


class World:
    """The handlers under moto, and fresh license numbers for each scenario."""

    def __init__(self) -> None:
        # The bench delivers the queue itself; every request from a new address.
        self.api = Api(deliver_queued=False, source_ip=None)
        self._licenses = count(20_000_001)
        self._rotations: dict[str, tuple[Any, int]] = {}
        self.due: list[str] = []  # contractors whose workers' comp reminder is due today

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

    def register(self, expires_on: str = "2030-06-30") -> tuple[str, str]:
        """A registered contractor with an email address (not yet verified): (license, session token)."""
        license_number = self.new_license()
        answer = self.api.request(
            "POST", "/contractors", registration_body(license_number, address_of(license_number), expires_on)
        )
        _expect(answer, 201)
        return license_number, str(answer.json["session"]["token"])

    def verified(self, expires_on: str = "2030-06-30") -> tuple[str, str]:
        """A registered contractor who used the emailed confirmation link: (license, session token)."""
        license_number, session = self.register(expires_on)
        _expect(
            self.api.request("POST", "/email/verify", {"token": link_token(VERIFY_PAGE, address_of(license_number))}),
            200,
        )
        return license_number, session

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
        """A verified contractor's reset token, from the email SES (moto) sent once the mailer
        got the request."""
        license_number, _ = self.verified()
        _expect(self.api.request("POST", "/password/forgot", {"license_number": license_number}), 202)
        deliver_queued(only=_RESET_QUEUE)
        return link_token(RESET_PAGE, address_of(license_number))

    def queued_reset_request(self, license_number: str) -> dict[str, Any]:
        """The SQS event Lambda's poller hands the mailer for one forgot-password request of
        ``license_number`` (what else waits in the queue, left by the forgot scenarios, goes)."""
        import boto3

        sqs = boto3.client("sqs")
        queue_url = TEMPLATE.queue_url(_RESET_QUEUE)
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
                return sqs_event(ours, TEMPLATE.resolve({"Fn::GetAtt": [_RESET_QUEUE, "Arn"]}))


_RESET_QUEUE: Final = "ResetRequestsQueue"


def stream_notice(world: World) -> dict[str, Any]:
    """The stream event Lambda hands NoticeFunction for one activity record that asks for a
    notice: a verified contractor signs out everywhere (the record read from the table's stream,
    as local_portal.streams reads it; what other scenarios wrote before is passed over)."""
    import boto3

    from local_portal.streams import StreamReader, matches, stream_event

    license_number, token = world.verified()
    arn = boto3.client("dynamodb").describe_table(TableName=TABLE_NAME)["Table"]["LatestStreamArn"]
    reader = StreamReader(boto3.client("dynamodbstreams"), arn)
    _expect(world.api.request("DELETE", "/me/sessions", token=token), 204)
    (source,) = TEMPLATE.stream_sources
    for _, record in reversed(reader.new_records()):
        image = record["dynamodb"].get("NewImage") or {}
        if image.get("license_number") == {"S": license_number} and any(matches(p, record) for p in source.patterns):
            return stream_event([record], arn)
    raise LookupError(f"no notice record for {license_number}")


def reset_mailer(event: dict[str, Any]) -> dict[str, Any]:
    return invoke("ResetMailerFunction", event)


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
    """Locked by 5 wrong passwords, then held locked for minutes: the first lock lasts 1 s (2^0),
    and the rule would take minutes of real waiting to grow it, so the count is raised to 14 in
    the table itself (2^9 s, more than the bench's 200 requests take)."""
    import boto3
    from contractor_accounts.adapters.dynamodb.items import format_time

    license_number, _ = world.register()
    for _ in range(5):
        _expect(world.sign_in(license_number, "not my passphrase at all"), 401)
    boto3.client("dynamodb").update_item(
        TableName=TABLE_NAME,
        Key={"pk": {"S": f"CONTRACTOR#{license_number}"}, "sk": {"S": "PROFILE"}},
        UpdateExpression="SET failed_login_count = :count, last_failed_login_at = :now",
        ExpressionAttributeValues={
            ":count": {"N": "14"},
            ":now": {"S": format_time(datetime.now(UTC))},
        },
    )
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


def _verified_license(world: World) -> str:
    return world.verified()[0]


def _session_of(world: World, license_number: str) -> str:
    answer = world.sign_in(license_number)
    _expect(answer, 200)
    return str(answer.json["session"]["token"])


def _device(world: World) -> tuple[str, str]:
    """A registered contractor's license and the device token a sign-in gave this browser."""
    license_number = _registered_license(world)
    answer = world.sign_in(license_number)
    _expect(answer, 200)
    return license_number, str(answer.json["device_token"])


def _with_device(world: World, state: tuple[str, str]) -> Outcome:
    license_number, device_token = state
    return world.api.request(
        "POST", "/sessions", {"license_number": license_number, "password": PASSWORD, "device_token": device_token}
    )


def _me(method: str, path: str, body: Callable[[], Any] = lambda: None) -> Callable[[World, Any], Outcome]:
    return lambda world, token: world.api.request(method, path, body(), token=token)


def _verification_link(world: World) -> str:
    license_number, _ = world.register()
    return link_token(VERIFY_PAGE, address_of(license_number))


@contextmanager
def _staff_approval() -> Iterator[None]:
    """Registrations wait for staff (the template parameter RequireStaffApproval "true")."""
    from contractor_accounts import runtime

    saved = os.environ.get("REQUIRE_STAFF_APPROVAL")
    os.environ["REQUIRE_STAFF_APPROVAL"] = "true"
    runtime.settings.cache_clear()
    try:
        yield
    finally:
        os.environ["REQUIRE_STAFF_APPROVAL"] = saved or "false"
        runtime.settings.cache_clear()


def _awaiting_approval(world: World) -> str:
    with _staff_approval():
        return _registered_license(world)


def _due_today(world: World) -> str:
    """A verified contractor whose policy expires in 30 days (the first reminder is due today);
    returns today in the city."""
    from contractor_accounts import runtime
    from contractor_accounts.domain.policy import REMINDER_DAYS_BEFORE_EXPIRY
    from contractor_accounts.domain.workers_comp import city_today

    today = city_today(runtime.clock().now(), runtime.settings().zone)
    # Only this one is due: the previous scenario's contractor renews (exempt), so repeated runs
    # (the bench's latency) measure one contractor due, not all of them so far.
    for renewed in world.due:
        staff({"action": "update_contact", "license_number": renewed, "workers_comp": {"exempt": True}})
    license_number, _ = world.verified(expires_on=(today + timedelta(days=REMINDER_DAYS_BEFORE_EXPIRY)).isoformat())
    world.due = [license_number]
    return today.isoformat()


def _reminders(_: World, today: str) -> Outcome:
    ran = invoke("ReminderFunction", {"today": today})
    if ran.get("sent") != 1:
        raise AssertionError(f"expected one reminder sent: {ran}")
    return ran


def _listed(world: World, **changes: object) -> str:
    """A new license, the state board's list loaded (holding it with ``changes``, or, given
    ``absent=True``, not at all). Later scenarios see the list loaded too: their new licenses
    register as pending_review, at the same cost."""
    from tests.support.licenses import board_record, loaded

    license_number = world.new_license()
    absent = bool(changes.pop("absent", False))
    loaded(world, *([] if absent else [board_record(license_number, **changes)]))
    return license_number


def _license_due_today(world: World) -> str:
    """A verified contractor (workers' comp exempt) whose license the board's list has expiring in
    60 days: its first license reminder is due today. Returns today in the city."""
    from contractor_accounts import runtime
    from contractor_accounts.domain.workers_comp import city_today

    from tests.support.licenses import board_record, loaded

    today = city_today(runtime.clock().now(), runtime.settings().zone)
    for renewed in world.due:
        staff({"action": "update_contact", "license_number": renewed, "workers_comp": {"exempt": True}})
    license_number, _ = world.verified(expires_on=(today + timedelta(days=365)).isoformat())
    staff({"action": "update_contact", "license_number": license_number, "workers_comp": {"exempt": True}})
    loaded(world, board_record(license_number, expires_on=today + timedelta(days=60)))
    world.due = []
    return today.isoformat()


def _pending_reviews(world: World) -> None:
    """Two accounts waiting for review: registered while the list lacked their licenses."""
    for _ in range(2):
        license_number = _listed(world, absent=True)
        _expect(world.api.request("POST", "/contractors", registration_body(license_number, "p@builders.example")), 201)


# -- the license import (LicenseDataFunction) ---------------------------------------------------------

_LICENSE_HEADER: Final = (
    "LicenseNo,LastUpdate,BusinessName,FullBusinessName,County,IssueDate,ExpirationDate,PrimaryStatus,"
    "SecondaryStatus,Classifications(s),WCInsuranceCompany,WCPolicyNumber,WCExpirationDate\r\n"
)


def _license_rows(numbers: list[str], status: str = "CLEAR") -> str:
    return _LICENSE_HEADER + "".join(
        f'{number},03/01/2026,"BUILDER {number}, INC.",BUILDER {number} INC,Los Angeles,01/15/2010,03/31/2028,'
        f"{status},,B|C-10,STATE COMPENSATION INSURANCE FUND,WC-{number},06/30/2027\r\n"
        for number in numbers
    )


def _uploaded(body: str, key: str = "incoming/scenario.csv") -> dict[str, Any]:
    """A license file put into the license bucket, and the "Object Created" event EventBridge
    would deliver for it; the import's own state is cleared first, so the file is the first."""
    import boto3

    from local_portal.buckets import object_created_event
    from tests.support.api import LICENSE_BUCKET

    s3 = boto3.client("s3")
    put = s3.put_object(Bucket=LICENSE_BUCKET, Key=key, Body=body.encode())
    version = {"Key": key, "VersionId": put.get("VersionId"), "LastModified": datetime.now(UTC), "Size": len(body)}
    return object_created_event(LICENSE_BUCKET, {**version, "ETag": put.get("ETag", "")})


def _fresh_license_state() -> None:
    import boto3

    from tests.support.api import LICENSE_BUCKET

    s3 = boto3.client("s3")
    for listed in s3.list_objects_v2(Bucket=LICENSE_BUCKET, Prefix="import-state/").get("Contents", []):
        s3.delete_object(Bucket=LICENSE_BUCKET, Key=listed["Key"])


def license_import(event: dict[str, Any]) -> dict[str, Any]:
    return invoke("LicenseDataFunction", event, 900.0)


def _first_license_file(world: World) -> dict[str, Any]:
    _fresh_license_state()
    return _uploaded(_license_rows([world.new_license() for _ in range(3)]))


def _next_license_file(world: World) -> dict[str, Any]:
    """A file imported, then the next day's: its first row changed, its third gone."""
    numbers = [world.new_license() for _ in range(3)]
    license_import(_first_license_file_of(numbers))
    return _uploaded(
        _license_rows(numbers[:1], "SUSPENDED") + _license_rows(numbers[1:2]).removeprefix(_LICENSE_HEADER)
    )


def _first_license_file_of(numbers: list[str]) -> dict[str, Any]:
    _fresh_license_state()
    return _uploaded(_license_rows(numbers))


def _imported_license_file(world: World) -> dict[str, Any]:
    event = _first_license_file(world)
    license_import(event)
    return event


def _imported(expected: str) -> Callable[[World, Any], Outcome]:
    def run(_: World, event: dict[str, Any]) -> Outcome:
        answer = license_import(event)
        if answer.get("status") != expected:
            raise AssertionError(f"expected the file {expected}: {answer}")
        return answer

    return run


def _with_passkey(world: World) -> tuple[str, SoftwareAuthenticator]:
    """A registered contractor with one passkey: (license, its authenticator)."""
    license_number, token = world.register()
    authenticator, added = add_passkey(world.api, token)
    _expect(added, 201)
    return license_number, authenticator


def _passkey_answer(world: World) -> dict[str, Any]:
    """A passkey's answer to fresh sign-in options (the same passkey for many: its count grows)."""
    _, authenticator = world.rotating("passkey", sys.maxsize, lambda: _with_passkey(world))
    return {"credential": authenticator.get(sign_in_options(world.api))}


def _passkey_registration(world: World) -> tuple[str, dict[str, Any]]:
    """A fresh session and its answer to registration options (a new account every 9 passkeys)."""
    license_number = world.rotating("passkey_add", 9, lambda: _registered_license(world))
    token = _session_of(world, license_number)
    return token, {"credential": SoftwareAuthenticator().create(registration_options(world.api, token))}


def _passkey_of(world: World) -> tuple[str, str]:
    """A fresh session of an account with a passkey, and the passkey's ID."""
    license_number, authenticator = _with_passkey(world)
    return _session_of(world, license_number), authenticator.id


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
    "sign_in_trusted_device": Scenario(_device, _with_device, 200, reusable=True),
    "passkey_sign_in_options": Scenario(
        _nothing, lambda world, _: world.api.request("POST", "/sessions/passkey/options", {}), 200, reusable=True
    ),
    "passkey_sign_in": Scenario(_passkey_answer, _post("/sessions/passkey", lambda body: body), 200),
    "passkey_options": Scenario(
        lambda world: world.register()[1],
        _me("POST", "/me/passkeys/options", lambda: {"current_password": PASSWORD}),
        200,
        reusable=True,
    ),
    "passkey_add": Scenario(
        _passkey_registration,
        lambda world, state: world.api.request("POST", "/me/passkeys", state[1], token=state[0]),
        201,
    ),
    "passkey_list": Scenario(lambda world: world.register()[1], _me("GET", "/me/passkeys"), 200, reusable=True),
    "passkey_rename": Scenario(
        _passkey_of,
        lambda world, state: world.api.request("PATCH", f"/me/passkeys/{state[1]}", {"name": "Phone"}, token=state[0]),
        200,
        reusable=True,
    ),
    "passkey_remove": Scenario(
        _passkey_of,
        lambda world, state: world.api.request("DELETE", f"/me/passkeys/{state[1]}", token=state[0]),
        204,
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
    "profile_update": Scenario(
        lambda world: world.register()[1], _me("PATCH", "/me", lambda: {"phone": "323-555-0199"}), 200, reusable=True
    ),
    "email_change": Scenario(
        # At most 5 links an hour per account: a new account every 4 (registration sent one).
        # A fresh session each time (one over a minute old would add its last-use write).
        lambda world: _session_of(world, world.rotating("email_change", 4, lambda: world.verified()[0])),
        _me("PUT", "/me/email", lambda: {"email": "new.office@builders.example", "current_password": PASSWORD}),
        202,
    ),
    "email_resend": Scenario(
        lambda world: _session_of(world, world.rotating("email_resend", 4, lambda: world.register()[0])),
        _me("POST", "/me/email/verification"),
        202,
    ),
    "password_change": Scenario(
        lambda world: world.verified()[1],
        _me("PUT", "/me/password", lambda: {"current_password": PASSWORD, "new_password": NEW_PASSWORD}),
        200,
    ),
    "security_question_change": Scenario(
        lambda world: world.register()[1],
        _me(
            "PUT",
            "/me/security-question",
            lambda: {"current_password": PASSWORD, "security_question": QUESTION, "security_answer": "Rex the dog"},
        ),
        204,
        reusable=True,
    ),
    "sign_out_everywhere": Scenario(lambda world: world.register()[1], _me("DELETE", "/me/sessions"), 204),
    "email_verify": Scenario(_verification_link, _post("/email/verify", lambda token: {"token": token}), 200),
    "forgot_with_email": Scenario(
        # At most 5 reset emails an hour per account: a new account every 5 requests.
        lambda world: world.rotating("forgot", 5, lambda: world.verified()[0]),
        _post("/password/forgot", lambda license_number: {"license_number": license_number}),
        202,
    ),
    "forgot_unknown_license": Scenario(
        lambda world: world.new_license(),
        _post("/password/forgot", lambda license_number: {"license_number": license_number}),
        202,
    ),
    "activity": Scenario(
        lambda world: world.register()[1],
        lambda world, token: world.api.request("GET", "/me/activity", token=token),
        200,
        reusable=True,
    ),
    "notice_sent": Scenario(stream_notice, lambda world, event: invoke("NoticeFunction", event), "consumed"),
    "reset_mailer_sent": Scenario(
        # At most 5 reset emails an hour per account: a new account every 5 requests.
        lambda world: world.queued_reset_request(world.rotating("mailer", 5, lambda: _verified_license(world))),
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
    "staff_remove_passkeys": Scenario(
        lambda world: _with_passkey(world)[0], _staff_action("remove_passkeys"), "ok", reusable=True
    ),
    "staff_disable": Scenario(_registered_license, _staff_action("disable"), "ok", reusable=True),
    "staff_enable": Scenario(_disabled, _staff_action("enable"), "ok", reusable=True),
    "staff_get": Scenario(_registered_license, _staff_action("get"), "ok", reusable=True),
    "staff_update_contact": Scenario(
        _registered_license,
        lambda world, license_number: staff(
            {"action": "update_contact", "license_number": license_number, "phone": "323-555-0142"}
        ),
        "ok",
        reusable=True,
    ),
    "staff_approve": Scenario(_awaiting_approval, _staff_action("approve"), "ok"),
    "staff_find": Scenario(
        _registered_license,
        lambda world, license_number: staff({"action": "find", "business_name": "sunset"}),
        "ok",
        reusable=True,
    ),
    "license_check": Scenario(
        lambda world: world.new_license(),
        _post("/contractors/check", lambda license_number: {"license_number": license_number}),
        200,
        reusable=True,
    ),
    # These load the state board's list (last, so the earlier cases run as without one).
    "register_pending_review": Scenario(
        lambda world: _listed(world, absent=True),
        _post("/contractors", lambda license_number: registration_body(license_number, "new@builders.example")),
        201,
    ),
    "register_license_not_active": Scenario(
        lambda world: _listed(world, primary_status="SUSPENDED"),
        _post("/contractors", lambda license_number: registration_body(license_number, "new@builders.example")),
        422,
        reusable=True,
    ),
    "reminders_license_due": Scenario(_license_due_today, _reminders, "ok"),
    "staff_list_pending": Scenario(
        _pending_reviews, lambda world, _: staff({"action": "list_pending"}), "ok", reusable=True
    ),
    "reminders_one_due": Scenario(_due_today, _reminders, "ok"),
    "license_import_first": Scenario(_first_license_file, _imported("imported"), "ok"),
    "license_import_next": Scenario(_next_license_file, _imported("imported"), "ok"),
    "license_import_rerun": Scenario(_imported_license_file, _imported("already_imported"), "ok", reusable=True),
}


def first_requests(world: World, count_each: int) -> dict[str, list[dict[str, Any]]]:
    """``count_each`` events of each function's main request, state prepared (the cold-start
    and memory-size children replay them): register, sign in, the dashboard, forgot password
    (an account with email), a reset with its emailed link, staff ``get``, the reset mailer's
    SQS event for an account with email, the reminder job and a bounce."""
    from contractor_accounts import runtime
    from contractor_accounts.domain.workers_comp import city_today

    shared = world.shared_license()
    token = _session_of(world, shared)
    today = city_today(runtime.clock().now(), runtime.settings().zone).isoformat()
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
            {"license_number": world.rotating("forgot", 5, lambda: world.verified()[0])},
        )[1],
        "ResetFunction": lambda: world.api.event(
            "POST",
            "/password/reset",
            {"reset_token": world.reset_token(), "security_answer": ANSWER, "new_password": NEW_PASSWORD},
        )[1],
        "StaffFunction": lambda: {"action": "get", "license_number": shared},
        "ResetMailerFunction": lambda: world.queued_reset_request(
            world.rotating("mailer", 5, lambda: _verified_license(world))
        ),
        # The daily job with nothing due: its index Queries (a run with contractors due adds a
        # conditional PutItem and an email each).
        "ReminderFunction": lambda: {"today": today},
        # SES reports a bounce of the shared account's address (through SNS).
        "EmailEventsFunction": lambda: sns_event(bounce(shared, address_of(shared))),
    }
    return {function: [make() for _ in range(count_each)] for function, make in makers.items()}


def contractor_item_states(world: World) -> Iterator[tuple[str, str]]:
    """One account through its common states: (state, license number) after each step, for the
    contractor item's size (write units are ceil(size / 1 KB))."""
    license_number, _ = world.register()
    yield "registered (link pending, workers' comp policy)", license_number
    _expect(
        world.api.request("POST", "/email/verify", {"token": link_token(VERIFY_PAGE, address_of(license_number))}), 200
    )
    yield "email verified", license_number
    _expect(world.sign_in(license_number), 200)
    yield "signed in once (1 trusted device)", license_number
    for _ in range(2):
        _expect(world.sign_in(license_number), 200)
    yield "3 trusted devices", license_number
    for _ in range(7):
        _expect(world.sign_in(license_number), 200)
    yield "10 trusted devices (the most an account keeps)", license_number
    _expect(world.api.request("POST", "/password/forgot", {"license_number": license_number}), 202)
    yield "10 devices and a reset link", license_number


def address_of(license_number: str) -> str:
    return f"c{license_number}@builders.example"
