"""The one gate every request passes before Powertools parses it (contract: Conventions).

A body must say ``Content-Type: application/json`` (415 otherwise: a cross-site page cannot
send one without a CORS preflight), is measured before it is decoded or parsed (413), must be
UTF-8 (base64 too, as API Gateway passes binary bodies) and JSON within bounds: nesting, number
lengths, no ``NaN``/``Infinity``, no duplicate keys (400 otherwise). Nothing here can raise
anything but a ``DomainError``, so no body yields a 5xx."""

import base64
import binascii
import json
import math
import re
from collections.abc import Mapping
from typing import Any, Final, NoReturn

from contractor_accounts.domain.errors import InvalidJson, PayloadTooLarge, UnsupportedMediaType
from contractor_accounts.domain.policy import (
    MAX_BODY_BYTES,
    MAX_JSON_DEPTH,
    MAX_JSON_INTEGER_DIGITS,
    MAX_JSON_NUMBER_CHARACTERS,
)

JSON_MEDIA_TYPE: Final = "application/json"
# Base64 of MAX_BODY_BYTES bytes is at most this long: longer is too large before decoding.
_MAX_BASE64_CHARACTERS: Final = 4 * ((MAX_BODY_BYTES + 2) // 3)
# What the depth scan looks at: brackets, and the quotes and escapes that tell strings apart.
_STRUCTURAL: Final = re.compile(r'[\[\]{}"\\]')


class _Refused(ValueError):
    """A JSON text the contract refuses although Python's parser would take it."""


def header(event: Mapping[str, Any], name: str) -> str | None:
    """A request header by case-insensitive name (API Gateway keeps the client's spelling)."""
    wanted = name.lower()
    for found, value in (event.get("headers") or {}).items():
        if str(found).lower() == wanted and value is not None:
            return str(value)
    for found, values in (event.get("multiValueHeaders") or {}).items():
        if str(found).lower() == wanted and values:
            return str(values[-1])
    return None


def is_json_media_type(content_type: str | None) -> bool:
    """``application/json``, in any case, with parameters; a charset other than UTF-8 is not
    JSON as the contract means it (JSON in, UTF-8)."""
    if content_type is None:
        return False
    media_type, *parameters = (part.strip().lower() for part in content_type.split(";"))
    if media_type != JSON_MEDIA_TYPE:
        return False
    pairs = (parameter.partition("=") for parameter in parameters)
    charsets = [value.strip().strip('"') for key, _, value in pairs if key.strip() == "charset"]
    return all(charset in {"utf-8", "utf8"} for charset in charsets)


def _refuse(_: object = None) -> NoReturn:
    raise _Refused


def _integer(literal: str) -> int:
    if len(literal.lstrip("-")) > MAX_JSON_INTEGER_DIGITS:
        _refuse()
    return int(literal)


def _number(literal: str) -> float:
    if len(literal) > MAX_JSON_NUMBER_CHARACTERS:
        _refuse()
    value = float(literal)
    if not math.isfinite(value):  # 1e999
        _refuse()
    return value


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    unique = dict(pairs)
    if len(unique) != len(pairs):
        _refuse()
    return unique


def _check_depth(text: str) -> None:
    """Refuses nesting deeper than MAX_JSON_DEPTH before the (recursive) parser sees it; one
    linear pass over the structural characters."""
    depth, in_string, escaped_until = 0, False, -1
    for match in _STRUCTURAL.finditer(text):
        position, character = match.start(), match.group()
        if position < escaped_until:
            continue
        if in_string:
            if character == "\\":
                escaped_until = position + 2
            elif character == '"':
                in_string = False
        elif character == '"':
            in_string = True
        elif character in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                _refuse()
        elif character in "]}":
            depth -= 1


def parse_json(text: str) -> Any:
    """Strict JSON: what ``json.loads`` takes, less what the contract refuses. InvalidJson otherwise."""
    try:
        _check_depth(text)
        return json.loads(
            text,
            parse_int=_integer,
            parse_float=_number,
            parse_constant=_refuse,
            object_pairs_hook=_object,
        )
    except (ValueError, RecursionError) as error:  # JSONDecodeError and _Refused are ValueErrors
        raise InvalidJson from error


def _body_bytes(event: Mapping[str, Any], body: str) -> bytes:
    """The body's bytes, measured before anything costly is done with them."""
    if event.get("isBase64Encoded"):
        if len(body) > _MAX_BASE64_CHARACTERS:
            raise PayloadTooLarge
        try:
            data = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError) as error:
            raise InvalidJson from error
    else:
        if len(body) > MAX_BODY_BYTES:  # every character is at least a byte
            raise PayloadTooLarge
        try:
            data = body.encode("utf-8")
        except UnicodeEncodeError as error:  # a lone surrogate
            raise InvalidJson from error
    if len(data) > MAX_BODY_BYTES:
        raise PayloadTooLarge
    return data


def vetted(event: dict[str, Any]) -> dict[str, Any]:
    """The event as Powertools may parse it: a JSON body as UTF-8 text, declared as JSON.
    Raises UnsupportedMediaType, PayloadTooLarge or InvalidJson. A request without a body
    (GET, DELETE) and the CORS preflight pass untouched."""
    body = event.get("body")
    if event.get("httpMethod") == "OPTIONS" or body is None or body == "":
        return event
    if not isinstance(body, str) or not is_json_media_type(header(event, "Content-Type")):
        raise UnsupportedMediaType
    data = _body_bytes(event, body)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidJson from error
    parse_json(text)
    return {
        **event,
        "body": text,
        "isBase64Encoded": False,
        "headers": {**_without_content_type(event.get("headers")), "Content-Type": JSON_MEDIA_TYPE},
        "multiValueHeaders": {
            **_without_content_type(event.get("multiValueHeaders")),
            "Content-Type": [JSON_MEDIA_TYPE],
        },
    }


def _without_content_type(headers: Mapping[str, Any] | None) -> dict[str, Any]:
    return {name: value for name, value in (headers or {}).items() if name.lower() != "content-type"}
