"""Response bodies built from the domain's results (the domain never builds HTTP schemas)."""

from dataclasses import asdict
from datetime import date
from typing import Any, Literal

from contractor_accounts.domain.activity import ActivityReport
from contractor_accounts.domain.browsers import describe
from contractor_accounts.domain.entities import Contractor
from contractor_accounts.domain.results import ChallengeIssued, Dashboard, IssuedToken, SignedIn
from contractor_accounts.domain.state_license import ACTIVE_STATUSES, NOT_LISTED, StateLicense, same_business_name
from contractor_accounts.domain.values import WorkersComp, WorkersCompPolicy
from contractor_accounts.domain.workers_comp import workers_comp_status
from contractor_accounts.http.schemas import (
    ActivityEventView,
    ActivityResponse,
    ChallengeResponse,
    ContractorSummary,
    DashboardResponse,
    MailingAddressView,
    RegistrationResponse,
    SessionView,
    SignInResponse,
    StateLicenseView,
    WorkersCompView,
)


def session_view(session: IssuedToken) -> SessionView:
    return SessionView(token=session.token, expires_at=session.record.expires_at)


def sign_in_view(result: SignedIn | ChallengeIssued) -> SignInResponse | ChallengeResponse:
    if isinstance(result, ChallengeIssued):
        return ChallengeResponse(challenge_token=result.challenge.token, expires_at=result.challenge.record.expires_at)
    return signed_in_view(result)


def signed_in_view(result: SignedIn) -> SignInResponse:
    if result.device_token is None:
        raise ValueError("a sign-in always hands the browser a device token")
    return SignInResponse(
        session=session_view(result.session),
        device_token=result.device_token,
        contractor=ContractorSummary(
            license_number=result.contractor.license_number, business_name=result.contractor.business_name
        ),
    )


def registration_view(result: SignedIn) -> RegistrationResponse:
    return RegistrationResponse(license_number=result.contractor.license_number, session=session_view(result.session))


def workers_comp_view(workers_comp: WorkersComp | None, today: date) -> WorkersCompView | None:
    if workers_comp is None:
        return None
    status = workers_comp_status(workers_comp, today)
    if not isinstance(workers_comp, WorkersCompPolicy):
        return WorkersCompView(exempt=True, status=status)
    return WorkersCompView(
        carrier=workers_comp.carrier,
        policy_number=workers_comp.policy_number,
        expires_on=workers_comp.expires_on,
        status=status,
    )


def state_license_view(record: StateLicense | None, today: date) -> StateLicenseView | None:
    if record is None:
        return None
    status: Literal["active", "expired", "not_active", "not_listed"]
    if record.is_active(today):
        status = "active"
    elif record.primary_status == NOT_LISTED:
        status = "not_listed"
    elif record.primary_status.strip().upper() in ACTIVE_STATUSES:
        status = "expired"
    else:
        status = "not_active"
    return StateLicenseView(
        status=status,
        expires_on=record.expires_on,
        classifications=list(record.classifications),
        business_name=record.business_name,
        as_of=record.as_of,
    )


def staff_license_view(
    record: StateLicense | None, typed_name: str, today: date, list_loaded: bool = True
) -> dict[str, Any]:
    """What staff see of the board's record beside the account: the record as published, and
    whether the business name typed is the board's (ignoring case, punctuation, Inc/LLC/Corp)."""
    if not list_loaded:
        return {
            "state_license_check": "not checked: no state license list has been imported yet",
            "state_record": None,
            "business_name_matches_state": None,
        }
    if record is None:
        return {"state_record": None, "business_name_matches_state": None}
    view = state_license_view(record, today)
    return {
        "state_record": {
            **(view.model_dump(mode="json") if view else {}),
            "primary_status": record.primary_status,
            "secondary_status": record.secondary_status,
            "workers_comp": {
                "carrier": record.workers_comp_carrier,
                "policy_number": record.workers_comp_policy_number,
                "expires_on": record.workers_comp_expires_on.isoformat() if record.workers_comp_expires_on else None,
            },
        },
        "business_name_matches_state": same_business_name(typed_name, record.business_name),
    }


def contractor_view(
    contractor: Contractor, today: date, state_license: StateLicense | None = None
) -> DashboardResponse:
    return DashboardResponse(
        license_number=contractor.license_number,
        business_name=contractor.business_name,
        contact_name=contractor.contact_name,
        email=contractor.email,
        phone=contractor.phone,
        mailing_address=MailingAddressView(**asdict(contractor.mailing_address))
        if contractor.mailing_address
        else None,
        workers_comp=workers_comp_view(contractor.workers_comp, today),
        account_status=account_status(contractor),
        email_verified=contractor.email_verified,
        pending_email=contractor.pending_email,
        email_undeliverable=contractor.email_undeliverable,
        state_license=state_license_view(state_license, today),
    )


def account_status(contractor: Contractor) -> Literal["active", "disabled", "pending_review"]:
    if contractor.account_status == "disabled":
        return "disabled"
    return "pending_review" if contractor.awaiting_approval else "active"


def dashboard_view(dashboard: Dashboard) -> DashboardResponse:
    return contractor_view(dashboard.contractor, dashboard.today, dashboard.state_license)


def activity_view(report: ActivityReport) -> ActivityResponse:
    """``GET /me/activity`` (and staff ``get``'s ``activity``): the browser named from the fixed
    vocabulary (``domain.browsers``), never the User-Agent as sent."""
    return ActivityResponse(
        events=[
            ActivityEventView(
                at=record.at, event=record.event, by=record.by, browser=describe(record.user_agent), ip=record.ip
            )
            for record in report.events
        ],
        failed_sign_ins_since_last_success=report.failed_sign_ins_since_last_success,
    )
