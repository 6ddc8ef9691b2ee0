"""The sample contractor of every suite: one set of constants and the contract's example
registration. Plain data (no package imports), for the tests and the bench alike."""

from typing import Any, Final

LICENSE: Final = "1234567"
PASSWORD: Final = "a long passphrase of my own"
NEW_PASSWORD: Final = "a different passphrase now"
QUESTION: Final = "What was the name of your first pet?"
OTHER_QUESTION: Final = "In what city was your first job?"
ANSWER: Final = "Mister Whiskers"
EMAIL: Final = "maria@sunsetbuilders.example"
BUSINESS_NAME: Final = "Sunset Builders Inc"
MAILING_ADDRESS: Final = {
    "street": "8300 Santa Monica Blvd",
    "city": "West Hollywood",
    "state": "CA",
    "postal_code": "90069",
}
WORKERS_COMP: Final = {"carrier": "State Fund", "policy_number": "WC-123456", "expires_on": "2027-06-30"}


def registration_body(**overrides: Any) -> dict[str, Any]:
    """A complete, valid POST /contractors body (the contract's example); overrides replace fields."""
    body: dict[str, Any] = {
        "license_number": LICENSE,
        "password": PASSWORD,
        "security_question": QUESTION,
        "security_answer": ANSWER,
        "business_name": BUSINESS_NAME,
        "contact_name": "Maria Lopez",
        "email": EMAIL,
        "phone": "323-555-0100",
        "mailing_address": dict(MAILING_ADDRESS),
        "workers_comp": dict(WORKERS_COMP),
    }
    body.update(overrides)
    return body
