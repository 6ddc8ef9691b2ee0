"""Each function's execution role as CloudFormation receives it: SAM's own translation of the
template (infra/sam_translate.py, in the SAM CLI's venv), its inline policies' statements with
every intrinsic resolved to the local names (the table, the queues, the SES identity), and what
the Lambda service itself does with the role, apart from the code's calls.

The translation takes seconds, so it is cached under .cache/sam-translation/, keyed by the
template's text, the parameters and the translator script.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from local_portal.events import LOCAL_ACCOUNT_ID, LOCAL_REGION
from local_portal.iam import Account, Statement, read_statements
from local_portal.template import REPO_ROOT, SamTemplate, TemplateError

# SAM's translator lives in the SAM CLI's venv (its pydantic pin clashes with ours): `make run`
# and `make test` install it.
SAM_PYTHON: Final = REPO_ROOT / ".sam-venv" / "bin" / "python"
TRANSLATOR: Final = REPO_ROOT / "infra" / "sam_translate.py"
CACHE_DIR: Final = REPO_ROOT / ".cache" / "sam-translation"

# The managed policies SAM attaches, each for the Lambda service's own use of the role (the code
# never calls CloudWatch Logs or X-Ray itself).
MANAGED_POLICY_REASONS: Final = {
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole": (
        "Lambda writes the function's logs to CloudWatch Logs (logs:CreateLogGroup, CreateLogStream, PutLogEvents)"
    ),
    "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess": (
        "Tracing: Active: Lambda sends the invocation's trace segments to X-Ray"
    ),
}
# What Lambda's event source mapping polls an SQS queue with, using the function's role.
SQS_POLLING_ACTIONS: Final = (
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:ChangeMessageVisibility",
    "sqs:GetQueueAttributes",
)

# What Lambda's event source mapping reads a DynamoDB stream with, using the function's role.
STREAM_READING_ACTIONS: Final = ("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator")


class TranslationError(RuntimeError):
    """SAM's translator is missing or refused the template."""


