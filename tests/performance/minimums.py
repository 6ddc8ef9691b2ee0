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
    s3: int = 0  # S3 calls (the license import: its file and its own state)
    per_address: bool = False  # counted per caller address: +1 UpdateItem where the function counts

    def calls(self, limits_at: str = "edge") -> tuple[dict[str, int], int]:
        """Calls by botocore service name (every other service must be 0) and DynamoDB writes,
        with the per-address limits counted at ``limits_at`` ("edge" or "function")."""
        counter = int(self.per_address and limits_at == "function")
        dynamodb, writes = self.dynamodb + counter, self.dynamodb_writes + counter
        counts = (("dynamodb", dynamodb), ("sesv2", self.ses), ("sqs", self.sqs), ("s3", self.s3))
        return {name: count for name, count in counts if count}, writes


LIMITS_AT: Final = ("function", "edge")
# The configuration the template deploys by default (and the bench runs).
DEFAULT_LIMITS_AT: Final = "function"


_SERVICE_MINIMUMS: Final[tuple[Minimum, ...]] = (
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
        dynamodb=2,
        dynamodb_writes=1,
        ses=1,
        why=(
            "StateLicenseCheck (default review): the account, the license's state record and the list's item in "
            "one consistent BatchGetItem, before any hashing (the 409s first, then the list's 422s); then "
            "account, first session, audit entry and confirmation link's token written together or not at all: "
            "one TransactWriteItems with attribute_not_exists on the account (a race still ends in the 409); "
            "then the link's email (SES, best effort). With StateLicenseCheck off: no read, 1 call"
        ),
        per_address=True,
    ),
    Minimum(
        case="register_taken",
        function="RegisterFunction",
        request="POST /contractors",
        outcome="409 license_already_registered",
        dynamodb=1,
        dynamodb_writes=0,
        ses=0,
        why=(
            "the license check's BatchGetItem brings the account: 409 license_already_registered or "
            "license_on_file from it, no hashing, no write (with the check off, the transaction's failed "
            "condition returns the account instead, ALL_OLD)"
        ),
        per_address=True,
    ),
    Minimum(
        case="register_pending_review",
        function="RegisterFunction",
        request="POST /contractors",
        outcome="201 signed in, pending_review (the state list lacks the license)",
        dynamodb=2,
        dynamodb_writes=1,
        ses=1,
        why=(
            "as register_new: the pending list's index item (PENDING_REVIEW / <registered_at>#<license>) is one "
            "more Put in the same transaction, so staff list_pending needs neither a Scan nor a GSI"
        ),
        per_address=True,
    ),
    Minimum(
        case="register_license_not_active",
        function="RegisterFunction",
        request="POST /contractors",
        outcome="422 license_not_active",
        dynamodb=1,
        dynamodb_writes=0,
        ses=0,
        why="the license check's BatchGetItem decides it: nothing hashed, nothing written",
        per_address=True,
    ),
    Minimum(
        case="license_check",
        function="RegisterFunction",
        request="POST /contractors/check",
        outcome="200 the license's status",
        dynamodb=1,
        dynamodb_writes=0,
        ses=0,
        why=(
            "registration's own read alone (the account, the license's state record and the list's item in one "
            "BatchGetItem), under the registration per-address limit"
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
        case="passkey_sign_in_options",
        function="LoginFunction",
        request="POST /sessions/passkey/options",
        outcome="200 the options (no account named)",
        dynamodb=1,
        dynamodb_writes=1,
        ses=0,
        why="the challenge's hash stored (one conditional PutItem); the options name no account, so nothing is read",
        per_address=True,
    ),
    Minimum(
        case="passkey_sign_in",
        function="LoginFunction",
        request="POST /sessions/passkey",
        outcome="200 session, no argon2",
        dynamodb=3,
        dynamodb_writes=1,
        ses=0,
        why=(
            "the answer names its user handle, never a license: the handle's item gives the account's key "
            "(GetItem), then the account with its passkeys' public keys and sign counts (GetItem: the key comes "
            "from the first read, so the two cannot be one); a signature is verified, no password hash; then one "
            "transaction consumes the challenge, moves the sign count (conditioned on the count verified against), "
            "stores the session and the device"
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
            "the session, then the account it names with its license's state record (dependent reads; the "
            "account and the record in one consistent BatchGetItem, no GetItem); its last use is written at most once "
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
        case="passkey_options",
        function="AccountFunction",
        request="POST /me/passkeys/options",
        outcome="200 the creation options",
        dynamodb=4,
        dynamodb_writes=2,
        ses=0,
        why=(
            "as a security question change: the session and the account (the 10-passkey cap is judged before the "
            "password is claimed, so a right password is never counted for a refused request); the claim "
            "(UpdateItem, ALL_NEW); one transaction: the challenge stored, the claim taken back (and the user "
            "handle and its item made, the first time)"
        ),
    ),
    Minimum(
        case="passkey_add",
        function="AccountFunction",
        request="POST /me/passkeys",
        outcome="201 the passkey",
        dynamodb=2,
        dynamodb_writes=1,
        ses=0,
        why=(
            "the session; one transaction: the challenge consumed (only this session's), the passkey put in the "
            "account's map on the conditions (session's generation, under 10, not there yet), the audit entry; "
            "a failed condition returns the account (ALL_OLD), which says why: no read of it first"
        ),
    ),
    Minimum(
        case="passkey_list",
        function="AccountFunction",
        request="GET /me/passkeys",
        outcome="200 the passkeys",
        dynamodb=2,
        dynamodb_writes=0,
        ses=0,
        why="the session, then the account, whose item holds its passkeys",
    ),
    Minimum(
        case="passkey_rename",
        function="AccountFunction",
        request="PATCH /me/passkeys/{id}",
        outcome="200 the renamed passkey",
        dynamodb=3,
        dynamodb_writes=1,
        ses=0,
        why=(
            "the session, the account (the answer is the whole passkey; a transaction returns no values), one "
            "transaction (the name, conditioned on the passkey and the session's generation; the audit entry)"
        ),
    ),
    Minimum(
        case="passkey_remove",
        function="AccountFunction",
        request="DELETE /me/passkeys/{id}",
        outcome="204",
        dynamodb=2,
        dynamodb_writes=1,
        ses=0,
        why=(
            "the session; one transaction (the passkey removed, conditioned on it and on the session's "
            "generation; the audit entry); a failed condition returns the account: 404 or 401 without a read"
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
        case="staff_remove_passkeys",
        function="StaffFunction",
        request="staff: remove_passkeys",
        outcome="ok",
        dynamodb=1,
        dynamodb_writes=1,
        ses=0,
        why="one transaction (the account's passkey map emptied, audit entry): the passkeys are on the account item",
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
        dynamodb=2,
        dynamodb_writes=0,
        ses=0,
        why=(
            "one Query of the account's partition from ACTIVITY#<90 days ago> to PROFILE, newest first: the "
            "account, its audit trail (the 20 newest shown) and its activity (v3: as GET /me/activity shows it); "
            "then the license's state record and the list's item (one BatchGetItem; another partition)"
        ),
    ),
    Minimum(
        case="staff_update_contact",
        function="StaffFunction",
        request="staff: update_contact",
        outcome="ok, the updated contractor",
        dynamodb=4,
        dynamodb_writes=1,
        ses=0,
        why=(
            "one GetItem of the account first: a changed business name, contact, email or phone must delete its "
            "old find entry, whose key is the old value; then one transaction (the change, conditioned on the "
            "account existing and those fields being as read, with the find entries moved), then the answer, "
            "the updated account with its audit: one Query of its partition, and (staff get's view) its "
            "license's state record in one BatchGetItem"
        ),
    ),
    Minimum(
        case="staff_find",
        function="StaffFunction",
        request="staff: find",
        outcome="ok, at most 25 accounts",
        dynamodb=2,
        dynamodb_writes=0,
        ses=0,
        why=(
            "one Query of the FIND# bucket the text falls in (begins_with on the sort key, at most 26 entries: "
            "26 says there are more), then one BatchGetItem of the accounts found, so the answer is the "
            "accounts as they are, not a copy kept in the index; never a Scan"
        ),
    ),
    Minimum(
        case="staff_approve",
        function="StaffFunction",
        request="staff: approve",
        outcome="ok, the contractor emailed",
        dynamodb=2,
        dynamodb_writes=1,
        ses=1,
        why=(
            "the account read first (GetItem): the approval email needs its address, and the pending list's "
            "item its registration time (its sort key); then one transaction conditioned on the account "
            "awaiting approval and active, with the audit entry and the pending item's Delete (a failed "
            "condition returns the account, ALL_OLD); then the approval email (SES, best effort)"
        ),
    ),
    Minimum(
        case="staff_list_pending",
        function="StaffFunction",
        request="staff: list_pending",
        outcome="ok, the pending_review accounts oldest first",
        dynamodb=2,
        dynamodb_writes=0,
        ses=0,
        why=(
            "one Query of the PENDING_REVIEW partition (index items written with each pending registration, "
            "sorted by registration time: no Scan, no GSI), then their state records in one BatchGetItem "
            "(100 keys a call)"
        ),
    ),
    Minimum(
        case="reminders_one_due",
        function="ReminderFunction",
        request="schedule: reminders (1 due)",
        outcome="ok, 1 sent",
        dynamodb=55,
        dynamodb_writes=1,
        ses=1,
        why=(
            "reminders that cannot be missed (contract v3), whatever the table's size: one Query of the sparse "
            "workers' comp expiry index per day from 7 days back (an expiry day a run missed) to 30 ahead (a "
            "threshold reached and not yet reminded: a policy entered with 17 days left): 38; one Query of the "
            "import's LICENSE_EXPIRY#<day> partition per day of the two license windows (60 and 30 days ahead, "
            "each with 7 catch-up days): 16; then per contractor due one conditional PutItem (once per policy "
            "or license and threshold) and one email (SES): +1 PutItem +1 SES for each further contractor. A "
            "daily job: 54 Queries of empty or small partitions take well under a second"
        ),
    ),
    Minimum(
        case="reminders_license_due",
        function="ReminderFunction",
        request="schedule: reminders (1 license due)",
        outcome="ok, 1 sent",
        dynamodb=56,
        dynamodb_writes=1,
        ses=1,
        why=(
            "the same 54 Queries; the due day's licenses' accounts in one BatchGetItem (100 a call: the "
            "list holds licenses of the whole state, the accounts are the city's); then the claim and the email"
        ),
    ),
)

# The license import (LicenseDataFunction), for a small file (a 245,000-row file: docs/PERFORMANCE.md).
LICENSE_IMPORT_MINIMUMS: Final[tuple[Minimum, ...]] = (
    Minimum(
        case="license_import_first",
        function="LicenseDataFunction",
        request="upload: the first license file (3 rows)",
        outcome="imported, 3 written",
        dynamodb=2,
        dynamodb_writes=2,
        ses=0,
        s3=4,
        why=(
            "S3: one ListObjectsV2 of import-state/ (what state exists), the file streamed (one GetObject of its "
            "version), the digests and the progress put; DynamoDB: one BatchWriteItem per 25 changed rows, then "
            "the list's item (a BatchWriteItem of one, last)"
        ),
    ),
    Minimum(
        case="license_import_next",
        function="LicenseDataFunction",
        request="upload: the next day's file (1 row changed, 1 gone)",
        outcome="imported, 1 written, 1 NOT LISTED",
        dynamodb=3,
        dynamodb_writes=3,
        ses=0,
        s3=6,
        why=(
            "as the first, plus the last whole file's digests and the progress read (GetObject each): no DynamoDB "
            "read at all; the changed row's BatchWriteItem, one conditional UpdateItem per license gone (NOT "
            "LISTED), the list's item"
        ),
    ),
    Minimum(
        case="license_import_rerun",
        function="LicenseDataFunction",
        request="upload event again (same version)",
        outcome="already imported, nothing written",
        dynamodb=0,
        dynamodb_writes=0,
        ses=0,
        s3=2,
        why="the progress says this version was wholly imported: ListObjectsV2 and its GetObject, no write",
    ),
)
MINIMUMS: Final = _SERVICE_MINIMUMS + LICENSE_IMPORT_MINIMUMS

BY_CASE: Final = {minimum.case: minimum for minimum in MINIMUMS}
