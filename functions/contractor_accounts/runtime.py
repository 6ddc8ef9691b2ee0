"""Wiring for a warm Lambda container: settings validated once, AWS clients created on
first use (never at import, so tests' moto patches apply) and reused afterwards; the use
cases are built per request from those, and handlers receive them through Powertools'
``Depends``. Tests move time by replacing ``clock`` (every use case reads it per request)."""

from functools import cache
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config

from contractor_accounts.adapters.argon2_hasher import PasswordHasher
from contractor_accounts.adapters.dynamodb.activity import activity_from
from contractor_accounts.adapters.dynamodb.items import from_wire
from contractor_accounts.adapters.dynamodb.license_import import DynamoDBLicenseWrites
from contractor_accounts.adapters.dynamodb.store import DynamoDBContractorStore
from contractor_accounts.adapters.dynamodb.table import Table
from contractor_accounts.adapters.s3_license_data import S3ImportState, S3LicenseFiles
from contractor_accounts.adapters.ses_mailer import SesMailer, ThrottleRetry
from contractor_accounts.adapters.sqs_reset_requests import SqsResetRequestQueue
from contractor_accounts.adapters.system_clock import SystemClock
from contractor_accounts.domain.activity import Activity
from contractor_accounts.ports.clock import Clock
from contractor_accounts.ports.license_checks import LicenseChecks
from contractor_accounts.ports.license_records import LicenseRecords
from contractor_accounts.ports.passkeys import PasskeyStore
from contractor_accounts.ports.reminder_log import ReminderLog
from contractor_accounts.ports.request_counters import RequestCounters
from contractor_accounts.ports.webauthn import WebAuthnCeremony
from contractor_accounts.settings import (
    EmailSettings,
    LicenseImportSettings,
    PortalSettings,
    ResetQueueSettings,
    Settings,
)
from contractor_accounts.steps.confirmation_links import ConfirmationLinks
from contractor_accounts.steps.sessions import Sessions
from contractor_accounts.use_cases.account_activity import AccountActivity
from contractor_accounts.use_cases.account_credentials import AccountCredentials
from contractor_accounts.use_cases.deliverability import Deliverability
from contractor_accounts.use_cases.email_verification import EmailVerification
from contractor_accounts.use_cases.first_sign_in import FirstSignIn
from contractor_accounts.use_cases.forgot_password import ForgotPassword
from contractor_accounts.use_cases.license_import import LicenseImport
from contractor_accounts.use_cases.notices import Notices
from contractor_accounts.use_cases.own_account import OwnAccount
from contractor_accounts.use_cases.passkey_sign_in import PasskeySignInCase
from contractor_accounts.use_cases.passkeys import OwnPasskeys
from contractor_accounts.use_cases.password_reset import PasswordReset
from contractor_accounts.use_cases.pending_reviews import PendingReviews
from contractor_accounts.use_cases.registration import Registration
from contractor_accounts.use_cases.reminders import WorkersCompReminders
from contractor_accounts.use_cases.reset_links import ResetLinks
from contractor_accounts.use_cases.sign_in import SignIn

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_sesv2 import SESV2Client
    from mypy_boto3_sqs import SQSClient

# Standard retry mode (throttling and transient errors, with backoff); tight timeouts so a
# contractor is never left waiting on a stuck connection. DynamoDB retries cannot double a write
# that matters: transactions carry an idempotency token botocore reuses across retries.
_AWS_CONFIG = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=5)
# SQS SendMessage is retried like DynamoDB: a send that had in fact arrived queues the same
# request twice, and the mailer recognises the second (use_cases.reset_links).
# botocore does not retry SES: a send whose answer was lost would go out twice. A throttled send
# (SES refused it for the send rate, nothing went out) is retried by the mailer itself, with
# jittered backoff within 2 seconds (every sending function's timeout is 10 seconds or more). A
# send that still fails withdraws the reset link, and the contractor can ask again.
_SES_CONFIG = Config(retries={"mode": "standard", "max_attempts": 1}, connect_timeout=2, read_timeout=5)
_SES_THROTTLE_RETRY = ThrottleRetry(attempts=4, base_seconds=0.2, budget_seconds=2.0)
_SYSTEM_CLOCK = SystemClock()


@cache
def settings() -> Settings:
    return Settings.from_env()


@cache
def email_settings() -> EmailSettings:
    return EmailSettings.from_env()


@cache
def portal_settings() -> PortalSettings:
    return PortalSettings.from_env()


@cache
def reset_queue_settings() -> ResetQueueSettings:
    return ResetQueueSettings.from_env()


@cache
def dynamodb() -> "DynamoDBClient":
    return boto3.client("dynamodb", config=_AWS_CONFIG)


@cache
def sesv2() -> "SESV2Client":
    return boto3.client("sesv2", config=_SES_CONFIG)


# The license import's S3 reads stream a 78 MB file: a read may wait longer than an API call.
_S3_CONFIG = Config(retries={"mode": "standard", "max_attempts": 5}, connect_timeout=5, read_timeout=60)
# Its batch writes retry throttling longer than a contractor's request could wait.
_IMPORT_DYNAMODB_CONFIG = Config(retries={"mode": "standard", "max_attempts": 8}, connect_timeout=5, read_timeout=10)


@cache
def license_import_settings() -> LicenseImportSettings:
    return LicenseImportSettings.from_env()


@cache
def s3() -> Any:  # boto3's S3 client (the project's boto3-stubs carry no S3 types)
    return boto3.client("s3", config=_S3_CONFIG)


@cache
def import_dynamodb() -> "DynamoDBClient":
    return boto3.client("dynamodb", config=_IMPORT_DYNAMODB_CONFIG)


