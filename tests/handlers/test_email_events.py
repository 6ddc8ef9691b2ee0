"""SES bounce and complaint events, delivered by SNS to the EmailEvents function, under moto."""

from typing import Any

from tests.support.api import Api, bounce, invoke, sent_emails, sns_event
from tests.support.samples import EMAIL, registration_body


def email_events(event: dict[str, Any]) -> dict[str, Any]:
    return invoke("EmailEventsFunction", event)


def test_given_a_contractors_address_bounces_when_ses_reports_it_then_the_dashboard_asks_for_another_and_no_mail_goes(
    api: Api,
) -> None:
    # Given a registered contractor whose dashboard shows a deliverable address
    token = api.post("/contractors", registration_body()).json["session"]["token"]
    assert api.get("/me", token=token).json["email_undeliverable"] is False

    # When SES reports a permanent bounce of that address, and a transient one of the same
    result = email_events(sns_event(bounce("1234567"), bounce("1234567", bounce_type="Transient")))

    # Then the account is marked once
    assert result == {"marked": 1}
    # And the dashboard tells the contractor
    dashboard = api.get("/me", token=token).json
    assert (dashboard["email"], dashboard["email_undeliverable"]) == (EMAIL, True)
    # And forgot password sends nothing there (the answer is unchanged)
    before = len(sent_emails())
    assert api.post("/password/forgot", {"license_number": "1234567"}).status == 202
    assert len(sent_emails()) == before


def test_given_a_bounce_for_an_unknown_account_when_reported_then_nothing_is_written(api: Api) -> None:
    assert email_events(sns_event(bounce("7654321"))) == {"marked": 0}
    assert api.post("/password/forgot", {"license_number": "7654321"}).status == 202
