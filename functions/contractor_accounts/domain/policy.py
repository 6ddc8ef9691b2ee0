"""Every policy value of the contract, in one place.

Values a city may tune per deployment are the defaults of ``settings.Settings`` (which reads
them from here); the rest are fixed by the contract or the standards it cites. Every sentence a
contractor or staff member reads that names a value is built from these, and
``tests/test_policy_values.py`` checks that the documents and web pages state the same values."""

from datetime import datetime, timedelta
from typing import Final

# Passwords (checklist 1, 2, 4).
MIN_PASSWORD_LENGTH: Final = 15
MAX_PASSWORD_LENGTH: Final = 128
# A raw bound before NFKC, so a huge body cannot make normalization or hashing expensive.
MAX_PASSWORD_INPUT_CHARACTERS: Final = 1024
# zxcvbn's top score starts at 10^10 guesses; at 10^8 it still passes "password password".
MIN_GUESSES_LOG10: Final = 10
# The strength estimator's cost is bounded by construction (checklist 32): zxcvbn judges the
# first 72 characters (its own default limit; its scoring is cubic in the length) and tries at
# most 32 l33t substitution tables (zxcvbn 4.5 enumerates up to 736 for symbol-heavy input).
MAX_JUDGED_CHARACTERS: Final = 72
MAX_L33T_SUBSTITUTIONS: Final = 32
# A context word shorter than this (a business called "B") would refuse every password holding it.
MIN_CONTEXT_WORD_LENGTH: Final = 3
MIN_ANSWER_LENGTH: Final = 3
# OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1.
ARGON2_MEMORY_KIB: Final = 19456
ARGON2_TIME_COST: Final = 2
ARGON2_PARALLELISM: Final = 1

# Sign-in lockout (checklist 5): 2^(n-5) seconds after the 5th consecutive failure, capped.
LOCKOUT_THRESHOLD: Final = 5
LOCKOUT_CAP: Final = timedelta(minutes=15)


def lockout_delay(failures: int) -> timedelta:
    """Cognito's progressive delay: 2^(n-5) seconds after the 5th counted failure, capped."""
    if failures < LOCKOUT_THRESHOLD:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(failures - LOCKOUT_THRESHOLD, 20)), LOCKOUT_CAP)


def lock_ends(failures: int, last_failure: datetime | None) -> datetime | None:
    """When the lock after ``failures`` counted failures ends (None: no lock). An attempt
    before then is refused without being counted, so it cannot extend the lock."""
    if last_failure is None or failures < LOCKOUT_THRESHOLD:
        return None
    return last_failure + lockout_delay(failures)


# Trusted devices (checklist 5, OWASP device cookies): a sign-in with a live device token is
# judged by the device's own failures, not by the account's lock.
DEVICE_TOKEN_DAYS: Final = 90
MAX_TRUSTED_DEVICES: Final = 10
# This many failures through one device token revoke it.
DEVICE_MAX_FAILURES: Final = 5
# A sign-in whose write lost to a concurrent one's change of the device map reads it again and
# recomputes, at most this many writes in all (then it fails like any lost race).
START_SESSION_TRIES: Final = 5

# Passkeys (contract v3, checklist 37): WebAuthn challenges live this long, once; an account has at
# most this many passkeys; a passkey's name is at most this long; a credential ID longer than
# this (WebAuthn allows 1023 bytes) is refused, which bounds the account item's size.
PASSKEY_CHALLENGE_MINUTES: Final = 5
MAX_PASSKEYS: Final = 10
MAX_PASSKEY_NAME_LENGTH: Final = 64
MAX_CREDENTIAL_ID_BYTES: Final = 255


# Emailed reset links (checklist 10, 13): answers are counted before they are judged, and a
# link judges at most this many.
MAX_WRONG_ANSWERS: Final = 5

# Bearer tokens: 256 bits (checklist 10, 17).
TOKEN_BYTES: Final = 32

