"""The documented minimum AWS calls of every operation: the one place the numbers live.

tests/performance/test_aws_calls.py fails a request that makes any other number of calls, and
`make bench` prints these beside what it measured (docs/PERFORMANCE.md). A minimum is what the
contract's behaviour needs, not what today's code does: where the code still makes more calls,
``over_today`` says which cut brings it down, and the test is an expected failure (strict, so
it fails loudly once the cut lands and the marker must go).

Shared assumptions behind the numbers:
- the per-address limits (sign-in, forgot, registration) leave the request path: enforced at
  the edge (AWS WAF rate-based rule on the API stage), or folded into a write the request makes
  anyway; a separate counter item costs every request one UpdateItem;
- a write that must see the account's state before deciding does it in its condition, and
  reads what it needs back with ReturnValues / ReturnValuesOnConditionCheckFailure=ALL_OLD,
  instead of a GetItem first;
- two items that must change together take one TransactWriteItems call (2x the write units of
  its items), only when one conditional write cannot do it;
- email the contractor waits for nothing from leaves through a queue to a mailer function
  (one SQS SendMessage on the request path, no SES call and no billed sleep)."""

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Minimum:
    case: str
    function: str  # the template's logical ID
    request: str  # "POST /sessions" or "staff: unlock"
    outcome: str
    dynamodb: int  # DynamoDB API calls (round trips)
    dynamodb_writes: int  # of which write calls
    ses: int  # SES (sesv2) calls
    why: str
    over_today: str | None = None  # the cut that brings today's code to the minimum
    sqs: int = 0  # SQS calls made by the function itself (Lambda's poller receives and deletes)

    def services(self) -> dict[str, int]:
        """Calls by botocore service name; every other service must be 0."""
        counts = (("dynamodb", self.dynamodb), ("sesv2", self.ses), ("sqs", self.sqs))
        return {name: count for name, count in counts if count}


