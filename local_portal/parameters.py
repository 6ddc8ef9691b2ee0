"""The template Parameters of a local run: one definition for `make run`, the tests and the
OpenAPI document. Plain data, cheap to import (no moto, no boto3)."""

from collections.abc import Sequence

# Where `make run` serves the web client; the API lets exactly these origins call it.
LOCAL_WEB_ORIGINS = ("http://127.0.0.1:8080", "http://localhost:8080")


def local_parameters(web_origins: Sequence[str] = LOCAL_WEB_ORIGINS) -> dict[str, str]:
    """Every Parameter infra/template.yaml needs a value for, for a web client at `web_origins`."""
    return {
        "CityName": "City of West Hollywood",
        "StaffPhoneNumber": "(323) 848-6475",
        "AllowedOrigins": ",".join(web_origins),
        "SenderEmail": "no-reply@permits.example.gov",
        "ResetPageUrl": f"{web_origins[0]}/reset-password.html",
        "VerifyPageUrl": f"{web_origins[0]}/verify-email.html",
        "PortalUrl": f"{web_origins[0]}/",
    }


LOCAL_PARAMETERS = local_parameters()
