"""API Gateway (REST API, Lambda proxy integration) in front of the functions, routed by the template."""

from __future__ import annotations

import base64
import json
import re
import uuid
from collections.abc import Iterable
from typing import Any

from werkzeug.datastructures import Headers
from werkzeug.wrappers import Request, Response

from local_portal.events import rest_event
from local_portal.lambda_runtime import FunctionPool
from local_portal.routes import RouteTable
from local_portal.template import SamTemplate

# API Gateway's payload limit.
MAX_BODY_BYTES = 10 * 1024 * 1024
_CONTEXT_VARIABLE = re.compile(r"\$context\.([A-Za-z0-9_.]+)")

# Status and message of the API Gateway responses the stack produces itself.
_GATEWAY_ERRORS = {
    "MISSING_AUTHENTICATION_TOKEN": (403, "Missing Authentication Token"),
    "REQUEST_TOO_LARGE": (413, "Request Too Long"),
    "DEFAULT_5XX": (502, "Internal server error"),
}


class ApiGateway:
    """A WSGI app: request -> REST proxy event -> handler -> proxy result -> response."""

    def __init__(self, template: SamTemplate, functions: FunctionPool, stage: str = "v1") -> None:
        self.template = template
        self.functions = functions
        self.stage = stage
        self.routes = RouteTable(template)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        response = self.handle(request)
        return response(environ, start_response)

    def handle(self, request: Request) -> Response:
        request_id = str(uuid.uuid4())
        try:
            route = self.routes.match(request.method, request.path)
        except LookupError:
            return self.gateway_response("MISSING_AUTHENTICATION_TOKEN", request_id)
        if (request.content_length or 0) > MAX_BODY_BYTES:
            return self.gateway_response("REQUEST_TOO_LARGE", request_id)
        body = request.stream.read(MAX_BODY_BYTES + 1)
        if len(body) > MAX_BODY_BYTES:
            return self.gateway_response("REQUEST_TOO_LARGE", request_id)
        event = rest_event(
            request.method,
            request.path,
            route.resource,
            body=body,
            headers=request.headers.items(),
            query=request.args.items(multi=True),
            path_parameters=route.path_parameters,
            source_ip=request.remote_addr or "127.0.0.1",
            host=request.host,
            scheme=request.scheme,
            protocol=request.environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
            stage=self.stage,
            request_id=request_id,
        )
        worker = self.functions.get(route.function)
        assert worker is not None, route.function
        invocation = worker.invoke(event)
        if invocation.function_error:
            return self.gateway_response("DEFAULT_5XX", request_id)
        try:
            return self.proxy_response(invocation.json(), request_id)
        except (ValueError, TypeError, KeyError, AttributeError):
            # "Malformed Lambda proxy response" in API Gateway's execution log.
            return self.gateway_response("DEFAULT_5XX", request_id)

    @staticmethod
    def proxy_response(result: Any, request_id: str) -> Response:
        if not isinstance(result, dict) or not isinstance(result.get("statusCode"), int):
            raise ValueError("not a proxy result")
        headers = Headers()
        for name, value in (result.get("headers") or {}).items():
            headers.set(name, str(value))
        for name, values in (result.get("multiValueHeaders") or {}).items():
            headers.remove(name)
            for value in values:
                headers.add(name, str(value))
        body = result.get("body") or ""
        data = base64.b64decode(body) if result.get("isBase64Encoded") else str(body).encode("utf-8")
        if "Content-Type" not in headers:
            headers.set("Content-Type", "application/json")
        headers.set("x-amzn-RequestId", request_id)
        return Response(data, status=result["statusCode"], headers=headers)

    def gateway_response(self, response_type: str, request_id: str) -> Response:
        """API Gateway's own answer, shaped by the template's GatewayResponses when it has one."""
        status, message = _GATEWAY_ERRORS[response_type]
        configured_status, headers, body_template = self.template.gateway_response(response_type)
        context = {
            "requestId": request_id,
            "error.message": message,
            # API Gateway gives messageString already quoted, as a JSON string.
            "error.messageString": json.dumps(message),
            "error.responseType": response_type,
            "stage": self.stage,
        }
        if body_template is None:
            body = json.dumps({"message": message})
        else:
            body = _CONTEXT_VARIABLE.sub(lambda match: context.get(match.group(1), ""), body_template)
        response = Response(body, status=configured_status or status, content_type="application/json")
        for name, value in headers.items():
            response.headers[name] = value
        response.headers["x-amzn-RequestId"] = request_id
        if response_type == "MISSING_AUTHENTICATION_TOKEN":
            response.headers["x-amzn-ErrorType"] = "MissingAuthenticationTokenException"
        return response
