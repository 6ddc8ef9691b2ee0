"""The state board's license file imported (LicenseDataFunction, under moto): a file put into the
license bucket, its "Object Created" event delivered as EventBridge would (tests/support/api.py),
the records read back through the service's own reader (LicenseRecords, one BatchGetItem)."""

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

import boto3
import pytest
from botocore.exceptions import ClientError
from contractor_accounts import runtime
from contractor_accounts.adapters.dynamodb.items import from_wire, to_wire
from contractor_accounts.adapters.dynamodb.license_items import LICENSE_LIST_KEY, license_key
from contractor_accounts.domain.state_license import NOT_LISTED

from local_portal.events import LambdaContext
from tests.support.api import LICENSE_BUCKET, deliver_uploads, upload_license_file
from tests.support.aws_calls import AwsCalls, counted_aws
from tests.support.environment import REPO_ROOT, TABLE_NAME

SAMPLE = REPO_ROOT / "events" / "cslb-sample.csv"
# CSLB's columns in the file's own order, with columns the import does not read among them.
HEADER = [
    "LicenseNo", "LastUpdate", "BusinessName", "BUS-NAME-2", "FullBusinessName", "County", "BusinessPhone",
    "BusinessType", "IssueDate", "ExpirationDate", "PrimaryStatus", "SecondaryStatus", "Classifications(s)",
    "WorkersCompCoverageType", "WCInsuranceCompany", "WCPolicyNumber", "WCEffectiveDate", "WCExpirationDate",
]  # fmt: skip


def row(license_number: str, name: str = "SUNSET BUILDERS INC", **cells: str) -> dict[str, str]:
    values = {
        "LicenseNo": license_number,
        "BusinessName": name,
        "FullBusinessName": name,
        "County": "Los Angeles",
        "ExpirationDate": "03/31/2028",
        "PrimaryStatus": "CLEAR",
        "Classifications(s)": "B|C-10",
        "WCInsuranceCompany": "STATE COMPENSATION INSURANCE FUND",
        "WCPolicyNumber": "WC-1",
        "WCExpirationDate": "06/30/2027",
    }
    return {**values, **cells}


def csv_file(rows: list[dict[str, str]], header: list[str] = HEADER) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, header, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def many(count: int, start: int = 3_000_000) -> list[dict[str, str]]:
    return [row(str(start + n), f"BUILDER {n}") for n in range(count)]


@pytest.fixture
def calls() -> Iterator[AwsCalls]:
    with counted_aws() as recorded:
        yield recorded


def item(license_number: str) -> dict[str, Any] | None:
    found = boto3.client("dynamodb").get_item(TableName=TABLE_NAME, Key=to_wire(license_key(license_number)))
    return from_wire(found["Item"]) if "Item" in found else None


def list_item() -> dict[str, Any] | None:
    found = boto3.client("dynamodb").get_item(TableName=TABLE_NAME, Key=to_wire(dict(LICENSE_LIST_KEY)))
    return from_wire(found["Item"]) if "Item" in found else None


def imported(body: str, key: str = "incoming/2026-03-01.csv") -> dict[str, Any]:
    upload_license_file(body, key)
    (answer,) = deliver_uploads()
    return answer


