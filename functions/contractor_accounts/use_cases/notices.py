"""The notice function's use case (NoticeFunction, fed by the table's stream): one email for each
activity record that asks for one, after the request that wrote it has answered (best effort:
a notice never delays or fails that request). To the account's verified address, or for an email
change to the old address the record names; never to an address mail cannot reach."""

from dataclasses import dataclass

from contractor_accounts.domain.activity import Activity
from contractor_accounts.domain.notices import notice_email
from contractor_accounts.observability import logger, metrics
from contractor_accounts.ports.mailer import EmailNotSent, Mailer
from contractor_accounts.ports.store import ContractorStore
from contractor_accounts.settings import Settings


@dataclass(frozen=True)
class Notices:
    store: ContractorStore
    mailer: Mailer
    settings: Settings

    def send(self, record: Activity) -> bool:
        """Emails the notice of ``record`` (one read of the account, one send); whether it went.
        A failed send is logged and counted, not retried: the change stands either way. A failed
        read raises, so the stream gives the record again."""
        if not record.notice:
            return False
        contractor = self.store.get_contractor(record.license_number)
        if contractor is None:
            return False
        if record.event == "email_change_requested":
            to = record.notice_to if record.notice_to != contractor.undeliverable_email else None
        else:
            to = contractor.deliverable_email if contractor.email_verified else None
        email = notice_email(
            record,
            str(to),
            city_name=self.settings.city_name,
            staff_phone_number=self.settings.staff_phone_number,
            zone=self.settings.zone,
            passkeys=len(contractor.passkeys),
        )
        if to is None or email is None:
            logger.info("notice_not_sent", extra={"event": record.event, "reason": "no_verified_address"})
            return False
        try:
            self.mailer.send(email)
        except EmailNotSent as failure:
            logger.warning("notice_email_failed", extra={"notice": record.event, "error": str(failure)})
            metrics.add_metric(name="NoticeEmailFailed", unit="Count", value=1)
            return False
        logger.info("notice_sent", extra={"event": record.event, "license_number": record.license_number})
        metrics.add_metric(name="NoticeSent", unit="Count", value=1)
        return True
