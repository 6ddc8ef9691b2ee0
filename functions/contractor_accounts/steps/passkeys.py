"""The relying party passkeys belong to, from the deployment's settings (contract v3): the RP ID
and the allowed web origins on it; refused until the site's final domain is configured."""

from contractor_accounts.domain.errors import PasskeysNotOffered
from contractor_accounts.ports.webauthn import RelyingParty
from contractor_accounts.settings import Settings


def relying_party(settings: Settings) -> RelyingParty:
    """PasskeysNotOffered (404) while passkeys are not offered: an RP ID is for ever."""
    if not settings.passkeys_offered:
        raise PasskeysNotOffered
    return RelyingParty(settings.passkey_rp_id, f"{settings.city_name} permits", settings.passkey_origins)
