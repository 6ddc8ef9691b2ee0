"""The template Parameters of a local run: one definition for `make run`, the tests and the
OpenAPI document. Plain data, cheap to import (no moto, no boto3)."""

from collections.abc import Sequence

# Where `make run` serves the web client; the API lets exactly these origins call it. The first is
# the web client's origin (contract v3: the emailed links use it), on passkeys' RP ID, localhost
# (WebAuthn refuses IP addresses: 127.0.0.1 serves the pages too, without passkeys).
LOCAL_WEB_ORIGINS = ("http://localhost:8080", "http://127.0.0.1:8080")
LOCAL_PASSKEY_RP_ID = "localhost"


def local_parameters(web_origins: Sequence[str] = LOCAL_WEB_ORIGINS) -> dict[str, str]:
    """Every Parameter infra/template.yaml needs a value for, for a web client at `web_origins`."""
    return {
        "CityName": "City of West Hollywood",
        "StaffPhoneNumber": "(323) 848-6475",
        "AllowedOrigins": ",".join(web_origins),
        "PasskeyRpId": LOCAL_PASSKEY_RP_ID,
        "SenderEmail": "no-reply@permits.example.gov",
        "ResetPageUrl": f"{web_origins[0]}/reset-password.html",
        "VerifyPageUrl": f"{web_origins[0]}/verify-email.html",
        "PortalUrl": f"{web_origins[0]}/",
    }


LOCAL_PARAMETERS = local_parameters()
