"""Sample data shared by the unit, handler and end-to-end tests."""

from typing import Any


def registration_body(**overrides: Any) -> dict[str, Any]:
    """A complete, valid POST /contractors body (the contract's example); overrides replace fields."""
    body: dict[str, Any] = {
        "license_number": "1234567",
        "password": "a long passphrase of my own",
        "security_question": "What was the name of your first pet?",
        "security_answer": "Biscuit",
        "business_name": "Sunset Builders Inc",
        "contact_name": "Maria Lopez",
        "email": "maria@sunsetbuilders.example",
        "phone": "323-555-0100",
        "mailing_address": {
            "street": "8300 Santa Monica Blvd",
            "city": "West Hollywood",
            "state": "CA",
            "postal_code": "90069",
        },
        "workers_comp": {"carrier": "State Fund", "policy_number": "WC-123456", "expires_on": "2027-06-30"},
    }
    body.update(overrides)
    return body
