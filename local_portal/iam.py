"""IAM as AWS applies it to a function's own AWS calls: its execution role's Allow statements,
and what each call asks them for. One evaluator for the IAM test (tests/test_iam.py) and for
`make run` (each function's worker refuses what its role does not grant, as AWS would).

- ``requests(...)``: the (action, resource ARN, condition keys) a call needs, from its API
  parameters, as the service authorizes it: a DynamoDB transaction by its items' actions on each
  item's table (Put -> dynamodb:PutItem, Update -> UpdateItem, Delete -> DeleteItem,
  ConditionCheck -> ConditionCheckItem), a Query with IndexName on the index, SQS on the queue of
  its URL, SESv2 SendEmail on the sending identity and the configuration set, with
  ``ses:FromAddress``; S3 object calls on the object's ARN (GetObject with a VersionId is
  s3:GetObjectVersion), ListObjectsV2 as s3:ListBucket on the bucket, with ``s3:prefix``.
- ``Statement``: one Allow statement, resolved to concrete ARNs (local_portal/roles.py does that
  from SAM's translation of the template). Actions match case-insensitively, resources as ARN
  globs (``*``, ``?``); the condition operators StringEquals, StringNotEquals,
  StringEqualsIgnoreCase, StringLike and StringNotLike are evaluated, any other is refused when
  the statement is read.

Its limits, stated in the README: Allow statements of identity policies only. No Deny, NotAction
or NotResource (refused when read), no resource policies, permission boundaries, session policies
or SCPs, no condition operator beyond the five above, no global condition keys (aws:...).

Standard library only, botocore imported when a refusal is answered: the function's worker
(local_portal/_worker.py) loads this file by path, as it does events.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Final

# The IAM service prefix of each botocore service a function uses ("sesv2" is "ses" to IAM).
_IAM_PREFIX: Final = {"sesv2": "ses"}
_CONDITION_OPERATORS: Final = frozenset(
    {"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringLike", "StringNotLike"}
)


@dataclass(frozen=True)
class Request:
    """What one AWS call asks IAM for: an action on a resource, with the request's condition keys."""

    action: str
    resource: str
    condition_keys: tuple[tuple[str, str], ...] = ()  # (key, value), sorted: requests are compared whole

    @property
    def context(self) -> dict[str, str]:
        return dict(self.condition_keys)

    def __str__(self) -> str:
        return f"{self.action} on {self.resource}"


@dataclass(frozen=True)
class Statement:
    """An Allow statement with every intrinsic resolved: actions, resource ARNs, conditions."""

    actions: tuple[str, ...]
    resources: tuple[str, ...]
    # operator -> condition key (lower case) -> the values any one of which satisfies it
    conditions: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)

    @classmethod
    def read(cls, document: Mapping[str, Any]) -> Statement:
        """A statement of a policy document (JSON); what this evaluator cannot judge is refused."""
        unsupported = {"NotAction", "NotResource", "NotPrincipal", "Principal"} & set(document)
        if document.get("Effect") != "Allow" or unsupported:
            raise ValueError(f"only Allow statements with Action and Resource are evaluated: {document}")
        conditions: dict[str, dict[str, tuple[str, ...]]] = {}
        for operator, keys in (document.get("Condition") or {}).items():
            if operator not in _CONDITION_OPERATORS:
                raise ValueError(f"the condition operator {operator} is not evaluated here: {document}")
            conditions[operator] = {key.lower(): tuple(_strings(values)) for key, values in keys.items()}
        return cls(tuple(_strings(document["Action"])), tuple(_strings(document["Resource"])), conditions)

    def grants(self) -> Iterator[tuple[str, str]]:
        """Every (action, resource) pair the statement names."""
        for action in self.actions:
            for resource in self.resources:
                yield action, resource

    def allows(self, request: Request) -> bool:
        return (
            any(_matches(action, request.action, ignore_case=True) for action in self.actions)
            and any(_matches(resource, request.resource) for resource in self.resources)
            and self.conditions_hold(request.context)
        )

    def conditions_hold(self, context: Mapping[str, str]) -> bool:
        keys = {key.lower(): value for key, value in context.items()}
        for operator, wanted in self.conditions.items():
            for key, values in wanted.items():
                if not _condition(operator, keys.get(key), values):
                    return False
        return True


def read_statements(documents: Iterable[Mapping[str, Any]]) -> list[Statement]:
    return [Statement.read(document) for document in documents]


def allowed(statements: Iterable[Statement], request: Request) -> bool:
    """Whether any statement allows the request (no Deny exists to override it)."""
    return any(statement.allows(request) for statement in statements)


def pair_covers(action: str, resource: str, request: Request) -> bool:
    """Whether a granted (action, resource) pair is one the request uses."""
    return _matches(action, request.action, ignore_case=True) and _matches(resource, request.resource)


