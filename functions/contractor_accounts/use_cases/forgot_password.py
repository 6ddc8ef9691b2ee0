"""``POST /password/forgot``: the per-address limit, then the request handed to the queue for
every well-formed license number, so the answer (and its time) is the same whoever asks. The
reset mailer (``use_cases.reset_links``) decides later whether a link goes out."""

from dataclasses import dataclass

from contractor_accounts.domain.policy import duration_words
from contractor_accounts.ports.clock import Clock
from contractor_accounts.ports.request_counters import RequestCounters
from contractor_accounts.ports.reset_requests import ResetRequest, ResetRequestQueue
from contractor_accounts.settings import Settings
from contractor_accounts.steps.rate_limits import throttle


def forgot_password_answer(settings: Settings) -> str:
    """The one answer to every well-formed forgot-password request: it must not tell who has an account."""
    return (
        "If an account with an email address exists for this license number, we have sent it a link "
        f"to reset the password. The link works for {duration_words(settings.reset_token_minutes)}. "
        "No email? Check your spam folder or call permit staff."
    )


@dataclass(frozen=True)
class ForgotPassword:
    counters: RequestCounters
    clock: Clock
    queue: ResetRequestQueue
    settings: Settings

    def request_password_reset(self, license_number: str, source_ip: str | None = None) -> None:
        """Answers nothing: the caller says the same thing whatever happens later."""
        throttle(self.counters, self.clock, self.settings, "forgot", source_ip)
        self.queue.hand_over(ResetRequest(license_number, self.clock.now()))
