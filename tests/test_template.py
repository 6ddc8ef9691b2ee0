"""infra/template.yaml: least privilege, throttling, SES and the table, as the checklist asks."""

from typing import Any

from tests.conftest import TEMPLATE

RESOURCES: dict[str, Any] = TEMPLATE.raw["Resources"]
FUNCTIONS = {name: resource for name, resource in RESOURCES.items() if resource["Type"] == "AWS::Serverless::Function"}
# What each function's code calls, and nothing more.
EXPECTED_ACTIONS = {
    "LoginFunction": {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"},
    "RegisterFunction": {"dynamodb:GetItem", "dynamodb:PutItem", "ses:SendEmail"},
    "AccountFunction": {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "ses:SendEmail",
    },
    "ReminderFunction": {"dynamodb:Query", "dynamodb:PutItem", "dynamodb:DeleteItem", "ses:SendEmail"},
    "ForgotFunction": {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "ses:SendEmail",
    },
    "ResetFunction": {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "ses:SendEmail",
    },
    "StaffFunction": {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"},
}


def statements(function: dict[str, Any]) -> list[dict[str, Any]]:
    policies = function["Properties"]["Policies"]
    assert all(isinstance(policy, dict) and set(policy) == {"Statement"} for policy in policies), (
        "only inline statements: SAM policy templates like DynamoDBCrudPolicy grant more than needed"
    )
    return [statement for policy in policies for statement in policy["Statement"]]


def test_every_function_has_only_the_actions_it_uses() -> None:
    assert set(FUNCTIONS) == set(EXPECTED_ACTIONS)
    for name, function in FUNCTIONS.items():
        actions = {action for statement in statements(function) for action in statement["Action"]}
        assert actions == EXPECTED_ACTIONS[name], name
        assert not any("*" in action for action in actions)
        assert "dynamodb:Scan" not in actions


def test_table_actions_target_the_table_and_email_only_the_sender() -> None:
    for function in FUNCTIONS.values():
        for statement in statements(function):
            if statement["Action"] == ["dynamodb:Query"] and "index" in str(statement["Resource"]):
                # The reminder job: the expiry index only, not the table.
                assert statement["Resource"] == {"Fn::Sub": "${ContractorsTable.Arn}/index/WorkersCompExpiryIndex"}
            elif statement["Action"][0].startswith("dynamodb:"):
                assert statement["Resource"] == {"Fn::GetAtt": ["ContractorsTable", "Arn"]}
            else:
                assert statement["Condition"] == {"StringEquals": {"ses:FromAddress": {"Ref": "SenderEmail"}}}
                assert all(
                    "identity/${SenderEmail}" in str(r) or "configuration-set" in str(r) for r in statement["Resource"]
                )


def test_api_stage_is_throttled_and_gateway_errors_keep_the_envelope() -> None:
    api = RESOURCES["ContractorApi"]["Properties"]
    settings = api["MethodSettings"][0]
    assert settings["ThrottlingRateLimit"] == {"Ref": "ThrottlingRateLimit"}
    assert settings["ThrottlingBurstLimit"] == {"Ref": "ThrottlingBurstLimit"}
    for response in api["GatewayResponses"].values():
        assert response["ResponseParameters"]["Headers"]["Cache-Control"] == "'no-store'"
        assert '"error"' in response["ResponseTemplates"]["application/json"]


def test_email_has_a_configuration_set_that_suppresses_bounces_and_complaints() -> None:
    configuration = RESOURCES["EmailConfigurationSet"]["Properties"]
    assert set(configuration["SuppressionOptions"]["SuppressedReasons"]) == {"BOUNCE", "COMPLAINT"}
    identity = RESOURCES["EmailIdentity"]["Properties"]
    assert identity["ConfigurationSetAttributes"]["ConfigurationSetName"] == {"Ref": "EmailConfigurationSet"}


def test_table_expires_tokens_and_is_protected() -> None:
    table = RESOURCES["ContractorsTable"]
    assert table["DeletionPolicy"] == "Retain"
    properties = table["Properties"]
    assert properties["TimeToLiveSpecification"] == {"AttributeName": "expires_at_epoch", "Enabled": True}
    assert properties["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert properties["BillingMode"] == "PAY_PER_REQUEST"


def test_deployment_specific_parameters_have_no_defaults() -> None:
    parameters = TEMPLATE.raw["Parameters"]
    for name in ("CityName", "StaffPhoneNumber", "AllowedOrigins", "SenderEmail", "ResetPageUrl", "VerifyPageUrl"):
        assert "Default" not in parameters[name], name


def test_every_variable_the_template_sets_is_one_the_code_reads() -> None:
    from contractor_accounts.settings import EmailSettings, Settings

    read = {field.alias for model in (Settings, EmailSettings) for field in model.model_fields.values()}
    for function in TEMPLATE.functions.values():
        ours = {name for name in function.environment if not name.startswith(("POWERTOOLS_", "AWS_"))}
        assert ours <= read, (function.logical_id, ours - read)


def test_the_reminder_job_runs_daily_in_the_city_time_zone_and_reads_only_the_sparse_index() -> None:
    reminder = FUNCTIONS["ReminderFunction"]["Properties"]
    schedule = reminder["Events"]["Daily"]
    assert schedule["Type"] == "ScheduleV2"
    assert schedule["Properties"]["ScheduleExpression"].startswith("cron(")
    assert schedule["Properties"]["ScheduleExpressionTimezone"] == {"Ref": "CityTimeZone"}
    table = RESOURCES["ContractorsTable"]["Properties"]
    (index,) = table["GlobalSecondaryIndexes"]
    assert index["IndexName"] == "WorkersCompExpiryIndex"
    assert index["KeySchema"] == [{"AttributeName": "workers_comp_expires_on", "KeyType": "HASH"}]
    # No secret is copied into the index.
    assert not any("hash" in name for name in index["Projection"]["NonKeyAttributes"])


def test_staff_approval_is_off_unless_the_city_turns_it_on() -> None:
    parameter = TEMPLATE.raw["Parameters"]["RequireStaffApproval"]
    assert parameter["Default"] == "false"
    register = FUNCTIONS["RegisterFunction"]["Properties"]["Environment"]["Variables"]
    assert register["REQUIRE_STAFF_APPROVAL"] == {"Ref": "RequireStaffApproval"}
