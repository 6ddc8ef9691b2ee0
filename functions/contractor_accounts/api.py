"""HTTP for API Gateway, in one place: the resolver every function uses, the mapping of
every error to the contract's envelope, and the Lambda entry point.

No input yields a 5xx: a body that is not JSON is 400 (whatever its Content-Type says), an
oversized body 413, wrong/missing/unknown fields 422; only a fault of AWS or of this code is 5xx."""

import json
import time
from collections.abc import Callable, Mapping
from typing import Any, Final, cast

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError, ValidationException
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import BotoCoreError, ClientError

from contractor_accounts.errors import DomainError, InvalidJson, NotFound, PayloadTooLarge, ValidationFailed
from contractor_accounts.models import ErrorResponse, field_message
from contractor_accounts.observability import logger, metrics
from contractor_accounts.settings import Settings

MAX_BODY_BYTES: Final = 16 * 1024
NO_STORE: Final = "no-store"

LambdaHandler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]

_ERROR_MEANINGS: Final = {
    400: "invalid_json: the body is not JSON",
    401: "not signed in, or the credentials or token are not valid",
    409: "the license number already has an account or is on file",
    413: "payload_too_large: the body is over 16 KiB",
    429: "too_many_requests: too many attempts from this address; wait a minute",
    503: "service_unavailable: try again shortly",
}
BODY_ERRORS: Final = (400, 413, 503)


def answers(status: int, model: Any, description: str, *error_statuses: int) -> dict[int, OpenAPIResponse]:
    """The OpenAPI description of a route's answers: its success and its errors (all errors
    share the envelope). Powertools adds the 422."""
    documented: dict[int, OpenAPIResponse] = {
        error: {"description": _ERROR_MEANINGS[error], "content": {"application/json": {"model": ErrorResponse}}}
        for error in error_statuses
    }
    documented[status] = (
        {"description": description, "content": {"application/json": {"model": model}}}
        if model is not None
        else {"description": description}
    )
    return documented


def error_response(status: int, code: str, message: str, fields: Mapping[str, str] | None = None) -> Response[str]:
    body: dict[str, Any] = {"error": code, "message": message}
    if fields:
        body["fields"] = dict(fields)
    headers = {"Cache-Control": NO_STORE}
    if status in {429, 503}:
        headers["Retry-After"] = "5"
    return Response(status_code=status, content_type="application/json", body=json.dumps(body), headers=headers)


def _domain_error_response(error: DomainError) -> Response[str]:
    return error_response(error.status, error.code, error.message, error.fields)


def _body_size(app: APIGatewayRestResolver) -> int:
    body = app.current_event.body or ""
    return len(body.encode("utf-8"))


def _field_path(location: tuple[int | str, ...]) -> str:
    # loc is ("body", field, ...); union members appear as their model's class name.
    parts = [str(part) for part in location[1:] if not (isinstance(part, str) and part[:1].isupper())]
    return ".".join(parts) or "body"


def _validation_error(app: APIGatewayRestResolver, error: ValidationException) -> Response[str]:
    if _body_size(app) > MAX_BODY_BYTES:
        return _domain_error_response(PayloadTooLarge())
    problems = error.errors() if isinstance(error, RequestValidationError) else []
    if any(problem.get("type") == "json_invalid" for problem in problems):
        return _domain_error_response(InvalidJson())
    fields: dict[str, str] = {}
    for problem in problems:
        fields.setdefault(_field_path(tuple(problem.get("loc", ()))), field_message(problem))
    return _domain_error_response(ValidationFailed(fields=fields))


