"""Every function's execution role grants exactly what its code calls: no less (AWS would answer
AccessDenied), no more (apart from what the Lambda service itself does with the role).

The roles come from SAM's own translation of infra/template.yaml (local_portal/roles.py); the
calls are recorded by botocore's hooks (tests/support/aws_calls.py) while every scenario of the
call-count guard (tests/performance/scenarios.py: every route, job and staff action) runs, with
the per-address limits in the function and at the edge, plus the paths that only a failure
takes; each call is its handler's. One evaluator judges both (local_portal/iam.py), the one
`make run` refuses calls with."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from botocore.exceptions import ClientError

from local_portal.iam import Request, Statement, audit, read_statements, requests
from local_portal.roles import MANAGED_POLICY_REASONS, Role, function_roles
from tests.performance.minimums import LIMITS_AT
from tests.performance.scenarios import SCENARIOS, World, address_of, reset_mailer
from tests.support.api import bounce, invoke, sns_event
from tests.support.aws_calls import ACCOUNT, counted_aws
from tests.support.environment import CONFIGURATION_SET, TABLE_NAME, TEMPLATE

ROLES = function_roles(TEMPLATE)
TABLE = ACCOUNT.arn("dynamodb", f"table/{TABLE_NAME}")


@contextmanager
def ses_refusing() -> Iterator[None]:
    """SES refuses every send (throttled, a suppressed address...): the functions' own client."""
    from contractor_accounts import runtime

    refusal = ClientError({"Error": {"Code": "TooManyRequestsException", "Message": "slow down"}}, "SendEmail")
    with mock.patch.object(runtime.sesv2(), "send_email", side_effect=refusal):
        yield


def _reminder_refused(world: World) -> Any:
    """The reminder job when SES refuses: the claimed reminder is released (deleted)."""
    today = SCENARIOS["reminders_one_due"].given(world)
    with ses_refusing():
        return invoke("ReminderFunction", {"today": today})


def _mailer_refused(world: World) -> Any:
    """The reset mailer when SES refuses: the link is withdrawn."""
    event = SCENARIOS["reset_mailer_sent"].given(world)
    with ses_refusing():
        return reset_mailer(event)


def _bounce(world: World) -> Any:
    """SES reports a bounce (through SNS): the address is marked undeliverable."""
    license_number = world.verified()[0]
    return invoke("EmailEventsFunction", sns_event(bounce(license_number, address_of(license_number))))


# Paths the guard's scenarios (each the cheapest success of a request) do not take.
MORE_PATHS: dict[str, Callable[[World], Any]] = {
    "reminder_released_when_ses_refuses": _reminder_refused,
    "reset_link_withdrawn_when_ses_refuses": _mailer_refused,
    "bounce_marks_the_address": _bounce,
}


@pytest.fixture(scope="module")
def needs() -> dict[str, set[Request]]:
    """What each function's calls asked IAM for, over every scenario, with the per-address limits
    at each place the template lets a city put them."""
    recorded: dict[str, set[Request]] = {}
    for limits_at in LIMITS_AT:
        with pytest.MonkeyPatch.context() as patch, counted_aws() as calls:
            patch.setenv("PER_ADDRESS_LIMITS_AT", limits_at)
            world = World()
            for scenario in SCENARIOS.values():
                scenario.check(scenario.when(world, scenario.given(world)))
            for path in MORE_PATHS.values():
                path(world)
        for function, asked in calls.needs.items():
            recorded.setdefault(function, set()).update(asked)
    return recorded


def service_uses(role: Role) -> list[Request]:
    return [Request(action, grant.resource) for grant in role.service_grants for action in grant.actions]


@pytest.mark.parametrize("function", sorted(ROLES))
def test_each_role_grants_what_its_function_calls_and_nothing_more(
    needs: dict[str, set[Request]], function: str
) -> None:
    role = ROLES[function]
    # Given what the function's calls needed (every function is driven by some scenario)
    assert needs.get(function), f"no scenario made {function} call AWS"
    # When its role is held against them
    found = audit(role.statements, needs[function], service_uses(role))
    # Then nothing is refused and nothing is granted beyond them
    assert not found.missing, f"{function}'s role lacks {[str(request) for request in found.missing]}"
    assert not found.extra, f"{function}'s role grants {found.extra}, which no call of it needs"


def test_every_managed_policy_is_one_the_lambda_service_uses_with_the_role() -> None:
    for function, role in ROLES.items():
        unexplained = set(role.managed_policies) - set(MANAGED_POLICY_REASONS)
        assert not unexplained, f"{function}: {unexplained} grants what this test cannot see"


def test_the_mailer_may_poll_its_queue_for_the_event_source_mapping() -> None:
    (grant,) = ROLES["ResetMailerFunction"].service_grants
    assert grant.resource == ACCOUNT.arn("sqs", "ResetRequestsQueue")
    assert set(grant.actions) == {
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:ChangeMessageVisibility",
        "sqs:GetQueueAttributes",
    }


