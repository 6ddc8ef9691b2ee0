"""A vendor's view of the published API: a client generated from docs/openapi.json by a maintained
generator (openapi-python-client, in the tools venv) registers, signs in and reads the dashboard
against the running portal. The generated code is never committed: it is made fresh each run, so
a document the generator cannot use fails here."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from local_portal.client import Stack
from tests.e2e.support import make_license, make_passphrase, registration_body, security_questions

ROOT = Path(__file__).resolve().parents[2]
TOOLS_PYTHON = ROOT / ".tools-venv" / "bin" / "python"
GENERATOR = ROOT / ".tools-venv" / "bin" / "openapi-python-client"

# Runs in the tools venv (the generated client needs httpx and attrs, which the product does not).
DRIVER = """
import json, sys
from client import AuthenticatedClient, Client
from client.api.default import dashboard_me_get, register_contractors_post, sign_in_sessions_post
from client.models import DashboardResponse, RegistrationRequest, SignInRequest, SignInResponse

api_url, body = sys.argv[1], json.loads(sys.argv[2])
anonymous = Client(base_url=api_url, raise_on_unexpected_status=True)
registered = register_contractors_post.sync_detailed(client=anonymous, body=RegistrationRequest.from_dict(body))
signed_in = sign_in_sessions_post.sync(
    client=anonymous,
    body=SignInRequest.from_dict({"license_number": body["license_number"], "password": body["password"]}),
)
assert isinstance(signed_in, SignInResponse), signed_in
me = dashboard_me_get.sync(client=AuthenticatedClient(base_url=api_url, token=signed_in.session.token))
assert isinstance(me, DashboardResponse), me
print(json.dumps({"registered": registered.status_code, "license_number": me.license_number,
                  "business_name": me.business_name, "workers_comp": me.workers_comp.status.value}))
"""


@pytest.fixture(scope="module")
def generated_client(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not GENERATOR.is_file():
        pytest.fail(f"{GENERATOR} is missing: `make tools` installs the generator", pytrace=False)
    where = tmp_path_factory.mktemp("generated")
    document, output = str(ROOT / "docs" / "openapi.json"), str(where / "client")
    subprocess.run(
        [str(GENERATOR), "generate", "--path", document, "--meta", "none", "--output-path", output],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (where / "client" / "api" / "default" / "sign_in_sessions_post.py").is_file()
    return where


def test_a_client_generated_from_the_document_signs_in_and_reads_the_dashboard(
    stack: Stack, generated_client: Path
) -> None:
    # Given a contractor's registration, sent by the generated client
    license_number = make_license()
    body = registration_body(license_number, make_passphrase(), security_questions(stack)[0])
    # When it registers, signs in and asks for the dashboard
    ran = subprocess.run(
        [str(TOOLS_PYTHON), "-c", DRIVER, stack.api_url, json.dumps(body)],
        cwd=generated_client,
        env={**os.environ, "PYTHONPATH": str(generated_client)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    # Then every answer parsed into the document's own models
    assert ran.returncode == 0, ran.stderr
    answers = json.loads(ran.stdout.strip().splitlines()[-1])
    assert answers == {
        "registered": 201,
        "license_number": license_number,
        "business_name": body["business_name"],
        "workers_comp": "valid",
    }
