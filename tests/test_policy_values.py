"""Every document and page that states a policy value states the one in the code.

The code's values live in ``contractor_accounts.policy`` (and the settings' defaults, which
read it). A sentence that names a value is matched here by what it says, so a document that
drifts (10^8 where the code says 10^10, "one hour" where the link lasts two) fails."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from contractor_accounts.domain import policy
from contractor_accounts.domain.policy import duration_words

from local_portal.template import DEFAULT_TEMPLATE, parse_template

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted(
    [ROOT / "README.md", *ROOT.glob("docs/*.md"), *ROOT.glob("web/*.html"), *ROOT.glob("web/*.js")],
)
LINK_LIFETIME = duration_words(policy.RESET_TOKEN_MINUTES)

# (what, pattern whose groups are the stated value, the value in the code)
CLAIMS: list[tuple[str, str, Callable[[str], bool]]] = [
    ("strength threshold", r"10\^(\d+)", lambda value: int(value) == policy.MIN_GUESSES_LOG10),
    (
        "password length range",
        r"\b(\d+)\s*(?:\u2013|-|to)\s*(\d+)\s+(?:code points|characters)",
        lambda value: value == f"{policy.MIN_PASSWORD_LENGTH}-{policy.MAX_PASSWORD_LENGTH}",
    ),
    (
        "password minimum",
        r"(?i)(?:password[^.\n]{0,40}|password-hint\">)at least (\d+) characters",
        lambda value: int(value) == policy.MIN_PASSWORD_LENGTH,
    ),
    (
        "answer minimum",
        r"(?i)answer[^.\n]{0,40}at least (\d+) characters",
        lambda value: int(value) == policy.MIN_ANSWER_LENGTH,
    ),
    ("idle timeout", r"(?i)(\d+) min(?:utes)? idle|idle (?:timeout )?(?:of )?(\d+) min", lambda v: int(v) == 30),
    ("absolute timeout", r"(?i)(\d+) h(?:ours)? absolute|absolute (?:timeout )?(?:of )?(\d+) h", lambda v: int(v) == 8),
    ("temporary password", r"(?i)temporary password[^.\n]{0,60}?(\d+) days", lambda v: int(v) == 7),
    ("temporary password", r"(?i)valid for (\d+) days", lambda v: int(v) == 7),
    ("challenge", r"(?i)(\d+)[- ]min(?:ute)? challenge|challenge (\d+) min", lambda v: int(v) == 15),
    (
        "reset link lifetime",
        r"(?i)link[^.\n]{0,40}?works for (one hour|\d+ (?:minutes|hours))|reset link (\d+ h|one hour)|reset (1 h)",
        lambda v: v in {LINK_LIFETIME, f"{policy.RESET_TOKEN_MINUTES // 60} h"},
    ),
    ("reset emails an hour", r"(?i)(\d+) (?:reset )?emails (?:per|an|a) hour", lambda v: int(v) == 5),
    ("reset emails an hour", r"(?i)at most (\d+) emails per license", lambda v: int(v) == 5),
    ("wrong answers", r"(?i)(\d+) wrong (?:security )?answers", lambda v: int(v) == policy.MAX_WRONG_ANSWERS),
    ("lockout threshold", r"(?i)after (\d+) (?:consecutive )?(?:failures|wrong passwords)", lambda v: int(v) == 5),
    ("lockout cap", r"(?i)capped at (\d+) min|up to\s+(\d+) minutes", lambda v: int(v) == 15),
    (
        "trusted devices per account",
        r"(?i)at most (\d+)(?=,? (?:per account|each|trusted|\d+ days))",
        lambda v: int(v) == policy.MAX_TRUSTED_DEVICES,
    ),
    ("device token lifetime", r"(?i)device[^.\n]{0,120}?(\d+) days", lambda v: int(v) == policy.DEVICE_TOKEN_DAYS),
    (
        "device failures",
        r"(?i)(\d+) (?:failures )?revoke it|dead after (\d+) failures|after (\d+)\s+wrong\s+passwords\s+through\s+it",
        lambda v: int(v) == policy.DEVICE_MAX_FAILURES,
    ),
    ("body limit", r"(?i)body[^.\n]{0,40}?(\d+) KiB", lambda v: int(v) * 1024 == policy.MAX_BODY_BYTES),
    ("expiring soon", r"(?i)expires within (\d+) days|within (\d+) days\)", lambda v: int(v) == 30),
    ("argon2 memory", r"m=(\d+)", lambda v: int(v) == policy.ARGON2_MEMORY_KIB),
    ("argon2 time cost", r"\bt=(\d+)", lambda v: int(v) == policy.ARGON2_TIME_COST),
    ("argon2 parallelism", r"\bp=(\d+)", lambda v: int(v) == policy.ARGON2_PARALLELISM),
    ("per-address sign-ins", r"(?i)(\d+) sign-ins", lambda v: int(v) == policy.SIGN_INS_PER_IP_PER_MINUTE),
    (
        "confirmation link lifetime",
        r"(?i)confirmation links? work (?:for )?(\d+) hours|confirmation link[^.\n]{0,30}\(valid (\d+) hours",
        lambda v: int(v) == policy.VERIFY_TOKEN_HOURS,
    ),
    (
        "confirmation links an hour",
        r"(?i)at most (\d+) links per hour",
        lambda v: int(v) == policy.VERIFICATION_EMAILS_PER_HOUR,
    ),
    ("reminder days", r"(?i)expires in (\d+) days", lambda v: int(v) == policy.REMINDER_DAYS_BEFORE_EXPIRY),
    ("reminder catch-up", r"(?i)of the last (\d+) days", lambda v: int(v) == policy.REMINDER_CATCH_UP_DAYS),
    (
        "per-address forgot requests",
        r"(?i)(\d+) forgot(?:-password)? requests",
        lambda v: int(v) == policy.FORGOT_REQUESTS_PER_IP_PER_MINUTE,
    ),
    (
        "per-address registrations",
        r"(?i)(\d+) registrations",
        lambda v: int(v) == policy.REGISTRATIONS_PER_IP_PER_MINUTE,
    ),
    ("judged prefix", r"(?i)first (\d+) characters", lambda v: int(v) == policy.MAX_JUDGED_CHARACTERS),
    # The web client's copies of the policy (web/sign-in-help.js, web/idle.js).
    ("client lockout threshold", r"LOCKOUT_THRESHOLD = (\d+)", lambda v: int(v) == policy.LOCKOUT_THRESHOLD),
    (
        "client lockout cap",
        r"LOCKOUT_CAP_MINUTES = (\d+)",
        lambda v: int(v) * 60 == policy.LOCKOUT_CAP.total_seconds(),
    ),
    ("client idle minutes", r"SESSION_IDLE_MINUTES = (\d+)", lambda v: int(v) == policy.SESSION_IDLE_MINUTES),
    (
        "client last-use resolution",
        r"LAST_USE_RESOLUTION_SECONDS = (\d+)",
        lambda v: int(v) == policy.SESSION_LAST_SEEN_RESOLUTION_SECONDS,
    ),
    ("l33t tables", r"(?i)at most (\d+) l33t", lambda v: int(v) == policy.MAX_L33T_SUBSTITUTIONS),
    (
        "JSON depth",
        r"(?i)nested at most (\d+) deep|nesting deeper than (\d+)",
        lambda v: int(v) == policy.MAX_JSON_DEPTH,
    ),
    (
        "JSON integers",
        r"(?i)integers? of (?:at most|more than) (\d+) digits",
        lambda v: int(v) == policy.MAX_JSON_INTEGER_DIGITS,
    ),
]


def _statements() -> list[tuple[str, str, int, str, bool]]:
    found = []
    for document in DOCUMENTS:
        for number, line in enumerate(document.read_text(encoding="utf-8").splitlines(), start=1):
            for what, pattern, agrees in CLAIMS:
                for match in re.finditer(pattern, line):
                    stated = "-".join(group for group in match.groups() if group)
                    where = f"{document.relative_to(ROOT)}:{number}"
                    found.append((what, where, number, stated, agrees(stated)))
    return found


def test_every_stated_policy_value_is_the_one_in_the_code() -> None:
    statements = _statements()
    wrong = [f"{where}: {what} stated as {stated!r}" for what, where, _, stated, agrees in statements if not agrees]
    assert wrong == []


@pytest.mark.parametrize(
    "what",
    [
        "strength threshold",
        "password minimum",
        "reset link lifetime",
        "lockout cap",
        "argon2 memory",
        "body limit",
        "confirmation link lifetime",
        "confirmation links an hour",
        "reminder days",
        "reminder catch-up",
        "client lockout threshold",
        "client lockout cap",
        "client idle minutes",
        "client last-use resolution",
    ],
)
def test_the_documents_do_state_the_main_values(what: str) -> None:
    # Guards the guard: a pattern that no longer matches anything would pass vacuously.
    assert any(found_what == what for found_what, *_ in _statements())


def test_the_template_defaults_are_the_policy_defaults() -> None:
    parameters = parse_template(DEFAULT_TEMPLATE.read_text(encoding="utf-8"))["Parameters"]
    assert int(parameters["SignInsPerAddressPerMinute"]["Default"]) == policy.SIGN_INS_PER_IP_PER_MINUTE
    assert int(parameters["ForgotRequestsPerAddressPerMinute"]["Default"]) == policy.FORGOT_REQUESTS_PER_IP_PER_MINUTE
    assert int(parameters["RegistrationsPerAddressPerMinute"]["Default"]) == policy.REGISTRATIONS_PER_IP_PER_MINUTE


def test_a_drifted_document_would_fail() -> None:
    # Given a sentence stating a value the code does not have, the claims catch it.
    for line in (
        "refuses < 10^8 guesses",
        "The link works for 2 hours.",
        "capped at 20 min",
        "a body over 32 KiB",
        "Confirmation links work for 48 hours",
        "a policy that expires in 14 days",
    ):
        assert any(
            not agrees("-".join(g for g in match.groups() if g))
            for _, pattern, agrees in CLAIMS
            for match in re.finditer(pattern, line)
        ), line
