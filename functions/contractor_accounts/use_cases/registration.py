"""Self-registration ("Setup an Account" → CREATE ACCOUNT): the contractor is signed in at once."""

from dataclasses import dataclass, replace

from contractor_accounts.domain.entities import AuditEntry, Contractor
from contractor_accounts.domain.errors import LicenseAlreadyRegistered, LicenseOnFile, ServiceUnavailable
from contractor_accounts.domain.requests import NewAccount
from contractor_accounts.domain.results import SignedIn
from contractor_accounts.domain.tokens import issue_token, verification_token
from contractor_accounts.domain.workers_comp import check_workers_comp, city_today
from contractor_accounts.observability import logger, metrics
from contractor_accounts.ports.clock import Clock
from contractor_accounts.ports.hasher import Hasher
from contractor_accounts.ports.request_counters import RequestCounters
from contractor_accounts.ports.store import ConflictingWrite, ContractorExists, ContractorStore
from contractor_accounts.settings import Settings
from contractor_accounts.steps.confirmation_links import ConfirmationLinks
from contractor_accounts.steps.rate_limits import throttle


@dataclass(frozen=True)
class Registration:
    store: ContractorStore
    counters: RequestCounters
    clock: Clock
    hasher: Hasher
    settings: Settings
    links: ConfirmationLinks

    def limit(self, source_ip: str | None) -> None:
        """Counts a registration request from ``source_ip``; TooManyRequests past the
        per-address limit. Called before the body is validated (no strength estimate, no hashing)."""
        throttle(self.counters, self.clock, self.settings, "register", source_ip)

    def register(self, request: NewAccount) -> SignedIn:
        workers_comp = request.workers_comp
        check_workers_comp(workers_comp, city_today(self.clock.now(), self.settings.zone))
        now = self.clock.now()
        contractor = Contractor(
            license_number=request.license_number,
            business_name=request.business_name,
            created_at=now,
            created_by="self_registration",
            contact_name=request.contact_name,
            email=request.email,
            phone=request.phone,
            mailing_address=request.mailing_address,
            workers_comp=workers_comp,
            security_question=request.security_question,
            security_answer_hash=self.hasher.hash_answer(request.security_answer),
            password_hash=self.hasher.hash_password(request.password),
            password_state="set",
            password_changed_at=now,
        )
        # The address is the requester's word until its link is used (checklist 30).
        link = verification_token(contractor, request.email, now)
        contractor = replace(
            contractor,
            verification_token_hash=link.record.token_hash,
            verification_emails_sent_at=(now,),
            awaiting_approval=self.settings.require_staff_approval,
        )
        session = issue_token("session", contractor, now, self.settings.session_lifetime)
        audit = AuditEntry(contractor.license_number, "account_registered", "contractor", now)
        try:
            self.store.create_contractor(contractor, session.record, audit, link.record)
        except ContractorExists as exists:
            logger.info("registration_refused", extra={"license_number": request.license_number})
            if exists.existing is not None and exists.existing.password_state != "set":
                raise LicenseOnFile(
                    "Your license is already on file with the city. "
                    f"{self.settings.call_staff} to complete your account registration."
                ) from exists
            raise LicenseAlreadyRegistered from exists
        except ConflictingWrite as conflict:
            raise ServiceUnavailable from conflict
        logger.info("account_registered", extra={"license_number": contractor.license_number})
        metrics.add_metric(name="AccountRegistered", unit="Count", value=1)
        # Best effort: the account exists either way, and the Dashboard offers to send it again.
        self.links.send_link(request.email, link.token, contractor.license_number)
        return SignedIn(session, contractor)
