"""The field types every request (API body or staff event) is built from.

Strict: unknown fields are refused, every string is bounded, identifiers are allow-listed.
The license number is normalized here, once, so every operation sees the same username."""

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, Final, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    StringConstraints,
    Tag,
)

from contractor_accounts.domain.passwords import answer_problem, password_length_problem
from contractor_accounts.domain.policy import (
    MAX_ANSWER_LENGTH,
    MAX_CARRIER_LENGTH,
    MAX_CITY_LENGTH,
    MAX_EMAIL_LENGTH,
    MAX_NAME_LENGTH,
    MAX_PASSKEY_NAME_LENGTH,
    MAX_PASSWORD_INPUT_CHARACTERS,
    MAX_POLICY_NUMBER_LENGTH,
    MAX_STREET_LENGTH,
)
from contractor_accounts.domain.values import MailingAddress as MailingAddressEntity
from contractor_accounts.domain.values import WorkersCompExempt as WorkersCompExemptEntity
from contractor_accounts.domain.values import WorkersCompPolicy as WorkersCompPolicyEntity

SECURITY_QUESTIONS: Final[tuple[str, ...]] = (
    "What was the name of your first pet?",
    "What is the name of the street you grew up on?",
    "What was the make and model of your first vehicle?",
    "In what city was your first job?",
    "What is the middle name of your oldest sibling?",
    "What was the name of your elementary school?",
    "What is the name of the first company you worked for?",
)

_LICENSE_SEPARATORS: Final = re.compile(r"[\s-]+")
_LICENSE_SHAPE: Final = re.compile(r"^[0-9]{1,8}$", re.ASCII)


def normalize_license(value: object) -> object:
    """Trim, drop spaces, hyphens and leading zeros: " 012-3456 " is "123456". All zeros stay
    zeros (and are refused)."""
    if isinstance(value, str):
        compact = _LICENSE_SEPARATORS.sub("", value)
        return compact.lstrip("0") or compact
    return value


def _license_shape(value: str) -> str:
    if not _LICENSE_SHAPE.match(value) or value.strip("0") == "":
        raise ValueError("Enter your California contractor license number: 1 to 8 digits, not all zeros.")
    return value


# One allow-list rule for every text field: letters, marks, digits, punctuation, symbols and
# spaces (Zs). Everything else is refused: control (Cc: NUL, tabs, line breaks) and format (Cf:
# bidi overrides such as U+202E, zero-width characters) characters, line and paragraph
# separators (Zl, Zp), private-use, surrogate and unassigned code points. Invisible text a
# contractor never means to type is a way to make a name read differently in an email or on a
# staff screen, or look blank.
_ALLOWED_CATEGORIES: Final = frozenset(
    {"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No"}
    | {"Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs"}
)
# Allowed by category, yet drawn as nothing: the Hangul fillers, the Braille blank and the
# combining grapheme joiner (contract v3).
INVISIBLE_FILLERS: Final = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")


def refused_character(value: str) -> str | None:
    """The first character of ``value`` no text field may hold, or None."""
    return next(
        (char for char in value if unicodedata.category(char) not in _ALLOWED_CATEGORIES or char in INVISIBLE_FILLERS),
        None,
    )


def _plain(value: object) -> object:
    # Before stripping: a line break at either end is refused too, not silently dropped.
    if isinstance(value, str) and refused_character(value) is not None:
        raise ValueError("Remove line breaks, tabs and invisible characters from this field.")
    return value


def _line(max_length: int) -> StringConstraints:
    """A required line of text of at most ``max_length`` characters."""
    return StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length)


LicenseNumber = Annotated[
    str,
    BeforeValidator(normalize_license),
    StringConstraints(max_length=64),
    AfterValidator(_license_shape),
]


def _security_question(value: str) -> str:
    if value not in SECURITY_QUESTIONS:
        raise ValueError("Choose one of the questions from GET /security-questions.")
    return value


def _password_length(value: str) -> str:
    problem = password_length_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _answer(value: str) -> str:
    problem = answer_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _phone(value: str) -> str:
    if not re.fullmatch(r"[0-9+()\-. x]+", value) or sum(char.isdigit() for char in value) < 7:
        raise ValueError("Enter a phone number with at least 7 digits, like 323-555-0100.")
    return value


def _email(value: str) -> str:
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise ValueError("Enter an email address like name@example.com.")
    return value


def _state(value: str) -> str:
    if not re.fullmatch(r"[A-Z]{2}", value):
        raise ValueError("Enter the two-letter state code, like CA.")
    return value


def _postal_code(value: str) -> str:
    if not re.fullmatch(r"[0-9]{5}(-[0-9]{4})?", value):
        raise ValueError("Enter a 5-digit ZIP code, like 90069 (or ZIP+4, like 90069-1234).")
    return value


