"""Response bodies shared by more than one function."""

from contractor_accounts.accounts import ChallengeIssued, SignedIn
from contractor_accounts.models import ChallengeResponse, ContractorSummary, SessionView, SignInResponse


def sign_in_view(result: SignedIn | ChallengeIssued) -> SignInResponse | ChallengeResponse:
    if isinstance(result, ChallengeIssued):
        return ChallengeResponse(challenge_token=result.challenge.token, expires_at=result.challenge.record.expires_at)
    return signed_in_view(result)


def signed_in_view(result: SignedIn) -> SignInResponse:
    return SignInResponse(
        session=SessionView(token=result.session.token, expires_at=result.session.record.expires_at),
        contractor=ContractorSummary(
            license_number=result.contractor.license_number, business_name=result.contractor.business_name
        ),
    )
