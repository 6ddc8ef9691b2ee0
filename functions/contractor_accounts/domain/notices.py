"""The notices (contract v3; NIST SP 800-63B rev 4, 4.1.2.1 and 4.6): one email per event that
asks for one, in plain words: what happened, when (city time), from which browser (the fixed
vocabulary of ``domain.browsers``), and what to do if it was not the contractor. Only the city's
words and system values: never text someone typed, never a link (a notice must not be a way in)."""

from datetime import datetime, tzinfo
from typing import Final

from contractor_accounts.domain.activity import Activity
from contractor_accounts.domain.browsers import describe
from contractor_accounts.domain.emails import EmailMessage, render

# What the notice says happened, by event: (the subject's end, the sentence).
HAPPENED: Final = {
    "password_changed": ("your permit portal password was changed", "The password of the account was changed."),
    "password_reset": (
        "your permit portal password was changed",
        "The password of the account was changed with a Forgot Password link.",
    ),
    "security_question_changed": (
        "your security question was changed",
        "The security question and answer of the account were changed.",
    ),
    "email_change_requested": (
        "a change of your email address was requested",
        "Someone signed in and asked to change the account's email address. The new address takes the place "
        "of this one only when a link we sent to the new address is used.",
    ),
    "signed_out_everywhere": (
        "your account was signed out everywhere",
        "The account was signed out on every device and browser.",
    ),
    "signed_in": (
        "a sign-in from a new browser",
        "Someone signed in to the account from a browser that had not signed in before.",
    ),
    "signed_in_with_passkey": (
        "a passkey was used for the first time",
        "Someone signed in to the account with a passkey for the first time.",
    ),
    "passkey_added": ("a passkey was added to your account", "A passkey was added to the account."),
    "passkey_removed": ("a passkey was removed from your account", "A passkey was removed from the account."),
}
PASSKEY_EVENTS: Final = frozenset({"passkey_added", "signed_in_with_passkey"})
# What to do if it was not them: Forgot Password and the staff phone; for a passkey, remove it.
NOT_YOU: Final = (
    "If you did not, choose a new password with Forgot Password on the sign-in page, and call permit staff at {phone}."
)
NOT_YOU_PASSKEY: Final = (
    "If you did not, sign in, remove that passkey on My Account (Passkeys), choose a new password with "
    "Forgot Password on the sign-in page, and call permit staff at {phone}."
)
TEMPLATE: Final = "account_notice"
# A password change keeps the passkeys (contract v3): its notice says how many there are.
PASSWORD_EVENTS: Final = frozenset({"password_changed", "password_reset"})


def when_words(at: datetime, zone: tzinfo) -> str:
    """The time in city time, in words: "June 03, 2026 at 09:15 AM PDT"."""
    return at.astimezone(zone).strftime("%B %d, %Y at %I:%M %p %Z")


def passkeys_sentence(count: int) -> str:
    """Contract v3: a password change keeps the passkeys, and its notice says how many there are."""
    if count == 0:
        return ""
    them = "one passkey; it" if count == 1 else f"{count} passkeys; they"
    return f"The account has {them} still sign in (remove any you do not recognise on My Account)."


def notice_email(
    record: Activity, to: str, *, city_name: str, staff_phone_number: str, zone: tzinfo, passkeys: int = 0
) -> EmailMessage | None:
    """The notice of ``record`` to ``to``; None for an event that sends none."""
    if record.event not in HAPPENED:
        return None
    subject, happened = HAPPENED[record.event]
    if record.event in PASSWORD_EVENTS and passkeys:
        happened = f"{happened} {passkeys_sentence(passkeys)}"
    advice = NOT_YOU_PASSKEY if record.event in PASSKEY_EVENTS else NOT_YOU
    return render(
        TEMPLATE,
        to=to,
        license_number=record.license_number,
        subject=f"{city_name}: {subject}",
        values={
            "license_number": record.license_number,
            "city_name": city_name,
            "staff_phone_number": staff_phone_number,
            "what_happened": happened,
            "changed_at": when_words(record.at, zone),
            "browser": describe(record.user_agent) or "not known",
            "if_not_you": advice.format(phone=staff_phone_number),
        },
    )