# Messages a contractor can act on, for the errors pydantic itself raises (by error type).
_FRIENDLY: Final[dict[str, str]] = {
    "missing": "This field is required.",
    "extra_forbidden": "This field is not allowed.",
    "string_type": "Enter text here.",
    "date_type": "Enter a date as YYYY-MM-DD, like 2027-06-30.",
    "date_parsing": "Enter a date as YYYY-MM-DD, like 2027-06-30.",
    "date_from_datetime_parsing": "Enter a date as YYYY-MM-DD, like 2027-06-30.",
    "date_from_datetime_inexact": "Enter a date as YYYY-MM-DD, like 2027-06-30.",
    "model_type": "A JSON object is expected here.",
    "model_attributes_type": "A JSON object is expected here.",
    "dict_type": "A JSON object is expected here.",
    "list_type": "A list is expected here.",
    "union_tag_invalid": "This value is not one of the accepted kinds.",
}


def field_message(error: Mapping[str, Any]) -> str:
    """What to tell a contractor about one pydantic error."""
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind in _FRIENDLY:
        return _FRIENDLY[kind]
    if kind == "string_too_short":
        minimum = context.get("min_length", 1)
        return "This field is required." if minimum == 1 else f"Use at least {minimum} characters."
    if kind == "string_too_long":
        return f"Use at most {context.get('max_length')} characters."
    if kind == "literal_error" and error.get("loc", ())[-1:] == ("exempt",):
        return 'Send {"exempt": true}, or the carrier, policy number and expiration date instead.'
    if kind == "literal_error":
        return f"Use one of: {context.get('expected')}."
    if kind == "value_error":
        return str(error.get("msg", "")).removeprefix("Value error, ")
    return "This value is not valid."


# Raw bound before normalization keeps hashing cost bounded; the policy counts code points.
Password = Annotated[str, StringConstraints(max_length=MAX_PASSWORD_INPUT_CHARACTERS), AfterValidator(_password_length)]
SecurityQuestion = Annotated[str, StringConstraints(max_length=200), AfterValidator(_security_question)]
SecurityAnswer = Annotated[
    str, StringConstraints(max_length=MAX_ANSWER_LENGTH), BeforeValidator(_plain), AfterValidator(_answer)
]
Token = Annotated[str, StringConstraints(min_length=1, max_length=200)]
# Text fields: one line each, no control or format characters, bounded (policy.py). The
# BeforeValidator comes after the constraints so pydantic keeps its own length errors.
Text = Annotated[str, _line(MAX_NAME_LENGTH), BeforeValidator(_plain)]  # business and contact names
Street = Annotated[str, _line(MAX_STREET_LENGTH), BeforeValidator(_plain)]
PasskeyName = Annotated[str, _line(MAX_PASSKEY_NAME_LENGTH), BeforeValidator(_plain)]  # contract v3
City = Annotated[str, _line(MAX_CITY_LENGTH), BeforeValidator(_plain)]
Carrier = Annotated[str, _line(MAX_CARRIER_LENGTH), BeforeValidator(_plain)]
PolicyNumber = Annotated[str, _line(MAX_POLICY_NUMBER_LENGTH), BeforeValidator(_plain)]
EmailAddress = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=MAX_EMAIL_LENGTH),
    BeforeValidator(_plain),
    AfterValidator(_email),
]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, max_length=30), AfterValidator(_phone)]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MailingAddress(StrictModel):
    street: Street
    city: City
    state: Annotated[
        str, StringConstraints(strip_whitespace=True, to_upper=True, max_length=20), AfterValidator(_state)
    ]
    postal_code: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20), AfterValidator(_postal_code)]

    def to_entity(self) -> MailingAddressEntity:
        return MailingAddressEntity(self.street, self.city, self.state, self.postal_code)


class WorkersCompExempt(StrictModel):
    exempt: Literal[True]

    def to_entity(self) -> WorkersCompExemptEntity:
        return WorkersCompExemptEntity()


class WorkersCompPolicy(StrictModel):
    carrier: Carrier
    policy_number: PolicyNumber
    expires_on: date

    def to_entity(self) -> WorkersCompPolicyEntity:
        return WorkersCompPolicyEntity(self.carrier, self.policy_number, self.expires_on)


def _workers_comp_form(value: Any) -> str:
    if isinstance(value, dict) and "exempt" in value:
        return "WorkersCompExempt"
    if isinstance(value, WorkersCompExempt):
        return "WorkersCompExempt"
    return "WorkersCompPolicy"


# Either {"exempt": true} or the policy; the tag picks which, so errors name the right fields.
WorkersComp = Annotated[
    Annotated[WorkersCompExempt, Tag("WorkersCompExempt")] | Annotated[WorkersCompPolicy, Tag("WorkersCompPolicy")],
    Discriminator(_workers_comp_form),
]
