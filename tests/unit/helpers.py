"""Helpers of the domain unit tests: every use case wired to the same fakes (``Domain``), the
emailed reset link and the reset request."""

import re
from dataclasses import dataclass

from contractor_accounts.domain.emails import EmailMessage
from contractor_accounts.domain.requests import NewPassword
from contractor_accounts.http.schemas import TokenResetRequest
from contractor_accounts.ports.hasher import Hasher
from contractor_accounts.ports.reset_requests import ResetRequest
from contractor_accounts.steps.confirmation_links import ConfirmationLinks
from contractor_accounts.steps.sessions import Sessions
from contractor_accounts.use_cases.account_credentials import AccountCredentials
from contractor_accounts.use_cases.email_verification import EmailVerification
from contractor_accounts.use_cases.first_sign_in import FirstSignIn
from contractor_accounts.use_cases.own_account import OwnAccount
from contractor_accounts.use_cases.password_reset import PasswordReset
from contractor_accounts.use_cases.registration import Registration
from contractor_accounts.use_cases.reminders import WorkersCompReminders
from contractor_accounts.use_cases.reset_links import ResetLinks
from contractor_accounts.use_cases.sign_in import SignIn

from tests.support.samples import ANSWER, LICENSE, NEW_PASSWORD
from tests.unit.fakes import SETTINGS_ENV, FakeMailer


@dataclass(frozen=True)
class Domain:
    """Every use case, wired to the same fakes."""

    signin: SignIn
    sessions: Sessions
    registration: Registration
    own_account: OwnAccount
    credentials: AccountCredentials
    verification: EmailVerification
    links: ConfirmationLinks
    reminders: WorkersCompReminders
    reset_links: ResetLinks
    recovery: PasswordReset
    first_sign_in: FirstSignIn
    hasher: Hasher


RESET_PAGE_URL = SETTINGS_ENV["RESET_PAGE_URL"]
LINK = re.compile(re.escape(RESET_PAGE_URL) + r"#token=([A-Za-z0-9_-]{43})")


def token_in(email: EmailMessage) -> str:
    found = LINK.search(email.text)
    assert found is not None, email.text
    assert found.group(0) in email.html
    return found.group(1)


def ask_for_link(domain: Domain, license_number: str = LICENSE) -> None:
    """A "Forgot Password" request, as the reset mailer gets it from the queue, made now."""
    domain.reset_links.send_reset_link(ResetRequest(license_number, domain.reset_links.clock.now()))


def request_link(domain: Domain, mailer: FakeMailer) -> str:
    before = len(mailer.sent)
    ask_for_link(domain)
    assert len(mailer.sent) == before + 1
    return token_in(mailer.sent[-1])


def reset(token: str, answer: str = ANSWER, new_password: str = NEW_PASSWORD, **extra: str) -> NewPassword:
    return TokenResetRequest(reset_token=token, security_answer=answer, new_password=new_password, **extra).to_domain()