def _objects_of_a_bucket(resource: str) -> bool:
    """``arn:aws:s3:::<bucket>/<prefix>*``: S3 names objects by key, and keys are data (each day's
    file): the one wildcard a role may hold, at the end of an object ARN of a named bucket."""
    bucket, _, prefix = resource.removeprefix("arn:aws:s3:::").partition("/")
    return (
        resource.startswith("arn:aws:s3:::") and "*" not in bucket and prefix.endswith("*") and prefix.count("*") == 1
    )


def test_no_role_scans_or_uses_a_wildcard() -> None:
    for role in ROLES.values():
        for action, resource in (pair for statement in role.statements for pair in statement.grants()):
            assert "*" not in action, (role.function, action)
            assert "*" not in resource or _objects_of_a_bucket(resource), (role.function, resource)
            assert action != "dynamodb:Scan", role.function


# -- the comparison can fail -------------------------------------------------------------------------


def test_a_missing_and_an_extra_grant_are_both_found() -> None:
    # Given a role that grants GetItem and PutItem on the table
    statements = read_statements(
        [{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem"], "Resource": TABLE}]
    )
    # When the code calls PutItem and UpdateItem (the registration counter)
    needed = [Request("dynamodb:PutItem", TABLE), Request("dynamodb:UpdateItem", TABLE)]
    found = audit(statements, needed)
    # Then UpdateItem is missing and GetItem is more than the code calls
    assert found.missing == [Request("dynamodb:UpdateItem", TABLE)]
    assert found.extra == [("dynamodb:GetItem", TABLE)]


def test_a_service_use_must_be_granted_and_is_not_extra() -> None:
    queue = ACCOUNT.arn("sqs", "q")
    statements = read_statements([{"Effect": "Allow", "Action": "sqs:ReceiveMessage", "Resource": queue}])
    found = audit(statements, [], [Request("sqs:ReceiveMessage", queue), Request("sqs:DeleteMessage", queue)])
    assert found.missing == [Request("sqs:DeleteMessage", queue)]
    assert found.extra == []


def test_transactions_count_by_their_items_and_queries_by_their_index() -> None:
    transaction = {
        "TransactItems": [
            {"Update": {"TableName": TABLE_NAME, "Key": {}}},
            {"Put": {"TableName": TABLE_NAME, "Item": {}}},
            {"Delete": {"TableName": TABLE_NAME, "Key": {}}},
            {"ConditionCheck": {"TableName": TABLE_NAME, "Key": {}}},
        ]
    }
    assert [str(request) for request in requests("dynamodb", "TransactWriteItems", transaction, ACCOUNT)] == [
        f"dynamodb:UpdateItem on {TABLE}",
        f"dynamodb:PutItem on {TABLE}",
        f"dynamodb:DeleteItem on {TABLE}",
        f"dynamodb:ConditionCheckItem on {TABLE}",
    ]
    query = {"TableName": TABLE_NAME, "IndexName": "WorkersCompExpiryIndex"}
    (asked,) = requests("dynamodb", "Query", query, ACCOUNT)
    assert asked.resource == f"{TABLE}/index/WorkersCompExpiryIndex"


def test_a_send_is_authorized_on_the_identity_and_configuration_set_from_the_sender_only() -> None:
    # Given the send statement every mailing role has
    (statement,) = [
        statement for statement in ROLES["ResetMailerFunction"].statements if statement.actions == ("ses:SendEmail",)
    ]
    sender = TEMPLATE.parameters["SenderEmail"]
    params = {"FromEmailAddress": sender, "ConfigurationSetName": CONFIGURATION_SET, "Destination": {}}
    # When SES authorizes a send from the sender: the domain's identity and the configuration set
    asked = requests("sesv2", "SendEmail", params, ACCOUNT)
    assert [request.resource for request in asked] == [
        ACCOUNT.arn("ses", f"identity/{sender.rpartition('@')[2]}"),
        ACCOUNT.arn("ses", f"configuration-set/{CONFIGURATION_SET}"),
    ]
    assert all(statement.allows(request) for request in asked)
    # Then from another address of the domain it is refused (the ses:FromAddress condition)
    other = requests("sesv2", "SendEmail", {**params, "FromEmailAddress": "Mallory <ceo@permits.example.gov>"}, ACCOUNT)
    assert not any(statement.allows(request) for request in other)


def test_actions_match_without_case_and_resources_as_arn_globs() -> None:
    statement = Statement.read(
        {"Effect": "Allow", "Action": "DynamoDB:Get*", "Resource": "arn:aws:dynamodb:*:*:table/contractors-?est"}
    )
    assert statement.allows(Request("dynamodb:GetItem", TABLE))
    assert not statement.allows(Request("dynamodb:PutItem", TABLE))
    assert not statement.allows(Request("dynamodb:GetItem", f"{TABLE}/index/WorkersCompExpiryIndex"))


@pytest.mark.parametrize(
    "document",
    [
        {"Effect": "Deny", "Action": "dynamodb:GetItem", "Resource": "*"},
        {"Effect": "Allow", "NotAction": "dynamodb:GetItem", "Resource": "*"},
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "*",
            "Condition": {"IpAddress": {"aws:SourceIp": "x"}},
        },
    ],
)
def test_what_the_evaluator_cannot_judge_is_refused_when_read(document: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="evaluated"):
        Statement.read(document)
