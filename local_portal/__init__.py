"""The product run locally without Docker or an AWS account: `python -m local_portal` (`make run`).

Replaces `sam local start-api` and `sam local start-lambda`: infra/template.yaml decides the
routes, functions, environment and table; moto stands in for AWS.
"""

from typing import TYPE_CHECKING, Any

from local_portal.client import FunctionError, Stack, StackError, running
from local_portal.template import ApiEvent, FunctionSpec, SamTemplate, TemplateError, load_template

if TYPE_CHECKING:
    from local_portal.stack import LocalPortal, StackOptions

__all__ = [
    "ApiEvent",
    "FunctionError",
    "FunctionSpec",
    "LocalPortal",
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
    if name in ("LocalPortal", "StackOptions"):
        from local_portal import stack

        return getattr(stack, name)
    raise AttributeError(name)