def test_the_sample_file_in_cslbs_columns_is_imported_whole(calls: AwsCalls) -> None:
    # Given the sample file (CSLB's header, extra columns, quoted commas, expired and suspended)
    answer = imported(SAMPLE.read_text(encoding="utf-8"))
    # Then every row is written and the list is loaded
    assert answer["status"] == "imported"
    assert answer["rows"] == 20
    assert answer["written"] == 20
    lookup = runtime.license_records().look_up_license("1010101")
    assert lookup.list_loaded
    assert lookup.record is not None
    assert lookup.record.business_name == "SMITH, JONES & SONS CONSTRUCTION, INC."
    assert lookup.record.classifications == ("A", "B", "C-8")
    assert lookup.record.expires_on == date(2026, 10, 31)
    assert lookup.record.workers_comp_policy_number == "ZWC 998877"
    roofing = runtime.license_records().look_up_license("1020304").record
    assert roofing is not None
    assert roofing.business_name == '"BEST" ROOFING CO'
    assert roofing.primary_status == "EXPIRED"
    assert not roofing.is_active(date(2026, 3, 1))
    suspended = runtime.license_records().look_up_license("1030405").record
    assert suspended is not None
    assert suspended.secondary_status == "Workers' Comp Suspension"
    assert suspended.workers_comp_carrier is None
    assert suspended.workers_comp_expires_on is None
    # And the list's item carries the file's date and the import's facts
    facts = list_item()
    assert facts is not None
    assert facts["rows"] == 20
    assert facts["rows_written"] == 20
    assert date.fromisoformat(facts["as_of"])
    assert facts["not_listed"] == 0
    assert facts["file_key"] == "incoming/2026-03-01.csv"


