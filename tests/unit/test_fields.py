"""The field types (contract v2: license numbers without leading zeros; text fields refuse
control and format characters and are bounded; checklist 20, 32)."""

import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from contractor_accounts.domain import policy
from contractor_accounts.http.fields import INVISIBLE_FILLERS, LicenseNumber, field_message, refused_character
from contractor_accounts.http.schemas import RegistrationRequest
from contractor_accounts.http.staff_events import ImportRow
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from tests.support.samples import registration_body

README = Path(__file__).resolve().parents[2] / "README.md"
LICENSE = TypeAdapter(LicenseNumber)
# Property tests: bounded and reproducible (the same examples on every run).
BOUNDED = settings(max_examples=200, derandomize=True, deadline=None, database=None)


def fields_refused(body: dict[str, Any], model: type[Any] = RegistrationRequest) -> dict[str, str]:
    try:
        model.model_validate(body)
    except ValidationError as error:
        return {
            # Union members appear in loc as their model's name; the API leaves them out too.
            ".".join(str(part) for part in problem["loc"] if not str(part)[:1].isupper()): field_message(problem)
            for problem in error.errors()
        }
    return {}


# License numbers.


@pytest.mark.parametrize("typed", ["0123456", "123456", " 12-3456 ", "00-12 3456", "000000123456"])
def test_given_leading_zeros_spaces_or_hyphens_then_the_same_license(typed: str) -> None:
    assert LICENSE.validate_python(typed) == "123456"


@pytest.mark.parametrize("typed", ["0", "0000", "00-00", "000000000"])
def test_given_all_zeros_then_refused_saying_so(typed: str) -> None:
    with pytest.raises(ValidationError, match="not all zeros"):
        LICENSE.validate_python(typed)


@BOUNDED
@given(
    digits=st.integers(min_value=1, max_value=99_999_999), zeros=st.integers(0, 6), separators=st.text(" -", max_size=3)
)
def test_property_any_typing_of_a_license_normalizes_to_its_number(digits: int, zeros: int, separators: str) -> None:
    # Given a license number typed with leading zeros, spaces and hyphens around and inside
    number = str(digits)
    middle = len(number) // 2
    typed = f"{separators}{'0' * zeros}{number[:middle]}{separators}{number[middle:]}{separators}"
    # Then it is the number itself: one account whatever the typing
    assert LICENSE.validate_python(typed) == number


@BOUNDED
@given(st.text(max_size=80))
@example("0")
@example("٣٤٥")  # Arabic-Indic digits are digits to Python, not to the CSLB
def test_property_a_license_is_ascii_digits_without_a_leading_zero_or_refused(typed: str) -> None:
    try:
        license_number = LICENSE.validate_python(typed)
    except ValidationError:
        return
    assert re.fullmatch(r"[1-9][0-9]{0,7}", license_number), license_number
    assert LICENSE.validate_python(license_number) == license_number  # normalizing is idempotent


# Text fields.

TEXT_FIELDS: list[tuple[str, Any]] = [
    ("business_name", lambda v: {"business_name": v}),
    ("contact_name", lambda v: {"contact_name": v}),
    ("mailing_address.street", lambda v: {"mailing_address": {**registration_body()["mailing_address"], "street": v}}),
    ("mailing_address.city", lambda v: {"mailing_address": {**registration_body()["mailing_address"], "city": v}}),
    ("workers_comp.carrier", lambda v: {"workers_comp": {**registration_body()["workers_comp"], "carrier": v}}),
    (
        "workers_comp.policy_number",
        lambda v: {"workers_comp": {**registration_body()["workers_comp"], "policy_number": v}},
    ),
    ("security_answer", lambda v: {"security_answer": v}),
]
ATTACKS = [
    "URGENT\nPay at https://pay.example",
    "Maria\r\nBcc: x@example.com",
    "Maria\x00Lopez",
    "Maria\tLopez",
    "Maria \u202eztipoL",  # right-to-left override
    "Ma\u200bria",  # zero-width space
    "Maria\ufeff",  # zero-width no-break space (BOM)
    "Maria\u2066Lopez",  # left-to-right isolate
    "Maria\n",  # not stripped away: refused
    "Maria\u2028Lopez",  # line separator (Zl)
    "Maria\u2029Lopez",  # paragraph separator (Zp)
    "\u3164",  # Hangul filler: a business name that looks blank
    "Sunset\u115fBuilders",  # Hangul choseong filler
    "Sunset\u1160Builders",  # Hangul jungseong filler
    "Sunset\uffa0Builders",  # halfwidth Hangul filler
    "Sunset\u2800Builders",  # Braille blank
    "Sunset\u034fBuilders",  # combining grapheme joiner
    "Sunset\ue000Builders",  # private use
]