@dataclass(frozen=True)
class Audit:
    """A role held against the calls its function made: what it lacks, what it grants beyond them."""

    missing: list[Request]  # calls no statement allows: AccessDenied in AWS
    extra: list[tuple[str, str]]  # (action, resource) pairs no call (nor the Lambda service) uses


def audit(statements: Sequence[Statement], needed: Iterable[Request], service_uses: Iterable[Request] = ()) -> Audit:
    """``needed``: what the function's calls asked for; ``service_uses``: what the Lambda service
    does with the role (it must be granted too, and is not "more than the code calls")."""
    used = set(needed) | set(service_uses)
    missing = sorted((request for request in used if not allowed(statements, request)), key=str)
    extra = [
        (action, resource)
        for statement in statements
        for action, resource in statement.grants()
        if not any(
            pair_covers(action, resource, request) and statement.conditions_hold(request.context) for request in used
        )
    ]
    return Audit(missing, extra)


def _condition(operator: str, value: str | None, wanted: Sequence[str]) -> bool:
    if operator == "StringEquals":
        return value is not None and value in wanted
    if operator == "StringEqualsIgnoreCase":
        return value is not None and value.lower() in {item.lower() for item in wanted}
    if operator == "StringLike":
        return value is not None and any(_matches(pattern, value) for pattern in wanted)
    if operator == "StringNotEquals":
        return value is None or value not in wanted
    # StringNotLike
    return value is None or not any(_matches(pattern, value) for pattern in wanted)


def _strings(value: Any) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else [str(value)]


@cache
def _pattern(glob: str, ignore_case: bool) -> re.Pattern[str]:
    text = "".join(".*" if char == "*" else "." if char == "?" else re.escape(char) for char in glob)
    return re.compile(text, re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL)


def _matches(glob: str, value: str, ignore_case: bool = False) -> bool:
    return _pattern(glob, ignore_case).fullmatch(value) is not None


