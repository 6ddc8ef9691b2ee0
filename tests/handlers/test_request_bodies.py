"""Every body passes one gate before it is parsed (contract v2, Conventions; checklist 21, 31):
JSON only (415), measured first (413), strict UTF-8 JSON within bounds (400), never a 5xx."""

import base64
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.api import ORIGIN, Api
from tests.support.samples import PASSWORD, registration_body


def test_a_cross_site_text_plain_post_is_415_and_never_counts_as_a_sign_in(api: Api) -> None:
    # Given a contractor, and a page elsewhere that posts text/plain (no CORS preflight)
    assert api.post("/contractors", registration_body()).status == 201
    wrong = json.dumps({"license_number": "1234567", "password": "wrong wrong wrong wrong"})
    # When it posts six wrong sign-ins from the contractor's browser
    for _ in range(6):
        answer = api.post("/sessions", body=wrong, headers={"Content-Type": "text/plain"})
        # Then each is 415 in the envelope, readable by the web client (CORS), and not judged
        assert (answer.status, answer.json["error"]) == (415, "unsupported_media_type")
        assert answer.headers["Access-Control-Allow-Origin"] == ORIGIN
        assert answer.headers["Cache-Control"] == "no-store"
    # And the contractor is not locked out: none of them counted as a failure
    assert api.post("/sessions", {"license_number": "1234567", "password": PASSWORD}).status == 200


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/json-patch+json",
        "application/json; charset=latin-1",
        "text/json",
    ],
)
def test_a_body_that_does_not_say_json_is_415(api: Api, content_type: str | None) -> None:
    # When a well-formed registration_body is sent without Content-Type: application/json
    answer = api.post("/contractors", body=json.dumps(registration_body()), headers={"Content-Type": content_type})
    # Then 415, and no account was created
    assert (answer.status, answer.json["error"]) == (415, "unsupported_media_type"), content_type
    assert api.post("/contractors", registration_body()).status == 201


@pytest.mark.parametrize(
    "content_type", ["application/json; charset=utf-8", "Application/JSON", "application/json;charset=UTF-8"]
)
def test_json_with_parameters_in_any_case_is_accepted(api: Api, content_type: str) -> None:
    answer = api.post("/contractors", body=json.dumps(registration_body()), headers={"Content-Type": content_type})
    assert answer.status == 201, answer.body


def test_requests_without_a_body_and_the_preflight_need_no_content_type(api: Api) -> None:
    token = api.post("/contractors", registration_body()).json["session"]["token"]
    assert api.get("/me", token=token, headers={"Content-Type": None}).status == 200
    preflight = api.request(
        "OPTIONS", "/contractors", headers={"Content-Type": None, "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status == 204
    assert api.delete("/sessions/current", token=token, headers={"Content-Type": None}).status == 204


def test_twenty_kib_of_nested_brackets_is_413_before_parsing(api: Api) -> None:
    # When 20 KiB of "[" is posted (it used to be parsed first: a RecursionError, 500)
    answer = api.post("/sessions", body="[" * 20 * 1024)
    # Then 413
    assert (answer.status, answer.json["error"]) == (413, "payload_too_large")


@pytest.mark.parametrize(
    "body",
    [
        "[" * 8_000 + "]" * 8_000,  # under the size limit, far too deep
        '{"a":' * 33 + "1" + "}" * 33,  # one level too deep
        '{"license_number": ' + "9" * 5000 + "}",  # an integer of 5,000 digits
        '{"license_number": ' + "1" * 21 + "}",  # 21 digits
        '{"license_number": 1e999}',
        '{"license_number": NaN}',
        '{"license_number": Infinity}',
        '{"license_number": -Infinity}',
        '{"license_number": "1234567", "license_number": "7654321", "password": "x"}',
        '{"license_number": "\ud800"}',  # a lone surrogate: not UTF-8
        '{"license_number": ',
    ],
)
def test_bodies_that_are_not_strict_json_are_400(api: Api, body: str) -> None:
    answer = api.post("/sessions", body=body)
    assert (answer.status, answer.json["error"]) == (400, "invalid_json"), body[:40]
    assert answer.headers["Cache-Control"] == "no-store"


def test_json_within_the_bounds_reaches_validation(api: Api) -> None:
    # Nesting of 32 and an integer of 20 digits are JSON the contract accepts: the fields are wrong (422)
    for body in ('{"a":' * 32 + "1" + "}" * 32, '{"license_number": ' + "1" * 20 + "}"):
        answer = api.post("/sessions", body=body)
        assert (answer.status, answer.json["error"]) == (422, "validation_error"), body[:40]


def test_a_base64_encoded_body_is_read_and_its_bytes_must_be_utf8(api: Api) -> None:
    # Given API Gateway passing a body as base64
    encoded = base64.b64encode(json.dumps(registration_body()).encode()).decode()
    # Then it is read as its JSON
    assert api.post("/contractors", body=encoded, is_base64=True).status == 201
    # And bytes that are not UTF-8, or not base64 at all, are 400
    for body in (base64.b64encode(b'{"license_number": "\xff\xfe"}').decode(), "not base64!"):
        answer = api.post("/sessions", body=body, is_base64=True)
        assert (answer.status, answer.json["error"]) == (400, "invalid_json"), body
    # And a large one is measured by its bytes before decoding
    huge = base64.b64encode(b" " * 17_000).decode()
    assert api.post("/sessions", body=huge, is_base64=True).status == 413


# Attacks: arbitrary bytes and JSON through the real handlers (bounded, reproducible examples).
ATTACK = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # one moto table serves every example
)
PATHS = st.sampled_from(
    ["/sessions", "/contractors", "/password/forgot", "/password/reset", "/password/reset/question"]
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=20), inner, max_size=6),
    max_leaves=40,
)


@ATTACK
@given(path=PATHS, data=st.binary(max_size=2048), content_type=st.sampled_from(["application/json", "text/plain", ""]))
def test_property_any_bytes_never_yield_a_5xx(api: Api, path: str, data: bytes, content_type: str) -> None:
    answer = api.post(
        path, body=base64.b64encode(data).decode(), is_base64=True, headers={"Content-Type": content_type}
    )
    assert 400 <= answer.status < 500, (answer.status, answer.body)
    assert answer.json["error"]
    assert answer.headers["Cache-Control"] == "no-store"


@ATTACK
@given(path=PATHS, value=JSON_VALUES | st.dictionaries(st.sampled_from(sorted(registration_body())), JSON_VALUES))
def test_property_any_json_never_yields_a_5xx(api: Api, path: str, value: Any) -> None:
    answer = api.post(path, body=json.dumps(value))
    assert answer.status < 500, (answer.status, answer.body)
