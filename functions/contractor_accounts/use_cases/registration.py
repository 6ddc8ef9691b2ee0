"""Self-registration ("Setup an Account" → CREATE ACCOUNT): the contractor is signed in at once,
and the early license check of the registration page (``POST /contractors/check``).

With ``StateLicenseCheck`` "review" or "required" the account, the board's record of the license
and the list's own item are read first, in one BatchGetItem: the 409s come first, then the list's
422s, all before any password is hashed; the transaction's condition still guards a race."""

from dataclasses import dataclass, replace
from typing import NoReturn

from contractor_accounts.domain.entities import AuditEntry, Contractor
from contractor_accounts.domain.errors import (
    LicenseAlreadyRegistered,
    LicenseNotActive,
    LicenseNotFound,
    LicenseOnFile,
    ServiceUnavailable,
)
from contractor_accounts.domain.license_check import CheckStatus, Standing, check_status, license_standing
from contractor_accounts.domain.requests import NewAccount
from contractor_accounts.domain.results import SignedIn
from contractor_accounts.domain.tokens import issue_token, verification_token
from contractor_accounts.domain.workers_comp import check_workers_comp, city_today
from contractor_accounts.observability import logger, metrics
from contractor_accounts.ports.clock import Clock
from contractor_accounts.ports.hasher import Hasher
from contractor_accounts.ports.license_checks import LicenseChecks
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
    checks: LicenseChecks

    def limit(self, source_ip: str | None) -> None:
        """Counts a registration request from ``source_ip``; TooManyRequests past the
        per-address limit. Called before the body is validated (no strength estimate, no hashing)."""
        throttle(self.counters, self.clock, self.settings, "register", source_ip)

    def check(self, license_number: str) -> CheckStatus:
        """What registering this license would meet: an account, or the list's word on it."""
        return check_status(*self._standing(license_number))

    def _standing(self, license_number: str, *, read: bool = True) -> tuple[Contractor | None, Standing]:
        """The license's account and its standing on the list (registration with the check "off"
        reads nothing: the transaction's condition finds an account)."""
        if not read:
            return None, "ok"
        found = self.checks.account_and_license(license_number)
        today = city_today(self.clock.now(), self.settings.zone)
        return found.account, license_standing(found.lookup, today, self.settings.state_license_check)

    def _refuse_existing(self, existing: Contractor, cause: Exception | None = None) -> NoReturn:
        logger.info("registration_refused", extra={"license_number": existing.license_number})
        if existing.password_state != "set":
            raise LicenseOnFile(
                "Your license is already on file with the city. "
                f"{self.settings.call_staff} to complete your account registration."
            ) from cause
        raise LicenseAlreadyRegistered from cause

    def register(self, request: NewAccount) -> SignedIn:
        workers_comp = request.workers_comp
        check_workers_comp(workers_comp, city_today(self.clock.now(), self.settings.zone))
        existing, standing = self._standing(request.license_number, read=self.settings.state_license_check != "off")
        if existing is not None:
            self._refuse_existing(existing)
        if standing == "not_active":
            logger.info("registration_refused", extra={"license_number": request.license_number, "reason": standing})
            raise LicenseNotActive
        if standing == "not_found":
            logger.info("registration_refused", extra={"license_number": request.license_number, "reason": standing})
            raise LicenseNotFound
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
            # Staff review: the city asks for it, or the list lacks the license ("review").
            awaiting_approval=self.settings.require_staff_approval or standing == "pending",
        )
        session = issue_token("session", contractor, now, self.settings.session_lifetime)
        audit = AuditEntry(contractor.license_number, "account_registered", "contractor", now)
        try:
            self.store.create_contractor(contractor, session.record, audit, link.record)
        except ContractorExists as exists:
            if exists.existing is None:
                raise LicenseAlreadyRegistered from exists
            self._refuse_existing(exists.existing, exists)
        except ConflictingWrite as conflict:
            raise ServiceUnavailable from conflict
        logger.info(
            "account_registered",
            extra={"license_number": contractor.license_number, "pending_review": contractor.awaiting_approval},
        )
        metrics.add_metric(name="AccountRegistered", unit="Count", value=1)
        # Best effort: the account exists either way, and the Dashboard offers to send it again.
        self.links.send_link(request.email, link.token, contractor.license_number)
        return SignedIn(session, contractor)
