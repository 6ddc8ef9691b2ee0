"""The product run locally without Docker or an AWS account: `python -m local_portal` (`make run`).

Replaces `sam local start-api` and `sam local start-lambda`: infra/template.yaml decides the
routes, functions, environment and table; moto stands in for AWS. The in-process portal itself
(`local_portal.stack.LocalPortal`) imports moto and boto3, so nothing here imports it.
"""

from local_portal.client import FunctionError, Stack, StackError, running
from local_portal.template import ApiEvent, FunctionSpec, SamTemplate, TemplateError, load_template

__all__ = [
    "ApiEvent",
    "FunctionError",
    "FunctionSpec",
    "SamTemplate",
    "Stack",
    "StackError",
    "TemplateError",
    "load_template",
    "running",
]
