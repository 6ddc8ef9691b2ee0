"""Wiring for a warm Lambda container: settings validated once, AWS clients created on
first use (never at import, so tests' moto patches apply) and reused afterwards."""

from functools import cache
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config

from contractor_accounts.accounts import Accounts
from contractor_accounts.clock import SystemClock
from contractor_accounts.dynamodb_store import DynamoDBContractorStore
from contractor_accounts.mail import SesMailer
from contractor_accounts.settings import EmailSettings, Settings
from contractor_accounts.staff import StaffDesk

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_sesv2 import SESV2Client

# Standard retry mode (throttling and transient errors, with backoff); tight timeouts so a
# contractor is never left waiting on a stuck connection. DynamoDB retries cannot double a write
# that matters: transactions carry an idempotency token botocore reuses across retries.
_AWS_CONFIG = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=5)
# SES is not retried: a send whose answer was lost would go out twice. A failed send withdraws
# the reset link, and the contractor can ask again.
_SES_CONFIG = Config(retries={"mode": "standard", "max_attempts": 1}, connect_timeout=2, read_timeout=5)


@cache
def settings() -> Settings:
    return Settings.from_env()


@cache
def email_settings() -> EmailSettings:
    return EmailSettings.from_env()


@cache
def dynamodb() -> "DynamoDBClient":
    return boto3.client("dynamodb", config=_AWS_CONFIG)


@cache
def sesv2() -> "SESV2Client":
    return boto3.client("sesv2", config=_SES_CONFIG)


@cache
def store() -> DynamoDBContractorStore:
    return DynamoDBContractorStore(dynamodb(), settings().table_name)


@cache
def accounts() -> Accounts:
    return Accounts(store=store(), clock=SystemClock(), settings=settings())


@cache
def accounts_with_email() -> Accounts:
    mail = email_settings()
    return Accounts(
        store=store(),
        clock=SystemClock(),
        settings=settings(),
        mailer=SesMailer(sesv2, mail.sender_email, mail.configuration_set),
        email_settings=mail,
    )


@cache
def staff_desk() -> StaffDesk:
    return StaffDesk(store=store(), clock=SystemClock(), settings=settings())


def cold_start() -> Settings:
    """Run once at import, in Lambda's init phase (full CPU, before any contractor waits):
    validate the settings and build the DynamoDB client (~100 ms of model loading)."""
    store()
    return settings()


def reset() -> None:
    """Forget everything built (tests use it between moto mocks)."""
    for built in (
        settings,
        email_settings,
        dynamodb,
        sesv2,
        store,
        accounts,
        accounts_with_email,
        staff_desk,
    ):
        built.cache_clear()
