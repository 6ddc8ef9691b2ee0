"""What Lambda hands a function: API Gateway's REST proxy event and the Python runtime's context.

The one builder of both, for the local portal (its API router and its function workers), the
tests and the bench (tests/support/api.py). Standard library only, no package imports: a function worker loads this file
by path, so the repository never lands on the function's sys.path.
"""

from __future__ import annotations

import base64
import os
import time
import uuid
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

LOCAL_REGION = "us-west-2"
LOCAL_ACCOUNT_ID = "123456789012"

Pairs = Mapping[str, str] | Iterable[tuple[str, str]]


def function_arn(name: str) -> str:
    return f"arn:aws:lambda:{LOCAL_REGION}:{LOCAL_ACCOUNT_ID}:function:{name}"


def _pairs(values: Pairs) -> list[tuple[str, str]]:
    return list(values.items()) if isinstance(values, Mapping) else list(values)


def rest_event(
    method: str,
    path: str,
    resource: str,
    *,
    body: bytes | str | None = None,
    headers: Pairs = (),
    query: Pairs = (),
    path_parameters: Mapping[str, str] | None = None,
    source_ip: str = "127.0.0.1",
    host: str = "127.0.0.1:3000",
    scheme: str = "http",
    protocol: str = "HTTP/1.1",
    stage: str = "v1",
    request_id: str | None = None,
) -> dict[str, Any]:
    """A Lambda proxy integration event, payload format 1.0, as API Gateway (REST) sends it.

    `headers` and `query` may repeat a name (pairs); `body` as bytes is sent base64-encoded when
    it is not UTF-8, as API Gateway does with binary bodies.
    """
    request_id = request_id or str(uuid.uuid4())
    single_headers: dict[str, str] = {}
    multi_headers: dict[str, list[str]] = {}
    for name, value in _pairs(headers):
        single_headers[name] = value
        multi_headers.setdefault(name, []).append(value)
    # Headers API Gateway (through CloudFront) adds to every request; a client's own are kept.
    domain_prefix, _, port = host.partition(":")
    for name, value in (
        ("X-Forwarded-For", source_ip),
        ("X-Forwarded-Port", port or ("443" if scheme == "https" else "80")),
        ("X-Forwarded-Proto", scheme),
    ):
        single_headers.setdefault(name, value)
        multi_headers.setdefault(name, [value])
    multi_query: dict[str, list[str]] = {}
    for name, value in _pairs(query):
        multi_query.setdefault(name, []).append(value)
    text_body, is_base64 = body, False
    if isinstance(body, bytes):
        try:
            text_body = body.decode("utf-8") if body else None
        except UnicodeDecodeError:
            text_body, is_base64 = base64.b64encode(body).decode("ascii"), True
    now = time.time()
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": single_headers or None,
        "multiValueHeaders": multi_headers or None,
        "queryStringParameters": {name: values[-1] for name, values in multi_query.items()} or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": dict(path_parameters or {}) or None,
        "stageVariables": None,
        "requestContext": {
            "accountId": LOCAL_ACCOUNT_ID,
            "apiId": "local",
            "domainName": host,
            "domainPrefix": domain_prefix,
            "extendedRequestId": request_id,
            "httpMethod": method,
            "identity": {
                "accessKey": None,
                "accountId": None,
                "apiKey": None,
                "apiKeyId": None,
                "caller": None,
                "clientCert": None,
                "cognitoAuthenticationProvider": None,
                "cognitoAuthenticationType": None,
                "cognitoIdentityId": None,
                "cognitoIdentityPoolId": None,
                "principalOrgId": None,
                "sourceIp": source_ip,
                "user": None,
                "userAgent": single_headers.get("User-Agent"),
                "userArn": None,
            },
            "path": f"/{stage}{path}",
            "protocol": protocol,
            "requestId": request_id,
            "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "requestTimeEpoch": int(now * 1000),
            "resourceId": format(zlib.crc32(resource.encode()), "08x")[:6],
            "resourcePath": resource,
            "stage": stage,
        },
        "body": text_body,
        "isBase64Encoded": is_base64,
    }


@dataclass
class LambdaContext:
    """The attributes and method of the Python runtime's context object."""

    function_name: str
    aws_request_id: str
    deadline_ms: int
    invoked_function_arn: str = ""
    function_version: str = "$LATEST"
    # The real runtime reads this from the environment as a string, not an int.
    memory_limit_in_mb: str = "128"
    log_group_name: str = ""
    log_stream_name: str = ""
    identity: None = None
    client_context: None = None
    tenant_id: None = None

    def get_remaining_time_in_millis(self) -> int:
        return max(self.deadline_ms - int(time.time() * 1000), 0)

    @classmethod
    def from_environment(cls, request_id: str, deadline_ms: int) -> LambdaContext:
        """In a function's process, from the variables the runtime sets (see lambda_runtime)."""
        name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        return cls(
            function_name=name,
            aws_request_id=request_id,
            deadline_ms=deadline_ms,
            invoked_function_arn=function_arn(name),
            function_version=os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"),
            memory_limit_in_mb=os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"),
            log_group_name=os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", ""),
            log_stream_name=os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", ""),
        )

    @classmethod
    def for_function(cls, function_name: str, timeout_seconds: float = 10.0) -> LambdaContext:
        """A fresh invocation of `function_name` in this process (tests/support/api.py)."""
        return cls(
            function_name=function_name,
            aws_request_id=str(uuid.uuid4()),
            deadline_ms=int((time.time() + timeout_seconds) * 1000),
            invoked_function_arn=function_arn(function_name),
            log_group_name=f"/aws/lambda/{function_name}",
            log_stream_name=f"local/[$LATEST]{uuid.uuid4().hex}",
        )