def _reject_oversized_body(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
    # Bodies that fail validation are measured in _validation_error; this catches the rest.
    if _body_size(app) > MAX_BODY_BYTES:
        raise PayloadTooLarge
    return next_middleware(app)


def answer_no_sooner_than(milliseconds: Callable[[], int]) -> Callable[..., Response[Any]]:
    """A route middleware that holds the answer until ``milliseconds`` have passed since the
    route started, so the route's duration does not depend on what it found."""

    def pace(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
        started = time.monotonic()
        response = next_middleware(app)
        remaining = milliseconds() / 1000 - (time.monotonic() - started)
        if remaining > 0:
            time.sleep(remaining)
        return response

    return pace


def create_resolver(settings: Settings) -> APIGatewayRestResolver:
    origins = settings.allowed_origins
    app = APIGatewayRestResolver(
        cors=CORSConfig(
            allow_origin=origins[0],
            extra_origins=list(origins[1:]),
            allow_headers=["Authorization", "Content-Type"],
            max_age=600,
        ),
        enable_validation=True,
    )
    app.use(middlewares=[_reject_oversized_body])

    def domain_error(error: DomainError) -> Response[str]:
        return _domain_error_response(error)

    def validation_error(error: ValidationException) -> Response[str]:
        return _validation_error(app, error)

    def aws_error(error: Exception) -> Response[str]:
        # Throttling or an outage of DynamoDB/SES: fail closed, say so, nothing half-written
        # (every multi-item write is one transaction).
        logger.warning("aws_call_failed", extra={"error": type(error).__name__, "detail": str(error)})
        metrics.add_metric(name="AwsCallFailed", unit="Count", value=1)
        return error_response(
            503, "service_unavailable", "The service is busy right now. Please try again in a minute."
        )

    def unexpected_error(error: Exception) -> Response[str]:
        logger.exception("unexpected_error")
        return error_response(500, "internal_error", "Something went wrong on our side. Please try again later.")

    # Powertools picks the handler of the most specific class in the exception's MRO.
    handlers: list[tuple[type[Exception] | list[type[Exception]], Callable[[Any], Response[str]]]] = [
        (DomainError, domain_error),
        (ValidationException, validation_error),
        ([ClientError, BotoCoreError], aws_error),
        (Exception, unexpected_error),
    ]
    for exception_class, handler in handlers:
        app.exception_handler(exception_class)(handler)

    @app.not_found
    def not_found(_: Exception) -> Response[str]:
        return _domain_error_response(NotFound())

    return app


def _caller_address(event: Mapping[str, Any]) -> str | None:
    """The caller's address as API Gateway saw it; never a client-set header like X-Forwarded-For."""
    address = ((event.get("requestContext") or {}).get("identity") or {}).get("sourceIp")
    return str(address) if address else None


def source_ip(app: APIGatewayRestResolver) -> str | None:
    return _caller_address(app.current_event.raw_event)


def bearer_token(app: APIGatewayRestResolver) -> str | None:
    header = app.current_event.headers.get("Authorization") or ""
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def _read_body_as_json(event: dict[str, Any]) -> dict[str, Any]:
    """The contract is JSON in: every body is read as JSON whatever Content-Type it declares
    (a form or text body that is not JSON is a 400 invalid_json, never a 415)."""
    if event.get("body") is None:
        return event
    for key in ("headers", "multiValueHeaders"):
        headers = {name: value for name, value in (event.get(key) or {}).items() if name.lower() != "content-type"}
        headers["Content-Type"] = "application/json" if key == "headers" else ["application/json"]
        event[key] = headers
    return event


def _with_no_store(response: dict[str, Any]) -> dict[str, Any]:
    """Every answer, CORS preflight included, must not be cached."""
    if "multiValueHeaders" in response:
        response["multiValueHeaders"]["Cache-Control"] = [NO_STORE]
    else:
        response.setdefault("headers", {})["Cache-Control"] = NO_STORE
    return response


def lambda_handler_for(app: APIGatewayRestResolver) -> LambdaHandler:
    @metrics.log_metrics(capture_cold_start_metric=True)
    @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, log_event=False)
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        logger.append_keys(source_ip=_caller_address(event))
        return _with_no_store(app.resolve(_read_body_as_json(event), context))

    # Powertools' decorator factories are untyped; the handler keeps its signature.
    return cast("LambdaHandler", handler)
