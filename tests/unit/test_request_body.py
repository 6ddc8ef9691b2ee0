"""The gate every request body passes (``request_body.vetted``), attacked with arbitrary
bytes, text and JSON: it answers an event Powertools can parse or a 400/413/415, nothing else."""

import base64
import json
from typing import Any

import pytest
from contractor_accounts.domain.errors import DomainError
from contractor_accounts.domain.policy import MAX_BODY_BYTES
from contractor_accounts.http.request_body import is_json_media_type, parse_json, vetted
from hypothesis import example, given, settings
from hypothesis import strategies as st

BOUNDED = settings(max_examples=300, derandomize=True, deadline=None, database=None)
CONTENT_TYPES = st.sampled_from(
    [
        "application/json",
        "application/json; charset=utf-8",
        "APPLICATION/JSON;CHARSET=UTF-8",
        "application/json; charset=latin-1",
        "text/plain",
        "application/x-www-form-urlencoded",
        "",
        "application/json-patch+json",
    ]
) | st.text(max_size=40)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30,
)


def event(
    body: str | None, content_type: str | None, *, is_base64: bool = False, method: str = "POST"
) -> dict[str, Any]:
    headers = {} if content_type is None else {"Content-Type": content_type}
    return {
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "body": body,
        "isBase64Encoded": is_base64,
    }


def outcome(request: dict[str, Any]) -> int:
    """200 when the gate lets the request through (and Powertools' parser then agrees), else
    the refusal's status. Anything but a DomainError escapes and fails the test."""
    try:
        passed = vetted(request)
    except DomainError as refused:
        return refused.status
    if passed.get("body"):
        assert passed["isBase64Encoded"] is False
        assert passed["headers"]["Content-Type"] == "application/json"
        parse_json(passed["body"])  # the resolver's deserializer accepts what the gate let through
    return 200


@BOUNDED
@given(data=st.binary(max_size=MAX_BODY_BYTES + 64), content_type=CONTENT_TYPES)
@example(data=b"[" * 20_000, content_type="application/json")
@example(data=b'{"a": 1, "a": 2}', content_type="application/json")
@example(data=b'{"n": ' + b"9" * 5000 + b"}", content_type="application/json")
@example(data=b"\xff\xfe{}", content_type="application/json")
def test_property_any_bytes_base64_encoded_get_a_4xx_or_pass(data: bytes, content_type: str) -> None:
    status = outcome(event(base64.b64encode(data).decode(), content_type, is_base64=True))
    assert status in {200, 400, 413, 415}
    if len(data) > MAX_BODY_BYTES and is_json_media_type(content_type):
        assert status == 413


@BOUNDED
@given(text=st.text(max_size=600), content_type=CONTENT_TYPES)
@example(text='{"x": "\ud800"}', content_type="application/json")
@example(text="NaN", content_type="application/json")
@example(text="[" * 33 + "]" * 33, content_type="application/json")
def test_property_any_text_gets_a_4xx_or_passes(text: str, content_type: str) -> None:
    status = outcome(event(text, content_type))
    assert status in {200, 400, 413, 415}
    if text and not is_json_media_type(content_type):
        assert status == 415


@BOUNDED
@given(value=JSON_VALUES, depth=st.integers(0, 40))
def test_property_json_within_the_bounds_passes_and_deeper_is_400(value: Any, depth: int) -> None:
    text = "[" * depth + json.dumps(value) + "]" * depth
    status = outcome(event(text, "application/json"))
    assert status in {200, 400}
    nested = _depth(value) + depth
    if nested > 32:
        assert status == 400
    elif status == 400:
        # Within the depth bound, only the number bounds refuse a value json.dumps wrote
        assert _has_long_number(value), text[:80]


def _depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(item) for item in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(item) for item in value.values()), default=0)
    return 0


def _has_long_number(value: Any) -> bool:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return False
    if isinstance(value, int):
        return len(str(abs(value))) > 20
    if isinstance(value, float):
        return len(repr(value)) > 40
    items = value.values() if isinstance(value, dict) else value
    return any(_has_long_number(item) for item in items)


@pytest.mark.parametrize("method", ["GET", "DELETE", "OPTIONS"])
def test_requests_without_a_body_pass_untouched(method: str) -> None:
    request = event(None, None, method=method)
    assert vetted(request) is request
