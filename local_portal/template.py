"""The SAM template as the local portal sees it: functions, their routes and environment, the table.

infra/template.yaml is the single source of truth; nothing here keeps its own list of routes,
variables or key schemas. Intrinsics are resolved the way `sam local` does: Parameters from the
caller (else their Default), a Ref to a resource gives its local physical name (by default the
logical ID), pseudo parameters give the local account and region.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from cfnlint.decode import cfn_yaml  # type: ignore[import-untyped]

from local_portal.events import LOCAL_ACCOUNT_ID, LOCAL_REGION

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TEMPLATE = REPO_ROOT / "infra" / "template.yaml"

_PSEUDO_PARAMETERS = {
    "AWS::Region": LOCAL_REGION,
    "AWS::AccountId": LOCAL_ACCOUNT_ID,
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::StackName": "local",
    "AWS::StackId": f"arn:aws:cloudformation:{LOCAL_REGION}:{LOCAL_ACCOUNT_ID}:stack/local/local",
}
# Physical names the local portal gives resources whatever the caller names (the contract names
# the local license bucket).
LOCAL_RESOURCE_NAMES = {"LicenseDataBucket": "license-data"}
# `!Ref AWS::NoValue`: the list item or property it stands for is left out.
_NO_VALUE: Any = object()


class TemplateError(ValueError):
    """The template cannot be understood locally (missing parameter, unsupported intrinsic...)."""


def parse_template(text: str) -> dict[str, Any]:
    """Parse CloudFormation YAML (short tags included: `!Ref x` is {"Ref": x}, `!GetAtt a.b` is
    {"Fn::GetAtt": [a, b]}...) into plain dicts and lists, with cfn-lint's own loader."""
    try:
        document = json.loads(json.dumps(cfn_yaml.loads(text)))
    except cfn_yaml.CfnParseError as error:
        raise TemplateError(str(error)) from error
    if not isinstance(document, dict):
        raise TemplateError("the template is not a mapping")
    return document


# --- the model ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiEvent:
    """One `Type: Api` event: an HTTP method (lower case) on a path like "/items/{id}"."""

    path: str
    method: str


@dataclass(frozen=True)
class SqsSource:
    """An AWS::Lambda::EventSourceMapping from an SQS queue: Lambda's poller, as the local
    portal runs it (local_portal/queues.py)."""

    function: str  # the function's logical ID
    queue: str  # the queue's logical ID
    batch_size: int
    reports_item_failures: bool  # FunctionResponseTypes: [ReportBatchItemFailures]


@dataclass(frozen=True)
class BucketSource:
    """A function's `Type: EventBridgeRule` event on S3's "Object Created" events of a bucket of
    the template: the uploads that start it, as the local portal delivers them
    (local_portal/buckets.py)."""

    function: str  # the function's logical ID
    bucket: str  # the bucket's logical ID
    keys: tuple[tuple[str, str], ...]  # ("suffix" | "prefix" | "equals", text): any one matches

    def matches(self, key: str) -> bool:
        def one(kind: str, text: str) -> bool:
            return key.endswith(text) if kind == "suffix" else key.startswith(text) if kind == "prefix" else key == text

        return not self.keys or any(one(kind, text) for kind, text in self.keys)


@dataclass(frozen=True)
class StreamSource:
    """An AWS::Lambda::EventSourceMapping from a table's stream, with its filter patterns (a
    record is handed on when it matches any; none: every record)."""

    function: str
    table: str  # the table's logical ID
    batch_size: int
    patterns: tuple[dict[str, Any], ...]
    reports_item_failures: bool


@dataclass(frozen=True)
class FunctionSpec:
    """An AWS::Serverless::Function with Globals merged and intrinsics resolved."""

    logical_id: str
    handler: str
    code_dir: Path
    environment: dict[str, str]
    api_events: list[ApiEvent]
    timeout_seconds: float = 3.0
    memory_mb: int = 128
    runtime: str = "python3.13"


