"""Powertools logger and metrics shared by every function (service name and namespace come
from POWERTOOLS_* environment variables).

No tracer: the template's active tracing (Lambda and API Gateway) records every invocation
without an SDK in the package. Powertools' Tracer (aws-xray-sdk) cost as much CPU at import as
boto3 plus a DynamoDB client, for segments nobody reads (docs/PERFORMANCE.md)."""

from aws_lambda_powertools import Logger, Metrics

logger = Logger()
metrics = Metrics()
