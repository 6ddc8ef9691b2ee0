"""The contractor accounts service shared by every Lambda function (``functions/*/app.py``).

The layers, inside out (``tests/test_architecture.py`` checks who may import whom):

    domain/          the rules, pure (no I/O, nothing of ours outside domain/)
      policy.py        every policy value: lifetimes, limits, thresholds, sizes, the lockout delays
      errors.py        domain errors, each with its HTTP status and machine code
      values.py        value objects: the mailing address, workers' compensation
      entities.py      the account, its trusted devices, its tokens, its audit trail
      requests.py      what a contractor or staff asks for (validated by http/schemas.py)
      changes.py       what the store writes at once, with the conditions on what was read
      results.py       what the use cases give back
      lockout.py       THE LOCKOUT RULE: when sign-in is locked; trusted devices past the lock
      passwords.py     the password and security-answer policy (length, guessability, context)
      tokens.py        bearer tokens and temporary passwords: made, hashed, still valid
      workers_comp.py  workers' compensation status and the city's "today"
      passkeys.py      passkey challenges, the random user handle, what a passkey sign-in or addition writes
      contact.py       a change of contact details
      state_license.py the state board's record of a license (CSLB), the business-name comparison
      search.py        what staff ``find`` matches: the searchable fields and their search keys
      license_check.py what registration and the early check make of it (StateLicenseCheck)
      license_rows.py  a row of CSLB's license file read by its header names; the row's digest
      emails.py        the emails' text, rendered from email_templates/
      activity.py      THE ACCOUNT'S ACTIVITY: its events, which send a notice, staff actions shown
      notices.py       the notices' words (what happened, when, which browser, what to do)
      browsers.py      the browser named from a fixed vocabulary (ua-parser, imported lazily)

    ports/           the interfaces the use cases are handed (Protocols, no code)
      store.py         ContractorStore: the accounts, their tokens and history, in the domain's words
      staff_writes.py  StaffWrites: staff's writes, part of ContractorStore
      request_counters.py  RequestCounters: the per-address request counts
      reminder_log.py  ReminderLog: the workers' comp reminders sent (claimed before sending)
      license_records.py   LicenseRecords: the state board's license list (read; the import writes)
      license_checks.py    LicenseChecks: the account with its license, the pending list, expiring licenses
      license_import.py    the import's file lines, its state between invocations, its writes
      mailer.py        Mailer          hasher.py   Hasher (argon2id)
      clock.py         Clock           reset_requests.py   the forgot-password queue
      passkeys.py      PasskeyStore: passkeys, their challenges, the account of a user handle
      webauthn.py      WebAuthnCeremony: the WebAuthn options and the verification of the answers

    steps/           steps several use cases share, over the ports (not use cases themselves)
      sessions.py          the bearer session behind every signed-in request; sign out
      password_check.py    a password judged under the lockout rule (claimed before judged)
      rate_limits.py       per-caller-address limits
      tokens.py            a presented token read and checked against its account
      confirmation_links.py  email confirmation links: issued, limited, mailed
      passkeys.py          the relying party (RP ID, origins); refused until the final domain is set

    use_cases/       one module per use case; none imports another
      sign_in.py  first_sign_in.py  registration.py  own_account.py  account_credentials.py
      email_verification.py  forgot_password.py  reset_links.py  password_reset.py
      reminders.py  deliverability.py  staff_desk.py  pending_reviews.py (list_pending, approve)
      license_import.py (the CSLB file)
      passkey_sign_in.py (the passkey sign-in)  passkeys.py (the contractor's own passkeys)
      account_activity.py (GET /me/activity)  notices.py (NoticeFunction: a notice per record)

    http/            API Gateway in and out (and the staff console's events)
      api.py           the Powertools resolver; every error becomes the envelope here
      request_body.py  the gate before parsing: media type, size, strict UTF-8 JSON
      fields.py        field types and their messages     schemas.py   request/response bodies
      views.py         responses from the use cases' results
      staff_events.py  staff actions: event models, answers, the staff view of an account
      license_events.py  the license bucket's "Object Created" events (EventBridge) in, answers out
      passkey_bodies.py  the passkey routes' bodies (WebAuthn's JSON forms) and views

    adapters/        the ports on AWS and the real world (imported only by runtime.py)
      dynamodb/        the table ports on one DynamoDB table (its items: dynamodb/__init__.py)
        items.py         keys, and the domain's types to and from items (the only dicts)
        table.py         the helper: puts, ``Update`` (the one UpdateExpression builder), the one
                         token Delete, a write alone or one transaction, ``conditional()``
        accounts.py      the account and its tokens read, created; an address marked undeliverable
        history.py       the account's audit entries, newest first (alone, or with the account)
        activity.py      the activity items; ``recorded(table, audit)``, the one helper every write
                         adds its activity record with; the account with its activity, one Query
        sign_in.py       sign-in attempts claimed before the password is judged; the session started
        sessions.py      a session touched or ended; every session ended at once
        passwords.py     the password changed (through a token, or signed in), the security
                         question; security answers counted before they are judged
        reset_links.py   the newest reset link issued, or withdrawn when its email failed
        contact.py       contact details changed; the email confirmation link issued and used
        staff_changes.py temporary password, unlock, disable/enable, approve, remove_passkeys
        passkeys.py      PasskeyStore: passkeys on the account item, challenges, the user handle's item
        expiry_index.py  the policy holders due a reminder (a Query on the sparse index)
        search_index.py  staff ``find``: FIND# items, and ``index_writes``, the one builder of
                         their changes that every write of a searchable field adds to its transaction
        request_counters.py  RequestCounters        reminder_log.py  ReminderLog
        license_records.py   LicenseRecords: a license and the list's state, in one BatchGetItem
        license_checks.py    LicenseChecks: BatchGetItem of account + license; pending list and
                             license expiry Queries    license_items.py  their index items' shapes
        license_import.py    LicenseWrites: changed licenses in batches, NOT LISTED, the list's item
        store.py         DynamoDBContractorStore: every group above on one object
      ses_mailer.py  sqs_reset_requests.py  argon2_hasher.py  system_clock.py
      s3_license_data.py   the license file streamed from S3; the import's state beside it
      webauthn_ceremony.py  WebAuthnCeremony on py_webauthn (loaded on the passkey routes only)

    settings.py      the deployment's settings, validated at cold start (no silent defaults)
    observability.py the Powertools logger and metrics
    runtime.py       THE COMPOSITION ROOT: settings, AWS clients, adapters, use cases (``Depends``)

"Where is the lockout rule?" ``domain/lockout.py`` (the delays: ``domain/policy.py``), applied
in ``steps/password_check.py``. "How long does a reset link live?" ``policy.RESET_TOKEN_MINUTES``
(the ``RESET_TOKEN_MINUTES`` setting may override it). "Who gets a reset link?" Only a verified
address (``use_cases/reset_links.py``).
"""

import sys

# botocore imports urllib3's pyOpenSSL shim only to reach the standard library's own SSLContext
# (botocore.httpsession: "Always import the original SSLContext"). With pyOpenSSL in the package
# (py_webauthn needs it, for attestation certificates) that import would load pyOpenSSL and
# cryptography in every function's cold start, passkeys or not. Refused here, before any client is
# built, botocore takes the very same SSLContext from urllib3.util.ssl_ (its documented fallback).
sys.modules.setdefault("urllib3.contrib.pyopenssl", None)  # type: ignore[arg-type]