@pytest.mark.parametrize(("field", "body"), TEXT_FIELDS)
@pytest.mark.parametrize("attack", ATTACKS)
def test_given_control_or_format_characters_in_a_text_field_then_refused_naming_it(
    field: str, body: Any, attack: str
) -> None:
    refused = fields_refused(registration_body(**body(attack)))
    assert "line breaks" in refused[field], refused


@pytest.mark.parametrize("attack", ATTACKS)
def test_given_control_or_format_characters_in_a_staff_import_row_then_refused(attack: str) -> None:
    refused = fields_refused(
        {"license_number": "7654321", "business_name": attack, "contact_name": attack, "email": f"a{attack}@b.example"},
        ImportRow,
    )
    assert {"business_name", "contact_name", "email"} <= set(refused), refused


def test_given_accents_apostrophes_and_ampersands_then_text_is_accepted() -> None:
    body = registration_body(business_name="Peña & Sons' Construcción", contact_name="José Ñúñez-O'Brien")
    assert fields_refused(body) == {}


def test_given_other_scripts_and_spaces_then_text_is_accepted() -> None:
    # Given names in Korean (real Hangul, not the fillers), Chinese, Vietnamese and a no-break space
    body = registration_body(business_name="한국 건설 株式会社", contact_name="Nguyễn\u00a0Văn An")
    # Then the allow-list keeps them
    assert fields_refused(body) == {}


def test_passwords_are_not_text_fields_any_character_is_allowed() -> None:
    # The contract: "any characters". A password is only hashed, never shown, mailed or logged.
    password = "tab\there NUL\x00 zero\u200bwidth \u202e and more words"
    assert fields_refused(registration_body(password=password)) == {}


def _limits_in_readme() -> dict[str, int]:
    section = README.read_text().split("### Field limits", 1)[1].split("\n## ", 1)[0]
    return {name: int(limit) for name, limit in re.findall(r"^\| `([\w.]+)` \| (\d+) \|", section, re.MULTILINE)}


def _limits_in_schema() -> dict[str, int]:
    schema = RegistrationRequest.model_json_schema()
    definitions = schema["$defs"]
    found = {name: spec["maxLength"] for name, spec in schema["properties"].items() if "maxLength" in spec}
    for prefix, model in (("mailing_address", "MailingAddress"), ("workers_comp", "WorkersCompPolicy")):
        found |= {
            f"{prefix}.{name}": spec["maxLength"]
            for name, spec in definitions[model]["properties"].items()
            if "maxLength" in spec
        }
    return found


def test_the_documented_maximum_lengths_are_the_codes() -> None:
    documented = _limits_in_readme()
    assert documented, "README.md has no Field limits table"
    schema = _limits_in_schema()
    assert {name: schema[name] for name in documented} == documented
    assert {
        "business_name",
        "contact_name",
        "security_answer",
        "mailing_address.street",
        "mailing_address.city",
        "workers_comp.carrier",
        "workers_comp.policy_number",
    } <= set(documented)


@pytest.mark.parametrize(("field", "body"), TEXT_FIELDS)
def test_given_a_text_field_over_its_limit_then_the_message_states_the_limit(field: str, body: Any) -> None:
    limit = _limits_in_schema()[field]
    refused = fields_refused(registration_body(**body("x" * (limit + 1))))
    assert refused[field] == f"Use at most {limit} characters."


@BOUNDED
@given(st.text(max_size=60))
@example("Maria\u202e")
@example("\x85")  # NEL: a control character Python also calls whitespace
@example("Maria\u2028")
@example("\u3164")
def test_property_a_text_field_never_holds_a_control_or_format_character(typed: str) -> None:
    refused = fields_refused(registration_body(contact_name=typed))
    if "contact_name" in refused:
        return
    # Then what was accepted is clean, and nothing but surrounding whitespace was changed
    accepted = RegistrationRequest.model_validate(registration_body(contact_name=typed)).contact_name
    assert refused_character(accepted) is None
    assert all(unicodedata.category(char) not in {"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"} for char in typed)
    assert not set(typed) & INVISIBLE_FILLERS
    assert accepted == typed.strip()
    assert 1 <= len(accepted) <= policy.MAX_NAME_LENGTH
