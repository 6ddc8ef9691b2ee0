"""The contractor accounts domain shared by every Lambda function of the service.

Where things are (outside in):

    api            HTTP for API Gateway: the resolver, every error → the envelope
    request_body   the gate before parsing: JSON media type (415), size (413), strict UTF-8 JSON (400)
    schemas        the API's request/response bodies (OpenAPI), built from ``fields``
    views          responses built from the use cases' results
    staff          staff actions from the console (event models and the desk)
    runtime        wiring: settings, AWS clients, the use cases handed to handlers (``Depends``)

    signin         sign-in, the lockout rule, sessions, first sign-in with a temporary password
    registration   self-registration
    account        the contractor's own account: the dashboard, workers' comp status, the /me
                   changes (OwnAccount; AccountCredentials for those that need the password)
    verification   email verification: the confirmation link, resend, POST /email/verify
    reminders      workers' compensation reminders (the daily job; the sparse expiry index)
    recovery       forgot password: ForgotPassword queues the request (POST /password/forgot),
                   PasswordRecovery.send_reset_link mails the link (the reset mailer), the security
                   question, the reset
    rate_limits    per-caller-address limits
    tokens         bearer tokens: made, hashed, and checked against the account that holds them
    passwords      the password and answer policy, argon2id hashing (the ``Hasher`` port)

    policy         every policy value (lifetimes, limits, thresholds, sizes)
    settings       the deployment's settings, validated at cold start
    entities       the domain's own types (the account, its tokens, its audit trail)
    errors         domain errors, each with its status and machine code

    store          the ``ContractorStore`` port; ``dynamodb_store`` is its adapter
    mail           the ``Mailer`` port and the email templates; ``ses_mailer`` is its adapter
    reset_requests the ``ResetRequestQueue`` port; ``sqs_reset_requests`` is its adapter
    clock          the ``Clock`` port

"Where is the lockout rule?" ``signin.locked_until``. "How long does a reset link live?"
``policy.RESET_TOKEN_MINUTES`` (the ``RESET_TOKEN_MINUTES`` setting may override it). "Who gets
a reset link?" Only a verified address (``recovery``, ``Contractor.email_verified``).
"""
