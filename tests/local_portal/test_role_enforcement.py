"""`make run` refuses what AWS would refuse: each function's AWS calls are held to its own role
(SAM's translation of the template, local_portal/roles.py) before they reach moto, and a refused
call fails as AWS's AccessDenied does, so the handler's error path runs: the API answers 503."""

import copy
import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import local_portal
from local_portal.parameters import LOCAL_WEB_ORIGINS
from local_portal.template import DEFAULT_TEMPLATE, REPO_ROOT, load_template
from tests.support.samples import registration_body


def register(api_url: str, license_number: str) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(  # noqa: S310 - the local portal's http URL
        f"{api_url}/contractors",
        data=json.dumps(registration_body(license_number=license_number)).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Origin": LOCAL_WEB_ORIGINS[0]},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:  # noqa: S310
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def template_without(directory: Path, function: str, action: str) -> Path:
    """infra/template.yaml with ``action`` taken out of ``function``'s role (written as JSON, which
    is YAML too), beside a link to functions/ so its CodeUri still finds the code."""
    document = copy.deepcopy(load_template(DEFAULT_TEMPLATE).raw)
    statements = document["Resources"][function]["Properties"]["Policies"][0]["Statement"]
    (statement,) = [statement for statement in statements if action in statement["Action"]]
    statement["Action"].remove(action)
    (directory / "infra").mkdir()
    (directory / "functions").symlink_to(REPO_ROOT / "functions")
    path = directory / "infra" / "template.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_given_a_role_without_a_call_the_code_makes_when_the_route_runs_then_it_answers_503_and_logs_it(
    tmp_path: Path,
) -> None:
    # Given the portal with RegisterFunction's role lacking the registration counter's UpdateItem
    template = template_without(tmp_path, "RegisterFunction", "dynamodb:UpdateItem")
    log = tmp_path / "portal.log"
    with local_portal.running(template=template, log=log) as stack:
        # When a contractor registers
        status, body = register(stack.api_url, "1234567")
    # Then AWS's AccessDenied took the handler's error path: 503, as deployed it would
    assert status == 503, body
    assert body["error"] == "service_unavailable"
    # And the refusal is in the function's log, in AWS's words
    logged = log.read_text(encoding="utf-8")
    assert (
        "RegisterFunction | [IAM] AccessDenied: UpdateItem: User: arn:aws:iam::123456789012:role/RegisterFunctionRole "
        "is not authorized to perform: dynamodb:UpdateItem on resource: "
        "arn:aws:dynamodb:us-west-2:123456789012:table/ContractorsTable"
    ) in logged


def test_given_the_template_as_it_is_when_a_contractor_registers_then_every_call_is_granted(tmp_path: Path) -> None:
    log = tmp_path / "portal.log"
    with local_portal.running(log=log) as stack:
        status, body = register(stack.api_url, "1234567")
    assert status == 201, body
    assert "[IAM]" not in log.read_text(encoding="utf-8")
