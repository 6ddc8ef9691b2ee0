"""The contractor's own account and email verification, as use cases on the in-memory fakes."""

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest
from contractor_accounts.domain.emails import EmailMessage
from contractor_accounts.domain.entities import Contractor
from contractor_accounts.domain.errors import (
    InvalidCredentials,
    NothingToVerify,
    ServiceUnavailable,
    Unauthorized,
    ValidationFailed,
    VerificationEmailsLimited,
    VerificationLinkRefused,
)
from contractor_accounts.domain.policy import VERIFICATION_EMAILS_PER_HOUR, VERIFY_TOKEN_HOURS
from contractor_accounts.domain.requests import ContactDetails, NewAccount
from contractor_accounts.domain.results import SignedIn
from contractor_accounts.domain.values import WorkersCompExempt, WorkersCompPolicy
from contractor_accounts.ports.hasher import Hasher
from contractor_accounts.ports.store import ConflictingWrite

from tests.support.clock import MovableClock
from tests.support.samples import EMAIL, LICENSE, NEW_PASSWORD, PASSWORD
from tests.unit.helpers import Domain

from .fakes import SETTINGS_ENV, FakeMailer, InMemoryContractorStore
from .helpers import ask_for_link

Register = Callable[..., NewAccount]
LINK = re.compile(re.escape(SETTINGS_ENV["VERIFY_PAGE_URL"]) + r"#token=([A-Za-z0-9_-]{43})")


def link_in(email: EmailMessage) -> str:
    found = LINK.search(email.text)
    assert found is not None, email.text
    assert found.group(0) in email.html
    return found.group(1)


# -- email verification ----------------------------------------------------------------------


def test_registration_sends_a_link_carrying_nothing_the_requester_typed(
    domain: Domain, mailer: FakeMailer, make_registration: Register
) -> None:
    domain.registration.register(make_registration(contact_name="Call 555-0100 now", business_name="Free Money LLC"))
    (email,) = mailer.sent
    assert email.to == EMAIL
    link_in(email)
    for typed in ("Call 555-0100 now", "Free Money", LICENSE):
        assert typed not in email.text
        assert typed not in email.html
        assert typed not in email.subject


def test_a_registration_stands_when_the_link_cannot_be_sent(
    domain: Domain, mailer: FakeMailer, store: InMemoryContractorStore, make_registration: Register
) -> None:
    mailer.fail = True
    domain.registration.register(make_registration())
    assert store.contractors[LICENSE].email_verified is False
    assert len(mailer.attempted) == 1


def test_the_link_verifies_once_within_its_lifetime(
    domain: Domain, mailer: FakeMailer, store: InMemoryContractorStore, clock: MovableClock, make_registration: Register
) -> None:
    domain.registration.register(make_registration())
    link = link_in(mailer.sent[-1])
    clock.advance(hours=VERIFY_TOKEN_HOURS - 1)
    assert domain.verification.verify(link) == EMAIL
    assert store.contractors[LICENSE].email_verified is True
    with pytest.raises(VerificationLinkRefused):
        domain.verification.verify(link)
    assert [entry.action for entry in store.audit][-1] == "email_verified"


def test_an_old_link_is_refused(
    domain: Domain, mailer: FakeMailer, clock: MovableClock, make_registration: Register
) -> None:
    domain.registration.register(make_registration())
    link = link_in(mailer.sent[-1])
    clock.advance(hours=VERIFY_TOKEN_HOURS, seconds=1)
    with pytest.raises(VerificationLinkRefused):
        domain.verification.verify(link)


def test_resends_are_limited_and_only_the_newest_works(
    domain: Domain, mailer: FakeMailer, clock: MovableClock, make_registration: Register
) -> None:
    signed_in = domain.registration.register(make_registration())
    first = link_in(mailer.sent[-1])
    for _ in range(VERIFICATION_EMAILS_PER_HOUR - 1):
        domain.own_account.resend_verification(signed_in.session.token)
    with pytest.raises(VerificationEmailsLimited):
        domain.own_account.resend_verification(signed_in.session.token)
    clock.advance(minutes=61)
    signed_in = sign_in_again(domain)
    domain.own_account.resend_verification(signed_in.session.token)
    with pytest.raises(VerificationLinkRefused):
        domain.verification.verify(first)
    assert domain.verification.verify(link_in(mailer.sent[-1])) == EMAIL
    with pytest.raises(NothingToVerify):
        domain.own_account.resend_verification(signed_in.session.token)


