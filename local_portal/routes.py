"""The template's route table: which function API Gateway hands a request to, and the resource
path and path parameters of its event. The one table of the local portal, the tests and the bench."""

from __future__ import annotations

import re
from dataclasses import dataclass

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule

from local_portal.template import SamTemplate

_TEMPLATE_PARAMETER = re.compile(r"\{([^}]+)\}")
_ANY_METHOD = ("any", "x-amazon-apigateway-any-method")


@dataclass(frozen=True)
class Route:
    function: str  # the logical ID
    resource: str  # the template's path, e.g. "/items/{id}"
    path_parameters: dict[str, str]


def _rule_path(resource_path: str) -> tuple[str, dict[str, str]]:
    """ "/items/{id}" -> ("/items/<p0>", {"p0": "id"}); "{proxy+}" is greedy like API Gateway's."""
    names: dict[str, str] = {}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        variable = f"p{len(names)}"
        names[variable] = name.rstrip("+")
        return f"<path:{variable}>" if name.endswith("+") else f"<{variable}>"

    return _TEMPLATE_PARAMETER.sub(replace, resource_path), names


class RouteTable:
    """Every `Type: Api` event of the template's functions, matched as API Gateway does."""

    def __init__(self, template: SamTemplate) -> None:
        self.routes = [
            (event.method.upper(), event.path, spec.logical_id)
            for spec in template.functions.values()
            for event in spec.api_events
        ]
        rules = []
        for method, resource, logical_id in self.routes:
            path, names = _rule_path(resource)
            methods = None if method.lower() in _ANY_METHOD else [method]
            rules.append(Rule(path, methods=methods, endpoint=(logical_id, resource, tuple(names.items()))))
        # No slash redirects or merging: API Gateway matches the path as sent.
        self._map = Map(rules, strict_slashes=False, merge_slashes=False)

    def match(self, method: str, path: str) -> Route:
        """The route of ``method path``; LookupError when the template routes none."""
        try:
            (logical_id, resource, names), arguments = self._map.bind("localhost").match(path, method=method)
        except HTTPException as error:  # no such route or method
            raise LookupError(f"the template routes no {method} {path}") from error
        return Route(logical_id, resource, {name: arguments[variable] for variable, name in names})
