"""The documented minimum AWS calls of every operation: the one place the numbers live.

test_aws_calls.py (beside this) fails a request that makes any other number of calls, and
`make bench` prints these beside what it measured (docs/PERFORMANCE.md). A minimum is what the
contract's behaviour needs, not what today's code does: a request above it fails the test until
a cut brings it down (or the minimum is argued up, here).

Two configurations (the template parameter ``PerAddressLimitsAt``): the numbers below are those
of ``edge``, where the API's AWS WAF rate-based rule enforces the per-address limits (sign-in,
forgot, registration) and the functions count nothing; with ``function`` (the default) a request
marked ``per_address`` also makes one UpdateItem on its caller's counter item (``calls("function")``).
Folding that counter into a write the request makes anyway is not sound: the limit must be
decided before any password work, and the only write before it is on the account, a different
item (a transaction could hold both, but returns no values, so the account would need a read).

Shared assumptions behind the numbers:
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
    sqs: int = 0  # SQS calls made by the function itself (Lambda's poller receives and deletes)
    per_address: bool = False  # counted per caller address: +1 UpdateItem where the function counts

    def calls(self, limits_at: str = "edge") -> tuple[dict[str, int], int]:
        """Calls by botocore service name (every other service must be 0) and DynamoDB writes,
        with the per-address limits counted at ``limits_at`` ("edge" or "function")."""
        counter = int(self.per_address and limits_at == "function")
        dynamodb, writes = self.dynamodb + counter, self.dynamodb_writes + counter
        counts = (("dynamodb", dynamodb), ("sesv2", self.ses), ("sqs", self.sqs))
        return {name: count for name, count in counts if count}, writes


LIMITS_AT: Final = ("function", "edge")
# The configuration the template deploys by default (and the bench runs).
DEFAULT_LIMITS_AT: Final = "function"


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
        ses=1,
        why=(
            "account, first session and audit entry are written together or not at all: one "
            "TransactWriteItems with attribute_not_exists on the account (with the confirmation link's token); "
            "then the confirmation link's email (SES, best effort: the account exists either way)"
        ),
        per_address=True,
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
        per_address=True,
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
            "takes back exactly its claim, conditioned on the device map it computed (a write lost to a "
            "concurrent sign-in's change of the map is retried on the map it returns, at most 5 writes in all)"
        ),
        per_address=True,
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
        per_address=True,
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
        per_address=True,
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
        per_address=True,
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
        per_address=True,
    ),
    Minimum(
        case="sign_in_trusted_device",
        function="LoginFunction",
        request="POST /sessions",
        outcome="200 session, through a trusted device",
        dynamodb=2,
        dynamodb_writes=2,
        ses=0,
        why=(
            "the attempt is claimed on the browser's device (its own failure count: conditional UpdateItem, "
            "ReturnValues=ALL_NEW, the account with it), then one write starts the session and clears the "
            "device's count"
        ),
        per_address=True,
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
            "the session, then the account it names (dependent reads); its last use is written at most once "
            "a minute (policy.SESSION_LAST_SEEN_RESOLUTION_SECONDS; then a third call, an UpdateItem), so a "
            "session may end up to a minute before 30 idle minutes, never after"
        ),
    ),
    Minimum(
        case="profile_update",
        function="AccountFunction",
        request="PATCH /me",
        outcome="200 the dashboard",
        dynamodb=3,
        dynamodb_writes=1,
        ses=0,
        why=(
            "the session, the account (the answer is the dashboard; a transaction returns no values), then one "
            "transaction: the change and its audit entry, conditioned on the session's generation"
        ),
    ),
    Minimum(
        case="email_change",
        function="AccountFunction",
        request="PUT /me/email",
        outcome="202 link sent, old address told",
        dynamodb=4,
        dynamodb_writes=2,
        ses=1,
        why=(
            "the session and the account (the 5-an-hour link limit is judged before the password is claimed, so a "
            "right password is never counted for a refused request); the current password's claim (UpdateItem, "
            "ALL_NEW); one transaction: the pending address, the link's token, the audit entry, the activity record; "
            "the link to the new address (SES). The notice to the old verified address goes from NoticeFunction "
            "(v3: was a second SES call here)"
        ),
    ),
    Minimum(
        case="email_resend",
        function="AccountFunction",
        request="POST /me/email/verification",
        outcome="202 link sent again",
        dynamodb=3,
        dynamodb_writes=1,
        ses=1,
        why=(
            "the session, the account (its pending address and the 5-an-hour limit), one transaction (the new "
            "newest link and its token); the email (SES)"
        ),
    ),
    Minimum(
        case="password_change",
        function="AccountFunction",
        request="PUT /me/password",
        outcome="200 the session's successor",
        dynamodb=4,
        dynamodb_writes=2,
        ses=0,
        why=(
            "the session and the account (the new password is judged against the license, business name and email "
            "before the current one is claimed, so a refused new password counts no failure); the claim "
            "(UpdateItem, ALL_NEW); one transaction: password, every other session ended, the successor, audit, "
            "activity record. The 'password changed' notice goes from NoticeFunction (v3: was an SES call here)"
        ),
    ),
    Minimum(
        case="security_question_change",
        function="AccountFunction",
        request="PUT /me/security-question",
        outcome="204",
        dynamodb=4,
        dynamodb_writes=2,
        ses=0,
        why=(
            "the session and the account (the session must still speak for it, active and of its generation, "
            "before the password is claimed: a stale session is 401 unauthorized and counts no failure); the "
            "claim (UpdateItem, ALL_NEW); one transaction: question, answer, claim taken back, audit"
        ),
    ),
    Minimum(
        case="sign_out_everywhere",
        function="AccountFunction",
        request="DELETE /me/sessions",
        outcome="204",
        dynamodb=2,
        dynamodb_writes=1,
        ses=0,
        why=(
            "the session; one transaction (generation bumped, devices removed, audit) conditioned on the account "
            "being active and of the session's generation: no read of the account"
        ),
    ),
    Minimum(
        case="email_verify",
        function="AccountFunction",
        request="POST /email/verify",
        outcome="200 the verified address",
        dynamodb=3,
        dynamodb_writes=1,
        ses=0,
        why=(
            "the link's token, the account (whether the link confirms the address or changes it: the audit "
            "entry says which), one transaction (token consumed, address verified, audit)"
        ),
    ),
    Minimum(
        case="activity",
        function="AccountFunction",
        request="GET /me/activity",
        outcome="200 the account's activity",
        dynamodb=2,
        dynamodb_writes=0,
        ses=0,
        why=(
            "the session (GetItem), then one Query of the account's partition from ACTIVITY#<90 days ago> to "
            "PROFILE, newest first: the account (whether the session still speaks for it, and the failure counts), "
            "its audit trail (staff actions, shown in the past tense) and its activity records; the 50 newest are "
            "picked in code (ACTIVITY# and AUDIT# sort apart, so no Limit can pick them)"
        ),
    ),
    Minimum(
        case="notice_sent",
        function="NoticeFunction",
        request="stream: one activity record",
        outcome="notice emailed",
        dynamodb=1,
        dynamodb_writes=0,
        ses=1,
        why=(
            "the account (GetItem: its verified address, whether mail reaches it), then the email (SES); the "
            "record came with the stream's event (Lambda reads the stream), filtered to the records that ask for a "
            "notice, so no other write of the table invokes the function"
        ),
    ),
    Minimum(
        case="forgot_with_email",
        function="ForgotFunction",
        request="POST /password/forgot",
        outcome="202 (an account with an email)",
        dynamodb=0,
        dynamodb_writes=0,
        ses=0,
        sqs=1,
        why=(
            "the per-address counter where the functions count (one UpdateItem), then the request handed to "
            "ResetRequestsQueue (one SendMessage), whatever the license: the answer goes at once, the account is "
            "read by the mailer, no SES call and no billed sleep"
        ),
        per_address=True,
    ),
    Minimum(
        case="forgot_unknown_license",
        function="ForgotFunction",
        request="POST /password/forgot",
        outcome="202 (no such account)",
        dynamodb=0,
        dynamodb_writes=0,
        ses=0,
        sqs=1,
        why=(
            "exactly the calls of a real account (counter UpdateItem + SendMessage): the same work, so time "
            "tells nothing without a sleep"
        ),
        per_address=True,
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
        dynamodb=4,
        dynamodb_writes=2,
        ses=0,
        why=(
            "the reset token, then the account it names (dependent reads: whether a question is set, and the "
            "new password judged against the license, business name and email BEFORE the answer is counted, "
            "so a refused new password never uses up one of the link's answers); the answer counted before "
            "it is judged (contract v2: conditional UpdateItem); one transaction consumes the token, changes "
            "the password, writes the audit and the activity record. The 'password changed' notice goes from "
            "NoticeFunction (v3: was an SES call here)"
        ),
    ),
    Minimum(
        case="reset_wrong_answer",
        function="ResetFunction",
        request="POST /password/reset",
        outcome="401 incorrect_security_answer",
        dynamodb=3,
        dynamodb_writes=1,
        ses=0,
        why=(
            "the token, the account, the counting write (as above); nothing more after a wrong answer: the "
            "count is already written"
        ),
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
    ),
    Minimum(
        case="staff_unlock",
        function="StaffFunction",
        request="staff: unlock",
        outcome="ok",
        dynamodb=1,
        dynamodb_writes=1,
        ses=0,
        why=(
            "one transaction (update + audit) conditioned on the account existing; a failed condition "
            "returns nothing (ALL_OLD of no item): no such contractor"
        ),
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
    ),
    Minimum(
        case="staff_enable",
        function="StaffFunction",
        request="staff: enable",
        outcome="ok",
        dynamodb=1,
        dynamodb_writes=1,
        ses=0,
        why=(
            "one transaction (status, audit) conditioned on the account not awaiting approval, so the answer "
            "says the status it really has; for an account awaiting approval (rare: pending and disabled) the "
            "failed condition returns it (ALL_OLD) and a second transaction enables it, still pending_review"
        ),
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
            "one Query of the account's partition from ACTIVITY#<90 days ago> to PROFILE, newest first: the "
            "account, its audit trail (the 20 newest shown) and its activity (v3: as GET /me/activity shows it)"
        ),
    ),
    Minimum(
        case="staff_update_contact",
        function="StaffFunction",
        request="staff: update_contact",
        outcome="ok, the updated contractor",
        dynamodb=2,
        dynamodb_writes=1,
        ses=0,
        why=(
            "one transaction (the change, conditioned on the account existing; ALL_OLD says not found), then the "
            "answer, the updated account with its audit: one Query of its partition"
        ),
    ),
    Minimum(
        case="staff_approve",
        function="StaffFunction",
        request="staff: approve",
        outcome="ok",
        dynamodb=1,
        dynamodb_writes=1,
        ses=0,
        why=(
            "one transaction conditioned on the account awaiting approval and active; a failed condition returns "
            "the account (ALL_OLD): not found, disabled or not pending review"
        ),
    ),
    Minimum(
        case="reminders_one_due",
        function="ReminderFunction",
        request="schedule: reminders (1 due)",
        outcome="ok, 1 sent",
        dynamodb=3,
        dynamodb_writes=1,
        ses=1,
        why=(
            "one Query of the sparse expiry index per threshold (30 days ahead, today: 2, whatever the table's "
            "size), then per contractor due one conditional PutItem (once per policy and threshold) and one email "
            "(SES): +1 PutItem +1 SES for each further contractor"
        ),
    ),
)

BY_CASE: Final = {minimum.case: minimum for minimum in MINIMUMS}
