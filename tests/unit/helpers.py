"""Helpers of the domain unit tests: every use case wired to the same fakes (``Domain``), the
emailed reset link and the reset request."""

import re
from dataclasses import dataclass

from contractor_accounts.account import AccountCredentials, OwnAccount
from contractor_accounts.entities import NewPassword
from contractor_accounts.mail import Email
from contractor_accounts.passwords import Hasher
from contractor_accounts.recovery import PasswordRecovery
from contractor_accounts.registration import Registration
from contractor_accounts.reminders import WorkersCompReminders
from contractor_accounts.reset_requests import ResetRequest
from contractor_accounts.schemas import TokenResetRequest
from contractor_accounts.signin import FirstSignIn, Sessions, SignIn
from contractor_accounts.verification import EmailVerification

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
    reminders: WorkersCompReminders
    recovery: PasswordRecovery
    first_sign_in: FirstSignIn
    hasher: Hasher


RESET_PAGE_URL = SETTINGS_ENV["RESET_PAGE_URL"]
LINK = re.compile(re.escape(RESET_PAGE_URL) + r"#token=([A-Za-z0-9_-]{43})")


def token_in(email: Email) -> str:
    found = LINK.search(email.text)
    assert found is not None, email.text
    assert found.group(0) in email.html
    return found.group(1)


def ask_for_link(domain: Domain, license_number: str = LICENSE) -> None:
    """A "Forgot Password" request, as the reset mailer gets it from the queue, made now."""
    domain.recovery.send_reset_link(ResetRequest(license_number, domain.recovery.clock.now()))


def request_link(domain: Domain, mailer: FakeMailer) -> str:
    before = len(mailer.sent)
    ask_for_link(domain)
    assert len(mailer.sent) == before + 1
    return token_in(mailer.sent[-1])


def reset(token: str, answer: str = ANSWER, new_password: str = NEW_PASSWORD, **extra: str) -> NewPassword:
    return TokenResetRequest(reset_token=token, security_answer=answer, new_password=new_password, **extra).to_domain()
