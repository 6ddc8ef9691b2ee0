"""infra/template.yaml: least privilege, throttling, SES and the table, as the checklist asks; the
edge, email, alarms and releases as CloudFormation receives them (SAM's own translation)."""

import json
import re
import shlex
import subprocess
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from local_portal.parameters import LOCAL_PARAMETERS
from tests.support.environment import TEMPLATE

RESOURCES: dict[str, Any] = TEMPLATE.raw["Resources"]
FUNCTIONS = {name: resource for name, resource in RESOURCES.items() if resource["Type"] == "AWS::Serverless::Function"}


def statements(function: dict[str, Any]) -> list[dict[str, Any]]:
    policies = function["Properties"]["Policies"]
    assert all(isinstance(policy, dict) and set(policy) == {"Statement"} for policy in policies), (
        "only inline statements: SAM policy templates like DynamoDBCrudPolicy grant more than needed"
    )
    return [statement for policy in policies for statement in policy["Statement"]]


# The identity SES authorizes sends with: the domain the stack creates, or the one it is given.
IDENTITY_USED = {
    "Fn::If": [
        "CreateEmailIdentity",
        {"Fn::Select": [1, {"Fn::Split": ["@", {"Ref": "SenderEmail"}]}]},
        {"Ref": "ExistingEmailIdentity"},
    ]
}


def test_table_actions_target_the_table_and_email_only_the_sender_through_the_identity_used() -> None:
    for function in FUNCTIONS.values():
        for statement in statements(function):
            if statement["Action"] == ["dynamodb:Query"] and "index" in str(statement["Resource"]):
                # The reminder job: the expiry index only, not the table.
                assert statement["Resource"] == {"Fn::Sub": "${ContractorsTable.Arn}/index/WorkersCompExpiryIndex"}
            elif statement["Action"][0] == "dynamodb:DescribeStream":
                # The notice function's event source mapping: the table's stream only.
                assert statement["Resource"] == {"Fn::GetAtt": ["ContractorsTable", "StreamArn"]}
            elif statement["Action"][0].startswith("dynamodb:"):
                assert statement["Resource"] == {"Fn::GetAtt": ["ContractorsTable", "Arn"]}
            elif statement["Action"][0].startswith("sqs:"):
                # The reset queue; the notice mapping's on-failure destination
                assert statement["Resource"] in (
                    {"Fn::GetAtt": ["ResetRequestsQueue", "Arn"]},
                    {"Fn::GetAtt": ["NoticeFailuresQueue", "Arn"]},
                )
            elif statement["Action"][0].startswith("s3:"):
                # The license import: the license bucket only (tests/test_iam.py holds each action).
                assert "LicenseDataBucket" in json.dumps(statement["Resource"])
            else:
                assert statement["Condition"] == {"StringEquals": {"ses:FromAddress": {"Ref": "SenderEmail"}}}
                identity, configuration_set, sandbox_recipients = statement["Resource"]
                # In the SES sandbox the recipient's identity authorizes the send too (SesSandbox)
                assert sandbox_recipients == {
                    "Fn::If": [
                        "InSesSandbox",
                        {"Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/*"},
                        {"Ref": "AWS::NoValue"},
                    ]
                }
                assert identity == {
                    "Fn::Sub": [
                        "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${Identity}",
                        {"Identity": IDENTITY_USED},
                    ]
                }
                assert configuration_set["Fn::Sub"].endswith(":configuration-set/${EmailConfigurationSet}")


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
    for name in ("CityName", "StaffPhoneNumber", "SenderEmail"):
        assert "Default" not in parameters[name], name
    # The site's URLs default to the site this stack hosts; a city hosting web/ itself must give them
    for name in ("AllowedOrigins", "ResetPageUrl", "VerifyPageUrl", "PortalUrl"):
        assert parameters[name]["Default"] == "", name
    (rule,) = [
        r
        for r in TEMPLATE.raw["Rules"].values()
        if r["RuleCondition"] == {"Fn::Equals": [{"Ref": "HostWebClient"}, "false"]}
    ]
    demanded = {
        a["Assert"]["Fn::Not"][0]["Fn::Equals"][0]["Ref"] for a in rule["Assertions"] if "Fn::Not" in a["Assert"]
    }
    assert demanded == {"AllowedOrigins", "ResetPageUrl", "VerifyPageUrl", "PortalUrl"}


