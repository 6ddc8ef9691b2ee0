"""Helpers shared by the reset tests: the emailed link and the reset request."""

import re

from contractor_accounts.domain.emails import EmailMessage
from contractor_accounts.domain.requests import NewPassword
from contractor_accounts.http.schemas import TokenResetRequest
from contractor_accounts.ports.reset_requests import ResetRequest

from .conftest import ANSWER, LICENSE, NEW_PASSWORD, Domain
from .fakes import SETTINGS_ENV, FakeMailer

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