MINIMUMS: Final[tuple[Minimum, ...]] = (
    Minimum(
        case="security_questions",
        function="RegisterFunction",
        request="GET /security-questions",
        outcome="200 the questions",
        dynamodb=0,
        dynamodb_writes=0,
        ses=0,
        why="a constant list in the code",
    ),
    Minimum(
        case="register_new",
        function="RegisterFunction",
        request="POST /contractors",
        outcome="201 signed in",
        dynamodb=1,
        dynamodb_writes=1,
        ses=0,
        why=(
            "account, first session and audit entry are written together or not at all: one "
            "TransactWriteItems with attribute_not_exists on the account"
        ),
    ),
    Minimum(
        case="register_taken",
        function="RegisterFunction",
        request="POST /contractors",
        outcome="409 license_already_registered",
        dynamodb=1,
        dynamodb_writes=1,
        ses=0,
        why=(
            "the same transaction fails its condition; ReturnValuesOnConditionCheckFailure=ALL_OLD returns "
            "the existing account, which tells 409 license_already_registered from license_on_file"
        ),
        over_today="reads the account again (GetItem) after the cancelled transaction",
    ),
    Minimum(
        case="sign_in_success",
        function="LoginFunction",
        request="POST /sessions",
        outcome="200 session",
        dynamodb=2,
        dynamodb_writes=2,
        ses=0,
        why=(
            "the attempt is recorded before the password is judged (one conditional UpdateItem that also "
            "returns the account, ReturnValues=ALL_NEW: no GetItem); then one write starts the session and "
            "clears the count"
        ),
        over_today=(
            "per-address counter UpdateItem + GetItem + TransactWriteItems: fold the counter away (edge) and "
            "read the account from the attempt's UpdateItem"
        ),
    ),
    Minimum(
        case="sign_in_wrong_password",
        function="LoginFunction",
        request="POST /sessions",
        outcome="401 invalid_credentials: wrong password",
        dynamodb=1,
        dynamodb_writes=1,
        ses=0,
        why="the attempt recorded before judging is the failure count: nothing more to write",
        over_today=(
            "counter UpdateItem + GetItem + failure UpdateItem: record the attempt first, returning the "
            "account, and write nothing after a wrong password"
        ),
    ),
    Minimum(
        case="sign_in_unknown_license",
        function="LoginFunction",
        request="POST /sessions",
        outcome="401 invalid_credentials: unknown license",
        dynamodb=1,
        dynamodb_writes=1,
        ses=0,
        why=(
            "the same conditional write as a known license (it fails on attribute_exists), so an unknown "
            "license costs and looks the same"
        ),
        over_today="counter UpdateItem + GetItem + failed UpdateItem",
    ),
    Minimum(
        case="sign_in_locked",
        function="LoginFunction",
        request="POST /sessions",
        outcome="401 invalid_credentials: locked, right password",
        dynamodb=1,
        dynamodb_writes=1,
        ses=0,
        why=(
            "the recording write's condition refuses an attempt inside the lock window: not counted, lock "
            "not extended (contract v2), nothing else written"
        ),
        over_today=(
            "counter UpdateItem + GetItem + failure UpdateItem (which also counts the refused attempt, "
            "against contract v2)"
        ),
    ),
    Minimum(
        case="sign_in_temporary_password",
        function="LoginFunction",
        request="POST /sessions",
        outcome="200 NEW_PASSWORD_REQUIRED",
        dynamodb=2,
        dynamodb_writes=2,
        ses=0,
        why=(
            "as a sign-in: record the attempt (returns the account), then write the challenge token and clear the count"
        ),
        over_today="counter UpdateItem + GetItem + TransactWriteItems",
    ),
    Minimum(
        case="sign_out",
        function="LoginFunction",
        request="DELETE /sessions/current",
        outcome="204",
        dynamodb=1,
        dynamodb_writes=1,
        ses=0,
        why="one conditional DeleteItem of the session",
    ),
    Minimum(
        case="dashboard",
        function="AccountFunction",
        request="GET /me",
        outcome="200 the dashboard",
        dynamodb=2,
        dynamodb_writes=0,
        ses=0,
        why=(
            "the session, then the account it names (dependent reads); no write while the session's idle "
            "deadline is far off (1 with BatchGetItem if the token named its account)"
        ),
        over_today="writes last_seen_at on every call (UpdateItem): write only when the idle deadline needs moving",
    ),
    Minimum(
        case="forgot_with_email",
        function="ForgotFunction",
        request="POST /password/forgot",
        outcome="202 (an account with an email)",
        dynamodb=1,
        dynamodb_writes=1,
        ses=0,
        sqs=1,
        why=(
            "the per-address counter (one UpdateItem), then the request handed to ResetRequestsQueue (one "
            "SendMessage), whatever the license: the answer goes at once, the account is read by the mailer, "
            "no SES call and no billed sleep"
        ),
    ),
    Minimum(
        case="forgot_unknown_license",
        function="ForgotFunction",
        request="POST /password/forgot",
        outcome="202 (no such account)",
        dynamodb=1,
        dynamodb_writes=1,
        ses=0,
        sqs=1,
        why=(
            "exactly the calls of a real account (counter UpdateItem + SendMessage): the same work, so time "
            "tells nothing without a sleep"
        ),
    ),
    Minimum(
        case="reset_mailer_sent",
        function="ResetMailerFunction",
        request="SQS: one reset request",
        outcome="link emailed",
        dynamodb=2,
        dynamodb_writes=1,
        ses=1,
        why=(
            "the account (GetItem: its address, whether it is verified, this hour's emails); one transaction "
            "makes the new token the only live link and records the request (token put + account update); "
            "the email (SES)"
        ),
    ),
    Minimum(
        case="reset_mailer_unknown_license",
        function="ResetMailerFunction",
        request="SQS: one reset request",
        outcome="no such account: consumed",
        dynamodb=1,
        dynamodb_writes=0,
        ses=0,
        why="the account's GetItem finds nothing; nothing is written or sent",
    ),
    Minimum(
        case="reset_question",
        function="ResetFunction",
        request="POST /password/reset/question",
        outcome="200 the question",
        dynamodb=2,
        dynamodb_writes=0,
        ses=0,
        why="the reset token, then the account it names (dependent reads)",
    ),
    Minimum(
        case="reset_with_token",
        function="ResetFunction",
        request="POST /password/reset",
        outcome="200 password changed",
        dynamodb=3,
        dynamodb_writes=2,
        ses=1,
        why=(
            "the answer is counted before it is judged (contract v2) by the token read itself (UpdateItem "
            "ADD, ReturnValues=ALL_NEW instead of GetItem); the account (GetItem); one transaction consumes "
            "the token, changes the password, writes the audit; the 'password changed' notice (SES)"
        ),
        over_today=(
            "reads the token with GetItem and counts only wrong answers, after judging: count every answer "
            "in the token read"
        ),
    ),
    Minimum(
        case="reset_wrong_answer",
        function="ResetFunction",
        request="POST /password/reset",
        outcome="401 incorrect_security_answer",
        dynamodb=2,
        dynamodb_writes=1,
        ses=0,
        why=("the counting token read (UpdateItem, ALL_NEW) and the account; nothing more after a wrong answer"),
        over_today="GetItem token + GetItem account + UpdateItem count: the count belongs in the token read",
    ),
    Minimum(
        case="reset_first_sign_in",
        function="ResetFunction",
        request="POST /password/reset",
        outcome="200 signed in (SAVE AND LOGIN)",
        dynamodb=3,
        dynamodb_writes=1,
        ses=0,
        why=(
            "the challenge token, the account, then one transaction: token consumed, password set, audit, new session"
        ),
    ),
    Minimum(
        case="staff_import",
        function="StaffFunction",
        request="staff: import_contractors (3 rows)",
        outcome="ok, 3 imported",
        dynamodb=3,
        dynamodb_writes=3,
        ses=0,
        why=("one conditional transaction (account + audit) per row: one row that exists must not cancel the others"),
    ),
    Minimum(
        case="staff_issue_temporary_password",
        function="StaffFunction",
        request="staff: issue_temporary_password",
        outcome="ok",
        dynamodb=1,
        dynamodb_writes=1,
        ses=0,
        why=(
            "one transaction (account must exist and be active, audit entry); a failed condition returns the "
            "account (ALL_OLD) to say not-found or disabled"
        ),
        over_today="GetItem before and GetItem after the transaction",
    ),
    Minimum(
        case="staff_unlock",
        function="StaffFunction",
        request="staff: unlock",
        outcome="ok",
        dynamodb=1,
        dynamodb_writes=1,
        ses=0,
        why="one transaction (update + audit) conditioned on the account existing",
        over_today="GetItem before and GetItem after the transaction",
    ),
    Minimum(
        case="staff_disable",
        function="StaffFunction",
        request="staff: disable",
        outcome="ok",
        dynamodb=1,
        dynamodb_writes=1,
        ses=0,
        why="one transaction (status, session generation, audit)",
        over_today="GetItem before and GetItem after the transaction",
    ),
    Minimum(
        case="staff_enable",
        function="StaffFunction",
        request="staff: enable",
        outcome="ok",
        dynamodb=1,
        dynamodb_writes=1,
        ses=0,
        why="one transaction (status, audit)",
        over_today="GetItem before and GetItem after the transaction",
    ),
    Minimum(
        case="staff_get",
        function="StaffFunction",
        request="staff: get",
        outcome="ok, the account and its audit",
        dynamodb=1,
        dynamodb_writes=0,
        ses=0,
        why=(
            "one Query of the account's partition, newest first: PROFILE sorts after AUDIT#..., so the "
            "account and its 20 newest audit entries come in one page"
        ),
        over_today="GetItem + Query",
    ),
)

BY_CASE: Final = {minimum.case: minimum for minimum in MINIMUMS}
