"""Monthly cost for a city of 10,000 contractors, from the bench's own figures, beside Amazon
Cognito's price for the same users. List prices as of 2026, us-west-2, to be checked against
the AWS price pages before any decision."""

from dataclasses import dataclass
from typing import Any, Final

from tests.support.aws_calls import AwsCalls

CONTRACTORS: Final = 10_000

# USD, list prices (2026, us-west-2), to be checked.
LAMBDA_ARM_PER_GB_SECOND: Final = 0.0000133334
LAMBDA_PER_MILLION_REQUESTS: Final = 0.20
DYNAMODB_PER_MILLION_WRITE_UNITS: Final = 0.625  # on-demand
DYNAMODB_PER_MILLION_READ_UNITS: Final = 0.125
API_GATEWAY_REST_PER_MILLION: Final = 3.50  # first 333 million a month
SES_PER_THOUSAND_EMAILS: Final = 0.10
COGNITO_FREE_MAU: Final = 10_000  # Lite and Essentials tiers: the first 10,000 monthly active users
COGNITO_ESSENTIALS_PER_MAU: Final = 0.015  # beyond the free 10,000
COGNITO_LITE_PER_MAU: Final = 0.0055

# Round trips on Lambda, assumed (in-region): what a DynamoDB, SQS or SES call adds to a duration.
DYNAMODB_ROUND_TRIP_S: Final = 0.005
SQS_ROUND_TRIP_S: Final = 0.005
SES_ROUND_TRIP_S: Final = 0.030

# A month of the city (assumed): every contractor signs in 4 times, 1 in 10 sign-ins fails once,
# each session loads the dashboard 3 times and half of them sign out; 1 in 10 forgets the
# password and 8 in 10 of those reset it; 100 register; 20 returning contractors get a temporary
# password; staff look up 200 accounts and make 100 changes.
MONTHLY_REQUESTS: Final = {
    "sign_in_success": 4 * CONTRACTORS,
    "sign_in_wrong_password": 4 * CONTRACTORS // 10,
    "dashboard": 12 * CONTRACTORS,
    "sign_out": 2 * CONTRACTORS,
    "forgot_with_email": CONTRACTORS // 10,
    # Every forgot-password request reaches the reset mailer through the queue.
    "reset_mailer_sent": CONTRACTORS // 10,
    "reset_question": 8 * CONTRACTORS // 100,
    "reset_with_token": 8 * CONTRACTORS // 100,
    "register_new": 100,
    "security_questions": 100,
    "staff_issue_temporary_password": 20,
    "sign_in_temporary_password": 20,
    "reset_first_sign_in": 20,
    "staff_get": 200,
    "staff_unlock": 50,
    "staff_disable": 25,
    "staff_enable": 25,
}
STAFF_CASES: Final = frozenset(case for case in MONTHLY_REQUESTS if case.startswith("staff_"))
# Invoked without API Gateway: staff actions (console) and the reset mailer (SQS).
NO_API_CASES: Final = STAFF_CASES | {"reset_mailer_sent"}


@dataclass(frozen=True)
class CaseCost:
    case: str
    requests: int
    seconds: float  # estimated billed duration of one request
    memory_mb: int
    write_units: int  # per request
    read_units: int
    emails: int

    @property
    def lambda_usd(self) -> float:
        gb_seconds = self.requests * self.seconds * self.memory_mb / 1024
        return gb_seconds * LAMBDA_ARM_PER_GB_SECOND + self.requests * LAMBDA_PER_MILLION_REQUESTS / 1e6

    @property
    def dynamodb_usd(self) -> float:
        return (
            self.requests
            * (self.write_units * DYNAMODB_PER_MILLION_WRITE_UNITS + self.read_units * DYNAMODB_PER_MILLION_READ_UNITS)
            / 1e6
        )

    @property
    def api_gateway_usd(self) -> float:
        return 0.0 if self.case in NO_API_CASES else self.requests * API_GATEWAY_REST_PER_MILLION / 1e6

    @property
    def ses_usd(self) -> float:
        return self.requests * self.emails * SES_PER_THOUSAND_EMAILS / 1000

    @property
    def total_usd(self) -> float:
        return self.lambda_usd + self.dynamodb_usd + self.api_gateway_usd + self.ses_usd


def billed_seconds(
    own_seconds: float, memory_mb: int, dynamodb_calls: int, ses_calls: int, sqs_calls: int = 0
) -> float:
    """A request's duration on Lambda: its own (CPU-bound) time stretched to the memory size's
    CPU share, plus the round trips (no request sleeps)."""
    cpu_share = min(1.0, memory_mb / 1769)
    round_trips = dynamodb_calls * DYNAMODB_ROUND_TRIP_S + ses_calls * SES_ROUND_TRIP_S + sqs_calls * SQS_ROUND_TRIP_S
    return own_seconds / cpu_share + round_trips


def cognito_usd(monthly_active_users: int, per_mau: float) -> float:
    return max(0, monthly_active_users - COGNITO_FREE_MAU) * per_mau


def _value_size(value: dict[str, Any]) -> int:
    ((kind, inner),) = value.items()
    if kind in {"S", "B"}:
        return len(inner.encode("utf-8")) if isinstance(inner, str) else len(inner)
    if kind == "N":
        return len(str(inner).lstrip("-").replace(".", "")) // 2 + 1
    if kind in {"BOOL", "NULL"}:
        return 1
    if kind in {"SS", "NS", "BS"}:
        return sum(_value_size({kind[0]: element}) for element in inner)
    if kind == "L":
        return 3 + sum(1 + _value_size(element) for element in inner)
    return 3 + sum(1 + len(name.encode("utf-8")) + _value_size(element) for name, element in inner.items())


def item_size(item: dict[str, Any] | None) -> int:
    """DynamoDB's size of an item (attribute names count), as billing rounds it."""
    if not item:
        return 0
    return sum(len(name.encode("utf-8")) + _value_size(value) for name, value in item.items())


def capacity_units(calls: AwsCalls, client: Any) -> tuple[int, int]:
    """(write units, read units) the recorded calls cost, estimated from the items' sizes
    after the request: a write of an item is ceil(size / 1 KB) units, twice that inside a
    transaction; a strongly consistent read ceil(size / 4 KB). A Query counts 1 per call
    (its pages are small here); a deleted or missing item counts as the smallest, 1."""
    writes = reads = 0
    for operation, table, key, transactional in calls.touched:
        size = item_size(client.get_item(TableName=table, Key=key).get("Item")) if key else 0
        if operation in {"GetItem", "Query"}:
            reads += max(1, -(-size // 4096))
        else:
            writes += max(1, -(-size // 1024)) * (2 if transactional else 1)
    return writes, reads
