"""Addresses that cannot receive mail: SES bounce and complaint events mark the account, and
nothing more is sent to that address."""

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from contractor_accounts.domain.entities import Contractor
from contractor_accounts.http.views import contractor_view
from contractor_accounts.use_cases.deliverability import Deliverability, DeliveryProblem, problems_in

from tests.support.clock import MovableClock
from tests.support.samples import EMAIL, LICENSE
from tests.unit.helpers import Domain

from .fakes import FakeMailer, InMemoryContractorStore
from .helpers import ask_for_link, request_link

Seed = Callable[..., Contractor]


def ses_event(kind: str, recipients: list[str], *, license_number: str | None = LICENSE, **details: Any) -> str:
    """An SES event as the configuration set publishes it to SNS (the SNS message)."""
    tags: dict[str, list[str]] = {"ses:configuration-set": ["contractor-accounts"]}
    if license_number is not None:
        tags["license_number"] = [license_number]
    event: dict[str, Any] = {
        "eventType": kind,
        "mail": {"destination": [EMAIL], "tags": tags, "messageId": "0100-abc"},
    }
    if kind == "Bounce":
        event["bounce"] = {
            "bounceType": details.get("bounce_type", "Permanent"),
            "bounceSubType": "General",
            "bouncedRecipients": [{"emailAddress": address} for address in recipients],
        }
    elif kind == "Complaint":
        event["complaint"] = {"complainedRecipients": [{"emailAddress": address} for address in recipients]}
    return json.dumps(event)


@pytest.fixture
def deliverability(store: InMemoryContractorStore, clock: MovableClock) -> Deliverability:
    return Deliverability(store, clock)


def test_given_a_permanent_bounce_of_the_accounts_address_when_recorded_then_it_is_marked_and_no_more_mail_goes_there(
    deliverability: Deliverability,
    domain: Domain,
    mailer: FakeMailer,
    store: InMemoryContractorStore,
    clock: MovableClock,
    seed_contractor: Seed,
) -> None:
    # Given an account whose reset email was tagged with its license number
    seed_contractor()
    request_link(domain, mailer)
    assert mailer.sent[-1].license_number == LICENSE

    # When SES reports that the address bounced permanently
    marked = deliverability.record_notification(ses_event("Bounce", [EMAIL]))

    # Then the account is marked, with the time
    assert marked == 1
    contractor = store.contractors[LICENSE]
    assert (contractor.undeliverable_email, contractor.undeliverable_since) == (EMAIL, clock.now())
    assert contractor.email_undeliverable is True
    assert contractor.deliverable_email is None
    # And the dashboard says so
    assert contractor_view(contractor, clock.now().date()).email_undeliverable is True
    # And forgot password sends nothing more there
    before = len(mailer.attempted)
    ask_for_link(domain)
    assert len(mailer.attempted) == before


def test_given_a_complaint_when_recorded_then_the_address_is_marked(
    deliverability: Deliverability, store: InMemoryContractorStore, seed_contractor: Seed
) -> None:
    seed_contractor()
    assert deliverability.record_notification(ses_event("Complaint", [EMAIL])) == 1
    assert store.contractors[LICENSE].email_undeliverable is True


@pytest.mark.parametrize("bounce_type", ["Transient", "Undetermined"])
def test_given_a_bounce_that_is_not_permanent_when_recorded_then_nothing_is_marked(
    deliverability: Deliverability, store: InMemoryContractorStore, seed_contractor: Seed, bounce_type: str
) -> None:
    # SES retries transient bounces itself; the address may work tomorrow.
    seed_contractor()
    assert deliverability.record_notification(ses_event("Bounce", [EMAIL], bounce_type=bounce_type)) == 0
    assert "mark_email_undeliverable" not in store.calls
    assert store.contractors[LICENSE].deliverable_email == EMAIL


def test_given_the_address_changed_since_the_email_when_its_bounce_arrives_then_the_new_address_stays_deliverable(
    deliverability: Deliverability, store: InMemoryContractorStore, seed_contractor: Seed
) -> None:
    # Given the account's address changed after the email went out
    seed_contractor(email="office@sunsetbuilders.example")
    # When the old address's bounce arrives
    marked = deliverability.record_notification(ses_event("Bounce", [EMAIL]))
    # Then nothing is marked: the conditional write names the address that bounced
    assert marked == 0
    assert store.contractors[LICENSE].deliverable_email == "office@sunsetbuilders.example"


def test_given_a_new_address_after_a_bounce_then_mail_goes_to_it_again(
    deliverability: Deliverability, store: InMemoryContractorStore, seed_contractor: Seed
) -> None:
    # Given an address marked undeliverable
    seed_contractor()
    deliverability.record_notification(ses_event("Bounce", [EMAIL]))
    # When the account gets another address
    changed = replace(store.contractors[LICENSE], email="office@sunsetbuilders.example")
    # Then mail may go to it, and the dashboard no longer asks for a change
    assert changed.deliverable_email == "office@sunsetbuilders.example"
    assert changed.email_undeliverable is False


def test_given_the_recipient_reported_in_another_case_then_the_address_as_sent_is_marked(
    deliverability: Deliverability, store: InMemoryContractorStore, seed_contractor: Seed
) -> None:
    seed_contractor()
    assert deliverability.record_notification(ses_event("Bounce", [EMAIL.upper()])) == 1
    assert store.contractors[LICENSE].undeliverable_email == EMAIL


@pytest.mark.parametrize(
    "message",
    [
        ses_event("Bounce", [EMAIL], license_number=None),
        ses_event("Bounce", [EMAIL], license_number="0123"),
        ses_event("Bounce", [EMAIL], license_number="12-34"),
        ses_event("Delivery", [EMAIL]),
        "not json",
        "[]",
        json.dumps({"eventType": "Bounce", "mail": "?", "bounce": {"bounceType": "Permanent"}}),
    ],
    ids=["untagged", "leading-zero", "not-normalized", "delivery", "not-json", "not-an-object", "malformed"],
)
def test_given_an_event_that_names_no_account_when_recorded_then_nothing_is_written(
    deliverability: Deliverability, store: InMemoryContractorStore, seed_contractor: Seed, message: str
) -> None:
    seed_contractor()
    assert deliverability.record_notification(message) == 0
    assert "mark_email_undeliverable" not in store.calls


def test_given_an_unknown_license_when_its_bounce_arrives_then_nothing_is_created(
    deliverability: Deliverability, store: InMemoryContractorStore
) -> None:
    assert deliverability.record_notification(ses_event("Bounce", [EMAIL], license_number="7654321")) == 0
    assert store.contractors == {}


def test_problems_in_an_event_with_two_recipients_are_one_each() -> None:
    event = json.loads(ses_event("Complaint", [EMAIL, "other@example.com"]))
    assert problems_in(event) == [
        DeliveryProblem(LICENSE, EMAIL, "complaint"),
        DeliveryProblem(LICENSE, "other@example.com", "complaint"),
    ]