@dataclass
class SamTemplate:
    """The loaded template: resolved functions plus the raw resources they refer to."""

    path: Path
    raw: dict[str, Any]
    parameters: dict[str, str]
    resource_names: dict[str, str]

    @cached_property
    def functions(self) -> dict[str, FunctionSpec]:
        """Every AWS::Serverless::Function by logical ID (resolved on first use, so a caller that
        only wants the table need not supply every Parameter)."""
        return _resolve_functions(self)

    @cached_property
    def sqs_sources(self) -> list[SqsSource]:
        """Every event source mapping that feeds a function from one of the template's queues."""
        sources = []
        for mapping in self.resources_of_type("AWS::Lambda::EventSourceMapping").values():
            props = mapping.get("Properties") or {}
            function, queue = props.get("FunctionName"), props.get("EventSourceArn")
            if not (isinstance(function, dict) and "Ref" in function):
                raise TemplateError("an event source mapping's FunctionName must be !Ref <function>")
            if isinstance(queue, dict) and queue.get("Fn::GetAtt", [None, None])[1] == "StreamArn":
                continue  # a table's stream: stream_sources
            if not (isinstance(queue, dict) and queue.get("Fn::GetAtt", [None, None])[1] == "Arn"):
                raise TemplateError("an event source mapping's EventSourceArn must be !GetAtt <queue>.Arn")
            queue_id = queue["Fn::GetAtt"][0]
            if self.resource(queue_id).get("Type") != "AWS::SQS::Queue":
                continue  # a stream, not a queue: nothing polls it locally
            sources.append(
                SqsSource(
                    # "!Ref Function.Alias" (SAM's AutoPublishAlias) is the same function locally.
                    function=str(function["Ref"]).removesuffix(".Alias"),
                    queue=str(queue_id),
                    # Lambda's default batch for a standard queue is 10.
                    batch_size=int(self.resolve(props.get("BatchSize", 10))),
                    reports_item_failures="ReportBatchItemFailures" in (props.get("FunctionResponseTypes") or []),
                )
            )
        return sources

    @cached_property
    def bucket_sources(self) -> list[BucketSource]:
        """Every function event that EventBridge raises for an object created in a bucket of the
        template (the bucket sends its events to EventBridge)."""
        sources = []
        for logical_id, resource in self.resources_of_type("AWS::Serverless::Function").items():
            for event in ((resource.get("Properties") or {}).get("Events") or {}).values():
                pattern = (event.get("Properties") or {}).get("Pattern") or {}
                if event.get("Type") != "EventBridgeRule" or "aws.s3" not in (pattern.get("source") or []):
                    continue
                detail = pattern.get("detail") or {}
                (bucket,) = (detail.get("bucket") or {}).get("name") or [None]
                if not (isinstance(bucket, dict) and "Ref" in bucket):
                    raise TemplateError(f"{logical_id}: an S3 rule's detail.bucket.name must be [!Ref <bucket>]")
                keys = []
                for matcher in (detail.get("object") or {}).get("key") or []:
                    if isinstance(matcher, str):
                        keys.append(("equals", matcher))
                    else:
                        ((kind, text),) = dict(matcher).items()
                        keys.append((str(kind), str(text)))
                sources.append(BucketSource(logical_id, str(bucket["Ref"]), tuple(keys)))
        return sources

    @cached_property
    def stream_sources(self) -> list[StreamSource]:
        """Every event source mapping that feeds a function from a table's stream."""
        sources = []
        for mapping in self.resources_of_type("AWS::Lambda::EventSourceMapping").values():
            props = mapping.get("Properties") or {}
            function, stream = props.get("FunctionName"), props.get("EventSourceArn")
            if not (isinstance(stream, dict) and stream.get("Fn::GetAtt", [None, None])[1] == "StreamArn"):
                continue
            if not (isinstance(function, dict) and "Ref" in function):
                raise TemplateError("an event source mapping's FunctionName must be !Ref <function>")
            filters = ((props.get("FilterCriteria") or {}).get("Filters")) or []
            sources.append(
                StreamSource(
                    function=str(function["Ref"]).removesuffix(".Alias"),
                    table=str(stream["Fn::GetAtt"][0]),
                    batch_size=int(self.resolve(props.get("BatchSize", 100))),
                    patterns=tuple(json.loads(str(self.resolve(found["Pattern"]))) for found in filters),
                    reports_item_failures="ReportBatchItemFailures" in (props.get("FunctionResponseTypes") or []),
                )
            )
        return sources

    def queue_url(self, logical_id: str) -> str:
        """What `!Ref <queue>` gives: its URL (any host: SQS and moto name a queue by the path)."""
        return _queue_url(self.physical_name(logical_id))

    # -- resources -----------------------------------------------------------------------------

    def resource(self, logical_id: str) -> dict[str, Any]:
        resources: dict[str, Any] = self.raw.get("Resources", {})
        if logical_id not in resources:
            raise TemplateError(f"no resource {logical_id!r} in {self.path}")
        resource: dict[str, Any] = resources[logical_id]
        return resource

    def resources_of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {
            logical_id: resource
            for logical_id, resource in self.raw.get("Resources", {}).items()
            if resource.get("Type") == resource_type
        }

    def physical_name(self, logical_id: str) -> str:
        """What `!Ref <logical_id>` gives locally (the table name, the configuration set name...)."""
        return self.resource_names.get(logical_id, logical_id)

    def resolve(self, value: Any, document: dict[str, Any] | None = None) -> Any:
        """Resolve intrinsics in any template fragment against this template's parameters (and
        the resources and Conditions of ``document``: by default this template; SAM's
        translation of it for the resources SAM makes, such as the functions' roles)."""
        resolved = _Resolver(self.parameters, self.resource_names, self.raw if document is None else document).resolve(
            value
        )
        return None if resolved is _NO_VALUE else resolved

    def gateway_response(self, response_type: str) -> tuple[int | None, dict[str, str], str | None]:
        """The status, headers and JSON template the template gives an API Gateway response type.

        Falls back from e.g. MISSING_AUTHENTICATION_TOKEN to DEFAULT_4XX as API Gateway does.
        """
        candidates = [response_type]
        if response_type != "DEFAULT_4XX" and response_type != "DEFAULT_5XX":
            candidates.append("DEFAULT_5XX" if response_type.endswith("5XX") else "DEFAULT_4XX")
        for api in self.resources_of_type("AWS::Serverless::Api").values():
            responses = api.get("Properties", {}).get("GatewayResponses", {})
            for candidate in candidates:
                if candidate not in responses:
                    continue
                spec = self.resolve(responses[candidate])
                status = int(spec["StatusCode"]) if "StatusCode" in spec else None
                headers = {
                    # Header values are API Gateway mapping expressions; static ones are quoted.
                    name: str(value).strip("'")
                    for name, value in spec.get("ResponseParameters", {}).get("Headers", {}).items()
                }
                body = spec.get("ResponseTemplates", {}).get("application/json")
                return status, headers, body
        return None, {}, None

    # -- creating the resources the functions use ------------------------------------------------

    def create_table(
        self, dynamodb_client: Any, logical_id: str = "ContractorsTable", *, table_name: str | None = None
    ) -> None:
        """Create the table from the resource's own Properties, then turn its TTL on.

        `table_name` defaults to the name the functions get from `!Ref <logical_id>`.
        """
        resource = self.resource(logical_id)
        if resource.get("Type") != "AWS::DynamoDB::Table":
            raise TemplateError(f"{logical_id} is not an AWS::DynamoDB::Table")
        props: dict[str, Any] = self.resolve(resource.get("Properties", {}))
        name = table_name or self.physical_name(logical_id)
        kwargs: dict[str, Any] = {
            "TableName": name,
            "KeySchema": props["KeySchema"],
            "AttributeDefinitions": props["AttributeDefinitions"],
            "BillingMode": props.get("BillingMode", "PROVISIONED"),
        }
        for key in ("ProvisionedThroughput", "GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
            if key in props:
                kwargs[key] = props[key]
        if "StreamSpecification" in props:
            kwargs["StreamSpecification"] = {"StreamEnabled": True, **props["StreamSpecification"]}
        dynamodb_client.create_table(**kwargs)
        ttl = props.get("TimeToLiveSpecification")
        if ttl and _truthy(ttl.get("Enabled", False)):
            dynamodb_client.update_time_to_live(
                TableName=name,
                TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": True},
            )

    def create_email_resources(self, sesv2_client: Any, ses_client: Any | None = None) -> None:
        """Create the SES configuration sets and email identities the template declares.

        moto accepts an identity as verified as soon as it exists; `ses_client` (SES v1), when
        given, also verifies the address the classic way for code that checks it. Resources that
        already exist (an emulator that outlived a previous run) are left as they are.
        """
        for logical_id in self.resources_of_type("AWS::SES::ConfigurationSet"):
            _unless_exists(sesv2_client.create_configuration_set, ConfigurationSetName=self.physical_name(logical_id))
        for resource in self.resources_of_type("AWS::SES::EmailIdentity").values():
            props = self.resolve(resource.get("Properties", {}))
            identity = str(props["EmailIdentity"])
            kwargs: dict[str, Any] = {"EmailIdentity": identity}
            config_set = props.get("ConfigurationSetAttributes", {}).get("ConfigurationSetName")
            if config_set:
                kwargs["ConfigurationSetName"] = str(config_set)
            _unless_exists(sesv2_client.create_email_identity, **kwargs)
            if ses_client is not None:
                if "@" in identity:
                    ses_client.verify_email_identity(EmailAddress=identity)
                else:
                    ses_client.verify_domain_identity(Domain=identity)

    def create_buckets(self, s3_client: Any) -> None:
        """Create the buckets whose uploads start a function, versioned as the template says."""
        for bucket in sorted({source.bucket for source in self.bucket_sources}):
            props = self.resolve(self.resource(bucket).get("Properties") or {})
            name = self.physical_name(bucket)
            _unless_exists(
                s3_client.create_bucket, Bucket=name, CreateBucketConfiguration={"LocationConstraint": LOCAL_REGION}
            )
            if (props.get("VersioningConfiguration") or {}).get("Status") == "Enabled":
                s3_client.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})

    def create_queues(self, sqs_client: Any) -> None:
        """Create the SQS queues the template declares, dead-letter queues first, with their
        attributes (visibility, retention, redrive policy, encryption)."""
        queues = self.resources_of_type("AWS::SQS::Queue")
        ordered = sorted(queues, key=lambda logical_id: "RedrivePolicy" in (queues[logical_id].get("Properties") or {}))
        for logical_id in ordered:
            props = self.resolve(queues[logical_id].get("Properties") or {})
            attributes = {name: _stringify(props[name]) for name in _QUEUE_ATTRIBUTES if name in props}
            if "RedrivePolicy" in props:
                attributes["RedrivePolicy"] = json.dumps(props["RedrivePolicy"])
            sqs_client.create_queue(QueueName=self.physical_name(logical_id), Attributes=attributes)