# Workers' compensation: "expiring soon" within this many days.
EXPIRING_SOON_DAYS: Final = 30
# Reminders go this many days before a policy expires, and again on the day it expires.
REMINDER_DAYS_BEFORE_EXPIRY: Final = 30
# The reminder job may be run for a past day (a missed run) this many days back; never ahead.
REMINDER_CATCH_UP_DAYS: Final = 7
# The state board's license (contract v3): reminded this many days before it expires, once per
# expiry date and threshold; a run also catches up the days a missed run left (REMINDER_CATCH_UP_DAYS).
LICENSE_REMINDER_DAYS: Final = (60, 30)

# The state board whose list the city loads, as a contractor is told to reach it.
STATE_BOARD: Final = "the Contractors State License Board (CSLB)"
STATE_BOARD_PHONE: Final = "1-800-321-2752"
# Staff list_pending: at most this many accounts, oldest first.
PENDING_LIST_LENGTH: Final = 100

# Email verification (checklist 30): the emailed link, and how many a contractor may ask for.
VERIFY_TOKEN_HOURS: Final = 24
VERIFICATION_EMAILS_PER_HOUR: Final = 5

# Requests: bodies over this are refused before they are parsed; JSON is parsed within these
# bounds (deeper nesting, longer numbers: 400 invalid_json), so no body can cost a 5xx.
MAX_BODY_BYTES: Final = 16 * 1024
MAX_JSON_DEPTH: Final = 32
MAX_JSON_INTEGER_DIGITS: Final = 20
# Nothing in the API is a fractional number; a longer literal is refused like a long integer.
MAX_JSON_NUMBER_CHARACTERS: Final = 40

# Text fields (names, address lines, carrier, policy number, security answer): at most this
# many characters, and no control or format characters (Unicode Cc, Cf) anywhere.
MAX_NAME_LENGTH: Final = 200
MAX_STREET_LENGTH: Final = 200
MAX_CITY_LENGTH: Final = 100
MAX_CARRIER_LENGTH: Final = 200
MAX_POLICY_NUMBER_LENGTH: Final = 50
MAX_ANSWER_LENGTH: Final = 200
MAX_EMAIL_LENGTH: Final = 254

# A session's last use is written at most once per this many seconds (GET /me and every signed-in
# request read the session; they write only when the stored last use is older). The idle timeout
# counts from the stored last use, so a session ends up to this much BEFORE 30 idle minutes,
# never after.
SESSION_LAST_SEEN_RESOLUTION_SECONDS: Final = 60

# Staff.
MAX_IMPORT_ROWS: Final = 500
AUDIT_SUMMARY_LENGTH: Final = 20
# The account's activity (contract v3): each event is kept this long (TTL), and GET /me/activity
# (and staff ``get``) shows at most this many, newest first.
ACTIVITY_DAYS: Final = 90
ACTIVITY_SHOWN: Final = 50
# The part of a User-Agent header an activity record keeps: enough for the parser's families.
USER_AGENT_KEPT: Final = 256

# Defaults of the per-deployment settings (see settings.Settings).
SESSION_IDLE_MINUTES: Final = 30
SESSION_ABSOLUTE_HOURS: Final = 8
TEMPORARY_PASSWORD_DAYS: Final = 7
CHALLENGE_MINUTES: Final = 15
RESET_TOKEN_MINUTES: Final = 60
RESET_EMAILS_PER_HOUR: Final = 5
SIGN_INS_PER_IP_PER_MINUTE: Final = 30
FORGOT_REQUESTS_PER_IP_PER_MINUTE: Final = 10
REGISTRATIONS_PER_IP_PER_MINUTE: Final = 10
# As in the guide, a registration is active at once unless the city asks staff to approve it.
REQUIRE_STAFF_APPROVAL: Final = False


def duration_words(minutes: int) -> str:
    """A duration as a contractor reads it: "one hour", "2 hours", "30 minutes"."""
    if minutes % 60:
        return "one minute" if minutes == 1 else f"{minutes} minutes"
    hours = minutes // 60
    return "one hour" if hours == 1 else f"{hours} hours"


def size_words(size_bytes: int) -> str:
    """A size as people read it: 16384 is "16 KiB"."""
    return f"{size_bytes // 1024} KiB" if size_bytes % 1024 == 0 else f"{size_bytes} bytes"
