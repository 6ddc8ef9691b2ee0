"""The API's OpenAPI document, generated from the functions' own routes and models.

    python -m infra.openapi > docs/openapi.json

Each function's Powertools resolver describes its routes; this merges them, in the order the
template routes them, into one document. A test keeps docs/openapi.json current."""

import importlib
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from local_portal.parameters import LOCAL_PARAMETERS
from local_portal.template import DEFAULT_TEMPLATE, load_template

_ENVELOPE_NOTE = (
    "Every error answer, 422 included, is the envelope {error, message, fields?}; "
    "Powertools names that schema HTTPValidationError."
)


def openapi_document(template_path: Path = DEFAULT_TEMPLATE) -> dict[str, Any]:
    # Settings are validated at import (cold start): the handlers get a local run's parameters.
    template = load_template(template_path, LOCAL_PARAMETERS)
    document: dict[str, Any] = {}
    for function in template.functions.values():
        if not function.api_events:
            continue
        code_root = str(function.code_dir)
        if code_root not in sys.path:
            sys.path.insert(0, code_root)
        os.environ.update({key: value for key, value in function.environment.items() if key not in os.environ})
        module = importlib.import_module(function.handler.rpartition(".")[0])
        part = json.loads(
            module.app.get_openapi_json_schema(
                title="Contractor accounts API",
                version="1.0.0",
                description=(
                    "Self-registration, sign-in, dashboard and password recovery of contractor accounts "
                    "of a city permit portal. " + _ENVELOPE_NOTE
                ),
            )
        )
        if not document:
            document = part
            continue
        document["paths"].update(part["paths"])
        document.setdefault("components", {}).setdefault("schemas", {}).update(
            part.get("components", {}).get("schemas", {})
        )
    schemas = document.get("components", {}).get("schemas", {})
    if "ErrorResponse" in schemas:
        # Our validation errors use the same envelope as every other error.
        schemas["HTTPValidationError"] = {**schemas["ErrorResponse"], "title": "HTTPValidationError"}
        schemas.pop("ValidationError", None)
        drop_dangling_schemas(document)
    document["servers"] = [{"url": "/v1", "description": "the API Gateway stage"}]
    document["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
    return document


def drop_dangling_schemas(document: dict[str, Any]) -> None:
    """Remove component schemas that refer to a schema the document does not hold, when nothing
    refers to them: Powertools adds ResponseValidationError (`detail: [ValidationError]`), and our
    validation errors are the envelope, so ValidationError is gone. Without this,
    openapi-spec-validator refuses the document ("'/components/schemas/ValidationError' does not
    exist") and client generators stop."""
    schemas = document.get("components", {}).get("schemas", {})
    while True:
        text = json.dumps(document)
        referred = set(re.findall(r'"#/components/schemas/([^"]+)"', text))
        dangling = {
            name
            for name, schema in schemas.items()
            if set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(schema))) - set(schemas)
        }
        unused = {name for name in dangling if name not in referred}
        if not unused:
            return
        for name in unused:
            schemas.pop(name)


def main() -> None:
    os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-west-2")
    print(json.dumps(openapi_document(), indent=2, sort_keys=False))


if __name__ == "__main__":
    main()
