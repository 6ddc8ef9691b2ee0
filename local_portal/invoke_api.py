"""The Lambda Invoke API (as `sam local start-lambda` serves it) for `aws lambda invoke` and boto3:
synchronous (RequestResponse) invocations, the kind the staff tools and the tests make."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from typing import Any

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from local_portal.events import function_arn
from local_portal.lambda_runtime import FunctionPool

MAX_PAYLOAD_BYTES = 6 * 1024 * 1024  # Lambda's synchronous payload limit


def _error(status: int, error_type: str, message: str) -> Response:
    # Lambda's REST-JSON errors: botocore reads the code from x-amzn-ErrorType.
    response = Response(
        json.dumps({"Type": "User", "message": message}), status=status, content_type="application/json"
    )
    response.headers["x-amzn-ErrorType"] = error_type
    response.headers["x-amzn-RequestId"] = str(uuid.uuid4())
    return response


class InvokeApi:
    """POST /2015-03-31/functions/{FunctionName}/invocations, by logical ID, name or ARN."""

    def __init__(self, functions: FunctionPool) -> None:
        self.functions = functions
        self.url_map = Map(
            [Rule("/2015-03-31/functions/<name>/invocations", methods=["POST"], endpoint="invoke")],
            strict_slashes=False,
        )

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        try:
            _, arguments = self.url_map.bind_to_environ(environ).match()
        except HTTPException:
            response = _error(404, "UnknownOperationException", f"Unknown operation {request.method} {request.path}")
        else:
            response = self.invoke(request, str(arguments["name"]))
        return response(environ, start_response)

    def invoke(self, request: Request, name: str) -> Response:
        worker = self.functions.get(name)
        if worker is None:
            return _error(404, "ResourceNotFoundException", f"Function not found: {function_arn(name)}")
        data = request.stream.read(MAX_PAYLOAD_BYTES + 1)
        if len(data) > MAX_PAYLOAD_BYTES:
            return _error(413, "RequestTooLargeException", "Request must be smaller than 6291456 bytes")
        try:
            event = json.loads(data) if data.strip() else {}
        except ValueError as exc:
            return _error(400, "InvalidRequestContentException", f"Could not parse request body into json: {exc}")

        invocation_type = request.headers.get("X-Amz-Invocation-Type", "RequestResponse")
        if invocation_type != "RequestResponse":
            # Event and DryRun have no local caller: refuse them plainly rather than half-emulate them.
            return _error(400, "InvalidParameterValueException", "Only RequestResponse invocations run locally")
        invocation = worker.invoke(event)
        response = Response(invocation.payload, status=200, content_type="application/json")
        response.headers["X-Amz-Executed-Version"] = "$LATEST"
        response.headers["x-amzn-RequestId"] = invocation.request_id
        if invocation.function_error:
            response.headers["X-Amz-Function-Error"] = invocation.function_error
        return response