_QUEUE_ATTRIBUTES = ("VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds", "SqsManagedSseEnabled")


def _queue_url(name: str) -> str:
    return f"https://sqs.{LOCAL_REGION}.amazonaws.com/{LOCAL_ACCOUNT_ID}/{name}"


# --- intrinsic functions --------------------------------------------------------------------------

_SUB_VARIABLE = re.compile(r"\$\{([^}!][^}]*)\}")


class _Resolver:
    def __init__(self, parameters: Mapping[str, str], resource_names: Mapping[str, str], raw: dict[str, Any]):
        self.parameters = parameters
        self.resource_names = resource_names
        self.resources: dict[str, Any] = raw.get("Resources", {})
        self.declared_parameters: dict[str, Any] = raw.get("Parameters") or {}
        self.conditions: dict[str, Any] = raw.get("Conditions") or {}

    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            return [item for item in (self.resolve(item) for item in value) if item is not _NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, argument),) = value.items()
            if key == "Ref":
                return self.ref(str(argument))
            if key == "Fn::Sub" and isinstance(argument, str):
                return self.sub(argument)
            # The gateway responses' CORS origin and the email identity's domain are picked out of
            # parameters: !Sub [text, {Name: ...}], !Select [i, list], !Split [delimiter, text].
            if key == "Fn::Sub" and isinstance(argument, list) and len(argument) == 2:
                text, variables = argument
                return self.sub(str(text), {name: str(self.resolve(item)) for name, item in variables.items()})
            if key == "Fn::Select":
                index, items = self.resolve(argument)
                return items[int(index)]
            if key == "Fn::Split":
                delimiter, text = self.resolve(argument)
                return str(text).split(str(delimiter))
            if key == "Fn::Join":
                delimiter, items = self.resolve(argument)
                return str(delimiter).join(str(item) for item in items)
            if key == "Fn::If":
                condition, if_true, if_false = argument
                return self.resolve(if_true if self.condition(str(condition)) else if_false)
            if key == "Fn::GetAtt":
                logical_id, attribute = argument if isinstance(argument, list) else str(argument).split(".", 1)
                return self.attribute(str(logical_id), str(attribute))
            if key.startswith("Fn::"):
                # What the functions' environment, routes, resources and roles use; nothing more.
                raise TemplateError(f"{key} (in this form) is not supported by the local portal")
        resolved = {key: self.resolve(item) for key, item in value.items()}
        return {key: item for key, item in resolved.items() if item is not _NO_VALUE}

    def condition(self, name: str) -> bool:
        """A Condition of the template, for these parameters."""
        if name not in self.conditions:
            raise TemplateError(f"no condition {name!r}")
        return self.truth(self.conditions[name])

    def truth(self, value: Any) -> bool:
        ((key, argument),) = value.items()
        if key == "Fn::Equals":
            left, right = (_stringify(item) for item in self.resolve(argument))
            return left == right
        if key == "Fn::Not":
            return not self.truth(argument[0])
        if key == "Fn::And":
            return all(self.truth(item) for item in argument)
        if key == "Fn::Or":
            return any(self.truth(item) for item in argument)
        if key == "Condition":
            return self.condition(str(argument))
        raise TemplateError(f"{key} is not supported in a condition by the local portal")

    def ref(self, name: str) -> Any:
        if name in self.parameters:
            return self.parameters[name]
        if name in _PSEUDO_PARAMETERS:
            return _PSEUDO_PARAMETERS[name]
        if name == "AWS::NoValue":
            return _NO_VALUE
        if name in self.resources:
            if self._is_queue(name):
                return _queue_url(self.resource_names.get(name, name))
            return self.resource_names.get(name, name)
        if name in self.declared_parameters:
            raise TemplateError(f"parameter {name} has no Default: pass a value for it")
        raise TemplateError(f"!Ref {name}: no such parameter or resource")

    def _is_queue(self, name: object) -> bool:
        return isinstance(name, str) and self.resources.get(name, {}).get("Type") == "AWS::SQS::Queue"

    def attribute(self, logical_id: str, attribute: str) -> str:
        """!GetAtt of a queue (its Arn, QueueName, QueueUrl) or the Arn of a table or role, as
        named locally."""
        if self._is_queue(logical_id):
            return self.queue_attribute(logical_id, attribute)
        name = self.resource_names.get(logical_id, logical_id)
        resource_type = self.resources.get(logical_id, {}).get("Type")
        arns = {
            "AWS::DynamoDB::Table": f"arn:aws:dynamodb:{LOCAL_REGION}:{LOCAL_ACCOUNT_ID}:table/{name}",
            "AWS::IAM::Role": f"arn:aws:iam::{LOCAL_ACCOUNT_ID}:role/{name}",
            "AWS::S3::Bucket": f"arn:aws:s3:::{name}",
        }
        if attribute == "Arn" and resource_type in arns:
            return arns[resource_type]
        if attribute == "StreamArn" and resource_type == "AWS::DynamoDB::Table":
            # A real stream's ARN ends with its creation time; locally one name stands for it.
            return f"{arns[resource_type]}/stream/local"
        raise TemplateError(f"!GetAtt {logical_id}.{attribute} is not supported by the local portal")

    def queue_attribute(self, logical_id: str, attribute: str) -> str:
        name = self.resource_names.get(logical_id, logical_id)
        if attribute == "Arn":
            return f"arn:aws:sqs:{LOCAL_REGION}:{LOCAL_ACCOUNT_ID}:{name}"
        if attribute == "QueueName":
            return name
        if attribute == "QueueUrl":
            return _queue_url(name)
        raise TemplateError(f"!GetAtt {logical_id}.{attribute} is not supported by the local portal")

    def sub(self, text: str, variables: Mapping[str, str] | None = None) -> str:
        given = variables or {}

        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in given:
                return given[name]
            if "." in name and not name.startswith("AWS::"):
                return self.attribute(*name.split(".", 1))  # "${Table.Arn}"
            return str(self.ref(name))

        # "${!Literal}" is CloudFormation's escape for a literal "${Literal}".
        return _SUB_VARIABLE.sub(value, text).replace("${!", "${")


