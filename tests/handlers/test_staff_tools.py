"""The saved console events under events/ and the CSV import of the legacy list."""

import csv
import io
import json
from pathlib import Path
from typing import Any

from staff_tools.import_csv import import_rows, write_report
from tests.support.api import Api, staff
from tests.support.samples import registration_body

EVENTS = Path(__file__).parents[2] / "events"


def saved_event(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / "staff" / f"{name}.json").read_text())
    return event


def test_every_saved_console_event_runs(api: Api) -> None:
    # Given the events staff save in the Lambda console, in the order of the staff guide
    for name in ("import_contractors", "issue_temporary_password", "unlock", "disable", "enable", "get"):
        # When each is run
        result = staff(saved_event(name))
        # Then it succeeds
        assert result["ok"] is True, (name, result)
    assert staff(saved_event("get"))["contractor"]["registration"] == "temporary_password"


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


LEGACY = """license_number,business_name,contact_name,email,phone,street,city,state,postal_code
765-4321,Old Town Roofing,Sam Lee,office@oldtown.example,323-555-0142,1200 N Fairfax Ave,West Hollywood,CA,90046
1029384,Sunset Plumbing Co,,,,,,,
76 54321,Old Town Roofing again,,,,,,,
ABC,Bad License Co,,,,,,,
1234567,Registered Already,,,,,,,
2020202,,,,,,,,
"""


def test_csv_import_reports_every_row_and_is_idempotent(api: Api) -> None:
    # Given one self-registered contractor and the legacy list
    api.post("/contractors", registration_body())
    # When the list is imported in batches of two
    results = import_rows(rows(LEGACY), staff, batch_size=2)
    # Then every row has an outcome with its reason
    outcome = {(result.line, result.result, result.reason.split(" ")[0].split(":")[0]) for result in results}
    assert outcome == {
        (2, "imported", ""),
        (3, "imported", ""),
        (4, "skipped", "duplicate_in_file"),
        (5, "skipped", "row"),
        (6, "skipped", "already_exists"),
        (7, "skipped", "row"),
    }
    assert staff({"action": "get", "license_number": "7654321"})["contractor"]["mailing_address"]["city"] == (
        "West Hollywood"
    )
    # And importing the same file again changes nothing
    again = import_rows(rows(LEGACY), staff, batch_size=100)
    assert [result.result for result in again].count("imported") == 0
    report = io.StringIO()
    write_report(again, report)
    assert report.getvalue().splitlines()[0] == "line,license_number,result,reason"
    assert len(report.getvalue().splitlines()) == 7
