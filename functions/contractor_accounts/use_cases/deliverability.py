"""Addresses that cannot receive mail.

SES publishes the configuration set's bounce and complaint events to SNS; EmailEventsFunction
hands each one here. A permanent bounce or a complaint marks the address undeliverable on the
account the email was about (the send carried its license number as the SES tag
``license_number``, so no lookup by address, scan or index is needed). From then on nothing is
sent to that address (``Contractor.deliverable_email``) and the dashboard asks the contractor to
change it. Transient bounces (mailbox full, greylisting) mark nothing: SES retries them itself.

SES stops sending to the address anyway (the configuration set's suppression list); this makes
the account say so instead of silently dropping the contractor's reset links.
"""

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from contractor_accounts.domain.emails import LICENSE_TAG
from contractor_accounts.observability import logger, metrics
from contractor_accounts.ports.clock import Clock
from contractor_accounts.ports.store import ContractorStore

Reason = Literal["bounce", "complaint"]
# A normalized license number, as the send was tagged with it.
_LICENSE: Final = re.compile(r"[1-9][0-9]{0,7}")
_METRIC: Final[dict[Reason, str]] = {"bounce": "EmailBounced", "complaint": "EmailComplained"}


@dataclass(frozen=True, slots=True)
class DeliveryProblem:
    license_number: str
    # The address exactly as the email was sent to it (as the account stores it).
    address: str
    reason: Reason


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _recipients(entries: object) -> list[str]:
    if not isinstance(entries, list):
        return []
    return [str(entry["emailAddress"]) for entry in entries if isinstance(entry, dict) and entry.get("emailAddress")]


def _as_sent(reported: str, destination: Sequence[str]) -> str:
    """SES may report a recipient in another case than it was sent; the account stores it as sent."""
    for address in destination:
        if address.lower() == reported.lower():
            return address
    return reported


def problems_in(event: Mapping[str, Any]) -> list[DeliveryProblem]:
    """The problems one SES event reports: one per permanently bounced or complaining recipient
    of an email tagged with a license number; none for anything else."""
    kind = str(event.get("eventType") or event.get("notificationType") or "")
    mail = _mapping(event.get("mail"))
    licenses = _mapping(mail.get("tags")).get(LICENSE_TAG) or []
    license_number = str(licenses[0]) if isinstance(licenses, list) and licenses else ""
    if not _LICENSE.fullmatch(license_number):
        return []
    destination = [str(address) for address in mail.get("destination") or []]
    reason: Reason
    if kind == "Bounce":
        bounce = _mapping(event.get("bounce"))
        if bounce.get("bounceType") != "Permanent":
            return []
        recipients, reason = _recipients(bounce.get("bouncedRecipients")), "bounce"
    elif kind == "Complaint":
        recipients, reason = _recipients(_mapping(event.get("complaint")).get("complainedRecipients")), "complaint"
    else:
        return []
    return [DeliveryProblem(license_number, _as_sent(address, destination), reason) for address in recipients]


@dataclass(frozen=True)
class Deliverability:
    store: ContractorStore
    clock: Clock

    def record_notification(self, message: str) -> int:
        """One SNS message from the configuration set: marks what it reports; returns how many
        accounts were marked. A message that is not an SES event is logged and dropped (SNS would
        only deliver it again)."""
        try:
            event = json.loads(message)
        except ValueError:
            logger.warning("email_event_unreadable")
            return 0
        if not isinstance(event, dict):
            logger.warning("email_event_unreadable")
            return 0
        problems = problems_in(event)
        if not problems:
            logger.info("email_event_ignored", extra={"event_type": event.get("eventType")})
        return sum(self.record(problem) for problem in problems)

    def record(self, problem: DeliveryProblem) -> bool:
        metrics.add_metric(name=_METRIC[problem.reason], unit="Count", value=1)
        marked = self.store.mark_email_undeliverable(problem.license_number, problem.address, self.clock.now())
        if marked:
            metrics.add_metric(name="EmailMarkedUndeliverable", unit="Count", value=1)
        # The address is not logged: the license number finds the account.
        logger.info(
            "email_marked_undeliverable" if marked else "email_event_for_an_old_address",
            extra={"license_number": problem.license_number, "reason": problem.reason},
        )
        return marked