@cache
def sqs() -> "SQSClient":
    return boto3.client("sqs", config=_AWS_CONFIG)


@cache
def store() -> DynamoDBContractorStore:
    return DynamoDBContractorStore(Table(dynamodb(), settings().table_name))


def request_counters() -> RequestCounters:
    """The same object as ``store``: one adapter on the one table implements all three ports."""
    return store()


def reminder_log() -> ReminderLog:
    return store()


def license_records() -> LicenseRecords:
    return store()


def license_checks() -> LicenseChecks:
    return store()


def passkey_store() -> PasskeyStore:
    return store()


@cache
def webauthn_ceremony() -> WebAuthnCeremony:
    """Built on the first passkey request: py_webauthn (with cryptography and cbor2) is imported
    only then, so no handler's cold start pays for it (tests/performance/imports.py)."""
    from contractor_accounts.adapters.webauthn_ceremony import PyWebAuthnCeremony

    return PyWebAuthnCeremony()


@cache
def mailer() -> SesMailer:
    mail = email_settings()
    return SesMailer(sesv2, mail.sender_email, mail.configuration_set, _SES_THROTTLE_RETRY)


@cache
def reset_request_queue() -> SqsResetRequestQueue:
    return SqsResetRequestQueue(sqs, str(reset_queue_settings().reset_requests_queue_url))


@cache
def hasher() -> PasswordHasher:
    return PasswordHasher()


def clock() -> Clock:
    return _SYSTEM_CLOCK


# The use cases, one per request (cheap: they only hold references).


def sessions() -> Sessions:
    return Sessions(store(), clock(), settings())


def sign_in() -> SignIn:
    return SignIn(store(), request_counters(), clock(), hasher(), settings())


def passkey_sign_in() -> PasskeySignInCase:
    return PasskeySignInCase(passkey_store(), webauthn_ceremony(), request_counters(), clock(), settings())


def own_passkeys() -> OwnPasskeys:
    return OwnPasskeys(sessions(), store(), passkey_store(), webauthn_ceremony(), clock(), hasher(), settings())


def first_sign_in() -> FirstSignIn:
    return FirstSignIn(store(), clock(), hasher(), settings())


def confirmation_links() -> ConfirmationLinks:
    return ConfirmationLinks(store(), clock(), mailer(), settings(), email_settings())


def email_verification() -> EmailVerification:
    return EmailVerification(store(), clock())


def registration() -> Registration:
    return Registration(
        store(), request_counters(), clock(), hasher(), settings(), confirmation_links(), license_checks()
    )


def own_account() -> OwnAccount:
    return OwnAccount(sessions(), store(), clock(), settings(), confirmation_links(), license_checks())


def account_credentials() -> AccountCredentials:
    return AccountCredentials(sessions(), store(), clock(), hasher(), settings(), confirmation_links())


def workers_comp_reminders() -> WorkersCompReminders:
    return WorkersCompReminders(
        store(), reminder_log(), clock(), mailer(), settings(), license_checks(), portal_settings()
    )


def pending_reviews() -> PendingReviews:
    return PendingReviews(store(), license_checks(), clock(), mailer(), settings(), portal_settings())


def forgot_password() -> ForgotPassword:
    return ForgotPassword(request_counters(), clock(), reset_request_queue(), settings())


def reset_links() -> ResetLinks:
    return ResetLinks(store(), clock(), mailer(), settings(), email_settings())


def password_reset() -> PasswordReset:
    return PasswordReset(store(), clock(), hasher(), settings())


def account_activity() -> AccountActivity:
    return AccountActivity(sessions(), store(), clock())


def notices() -> Notices:
    return Notices(store(), mailer(), settings())


def activity_of_stream_image(image: dict[str, Any]) -> Activity:
    """An activity record as the table's stream carries it (``NewImage``, DynamoDB JSON)."""
    return activity_from(from_wire(image))


def deliverability() -> Deliverability:
    return Deliverability(store(), clock())


def license_import(bucket: str) -> LicenseImport:
    """The import of a file in ``bucket`` (its state is kept there too), built per invocation."""
    writes = DynamoDBLicenseWrites(Table(import_dynamodb(), settings().table_name))
    return LicenseImport(
        S3LicenseFiles(s3),
        S3ImportState(s3, bucket),
        writes,
        clock(),
        settings().zone,
        license_import_settings().license_file_encoding,
    )


def cold_start() -> Settings:
    """Run once at import, in Lambda's init phase (full CPU, before any contractor waits):
    validate the settings and build the DynamoDB client (~100 ms of model loading)."""
    store()
    return settings()


def cold_start_with_email() -> Settings:
    """The same, for the functions that send email: their settings are validated too."""
    email_settings()
    return cold_start()


def cold_start_with_portal() -> Settings:
    """The functions whose emails link to the portal (reminders, staff's approval email)."""
    portal_settings()
    return cold_start_with_email()


def cold_start_with_reset_queue() -> Settings:
    """ForgotFunction's: the queue's settings validated and its SQS client built too, so the
    first forgot-password request waits for neither."""
    reset_request_queue()
    sqs()
    return cold_start()


def cold_start_license_data() -> Settings:
    """LicenseDataFunction's: its settings validated, its S3 and DynamoDB clients built."""
    license_import_settings()
    s3()
    import_dynamodb()
    return settings()


def reset() -> None:
    """Forget everything built (tests use it between moto mocks)."""
    for built in (
        settings,
        email_settings,
        reset_queue_settings,
        portal_settings,
        license_import_settings,
        dynamodb,
        import_dynamodb,
        s3,
        sesv2,
        sqs,
        store,
        mailer,
        reset_request_queue,
        hasher,
        webauthn_ceremony,
    ):
        built.cache_clear()