def sign_in_again(domain: Domain) -> SignedIn:
    result = domain.signin.sign_in(LICENSE, PASSWORD)
    assert isinstance(result, SignedIn)
    return result


def test_a_failed_resend_says_so(domain: Domain, mailer: FakeMailer, make_registration: Register) -> None:
    signed_in = domain.registration.register(make_registration())
    mailer.fail = True
    with pytest.raises(ServiceUnavailable):
        domain.own_account.resend_verification(signed_in.session.token)


def test_forgot_password_skips_an_unverified_address(
    domain: Domain, mailer: FakeMailer, seed_contractor: Callable[..., Contractor]
) -> None:
    seed_contractor(email_verified=False)
    ask_for_link(domain)
    assert mailer.sent == []


# -- the contractor's own changes -------------------------------------------------------------


def test_renewing_workers_comp_recomputes_the_status(
    domain: Domain, signed_in: SignedIn, store: InMemoryContractorStore, clock: MovableClock
) -> None:
    clock.advance(days=500)  # past 2027-06-30
    fresh = sign_in_again(domain)
    assert domain.own_account.dashboard(fresh.session.token).contractor.workers_comp == WorkersCompPolicy(
        "State Fund", "WC-123456", date(2027, 6, 30)
    )
    renewal = WorkersCompPolicy("State Fund", "WC-2", date(2028, 12, 31))
    dashboard = domain.own_account.update_profile(fresh.session.token, ContactDetails(workers_comp=renewal))
    assert dashboard.contractor.workers_comp == renewal
    assert store.contractors[LICENSE].workers_comp == dashboard.contractor.workers_comp
    assert store.audit[-1].details == {"fields": "workers_comp"}


def test_a_profile_change_refuses_an_expired_policy_and_an_empty_change(domain: Domain, signed_in: SignedIn) -> None:
    with pytest.raises(ValidationFailed) as expired:
        domain.own_account.update_profile(
            signed_in.session.token, ContactDetails(workers_comp=WorkersCompPolicy("X", "Y", date(2020, 1, 1)))
        )
    assert expired.value.fields is not None
    assert "workers_comp.expires_on" in expired.value.fields
    with pytest.raises(ValidationFailed):
        domain.own_account.update_profile(signed_in.session.token, ContactDetails())
    exempt = domain.own_account.update_profile(
        signed_in.session.token, ContactDetails(workers_comp=WorkersCompExempt())
    )
    assert exempt.contractor.workers_comp == WorkersCompExempt()


def test_an_email_change_waits_for_its_link_and_tells_the_old_address(
    domain: Domain, signed_in: SignedIn, mailer: FakeMailer, store: InMemoryContractorStore
) -> None:
    domain.credentials.change_email(signed_in.session.token, "ana@new.example", PASSWORD)
    assert (store.contractors[LICENSE].email, store.contractors[LICENSE].pending_email) == (EMAIL, "ana@new.example")
    # The request sends the link only; the old address is told by the notice function, from
    # the activity record written with the change (tests/unit/test_notices.py)
    (link_email,) = mailer.sent
    assert link_email.to == "ana@new.example"
    assert domain.verification.verify(link_in(link_email)) == "ana@new.example"
    changed = store.contractors[LICENSE]
    assert (changed.email, changed.email_verified, changed.pending_email) == ("ana@new.example", True, None)
    assert [entry.action for entry in store.audit][-2:] == ["email_change_requested", "email_changed"]


def test_the_same_verified_email_is_refused(domain: Domain, signed_in: SignedIn) -> None:
    with pytest.raises(ValidationFailed):
        domain.credentials.change_email(signed_in.session.token, EMAIL, PASSWORD)


def test_a_wrong_current_password_counts_as_a_failed_sign_in(
    domain: Domain, signed_in: SignedIn, store: InMemoryContractorStore, clock: MovableClock
) -> None:
    # The session came from a trusted device: its wrong current passwords count on that device
    # first (contract v3: five end it), then on the account, as failed sign-ins do
    for _ in range(5):
        with pytest.raises(InvalidCredentials):
            domain.credentials.change_password(signed_in.session.token, "wrong wrong wrong", NEW_PASSWORD)
    assert store.contractors[LICENSE].failed_login_count == 0
    assert store.contractors[LICENSE].trusted_devices[0].failures == 5
    for _ in range(5):
        with pytest.raises(InvalidCredentials):
            domain.credentials.change_password(signed_in.session.token, "wrong wrong wrong", NEW_PASSWORD)
    assert store.contractors[LICENSE].failed_login_count == 5
    # Locked: even the right password is refused, and that attempt is not counted
    with pytest.raises(InvalidCredentials):
        domain.credentials.change_password(signed_in.session.token, PASSWORD, NEW_PASSWORD)
    assert store.contractors[LICENSE].failed_login_count == 5
    assert store.contractors[LICENSE].password_hash == signed_in.contractor.password_hash


