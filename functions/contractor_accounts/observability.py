"""Powertools logger, tracer and metrics shared by every function (service name and
namespace come from POWERTOOLS_* environment variables)."""

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
tracer = Tracer()
metrics = Metrics()
