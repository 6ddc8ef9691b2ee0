"""Forgot password through the queue: ForgotFunction hands over the same request whoever asks;
the reset mailer sends at most one email per request, however often SQS delivers it."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from contractor_accounts.domain.entities import Contractor
from contractor_accounts.domain.errors import TooManyRequests
from contractor_accounts.ports.reset_requests import MalformedResetRequest, ResetRequest
from contractor_accounts.settings import ResetQueueSettings, Settings
from contractor_accounts.use_cases.forgot_password import ForgotPassword
from pydantic import ValidationError

from tests.support.clock import MovableClock
from tests.support.samples import LICENSE
from tests.unit.helpers import Domain

from .fakes import FakeMailer, InMemoryContractorStore, InMemoryRequestCounters

Seed = Callable[..., Contractor]


@dataclass
class RecordingQueue:
    handed_over: list[ResetRequest] = field(default_factory=list)

    def hand_over(self, request: ResetRequest) -> None:
        self.handed_over.append(request)


def test_given_a_real_and_an_unknown_license_when_forgot_then_each_is_handed_over_the_same_way(
    store: InMemoryContractorStore,
    request_counters: InMemoryRequestCounters,
    clock: MovableClock,
    app_settings: Settings,
    seed_contractor: Seed,
) -> None:
    # Given one registered account
    seed_contractor()
    queue = RecordingQueue()
    forgot = ForgotPassword(request_counters, clock, queue, app_settings)

    # When its license and an unknown one ask
    forgot.request_password_reset(LICENSE, "198.51.100.7")
    forgot.request_password_reset("9999999", "198.51.100.7")

    # Then both are queued, nothing about either account was read, and each has its own id
    assert [(request.license_number, request.requested_at) for request in queue.handed_over] == [
        (LICENSE, clock.now()),
        ("9999999", clock.now()),
    ]
    assert queue.handed_over[0].request_id != queue.handed_over[1].request_id
    assert not any(name in store.calls for name in ("get_contractor", "issue_reset_token"))


def test_given_the_address_limit_is_reached_when_forgot_then_429_and_nothing_queued(
    request_counters: InMemoryRequestCounters, clock: MovableClock, app_settings: Settings
) -> None:
    queue = RecordingQueue()
    forgot = ForgotPassword(request_counters, clock, queue, app_settings)
    for _ in range(app_settings.forgot_requests_per_ip_per_minute):
        forgot.request_password_reset("9999999", "198.51.100.7")

    with pytest.raises(TooManyRequests):
        forgot.request_password_reset(LICENSE, "198.51.100.7")
    assert len(queue.handed_over) == app_settings.forgot_requests_per_ip_per_minute


def test_given_a_request_was_handled_when_it_is_delivered_again_then_no_second_email(
    domain: Domain, mailer: FakeMailer, seed_contractor: Seed
) -> None:
    seed_contractor()
    request = ResetRequest(LICENSE, domain.reset_links.clock.now())
    domain.reset_links.send_reset_link(request)

    domain.reset_links.send_reset_link(request)

    assert len(mailer.sent) == 1


def test_given_a_request_older_than_an_hour_when_delivered_then_nothing_is_sent(
    domain: Domain, mailer: FakeMailer, clock: MovableClock, seed_contractor: Seed
) -> None:
    seed_contractor()
    request = ResetRequest(LICENSE, clock.now())
    clock.advance(hours=1)

    domain.reset_links.send_reset_link(request)

    assert mailer.attempted == []


def test_given_the_email_failed_when_the_request_is_delivered_again_then_it_may_send_a_new_link(
    domain: Domain, mailer: FakeMailer, store: InMemoryContractorStore, seed_contractor: Seed
) -> None:
    # Given a request whose email SES refused (the link was withdrawn)
    seed_contractor()
    request = ResetRequest(LICENSE, domain.reset_links.clock.now())
    mailer.fail = True
    domain.reset_links.send_reset_link(request)
    assert store.contractors[LICENSE].reset_request_id is None

    # When the same request comes again: nothing of it is on the account, so it is sent
    mailer.fail = False
    domain.reset_links.send_reset_link(request)
    assert len(mailer.sent) == 1


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        '{"license_number": "1234567"}',
        '{"license_number": "12-34", "requested_at": "2026-11-26T18:00:00.000000Z", "request_id": "a"}',
        '{"license_number": "1234567", "requested_at": "yesterday", "request_id": "a"}',
        '{"license_number": "1234567", "requested_at": "2026-11-26T18:00:00.000000Z", "request_id": 7}',
    ],
)
def test_a_message_that_is_not_a_reset_request_is_refused(body: str) -> None:
    with pytest.raises(MalformedResetRequest):
        ResetRequest.from_message(body)


def test_a_request_survives_the_queue_unchanged(clock: MovableClock) -> None:
    request = ResetRequest(LICENSE, clock.now() + timedelta(microseconds=7))
    assert ResetRequest.from_message(request.to_message()) == request


def test_forgot_function_will_not_start_without_its_queue() -> None:
    with pytest.raises(ValidationError):
        ResetQueueSettings.from_env({})
    with pytest.raises(ValidationError):
        ResetQueueSettings.from_env({"RESET_REQUESTS_QUEUE_URL": "ResetRequestsQueue"})
