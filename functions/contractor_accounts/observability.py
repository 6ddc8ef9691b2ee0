"""Powertools logger and metrics shared by every function (service name and namespace come
from POWERTOOLS_* environment variables).

No tracer: the template's active tracing (Lambda and API Gateway) records every invocation
without an SDK in the package. Powertools' Tracer loaded aws-xray-sdk at every cold start and
made sam build bundle a second botocore (21 MB) over the runtime's (docs/PERFORMANCE.md)."""

from contextvars import ContextVar

from aws_lambda_powertools import Logger, Metrics

logger = Logger()
metrics = Metrics()


# The request's caller, as API Gateway saw it, for the activity record a change writes (set by
# the HTTP entry point for each request; a staff event or a job has none).
_CALLER: ContextVar[tuple[str | None, str | None]] = ContextVar("caller", default=(None, None))


def set_caller(user_agent: str | None, ip: str | None) -> None:
    """The caller of the request being handled: its User-Agent header and address."""
    _CALLER.set((user_agent, ip))


def caller() -> tuple[str | None, str | None]:
    """(User-Agent, address) of the request being handled, or (None, None)."""
    return _CALLER.get()