def test_a_password_change_keeps_this_browser_signed_in_and_no_other(
    domain: Domain, signed_in: SignedIn, store: InMemoryContractorStore, mailer: FakeMailer, clock: MovableClock
) -> None:
    other = sign_in_again(domain)
    clock.advance(minutes=5)
    successor = domain.credentials.change_password(signed_in.session.token, PASSWORD, NEW_PASSWORD)
    assert successor.record.expires_at == signed_in.session.record.expires_at
    assert domain.own_account.dashboard(successor.token).contractor.license_number == LICENSE
    for ended in (signed_in.session.token, other.session.token):
        with pytest.raises(Unauthorized):
            domain.own_account.dashboard(ended)
    # No email on the request's path: the notice goes from the activity record (NoticeFunction)
    assert not [email for email in mailer.sent if "password" in email.subject]
    assert store.audit[-1].action == "password_changed"


def test_the_new_password_must_differ_and_follow_the_policy(domain: Domain, signed_in: SignedIn) -> None:
    for refused in (PASSWORD, "aaaaaaaaaaaaaaaaaaaa", f"my license {LICENSE} here"):
        with pytest.raises(ValidationFailed) as problem:
            domain.credentials.change_password(signed_in.session.token, PASSWORD, refused)
        assert problem.value.fields is not None
        assert "new_password" in problem.value.fields


def test_a_password_change_that_loses_a_race_is_refused(
    domain: Domain, signed_in: SignedIn, store: InMemoryContractorStore
) -> None:
    # Given the account changed between the read and the write (another browser signed out everywhere)
    store.fail_on["change_own_password"] = ConflictingWrite("ConditionalCheckFailed")
    with pytest.raises(Unauthorized):
        domain.credentials.change_password(signed_in.session.token, PASSWORD, NEW_PASSWORD)
    assert store.contractors[LICENSE].password_hash == signed_in.contractor.password_hash


def test_the_security_question_changes(domain: Domain, signed_in: SignedIn, store: InMemoryContractorStore) -> None:
    domain.credentials.change_security_question(
        signed_in.session.token, PASSWORD, "In what city was your first job?", "Fresno"
    )
    changed = store.contractors[LICENSE]
    assert changed.security_question == "In what city was your first job?"
    assert domain.hasher.verify_answer(changed.security_answer_hash, " fresno ")
    assert store.audit[-1].action == "security_question_changed"


def test_signing_out_everywhere(domain: Domain, signed_in: SignedIn, store: InMemoryContractorStore) -> None:
    other = sign_in_again(domain)
    domain.own_account.sign_out_everywhere(other.session.token)
    for ended in (signed_in.session.token, other.session.token):
        with pytest.raises(Unauthorized):
            domain.own_account.dashboard(ended)
    assert store.audit[-1].action == "signed_out_everywhere"


def test_with_staff_approval_a_registration_is_pending_review(
    store: InMemoryContractorStore, clock: MovableClock, mailer: FakeMailer, hasher: Hasher, make_registration: Register
) -> None:
    from contractor_accounts.http.views import contractor_view
    from contractor_accounts.steps.confirmation_links import ConfirmationLinks
    from contractor_accounts.use_cases.registration import Registration

    from .fakes import InMemoryLicenseChecks, InMemoryRequestCounters, email_settings, settings

    approving = settings({"REQUIRE_STAFF_APPROVAL": "true"})
    links = ConfirmationLinks(store, clock, mailer, approving, email_settings())
    checks = InMemoryLicenseChecks(store=store)
    Registration(store, InMemoryRequestCounters(), clock, hasher, approving, links, checks).register(
        make_registration()
    )
    registered = store.contractors[LICENSE]
    assert registered.awaiting_approval is True
    assert contractor_view(registered, date(2026, 3, 2)).account_status == "pending_review"
    assert contractor_view(replace(registered, account_status="disabled"), date(2026, 3, 2)).account_status == (
        "disabled"
    )
