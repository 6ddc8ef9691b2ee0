"""`make run` imports a license file put into the local license bucket: the bucket exists in the
local AWS (moto) and its upload's "Object Created" event reaches LicenseDataFunction, as
EventBridge would deliver it (local_portal/buckets.py), under the function's own role."""

import time
from pathlib import Path
from typing import Any

import boto3

import local_portal
from local_portal.template import REPO_ROOT
from staff_tools.load_license_file import main as load_license_file

SAMPLE = REPO_ROOT / "events" / "cslb-sample.csv"


def _table(endpoint: str) -> Any:
    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-west-2",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def _item(client: Any, table: str, pk: str) -> dict[str, Any] | None:
    found = client.get_item(TableName=table, Key={"pk": {"S": pk}, "sk": {"S": "STATE"}})
    return found.get("Item")


def test_given_the_local_portal_when_the_loader_puts_the_sample_file_then_it_is_imported(tmp_path: Path) -> None:
    with local_portal.running(log=tmp_path / "portal.log") as stack:
        # When staff load the sample file with the loader, at the local AWS endpoint
        assert load_license_file([str(SAMPLE), "--endpoint-url", stack.aws_endpoint]) == 0
        # Then the upload event reaches the function, which imports the file whole
        client = _table(stack.aws_endpoint)
        (table,) = client.list_tables()["TableNames"]
        deadline = time.monotonic() + 60
        while _item(client, table, "LICENSE_LIST") is None and time.monotonic() < deadline:
            time.sleep(0.5)
        listed = _item(client, table, "LICENSE_LIST")
        assert listed is not None, (tmp_path / "portal.log").read_text(encoding="utf-8")[-3000:]
        assert listed["rows_written"] == {"N": "20"}
        record = _item(client, table, "LICENSE#1010101")
        assert record is not None
        assert record["business_name"] == {"S": "SMITH, JONES & SONS CONSTRUCTION, INC."}
    # And nothing the role lacks was called (the portal holds each call to it)
    assert "AccessDenied" not in (tmp_path / "portal.log").read_text(encoding="utf-8")