def translated(template_path: Path, parameters: Mapping[str, str]) -> dict[str, Any]:
    """SAM's translation of the template for these parameters, from the cache when it is there."""
    text = Path(template_path).read_text(encoding="utf-8")
    arguments = json.dumps(dict(parameters), sort_keys=True)
    key = hashlib.sha256("\0".join([text, arguments, TRANSLATOR.read_text(encoding="utf-8")]).encode()).hexdigest()
    cached = CACHE_DIR / f"{key}.json"
    if cached.is_file():
        document: dict[str, Any] = json.loads(cached.read_text(encoding="utf-8"))
        return document
    if not SAM_PYTHON.is_file():
        raise TranslationError(f"{SAM_PYTHON} is missing: `make .sam-venv/.installed` installs the SAM CLI")
    run = subprocess.run(
        [str(SAM_PYTHON), str(TRANSLATOR), str(template_path), arguments],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if run.returncode != 0:
        raise TranslationError(f"SAM could not translate {template_path}: {run.stderr}")
    document = json.loads(run.stdout)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(f".{hashlib.sha256(run.stdout.encode()).hexdigest()[:8]}.tmp")
    partial.write_text(run.stdout, encoding="utf-8")
    partial.replace(cached)  # atomic: a concurrent reader sees all of it or nothing
    return document


@dataclass(frozen=True)
class ServiceGrant:
    """A grant the Lambda service uses with the function's role, not the function's code."""

    actions: tuple[str, ...]
    resource: str
    reason: str


@dataclass(frozen=True)
class Role:
    """A function's execution role: its inline statements, resolved, and its managed policies."""

    function: str
    arn: str
    documents: tuple[dict[str, Any], ...]  # the resolved statements, as JSON
    managed_policies: tuple[str, ...]
    service_grants: tuple[ServiceGrant, ...]

    @property
    def statements(self) -> list[Statement]:
        return read_statements(self.documents)


def local_account(template: SamTemplate) -> Account:
    """The account and region of the local names, with the SES identities the template creates."""
    identities = frozenset(
        str(template.resolve(resource["Properties"]["EmailIdentity"]))
        for resource in template.resources_of_type("AWS::SES::EmailIdentity").values()
        if _created(template, resource)
    )
    return Account(LOCAL_REGION, LOCAL_ACCOUNT_ID, identities)


def _created(template: SamTemplate, resource: Mapping[str, Any]) -> bool:
    condition = resource.get("Condition")
    return condition is None or bool(template.resolve({"Fn::If": [condition, True, False]}))


def function_roles(template: SamTemplate) -> dict[str, Role]:
    """Every function's execution role, by the function's logical ID."""
    document = translated(template.path, template.parameters)
    resources: dict[str, Any] = document["Resources"]
    roles = {}
    for function, resource in resources.items():
        if resource["Type"] != "AWS::Lambda::Function":
            continue
        role_id = _role_id(function, resource["Properties"]["Role"])
        properties = resources[role_id]["Properties"]
        statements = [
            statement
            for policy in properties.get("Policies") or []
            for statement in _as_list(template.resolve(policy["PolicyDocument"]["Statement"], document))
        ]
        roles[function] = Role(
            function=function,
            arn=str(template.resolve({"Fn::GetAtt": [role_id, "Arn"]}, document)),
            documents=tuple(statements),
            managed_policies=tuple(str(arn) for arn in template.resolve(properties.get("ManagedPolicyArns") or [])),
            service_grants=tuple(_service_grants(template, document, function, resource)),
        )
    return roles


def _role_id(function: str, role: Any) -> str:
    if isinstance(role, dict) and "Fn::GetAtt" in role and role["Fn::GetAtt"][1] == "Arn":
        return str(role["Fn::GetAtt"][0])
    raise TemplateError(f"{function}: its Role is not a role of the template (!GetAtt <Role>.Arn)")


def _function_of(resources: Mapping[str, Any], target: Mapping[str, Any]) -> str | None:
    """The function a mapping's FunctionName refers to: itself, or through its alias."""
    name = target.get("Ref")
    resource = resources.get(str(name), {})
    if resource.get("Type") == "AWS::Lambda::Alias":
        return _function_of(resources, resource["Properties"]["FunctionName"])
    return str(name) if resource.get("Type") == "AWS::Lambda::Function" else None


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _service_grants(
    template: SamTemplate, document: dict[str, Any], function: str, resource: Mapping[str, Any]
) -> list[ServiceGrant]:
    grants = []
    for mapping in document["Resources"].values():
        properties = mapping.get("Properties") or {}
        target = properties.get("FunctionName")
        if mapping["Type"] != "AWS::Lambda::EventSourceMapping" or not isinstance(target, dict):
            continue
        if _function_of(document["Resources"], target) != function:
            continue
        queue = str(template.resolve(properties["EventSourceArn"], document))
        if queue.startswith("arn:aws:sqs:"):
            reason = "Lambda's event source mapping polls the queue and deletes what the function handled"
            grants.append(ServiceGrant(SQS_POLLING_ACTIONS, queue, reason))
        elif ":dynamodb:" in queue and "/stream/" in queue:
            reason = "Lambda's event source mapping reads the table's stream"
            grants.append(ServiceGrant(STREAM_READING_ACTIONS, queue, reason))
        on_failure = ((properties.get("DestinationConfig") or {}).get("OnFailure") or {}).get("Destination")
        if on_failure is not None:
            reason = "Lambda describes a batch that failed every retry to the mapping's on-failure destination"
            grants.append(ServiceGrant(("sqs:SendMessage",), str(template.resolve(on_failure, document)), reason))
    dead_letters = (resource["Properties"].get("DeadLetterConfig") or {}).get("TargetArn")
    if dead_letters is not None:
        queue = str(template.resolve(dead_letters, document))
        reason = "Lambda sends an asynchronous invocation that failed every retry to the dead-letter queue"
        grants.append(ServiceGrant(("sqs:SendMessage",), queue, reason))
    return grants
