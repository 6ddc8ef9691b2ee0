"""Passkeys through the API, with a software authenticator (tests/support/authenticator.py): add
one on My Account's routes, sign in with one. For the handler tests, the bench's scenarios and the
HTTP end-to-end suite alike (anything with ``post(path, body, token=...)``)."""

from typing import Any, Protocol

from tests.support.authenticator import SoftwareAuthenticator
from tests.support.samples import PASSWORD


class Poster(Protocol):
    def post(self, path: str, json_body: Any = None, **kwargs: Any) -> Any: ...


def registration_options(api: Poster, token: str, password: str = PASSWORD) -> dict[str, Any]:
    answer = api.post("/me/passkeys/options", {"current_password": password}, token=token)
    assert answer.status == 200, answer.body
    return dict(answer.json["options"])


def add_passkey(
    api: Poster, token: str, authenticator: SoftwareAuthenticator | None = None, name: str | None = "My laptop"
) -> tuple[SoftwareAuthenticator, Any]:
    """A new passkey on the account (``authenticator``, or a new one): the answer of POST /me/passkeys."""
    authenticator = authenticator or SoftwareAuthenticator()
    credential = authenticator.create(registration_options(api, token))
    body: dict[str, Any] = {"credential": credential}
    if name is not None:
        body["name"] = name
    return authenticator, api.post("/me/passkeys", body, token=token)


def sign_in_options(api: Poster, **kwargs: Any) -> dict[str, Any]:
    answer = api.post("/sessions/passkey/options", {}, **kwargs)
    assert answer.status == 200, answer.body
    return dict(answer.json["options"])


def passkey_sign_in(api: Poster, authenticator: SoftwareAuthenticator, **kwargs: Any) -> Any:
    """A whole passkey sign-in: the options, the authenticator's answer, POST /sessions/passkey."""
    credential = authenticator.get(sign_in_options(api, **kwargs))
    return api.post("/sessions/passkey", {"credential": credential}, **kwargs)
