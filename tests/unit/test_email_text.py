"""No email puts text a contractor typed in front of an address nobody has proven
(contract v2; checklist 30): a stranger who registers a victim's address with a "contact
name" of "URGENT... pay at https://..." must not get the city's sender to deliver it."""

import re
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.resources import files

from contractor_accounts.domain.entities import Contractor
from contractor_accounts.settings import Settings
from contractor_accounts.use_cases.notices import Notices

from tests.support.samples import LICENSE
from tests.unit.helpers import Domain

from .fakes import FakeMailer, InMemoryContractorStore
from .helpers import request_link, reset

Seed = Callable[..., Contractor]
PHISHING_NAME = "URGENT account suspended pay at https://pay.example"
PHISHING_BUSINESS = "Call 1-900-555-0199 Now Inc"
# What a template may hold: the city's configuration, the license number (digits only, after
# normalization), the time, and the link the system made. Nothing a contractor typed.
# The confirmation link; a reminder's expiry date (a validated date) and its fixed words.
SYSTEM_VALUES = {
    "city_name",
    "staff_phone_number",
    "license_number",
    "valid_for",
    "reset_link",
    "changed_at",
    "verify_link",
    "expires_on",
    "when_words",
    "portal_url",
    "board",
    "board_phone",
    # The account notice: sentences chosen in code by event (domain/notices.py; a password
    # change's says how many passkeys the account keeps), the browser from a fixed vocabulary
    # (domain/browsers.py), never the User-Agent text.
    "what_happened",
    "browser",
    "if_not_you",
}


def test_every_email_template_holds_only_system_values() -> None:
    templates = [
        path for path in files("contractor_accounts.email_templates").iterdir() if path.name[-4:] in {".txt", "html"}
    ]
    assert templates
    for template in templates:
        placeholders = set(re.findall(r"\$\{?([A-Za-z_]\w*)", template.read_text(encoding="utf-8")))
        assert placeholders <= SYSTEM_VALUES, (template.name, placeholders - SYSTEM_VALUES)


def test_given_a_self_registered_address_then_the_reset_email_and_the_notice_greet_with_fixed_words(
    domain: Domain, mailer: FakeMailer, seed_contractor: Seed, store: InMemoryContractorStore, app_settings: Settings
) -> None:
    # Given a self-registered account whose name fields carry a message
    seed_contractor(contact_name=PHISHING_NAME, business_name=PHISHING_BUSINESS)
    # When a reset link is requested and used (the "password changed" notice follows)
    link = request_link(domain, mailer)
    domain.recovery.reset_with_token(reset(link))
    found = store.contractor_with_activity(LICENSE, datetime(2000, 1, 1, tzinfo=UTC))
    assert found is not None
    (record,) = [record for record in found[2] if record.event == "password_reset"]
    assert Notices(store, mailer, app_settings).send(record)
    # Then neither email carries the typed text; both greet with the city's words
    assert len(mailer.sent) == 2
    for email in mailer.sent:
        for typed in (PHISHING_NAME, PHISHING_BUSINESS, "pay.example", "1-900"):
            assert typed not in email.text + email.html + email.subject
        assert email.text.startswith("Hello,\n")
