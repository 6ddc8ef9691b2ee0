"""Powertools logger and metrics shared by every function (service name and namespace come
from POWERTOOLS_* environment variables).

No tracer: the template's active tracing (Lambda and API Gateway) records every invocation
without an SDK in the package. Powertools' Tracer loaded aws-xray-sdk at every cold start and
made sam build bundle a second botocore (21 MB) over the runtime's (docs/PERFORMANCE.md)."""

from aws_lambda_powertools import Logger, Metrics

logger = Logger()
metrics = Metrics()