def test_a_file_without_a_required_column_is_refused_whole(
    calls: AwsCalls, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a file with no ExpirationDate column
    body = csv_file(many(3), [name for name in HEADER if name != "ExpirationDate"])
    # When it is uploaded
    answer = imported(body)
    # Then nothing is written, the list is not loaded, and the reason is given
    assert answer["ok"] is False
    assert answer["status"] == "refused"
    assert "ExpirationDate" in answer["reason"]
    assert item("3000000") is None
    assert list_item() is None
    (refusal,) = [record for record in caplog.records if record.getMessage() == "license file refused"]
    assert "ExpirationDate" in refusal.__dict__["reason"]
    assert '"LicenseFileRefused":[1.0]' in capsys.readouterr().out  # the metric


def test_the_classifications_column_may_be_named_without_the_s_in_parentheses(calls: AwsCalls) -> None:
    header = [name if name != "Classifications(s)" else "Classifications" for name in HEADER]
    rows = [{**row("4000001"), "Classifications": "C-36|C-42"}]
    assert imported(csv_file(rows, header))["written"] == 1
    assert (item("4000001") or {})["classifications"] == ["C-36", "C-42"]


def test_a_row_with_a_bad_date_is_skipped_and_reported_and_its_license_not_taken_as_gone(
    calls: AwsCalls, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a first file, then a second where one license's expiry is not MM/DD/YYYY
    imported(csv_file([row("5000001"), row("5000002")]))
    answer = imported(csv_file([row("5000001"), row("5000002", ExpirationDate="2028-03-31", County="Kern")]))
    # Then that row is skipped and reported, the other rows imported
    assert answer["status"] == "imported"
    assert answer["skipped"] == 1
    assert answer["not_listed"] == 0
    (report,) = [record for record in caplog.records if record.getMessage() == "license rows skipped"]
    assert report.__dict__["skipped_rows"] == ["row 2: ExpirationDate '2028-03-31' is not MM/DD/YYYY"]
    # And the license keeps its record (not NOT LISTED)
    assert (item("5000002") or {})["primary_status"] == "CLEAR"


def test_a_rerun_of_the_same_upload_writes_nothing(calls: AwsCalls) -> None:
    # Given an imported file
    upload_license_file(csv_file(many(30)))
    (first,) = deliver_uploads()
    assert first["written"] == 30
    # When the same upload's event comes again (EventBridge delivers at least once)
    event_again = _last_event()
    with calls.record():
        answer = deliver_again(event_again)
    # Then it writes nothing at all
    assert answer["status"] == "already_imported"
    assert calls.dynamodb_writes() == 0


def test_the_same_file_uploaded_again_writes_only_the_lists_item(calls: AwsCalls) -> None:
    body = csv_file(many(30))
    imported(body)
    with calls.record():
        answer = imported(body, "incoming/2026-03-02.csv")
    assert answer["written"] == 0
    assert answer["unchanged"] == 30
    assert calls.summary().count("BatchWriteItem") == 1  # the list's item, last


def test_a_changed_row_is_the_one_write(calls: AwsCalls) -> None:
    rows = many(60)
    imported(csv_file(rows))
    rows[17] = {**rows[17], "PrimaryStatus": "SUSPENDED"}
    with calls.record():
        answer = imported(csv_file(rows), "incoming/2026-03-02.csv")
    assert answer["written"] == 1
    assert answer["unchanged"] == 59
    assert (item(rows[17]["LicenseNo"]) or {})["primary_status"] == "SUSPENDED"
    assert calls.summary().count("BatchWriteItem") == 2  # the row's batch, then the list's item


def test_a_license_the_next_file_no_longer_holds_is_kept_as_not_listed(calls: AwsCalls) -> None:
    rows = many(5)
    imported(csv_file(rows))
    answer = imported(csv_file(rows[:2] + rows[3:]), "incoming/2026-03-02.csv")
    assert answer["not_listed"] == 1
    gone = runtime.license_records().look_up_license(rows[2]["LicenseNo"]).record
    assert gone is not None
    assert gone.primary_status == NOT_LISTED
    assert not gone.is_active(date(2026, 3, 2))
    assert gone.business_name == "BUILDER 2"  # kept, never deleted
    # And back in a later file, it is listed again
    assert imported(csv_file(rows), "incoming/2026-03-03.csv")["written"] == 1
    assert (item(rows[2]["LicenseNo"]) or {})["primary_status"] == "CLEAR"


def test_text_not_in_the_files_encoding_skips_its_row_and_windows_1252_is_a_setting(
    calls: AwsCalls, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = csv_file([row("6000001", "CAFÉ BUILDERS"), row("6000002")]).encode("windows-1252")
    upload_license_file(body)
    (answer,) = deliver_uploads()
    assert answer["skipped"] == 1
    assert answer["written"] == 1
    # With the setting, the same file reads whole
    monkeypatch.setenv("LICENSE_FILE_ENCODING", "windows-1252")
    runtime.license_import_settings.cache_clear()
    upload_license_file(body, "incoming/2026-03-02.csv")
    (again,) = deliver_uploads()
    assert again["skipped"] == 0
    assert (item("6000001") or {})["business_name"] == "CAFÉ BUILDERS"


def test_a_failure_half_way_then_a_rerun_completes_with_no_row_half_written(calls: AwsCalls) -> None:
    # Given a file of 120 rows and DynamoDB failing on the third batch
    rows = many(120)
    upload_license_file(csv_file(rows))
    client = runtime.import_dynamodb()
    real = client.batch_write_item
    made = {"calls": 0}

    def failing_third(**kwargs: Any) -> Any:
        made["calls"] += 1
        if made["calls"] == 3:
            raise ClientError({"Error": {"Code": "InternalServerError", "Message": "down"}}, "BatchWriteItem")
        return real(**kwargs)

    with mock.patch.object(client, "batch_write_item", side_effect=failing_third), pytest.raises(ClientError):
        deliver_uploads()
    # Then the list is not loaded, and each row is there whole or not at all
    assert list_item() is None
    written = [item(r["LicenseNo"]) for r in rows]
    assert sum(1 for found in written if found) == 50
    assert all(found is None or found["business_name"].startswith("BUILDER") for found in written)
    # When Lambda retries the event: it goes on after the last batch written
    with calls.record():
        answer = deliver_again(_last_event())
    assert answer["status"] == "imported"
    assert answer["written"] == 120
    assert answer["rows"] == 120
    assert calls.summary().count("BatchWriteItem") == 3 + 1  # 70 rows left, then the list's item
    assert all(item(r["LicenseNo"]) for r in rows)
    assert list_item() is not None


def test_an_import_short_of_time_saves_its_progress_and_resumes_where_it_stopped(
    calls: AwsCalls, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given invocations that run short of time after 20 looks at the clock (20 batches of 25 rows)
    looks: dict[str, int] = {}

    def remaining(context: LambdaContext) -> int:
        looks[context.aws_request_id] = looks.get(context.aws_request_id, 0) + 1
        return 900_000 if looks[context.aws_request_id] <= 20 else 30_000

    monkeypatch.setattr(LambdaContext, "get_remaining_time_in_millis", remaining)
    rows = many(3000)
    upload_license_file(csv_file(rows))
    # When the upload is delivered: each invocation pauses, saves its progress and asks to resume
    answers = deliver_uploads()
    # Then each invocation went on from the last, and the file is wholly imported once
    assert answers[0]["status"] == "paused"
    assert answers[-1]["status"] == "imported"
    assert [a["rows"] for a in answers[:3]] == [525, 1050, 1575]
    assert len(answers) == 6
    assert sum(1 for a in answers if a["status"] == "imported") == 1
    assert answers[-1]["written"] == 3000
    assert answers[-1]["rows"] == 3000
    assert all(item(r["LicenseNo"]) for r in rows[::97])
    assert (list_item() or {})["rows_written"] == 3000


def test_a_newer_file_over_an_unfinished_import_rewrites_every_row(calls: AwsCalls) -> None:
    # Given a whole import, then a second file whose import is cut off after its first batches
    rows = many(60)
    imported(csv_file(rows))
    changed = [{**r, "PrimaryStatus": "SUSPENDED"} for r in rows]
    upload_license_file(csv_file(changed), "incoming/2026-03-02.csv")
    client = runtime.import_dynamodb()
    real, made = client.batch_write_item, {"calls": 0}

    def failing_second(**kwargs: Any) -> Any:
        made["calls"] += 1
        if made["calls"] == 2:
            raise ClientError({"Error": {"Code": "InternalServerError", "Message": "down"}}, "BatchWriteItem")
        return real(**kwargs)

    with mock.patch.object(client, "batch_write_item", side_effect=failing_second), pytest.raises(ClientError):
        deliver_uploads()
    assert (item(rows[0]["LicenseNo"]) or {})["primary_status"] == "SUSPENDED"
    # When a third file (the first's content again) arrives before that import is rerun
    answer = imported(csv_file(rows), "incoming/2026-03-03.csv")
    # Then every row is written: none keeps the unfinished import's value
    assert answer["written"] == 60
    assert {(item(r["LicenseNo"]) or {})["primary_status"] for r in rows} == {"CLEAR"}


def test_the_import_never_scans_and_its_state_stays_in_its_own_prefix(calls: AwsCalls) -> None:
    imported(SAMPLE.read_text(encoding="utf-8"))
    keys = {o["Key"] for o in boto3.client("s3").list_objects_v2(Bucket=LICENSE_BUCKET)["Contents"]}
    assert keys == {"incoming/2026-03-01.csv", "import-state/listed.tsv", "import-state/progress.json"}


# -- delivering an event again (EventBridge and Lambda deliver at least once, and retry) ----------

_EVENTS: list[dict[str, Any]] = []


@pytest.fixture(autouse=True)
def _remember_events(monkeypatch: pytest.MonkeyPatch) -> None:
    import local_portal.buckets as buckets

    made = buckets.object_created_event

    def remembered(bucket: str, version: dict[str, Any]) -> dict[str, Any]:
        _EVENTS.append(made(bucket, version))
        return _EVENTS[-1]

    _EVENTS.clear()
    monkeypatch.setattr(buckets, "object_created_event", remembered)


def _last_event() -> dict[str, Any]:
    return next(event for event in reversed(_EVENTS) if event["detail"]["object"]["key"].endswith(".csv"))


def deliver_again(event: dict[str, Any]) -> dict[str, Any]:
    from tests.support.api import invoke

    return invoke("LicenseDataFunction", event, 900.0)


def test_the_sample_ships_in_events() -> None:
    assert Path(SAMPLE).is_file()
