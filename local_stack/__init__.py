"""The product run locally without Docker or an AWS account: `python -m local_stack` (`make run`).

Replaces `sam local start-api` and `sam local start-lambda`: infra/template.yaml decides the
routes, functions, environment and table; moto stands in for AWS.
"""

from typing import TYPE_CHECKING, Any

from local_stack.client import FunctionError, Stack, StackError, running
from local_stack.template import ApiEvent, FunctionSpec, SamTemplate, TemplateError, load_template

if TYPE_CHECKING:
    from local_stack.stack import LocalStack, StackOptions

__all__ = [
    "ApiEvent",
    "FunctionError",
    "FunctionSpec",
    "LocalStack",
    "SamTemplate",
    "Stack",
    "StackError",
    "StackOptions",
    "TemplateError",
    "load_template",
    "running",
]


def __getattr__(name: str) -> Any:
    # The in-process stack imports moto and boto3; tests that only load the template need neither.
    if name in ("LocalStack", "StackOptions"):
        from local_stack import stack

        return getattr(stack, name)
    raise AttributeError(name)