def _unless_exists(call: Any, **kwargs: Any) -> None:
    try:
        call(**kwargs)
    except Exception as exc:
        code = str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))
        if "AlreadyExists" not in code and "AlreadyOwnedByYou" not in code:
            raise


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def _stringify(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --- loading ----------------------------------------------------------------------------------------


def _merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """SAM's Globals merge: maps merge key by key (recursively), anything else is replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_template(
    path: Path = DEFAULT_TEMPLATE,
    parameters: Mapping[str, str] | None = None,
    *,
    resource_names: Mapping[str, str] | None = None,
) -> SamTemplate:
    """Load a SAM template and resolve its functions for a local run.

    `parameters` override the template's Defaults; a parameter with neither is an error only if
    something refers to it. `resource_names` gives physical names to resources (what `!Ref` of a
    table or configuration set returns); unnamed resources resolve to their logical ID, as in
    `sam local`.
    """
    path = Path(path).resolve()
    raw = parse_template(path.read_text(encoding="utf-8"))
    resolved_parameters = {
        name: _stringify(spec["Default"])
        for name, spec in (raw.get("Parameters") or {}).items()
        if isinstance(spec, Mapping) and "Default" in spec
    }
    resolved_parameters.update({name: _stringify(value) for name, value in (parameters or {}).items()})
    names = {**LOCAL_RESOURCE_NAMES, **(resource_names or {})}
    return SamTemplate(path=path, raw=raw, parameters=resolved_parameters, resource_names=names)


def _resolve_functions(template: SamTemplate) -> dict[str, FunctionSpec]:
    functions: dict[str, FunctionSpec] = {}
    globals_function: Mapping[str, Any] = (template.raw.get("Globals") or {}).get("Function") or {}
    for logical_id, resource in template.resources_of_type("AWS::Serverless::Function").items():
        props = _merge(globals_function, resource.get("Properties") or {})
        code_uri = props.get("CodeUri")
        if not isinstance(code_uri, str):
            raise TemplateError(f"{logical_id}: only a local CodeUri path is supported")
        if "Handler" not in props:
            raise TemplateError(f"{logical_id}: no Handler")
        variables = template.resolve((props.get("Environment") or {}).get("Variables") or {})
        events = []
        for event in (props.get("Events") or {}).values():
            if event.get("Type") != "Api":
                continue
            event_props = template.resolve(event.get("Properties") or {})
            events.append(ApiEvent(path=str(event_props["Path"]), method=str(event_props["Method"]).lower()))
        functions[logical_id] = FunctionSpec(
            logical_id=logical_id,
            handler=str(props["Handler"]),
            code_dir=(template.path.parent / code_uri).resolve(),
            environment={name: _stringify(value) for name, value in variables.items()},
            api_events=events,
            timeout_seconds=float(template.resolve(props.get("Timeout", 3))),
            memory_mb=int(template.resolve(props.get("MemorySize", 128))),
            runtime=str(props.get("Runtime", "python3.13")),
        )
    return functions