def test_every_variable_the_template_sets_is_one_the_code_reads() -> None:
    from contractor_accounts.settings import (
        EmailSettings,
        LicenseImportSettings,
        PortalSettings,
        ResetQueueSettings,
        Settings,
    )

    models = (Settings, EmailSettings, ResetQueueSettings, PortalSettings, LicenseImportSettings)
    read = {field.alias for model in models for field in model.model_fields.values()}
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


# -- the template as CloudFormation receives it -----------------------------------------------------


REPO_ROOT = Path(__file__).resolve().parents[1]
# SAM's translator lives in the SAM CLI's venv (its pydantic pin clashes with ours); `make test`
# installs it before the tests run.
SAM_PYTHON = REPO_ROOT / ".sam-venv" / "bin" / "python"
DEPLOYED_PARAMETERS = {**LOCAL_PARAMETERS, "AllowedOrigins": "https://permits.example.gov,https://www.example.gov"}


@cache
def cfn() -> dict[str, Any]:
    """The template as CloudFormation receives it: SAM's own translation (infra/sam_translate.py)."""
    if not SAM_PYTHON.is_file():
        pytest.fail(f"{SAM_PYTHON} is missing: `make .sam-venv/.installed` installs the SAM CLI", pytrace=False)
    translated = subprocess.run(
        [str(SAM_PYTHON), "infra/sam_translate.py", "infra/template.yaml", json.dumps(DEPLOYED_PARAMETERS)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert translated.returncode == 0, translated.stderr
    document: dict[str, Any] = json.loads(translated.stdout)
    return document


def cfn_resources() -> dict[str, Any]:
    resources: dict[str, Any] = cfn()["Resources"]
    return resources


def lambdas() -> dict[str, Any]:
    return of_type("AWS::Lambda::Function")


def alarms() -> dict[str, Any]:
    return of_type("AWS::CloudWatch::Alarm")


def of_type(resource_type: str) -> dict[str, Any]:
    return {name: r for name, r in cfn_resources().items() if r["Type"] == resource_type}


def test_only_the_v1_stage_exists_so_nothing_goes_around_its_throttling() -> None:
    # SAM's "Stage" stage (created when OpenApiVersion is unset) would have no throttling.
    stages = of_type("AWS::ApiGateway::Stage")
    assert [stage["Properties"]["StageName"] for stage in stages.values()] == ["v1"]
    (stage,) = stages.values()
    assert stage["Properties"]["MethodSettings"][0]["ThrottlingRateLimit"] == {"Ref": "ThrottlingRateLimit"}
    for deployment in of_type("AWS::ApiGateway::Deployment").values():
        assert "StageName" not in deployment["Properties"]


SITE_ORIGIN = {
    "Fn::If": [
        "HasSiteDomain",
        {"Fn::Sub": "https://${SiteDomainName}"},
        {"Fn::If": ["HostSite", {"Fn::Sub": "https://${WebDistribution.DomainName}"}, "https://no-site.invalid"]},
    ]
}
FIRST_ORIGIN = {
    "Fn::If": ["DeriveOrigins", SITE_ORIGIN, {"Fn::Select": [0, {"Fn::Split": [",", {"Ref": "AllowedOrigins"}]}]}]
}


def test_gateway_answers_keep_the_envelope_and_carry_cors_for_the_first_allowed_origin() -> None:
    body = cfn_resources()["ContractorApi"]["Properties"]["Body"]
    responses = body["x-amazon-apigateway-gateway-responses"]
    assert set(responses) == {"DEFAULT_4XX", "DEFAULT_5XX", "THROTTLED"}
    assert responses["THROTTLED"]["statusCode"] == "429"
    for response in responses.values():
        headers = response["responseParameters"]
        assert headers["gatewayresponse.header.Cache-Control"] == "'no-store'"
        assert headers["gatewayresponse.header.Access-Control-Allow-Origin"] == {
            "Fn::Sub": ["'${Origin}'", {"Origin": FIRST_ORIGIN}]
        }
        template = response["responseTemplates"]["application/json"]
        assert '"error": "' in template
        assert '"message": ' in template
    # And the local stack resolves that header to the first origin (what API Gateway sends)
    _, headers, _ = TEMPLATE.gateway_response("THROTTLED")
    assert headers["Access-Control-Allow-Origin"] == LOCAL_PARAMETERS["AllowedOrigins"].split(",")[0]


# The routes that judge a secret or start one without a session: the stricter WAF rule and the
# stage's lower per-route budget cover exactly these.
SECRET_ROUTES = {
    ("post", "/sessions"),
    ("post", "/sessions/passkey"),
    ("post", "/sessions/passkey/options"),
    ("post", "/password/forgot"),
    ("post", "/password/reset"),
    ("post", "/password/reset/question"),
    ("post", "/contractors"),
    ("post", "/contractors/check"),
    ("post", "/email/verify"),
}


def api_routes() -> set[tuple[str, str]]:
    return {
        (event.method, event.path)
        for function in TEMPLATE.functions.values()
        for event in function.api_events
        if event.method != "options"
    }


def rate_rules() -> dict[str, dict[str, Any]]:
    rules = cfn_resources()["WebAcl"]["Properties"]["Rules"]
    return {rule["Name"]: rule for rule in rules if "RateBasedStatement" in rule["Statement"]}


def test_waf_is_optional_and_rate_limits_each_address_on_every_route_and_more_strictly_on_secret_ones() -> None:
    acl = cfn_resources()["WebAcl"]
    assert acl["Condition"] == "WafEnabled"
    assert acl["Properties"]["Scope"] == "REGIONAL"
    rules = rate_rules()
    assert set(rules) == {"credential-routes-per-address", "every-route-per-address"}
    strict = rules["credential-routes-per-address"]["Statement"]["RateBasedStatement"]
    loose = rules["every-route-per-address"]["Statement"]["RateBasedStatement"]
    assert (strict["AggregateKeyType"], loose["AggregateKeyType"]) == ("IP", "IP")
    assert strict["Limit"] == {"Ref": "WafRequestsPerFiveMinutes"}
    assert loose["Limit"] == {"Ref": "WafRequestsPerFiveMinutesAnyRoute"}
    assert "ScopeDownStatement" not in loose  # every route
    assert (
        RAW_PARAMETERS["WafRequestsPerFiveMinutes"]["Default"]
        < RAW_PARAMETERS["WafRequestsPerFiveMinutesAnyRoute"]["Default"]
    )
    for rule in rules.values():
        assert rule["Action"]["Block"]["CustomResponse"]["ResponseCode"] == 429
    association = cfn_resources()["WebAclAssociation"]
    assert association["Condition"] == "WafEnabled"
    assert association["Properties"]["ResourceArn"]["Fn::Sub"].endswith(
        "/restapis/${ContractorApi}/stages/${ContractorApiv1Stage}"
    )
    assert RAW_PARAMETERS["EnableWaf"]["AllowedValues"] == ["true", "false"]


def test_the_strict_waf_rule_matches_exactly_the_routes_that_judge_a_secret() -> None:
    # Given the stricter rule's pattern, as WAF matches it on the stage's URI path
    scope = rate_rules()["credential-routes-per-address"]["Statement"]["RateBasedStatement"]["ScopeDownStatement"]
    pattern = re.compile(scope["RegexMatchStatement"]["RegexString"])
    # Then of every route of the API it matches the secret ones (also with a trailing slash or in
    # capitals, the rule lower-cases first) and no other
    matched = {(method, path) for method, path in api_routes() if pattern.search(f"/v1{path}")}
    assert matched == {route for route in api_routes() if route[1] in {path for _, path in SECRET_ROUTES}}
    assert api_routes() >= SECRET_ROUTES
    assert pattern.search("/v1/sessions/".lower())
    assert pattern.search("/V1/SESSIONS".lower())
    assert not pattern.search("/v1/me/sessions")
    assert not pattern.search("/v1/sessions/current")


def unescaped(resource_path: str) -> str:
    return resource_path if resource_path == "/*" else resource_path[1:].replace("~1", "/")


def test_each_route_without_a_session_has_a_stage_budget_of_its_own() -> None:
    (stage,) = of_type("AWS::ApiGateway::Stage").values()
    # "/~1password~1reset" is /password/reset: each slash of the path is escaped as ~1
    settings = {
        (entry["HttpMethod"].lower(), unescaped(entry["ResourcePath"])): entry
        for entry in stage["Properties"]["MethodSettings"]
    }
    # The default applies to each method on its own (API Gateway throttles per method)
    assert settings["*", "/*"]["ThrottlingRateLimit"] == {"Ref": "ThrottlingRateLimit"}
    no_session = {*SECRET_ROUTES, ("get", "/security-questions")}
    for route in no_session:
        assert settings[route]["ThrottlingRateLimit"] == {"Ref": "CredentialRouteRateLimit"}, route
        assert settings[route]["ThrottlingBurstLimit"] == {"Ref": "CredentialRouteBurstLimit"}, route
    assert set(settings) - {("*", "/*")} == no_session
    assert RAW_PARAMETERS["CredentialRouteRateLimit"]["Default"] < RAW_PARAMETERS["ThrottlingRateLimit"]["Default"]


RAW_PARAMETERS: dict[str, Any] = TEMPLATE.raw["Parameters"]


def test_access_logs_are_optional_and_the_account_role_is_set_before_the_stage() -> None:
    (stage,) = of_type("AWS::ApiGateway::Stage").values()
    condition, setting, otherwise = stage["Properties"]["AccessLogSetting"]["Fn::If"]
    assert condition == "AccessLogsEnabled"
    assert otherwise == {"Ref": "AWS::NoValue"}
    assert setting["DestinationArn"] == {"Fn::GetAtt": ["ApiAccessLogGroup", "Arn"]}
    logged = json.loads(setting["Format"])
    assert {"requestId", "sourceIp", "status", "resourcePath"} <= set(logged)
    assert not any("header" in value or "body" in value for value in logged.values())
    account = cfn_resources()["ApiGatewayAccount"]
    assert account["Properties"]["CloudWatchRoleArn"] == {"Fn::GetAtt": ["ApiGatewayCloudWatchRole", "Arn"]}
    role = cfn_resources()["ApiGatewayCloudWatchRole"]
    assert role["Properties"]["ManagedPolicyArns"][0]["Fn::Sub"].endswith("AmazonAPIGatewayPushToCloudWatchLogs")
    # The stage comes from the RestApi, which waits for the handle that refers to the account settings.
    assert cfn_resources()["ContractorApi"]["DependsOn"] == "ApiAccountSettingsReady"
    handle = cfn_resources()["ApiAccountSettingsReady"]["Metadata"]["ApiGatewayAccount"]
    assert handle == {"Fn::If": ["SetApiGatewayAccountRole", {"Ref": "ApiGatewayAccount"}, ""]}
    assert cfn_resources()["ApiAccessLogGroup"]["DeletionPolicy"] == "Retain"


def test_the_stack_creates_a_dkim_signed_domain_identity_with_mail_from_unless_given_one() -> None:
    identity = cfn_resources()["EmailIdentity"]
    assert identity["Condition"] == "CreateEmailIdentity"
    assert cfn()["Conditions"]["CreateEmailIdentity"] == {"Fn::Equals": [{"Ref": "ExistingEmailIdentity"}, ""]}
    assert RAW_PARAMETERS["ExistingEmailIdentity"]["Default"] == ""
    properties = identity["Properties"]
    assert properties["EmailIdentity"] == IDENTITY_USED["Fn::If"][1]  # the sender's domain, not the address
    assert properties["DkimAttributes"] == {"SigningEnabled": True}
    assert properties["DkimSigningAttributes"]["NextSigningKeyLength"] == "RSA_2048_BIT"
    assert properties["MailFromAttributes"]["MailFromDomain"]["Fn::Sub"][0] == "${MailFromSubdomain}.${Domain}"
    # And the records the city must add are outputs
    outputs = cfn()["Outputs"]
    for name in ("DnsDkimRecord1", "DnsDkimRecord2", "DnsDkimRecord3", "DnsMailFromMxRecord", "DnsMailFromSpfRecord"):
        assert outputs[name]["Condition"] == "CreateEmailIdentity", name
    assert "feedback-smtp.${AWS::Region}.amazonses.com" in outputs["DnsMailFromMxRecord"]["Value"]["Fn::Sub"][0]
    assert outputs["EmailIdentityUsed"]["Value"] == IDENTITY_USED


def test_bounces_and_complaints_go_from_the_configuration_set_to_sns_which_only_ses_may_publish_to() -> None:
    destination = cfn_resources()["EmailEventDestination"]["Properties"]
    assert destination["ConfigurationSetName"] == {"Ref": "EmailConfigurationSet"}
    assert set(destination["EventDestination"]["MatchingEventTypes"]) == {"bounce", "complaint"}
    assert destination["EventDestination"]["SnsDestination"]["TopicARN"] == {"Ref": "EmailEventsTopic"}
    (statement,) = cfn_resources()["EmailEventsTopicPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "ses.amazonaws.com"}
    assert statement["Action"] == "sns:Publish"
    assert statement["Condition"]["StringEquals"]["aws:SourceArn"]["Fn::Sub"].endswith(
        ":configuration-set/${EmailConfigurationSet}"
    )
    # And the topic delivers them to the EmailEvents function's live alias, failures to a queue
    (subscription,) = [r for r in of_type("AWS::SNS::Subscription").values() if r["Properties"]["Protocol"] == "lambda"]
    assert subscription["Properties"]["TopicArn"] == {"Ref": "EmailEventsTopic"}
    assert subscription["Properties"]["Endpoint"] == {"Ref": "EmailEventsFunctionAliaslive"}
    function = cfn_resources()["EmailEventsFunction"]["Properties"]
    assert function["Handler"] == "email_events.app.lambda_handler"
    assert function["DeadLetterConfig"] == {"TargetArn": {"Fn::GetAtt": ["EmailEventsDeadLetterQueue", "Arn"]}}
    assert metric_of(alarms()["EmailEventsDeadLettersAlarm"]) == ("AWS/SQS", "ApproximateNumberOfMessagesVisible")


def metric_of(alarm: dict[str, Any]) -> tuple[str, str]:
    properties = alarm["Properties"]
    if "MetricName" in properties:
        return properties["Namespace"], properties["MetricName"]
    stats = [m["MetricStat"]["Metric"] for m in properties["Metrics"] if "MetricStat" in m]
    assert len({(m["Namespace"], m["MetricName"]) for m in stats}) >= 1
    return stats[0]["Namespace"], "+".join(sorted({m["MetricName"] for m in stats}))


def test_every_alarm_notifies_the_one_topic_and_an_email_subscription_is_optional() -> None:
    for name, alarm in alarms().items():
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": "AlarmTopic"}], name
        assert alarm["Properties"]["AlarmDescription"], name
    subscription = cfn_resources()["AlarmEmailSubscription"]
    assert subscription["Condition"] == "HasAlarmEmail"
    assert subscription["Properties"] == {
        "TopicArn": {"Ref": "AlarmTopic"},
        "Protocol": "email",
        "Endpoint": {"Ref": "AlarmEmail"},
    }


def test_the_alarms_watch_the_api_each_function_the_table_the_flows_and_ses() -> None:
    watched = {metric_of(alarm) for alarm in alarms().values()}
    assert {
        ("AWS/ApiGateway", "5XXError"),
        ("AWS/ApiGateway", "Latency"),
        ("AWS/DynamoDB", "ReadThrottleEvents+WriteThrottleEvents"),
        ("AWS/DynamoDB", "SystemErrors"),
        ("ContractorAccounts", "ResetEmailFailed"),
        ("ContractorAccounts", "AwsCallFailed"),
        ("ContractorAccounts", "SignInFailed"),
        ("AWS/SES", "Reputation.BounceRate"),
        ("AWS/SES", "Reputation.ComplaintRate"),
    } <= watched
    assert alarms()["ApiLatencyAlarm"]["Properties"]["ExtendedStatistic"] == "p99"
    # Each function's errors and throttles
    for function in FUNCTIONS:
        for metric in ("Errors", "Throttles"):
            assert any(
                a["Properties"].get("MetricName") == metric
                and a["Properties"]["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": function}}]
                for a in alarms().values()
            ), (function, metric)
    # SES: warn before its review thresholds (5% bounces, 0.1% complaints)
    assert 0 < alarms()["SesBounceRateAlarm"]["Properties"]["Threshold"] < 0.05
    assert 0 < alarms()["SesComplaintRateAlarm"]["Properties"]["Threshold"] < 0.001
    assert alarms()["SignInFailureSurgeAlarm"]["Properties"]["Threshold"] == {"Ref": "SignInFailuresAlarmThreshold"}


def test_the_flow_alarms_watch_metrics_the_code_emits_under_the_service_dimension() -> None:
    emitted = set()
    for source in (REPO_ROOT / "functions").rglob("*.py"):
        emitted |= set(re.findall(r'add_metric\(name="(\w+)"', source.read_text(encoding="utf-8")))
    service = TEMPLATE.raw["Globals"]["Function"]["Environment"]["Variables"]["POWERTOOLS_SERVICE_NAME"]
    namespace = TEMPLATE.raw["Globals"]["Function"]["Environment"]["Variables"]["POWERTOOLS_METRICS_NAMESPACE"]
    ours = [a["Properties"] for a in alarms().values() if a["Properties"].get("Namespace") == namespace]
    assert len(ours) >= 3
    for alarm in ours:
        assert alarm["MetricName"] in emitted, alarm["MetricName"]
        assert alarm["Dimensions"] == [{"Name": "service", "Value": service}]


def test_the_dashboard_shows_the_flows_metrics() -> None:
    text, variables = cfn_resources()["Dashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]
    assert set(variables) == {"ApiName"}
    body = json.loads(re.sub(r"\$\{[^}]+\}", "x", text))
    shown = {m[1] for w in body["widgets"] for m in w["properties"]["metrics"] if m[0] != "..."}
    assert {"SignInSucceeded", "SignInFailed", "AccountRegistered", "ResetEmailSent", "ResetEmailFailed"} <= shown
    assert {"5XXError", "Latency", "Errors", "Throttles", "ReadThrottleEvents", "Reputation.BounceRate"} <= shown
    assert {"ApproximateAgeOfOldestMessage", "ApproximateNumberOfMessagesVisible", "ReminderEmailFailed"} <= shown
    # Every function (the mailer too) and every queue is on it
    for name in [*FUNCTIONS, *(n for n, r in RESOURCES.items() if r["Type"] == "AWS::SQS::Queue")]:
        assert "${" + name in text, name


def test_every_function_is_released_through_its_live_alias_by_a_canary_that_alarms_roll_back() -> None:
    aliases = of_type("AWS::Lambda::Alias")
    groups = of_type("AWS::CodeDeploy::DeploymentGroup")
    assert RAW_PARAMETERS["DeploymentType"]["Default"].startswith("Canary")
    for function in lambdas():
        (alias,) = [a for a in aliases.values() if a["Properties"]["FunctionName"] == {"Ref": function}]
        assert alias["Properties"]["Name"] == "live"
        group = groups[f"{function}DeploymentGroup"]["Properties"]
        alarms = [entry["Name"] for entry in group["AlarmConfiguration"]["Alarms"]]
        short = function.removesuffix("Function")
        assert {"Ref": "Api5xxAlarm"} in alarms
        assert {"Ref": f"{short}ErrorsAlarm"} in alarms
        assert "DEPLOYMENT_STOP_ON_ALARM" in group["AutoRollbackConfiguration"]["Events"]
        update = alias["UpdatePolicy"]["CodeDeployLambdaAliasUpdate"]
        assert update["DeploymentGroupName"] == {"Ref": f"{function}DeploymentGroup"}
    # The API calls the aliases, never $LATEST
    integrations = re.findall(r"functions/\$\{(\w+)\}/invocations", json.dumps(cfn_resources()["ContractorApi"]))
    assert integrations
    assert all(name.endswith("Aliaslive") for name in integrations)


STACK_UUID = {"StackUuid": {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}}


def test_log_groups_exist_before_the_functions_and_outlive_the_stack_under_names_of_this_stack_only() -> None:
    for name, function in lambdas().items():
        log_group = function["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
        resource = cfn_resources()[log_group]
        assert resource["Type"] == "AWS::Logs::LogGroup", name
        assert resource["DeletionPolicy"] == resource["UpdateReplacePolicy"] == "Retain", name
        assert resource["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    # Kept groups never collide with the next stack of the same name: each name carries the
    # stack id's UUID (new at every creation)
    for name, group in of_type("AWS::Logs::LogGroup").items():
        text, variables = group["Properties"]["LogGroupName"]["Fn::Sub"]
        assert text.startswith(
            ("/aws/lambda/${AWS::StackName}/${StackUuid}/", "/aws/apigateway/${AWS::StackName}/${StackUuid}/")
        ), name
        assert variables == STACK_UUID, name


def test_the_staff_role_may_only_invoke_the_staff_function() -> None:
    role = cfn_resources()["StaffRole"]["Properties"]
    (policy,) = role["Policies"]
    (statement,) = policy["PolicyDocument"]["Statement"]
    assert statement == {
        "Effect": "Allow",
        "Action": "lambda:InvokeFunction",
        "Resource": [{"Fn::GetAtt": ["StaffFunction", "Arn"]}, {"Fn::Sub": "${StaffFunction.Arn}:*"}],
    }
    assert "ManagedPolicyArns" not in role
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Condition"] == {"StringEquals": {"sts:RoleSessionName": "${aws:username}"}}
    assert cfn()["Outputs"]["StaffRoleArn"]["Value"] == {"Fn::GetAtt": ["StaffRole", "Arn"]}
    # Identity Center staff get the same permissions in a permission set: exactly the role's policy
    printed = cfn()["Outputs"]["StaffPermissionSetPolicy"]["Value"]["Fn::Sub"]
    printed_policy = json.loads(printed)
    (printed_statement,) = printed_policy["Statement"]
    assert printed_statement == {
        "Effect": "Allow",
        "Action": "lambda:InvokeFunction",
        "Resource": ["${StaffFunction.Arn}", "${StaffFunction.Arn}:*"],
    }


def test_cloudtrail_records_each_staff_invocation_in_a_private_bucket_only_that_trail_writes() -> None:
    trail = cfn_resources()["StaffAuditTrail"]
    assert trail["Condition"] == "StaffAuditTrailEnabled"
    properties = trail["Properties"]
    assert properties["EnableLogFileValidation"] is True
    (selector,) = properties["AdvancedEventSelectors"]
    fields = {f["Field"]: f for f in selector["FieldSelectors"]}
    assert fields["eventCategory"]["Equals"] == ["Data"]
    assert fields["resources.type"]["Equals"] == ["AWS::Lambda::Function"]
    assert fields["resources.ARN"]["StartsWith"] == [{"Fn::GetAtt": ["StaffFunction", "Arn"]}]
    bucket = cfn_resources()["StaffAuditBucket"]
    assert bucket["DeletionPolicy"] == "Retain"
    assert all(bucket["Properties"]["PublicAccessBlockConfiguration"].values())
    statements = cfn_resources()["StaffAuditBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    deny = next(s for s in statements if s["Effect"] == "Deny")
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    for allow in (s for s in statements if s["Effect"] == "Allow"):
        assert allow["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
        assert allow["Condition"]["StringEquals"]["aws:SourceArn"]["Fn::Sub"].endswith(
            ":trail/${AWS::StackName}-staff-actions"
        )
    assert properties["TrailName"] == {"Fn::Sub": "${AWS::StackName}-staff-actions"}


def samconfig() -> dict[str, Any]:
    with (REPO_ROOT / "samconfig.toml").open("rb") as file:
        return tomllib.load(file)


@pytest.mark.parametrize("environment", ["dev", "prod"])
def test_samconfig_has_dev_and_prod_with_parameters_the_template_declares(environment: str) -> None:
    deploy = samconfig()[environment]["deploy"]["parameters"]
    assert deploy["stack_name"].endswith(environment)
    overrides = dict(pair.split("=", 1) for pair in shlex.split(deploy["parameter_overrides"]))
    assert set(overrides) <= set(RAW_PARAMETERS)
    for name, value in overrides.items():
        allowed = RAW_PARAMETERS[name].get("AllowedValues")
        assert allowed is None or value.strip('"') in [str(v) for v in allowed], (name, value)
    assert "CAPABILITY_IAM" in deploy["capabilities"]


# -- forgot password through the queue ---------------------------------------------------------------


def test_forgot_password_requests_go_through_an_encrypted_queue_with_a_dead_letter_queue() -> None:
    # ForgotFunction gets the queue's URL and sends no email itself
    forgot = FUNCTIONS["ForgotFunction"]["Properties"]["Environment"]["Variables"]
    assert forgot == {"RESET_REQUESTS_QUEUE_URL": {"Ref": "ResetRequestsQueue"}}
    # Both queues encrypted; failures move to the dead-letter queue after a few deliveries
    queue = RESOURCES["ResetRequestsQueue"]["Properties"]
    dead_letters = RESOURCES["ResetRequestsDeadLetterQueue"]["Properties"]
    assert queue["SqsManagedSseEnabled"] is True
    assert dead_letters["SqsManagedSseEnabled"] is True
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {"Fn::GetAtt": ["ResetRequestsDeadLetterQueue", "Arn"]}
    assert 1 < queue["RedrivePolicy"]["maxReceiveCount"] <= 5
    # Lambda's visibility advice: at least six times the function's timeout
    assert queue["VisibilityTimeout"] >= 6 * TEMPLATE.functions["ResetMailerFunction"].timeout_seconds
    alarm = RESOURCES["ResetRequestsDeadLettersAlarm"]["Properties"]
    assert alarm["Dimensions"][0]["Value"] == {"Fn::GetAtt": ["ResetRequestsDeadLetterQueue", "QueueName"]}
    assert (alarm["MetricName"], alarm["Threshold"]) == ("ApproximateNumberOfMessagesVisible", 1)
    assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    # Lambda polls through the alias a release moves (a canary covers the mailer too)
    mapping = RESOURCES["ResetMailerRequests"]["Properties"]
    assert mapping["FunctionName"] == {"Ref": "ResetMailerFunction.Alias"}


def test_the_license_bucket_is_private_encrypted_versioned_and_its_uploads_start_the_import() -> None:
    bucket = RESOURCES["LicenseDataBucket"]["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    rules = {rule["Id"]: rule for rule in bucket["LifecycleConfiguration"]["Rules"]}
    assert rules["daily-files"]["Prefix"] == "incoming/"
    assert rules["old-versions"]["NoncurrentVersionExpiration"]["NoncurrentDays"] > 0
    assert bucket["NotificationConfiguration"] == {"EventBridgeConfiguration": {"EventBridgeEnabled": True}}
    policy = RESOURCES["LicenseDataBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert any(statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for statement in policy)
    function = FUNCTIONS["LicenseDataFunction"]["Properties"]
    (event,) = function["Events"].values()
    assert event["Type"] == "EventBridgeRule"
    assert event["Properties"]["Pattern"]["detail"]["bucket"]["name"] == [{"Ref": "LicenseDataBucket"}]
    # One import at a time, in Lambda's longest invocation; the encoding is the city's setting
    assert function["ReservedConcurrentExecutions"] == 1
    assert function["Timeout"] == 900
    assert function["Environment"]["Variables"] == {"LICENSE_FILE_ENCODING": {"Ref": "LicenseFileEncoding"}}


def test_a_refused_or_failed_license_file_and_two_days_without_one_raise_alarms() -> None:
    problem = alarms()["LicenseImportProblemAlarm"]["Properties"]
    assert {
        metric["MetricStat"]["Metric"]["MetricName"] for metric in problem["Metrics"] if "MetricStat" in metric
    } == {
        "LicenseFileRefused",
        "LicenseImportFailed",
    }
    missing = alarms()["LicenseFileMissingAlarm"]["Properties"]
    assert missing["MetricName"] == "LicenseFileImported"
    assert missing["TreatMissingData"] == "breaching"
    assert missing["Period"] * missing["EvaluationPeriods"] == 2 * 24 * 3600
    assert missing["DatapointsToAlarm"] == missing["EvaluationPeriods"]


def test_the_mailer_reports_failed_records_alone_in_small_batches() -> None:
    (source,) = TEMPLATE.sqs_sources
    assert (source.queue, source.function) == ("ResetRequestsQueue", "ResetMailerFunction")
    assert source.reports_item_failures
    assert source.batch_size <= 10
