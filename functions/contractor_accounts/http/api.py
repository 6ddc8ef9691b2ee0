"""HTTP for API Gateway, in one place: the resolver every function uses, the mapping of
every error to the contract's envelope, and the Lambda entry point.

No input yields a 5xx: every body passes ``request_body.vetted`` before Powertools parses it
(415 unless it says it is JSON, 413 when over the limit, 400 when it is not strict UTF-8 JSON),
wrong/missing/unknown fields are 422; only a fault of AWS or of this code is 5xx."""

import json
from collections.abc import Callable, Mapping
from typing import Any, Final, cast

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError, ValidationException
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import BotoCoreError, ClientError

from contractor_accounts.domain.errors import DomainError, InvalidJson, NotFound, ServiceUnavailable, ValidationFailed
from contractor_accounts.domain.policy import MAX_BODY_BYTES, USER_AGENT_KEPT, size_words
from contractor_accounts.http.fields import field_message
from contractor_accounts.http.request_body import header, parse_json, vetted
from contractor_accounts.http.schemas import ErrorResponse
from contractor_accounts.observability import logger, metrics, set_caller
from contractor_accounts.settings import Settings

NO_STORE: Final = "no-store"

LambdaHandler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]

_ERROR_MEANINGS: Final = {
    400: "invalid_json: the body is not UTF-8 JSON within the limits (nesting, number lengths, no duplicate keys)",
    401: "not signed in, or the credentials or token are not valid",
    404: "not_found: no such passkey of this account, or passkeys are not offered on this site",
    409: "the license number already has an account or is on file; too_many_passkeys: 10 already",
    413: f"payload_too_large: the body is over {size_words(MAX_BODY_BYTES)}",
    415: "unsupported_media_type: a body must be sent with Content-Type: application/json",
    429: "too_many_requests: too many attempts from this address; wait a minute",
    503: "service_unavailable: try again shortly",
}
BODY_ERRORS: Final = (400, 413, 415, 503)


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


def _field_path(location: tuple[int | str, ...]) -> str:
    # loc is ("body", field, ...); union members appear as their model's class name.
    parts = [str(part) for part in location[1:] if not (isinstance(part, str) and part[:1].isupper())]
    return ".".join(parts) or "body"


def _validation_error(error: ValidationException) -> Response[str]:
    problems = error.errors() if isinstance(error, RequestValidationError) else []
    if any(problem.get("type") == "json_invalid" for problem in problems):
        return _domain_error_response(InvalidJson())
    fields: dict[str, str] = {}
    for problem in problems:
        fields.setdefault(_field_path(tuple(problem.get("loc", ()))), field_message(problem))
    return _domain_error_response(ValidationFailed(fields=fields))


class Resolver(APIGatewayRestResolver):
    """Powertools' resolver, keeping its CORS configuration for the answers given before
    routing (a refused body)."""

    def __init__(self, cors: CORSConfig) -> None:
        # The same strict parser as the gate, so Powertools cannot read a body differently.
        super().__init__(cors=cors, enable_validation=True, json_body_deserializer=parse_json)
        self.cors_config = cors


def _aws_error(error: Exception) -> Response[str]:
    # Throttling or an outage of DynamoDB/SES: fail closed, say so, nothing half-written
    # (every multi-item write is one transaction).
    logger.warning("aws_call_failed", extra={"error": type(error).__name__, "detail": str(error)})
    metrics.add_metric(name="AwsCallFailed", unit="Count", value=1)
    return _domain_error_response(ServiceUnavailable())


def create_resolver(settings: Settings) -> Resolver:
    origins = settings.allowed_origins
    app = Resolver(
        CORSConfig(
            allow_origin=origins[0],
            extra_origins=list(origins[1:]),
            allow_headers=["Authorization", "Content-Type"],
            max_age=600,
        )
    )

    def unexpected_error(error: Exception) -> Response[str]:
        logger.exception("unexpected_error")
        return error_response(500, "internal_error", "Something went wrong on our side. Please try again later.")

    # Powertools picks the handler of the most specific class in the exception's MRO.
    handlers: list[tuple[type[Exception] | list[type[Exception]], Callable[[Any], Response[str]]]] = [
        (DomainError, _domain_error_response),
        (ValidationException, _validation_error),
        ([ClientError, BotoCoreError], _aws_error),
        (Exception, unexpected_error),
    ]
    for exception_class, handler in handlers:
        app.exception_handler(exception_class)(handler)

    @app.not_found
    def not_found(_: Exception) -> Response[str]:
        return _domain_error_response(NotFound())

    return app


def caller_address(event: Mapping[str, Any]) -> str | None:
    """The caller's address as API Gateway saw it; never a client-set header like X-Forwarded-For."""
    address = ((event.get("requestContext") or {}).get("identity") or {}).get("sourceIp")
    return str(address) if address else None


def user_agent(event: Mapping[str, Any]) -> str | None:
    """The User-Agent header as sent (any case of its name), cut to what an activity record keeps."""
    found = header(event, "User-Agent")
    return found[:USER_AGENT_KEPT] if found else None


def source_ip(app: APIGatewayRestResolver) -> str | None:
    return caller_address(app.current_event.raw_event)


def bearer_token(app: APIGatewayRestResolver) -> str | None:
    """The bearer token, or None; an Authorization header of another shape is logged, but
    nothing of it (a header without a scheme would be the credential itself)."""
    header = app.current_event.headers.get("Authorization") or ""
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        if header:
            logger.info("session_refused", extra={"reason": "not_a_bearer_header"})
        return None
    return token.strip()


def _refused_before_routing(app: Resolver, event: Mapping[str, Any], response: Response[str]) -> dict[str, Any]:
    """The proxy result for a request refused before routing, with the CORS headers a route
    would add, so the web client can read why."""
    origin = app.cors_config.allowed_origin(header(event, "Origin") or "")
    if origin:
        response.headers.update(app.cors_config.to_dict(origin))
    return {
        "statusCode": response.status_code,
        "multiValueHeaders": {name: [str(value)] for name, value in response.headers.items()},
        "body": response.body,
        "isBase64Encoded": False,
    }


def _with_no_store(response: dict[str, Any]) -> dict[str, Any]:
    """Every answer, CORS preflight included, must not be cached."""
    if "multiValueHeaders" in response:
        response["multiValueHeaders"]["Cache-Control"] = [NO_STORE]
    else:
        response.setdefault("headers", {})["Cache-Control"] = NO_STORE
    return response


RequestCheck = Callable[[Mapping[str, Any]], None]


def lambda_handler_for(app: Resolver, before_routing: RequestCheck | None = None) -> LambdaHandler:
    """The Lambda entry point: every body passes the gate (``request_body.vetted``), then
    ``before_routing`` (a per-address limit decided before any password work), then the routes."""

    @metrics.log_metrics(capture_cold_start_metric=True)
    @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, log_event=False)
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        logger.append_keys(source_ip=caller_address(event))
        set_caller(user_agent(event), caller_address(event))
        try:
            event = vetted(event)
            if before_routing is not None:
                before_routing(event)
        except DomainError as refused:
            logger.info("request_refused", extra={"error": refused.code})
            return _with_no_store(_refused_before_routing(app, event, _domain_error_response(refused)))
        except (ClientError, BotoCoreError) as failure:
            return _with_no_store(_refused_before_routing(app, event, _aws_error(failure)))
        return _with_no_store(app.resolve(event, context))

    # Powertools' decorator factories are untyped; the handler keeps its signature.
    return cast("LambdaHandler", handler)
