"""The ``ContractorStore``, ``RequestCounters``, ``ReminderLog`` and ``LicenseRecords`` ports on one
DynamoDB table
(the modules: the package map, ``contractor_accounts/__init__.py``).

Items (pk / sk), readable in the console, no plaintext secret:
  CONTRACTOR#<license> / PROFILE            the account, with its trusted devices (``devices``)
  CONTRACTOR#<license> / AUDIT#<time>#<id>  audit trail (staff actions, password changes)
  TOKEN#<sha256> / TOKEN                    session, challenge, reset or verification token (``kind``)
  RATE#<action>#<caller> / MINUTES          a caller's requests in each recent minute, TTL'd
  REMINDER#<license>#<policy>#<expiry>#<threshold> / REMINDER   a workers' comp reminder sent (once only), TTL'd
  LICENSE#<license> / STATE                 the state board's record of the license (the daily import)
  LICENSE_LIST / STATE                      the license list as a whole: the last file imported
  FIND#<field>#<first 2> / <key>#<license>  staff ``find``: one per searchable field with a value
                                            (``search_index.py``; written with the account's change)
  LICENSE_EXPIRY#<YYYY-MM-DD> / <license>   a listed license expiring that day (the import writes it)
  PENDING_REVIEW / <registered_at>#<license>  an account waiting for staff approve (license_items.py)
The account carries ``workers_comp_expires_on`` only while it has a policy: the key of the sparse
index the reminder job queries by date (``WorkersCompExpiryIndex``). Tokens carry
``expires_at_epoch`` for TTL; expiry is still checked in code, because TTL deletes lazily.
"""