# -- what a call asks for ------------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    """Where the calls go: the ARNs of names (a table, a queue URL, an SES identity) are built here.
    ``email_identities`` are the SES identities that exist (SES authorizes a send with the
    sender's address when it is an identity itself, else with its domain)."""

    region: str
    account_id: str
    email_identities: frozenset[str] = frozenset()
    partition: str = "aws"

    def arn(self, service: str, resource: str) -> str:
        return f"arn:{self.partition}:{service}:{self.region}:{self.account_id}:{resource}"


def requests(service: str, operation: str, params: Mapping[str, Any], account: Account) -> list[Request]:
    """What one call (a botocore service name, an operation, its API parameters) asks IAM for."""
    prefix = _IAM_PREFIX.get(service, service)
    if service == "dynamodb":
        return _dynamodb(operation, params, account)
    if service == "sqs" and "QueueUrl" in params:
        return [Request(f"sqs:{operation}", _queue_arn(str(params["QueueUrl"]), account))]
    if service == "sesv2" and operation == "SendEmail":
        return _ses_send(params, account)
    if service == "s3" and "Bucket" in params:
        return [_s3(operation, params, account)]
    return [Request(f"{prefix}:{operation}", "*")]


# S3 operations whose IAM action is another name (the rest are s3:<Operation>).
_S3_ACTIONS: Final = {"HeadObject": "GetObject", "ListObjectsV2": "ListBucket", "ListObjects": "ListBucket"}


def _s3(operation: str, params: Mapping[str, Any], account: Account) -> Request:
    bucket = f"arn:{account.partition}:s3:::{params['Bucket']}"
    action = _S3_ACTIONS.get(operation, operation)
    if action in {"GetObject", "GetObjectVersion"} and params.get("VersionId"):
        action = "GetObjectVersion"
    if action == "ListBucket":
        return Request("s3:ListBucket", bucket, (("s3:prefix", str(params.get("Prefix", ""))),))
    if "Key" in params:
        return Request(f"s3:{action}", f"{bucket}/{params['Key']}")
    return Request(f"s3:{action}", bucket)


def _dynamodb(operation: str, params: Mapping[str, Any], account: Account) -> list[Request]:
    def table(name: str, index: str | None = None) -> str:
        return account.arn("dynamodb", f"table/{name}" + (f"/index/{index}" if index else ""))

    if operation == "TransactWriteItems":
        return [
            # Put, Update, Delete, ConditionCheck: dynamodb:PutItem ... dynamodb:ConditionCheckItem
            Request(f"dynamodb:{kind}Item", table(item["TableName"]))
            for entry in params.get("TransactItems", [])
            for kind, item in entry.items()
        ]
    if operation == "TransactGetItems":
        return [Request("dynamodb:GetItem", table(entry["Get"]["TableName"])) for entry in params["TransactItems"]]
    if operation in {"BatchWriteItem", "BatchGetItem"}:
        return [Request(f"dynamodb:{operation}", table(name)) for name in params.get("RequestItems", {})]
    if "TableName" in params:
        return [Request(f"dynamodb:{operation}", table(str(params["TableName"]), params.get("IndexName")))]
    return [Request(f"dynamodb:{operation}", "*")]


def _queue_arn(url: str, account: Account) -> str:
    """https://sqs.<region>.amazonaws.com/<account>/<name> (or the emulator's host) -> its ARN."""
    owner, name = url.rstrip("/").split("/")[-2:]
    return f"arn:{account.partition}:sqs:{account.region}:{owner}:{name}"


_ADDRESS: Final = re.compile(r"<([^<>]+)>\s*$")


def _ses_send(params: Mapping[str, Any], account: Account) -> list[Request]:
    sender = str(params.get("FromEmailAddress", ""))
    match = _ADDRESS.search(sender)  # "City of X <no-reply@x.gov>" -> the address
    address = (match.group(1) if match else sender).strip()
    context = (("ses:ApiVersion", "2"), ("ses:FromAddress", address))
    if "FromEmailAddressIdentityArn" in params:
        identity = str(params["FromEmailAddressIdentityArn"])
    else:
        name = address if address in account.email_identities else address.rpartition("@")[2]
        identity = account.arn("ses", f"identity/{name}")
    needed = [Request("ses:SendEmail", identity, context)]
    if "ConfigurationSetName" in params:
        configuration_set = account.arn("ses", f"configuration-set/{params['ConfigurationSetName']}")
        needed.append(Request("ses:SendEmail", configuration_set, context))
    return needed


# -- refusing in a function's process ----------------------------------------------------------------


def denial_message(role_arn: str, request: Request) -> str:
    """AWS's words for an identity policy that allows nothing of it."""
    return (
        f"User: {role_arn} is not authorized to perform: {request.action} on resource: {request.resource} "
        f"because no identity-based policy allows the {request.action} action"
    )


def denied_response(operation_model: Any, message: str) -> tuple[Any, dict[str, Any]]:
    """The HTTP response AWS answers a refused call with, in the service's own protocol, parsed by
    botocore's own parser: the client raises what it raises for AWS's AccessDenied (DynamoDB and
    SESv2: AccessDeniedException; SQS, whose JSON protocol answers query-compatible codes:
    AccessDenied)."""
    from botocore.awsrequest import AWSResponse
    from botocore.compat import HTTPHeaders
    from botocore.parsers import create_parser

    service_model = operation_model.service_model
    protocol = service_model.protocol
    headers = HTTPHeaders()
    headers["x-amzn-RequestId"] = "00000000-0000-4000-8000-000000000403"
    if protocol == "rest-xml":  # S3
        headers["Content-Type"] = "application/xml"
        raw = f"<Error><Code>AccessDenied</Code><Message>{message}</Message></Error>".encode()
        parsed = create_parser(protocol).parse(
            {"status_code": 403, "headers": headers, "body": raw}, operation_model.output_shape
        )
        return AWSResponse("https://iam.local/denied", 403, headers, None), parsed
    if protocol == "rest-json":  # SESv2
        status, body = 403, {"message": message}
        headers["x-amzn-ErrorType"] = "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/"
    else:  # json: DynamoDB, SQS
        status, body = 400, {"__type": "com.amazon.coral.service#AccessDeniedException", "Message": message}
        if "awsQueryCompatible" in service_model.metadata:  # SQS
            headers["x-amzn-query-error"] = "AccessDenied;Sender"
            status = 403
    headers["Content-Type"] = "application/x-amz-json-1.0" if protocol == "json" else "application/json"
    raw = json.dumps(body).encode()
    parsed = create_parser(protocol).parse(
        {"status_code": status, "headers": headers, "body": raw}, operation_model.output_shape
    )
    return AWSResponse("https://iam.local/denied", status, headers, None), parsed


class Enforcer:
    """A function's role, applied to its own calls before they leave the process: a call its
    statements do not allow is answered with AWS's AccessDenied and reported to ``log``."""

    def __init__(
        self, role_arn: str, statements: Sequence[Statement], account: Account, log: Callable[[str], None]
    ) -> None:
        self.role_arn = role_arn
        self.statements = list(statements)
        self.account = account
        self.log = log

    def install(self, events: Any) -> None:
        """On a botocore event emitter (a session's, before its clients are made)."""
        events.register("before-parameter-build", self.check)
        events.register_first("before-call", self.refuse)

    def check(self, params: Mapping[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
        service = model.service_model.service_name
        for request in requests(service, model.name, params, self.account):
            if not allowed(self.statements, request):
                message = denial_message(self.role_arn, request)
                self.log(f"[IAM] AccessDenied: {model.name}: {message}")
                context["iam_refusal"] = message
                return

    def refuse(self, model: Any, context: dict[str, Any], **_: Any) -> tuple[Any, dict[str, Any]] | None:
        message = context.get("iam_refusal")
        return denied_response(model, message) if message else None
