"""The one table's adapter: ``ContractorStore``, ``PasskeyStore``, ``RequestCounters``,
``ReminderLog``, ``LicenseRecords`` and ``LicenseChecks`` on one
object, each group of operations from its own module over the same ``Table`` helper, so every
request makes exactly the DynamoDB calls it made before the ports were split."""

from contractor_accounts.adapters.dynamodb.accounts import Accounts
from contractor_accounts.adapters.dynamodb.activity import AccountActivities
from contractor_accounts.adapters.dynamodb.contact import ContactChanges
from contractor_accounts.adapters.dynamodb.expiry_index import ExpiryIndex
from contractor_accounts.adapters.dynamodb.history import AccountHistory
from contractor_accounts.adapters.dynamodb.license_checks import DynamoDBLicenseChecks
from contractor_accounts.adapters.dynamodb.license_records import DynamoDBLicenseRecords
from contractor_accounts.adapters.dynamodb.passkeys import Passkeys
from contractor_accounts.adapters.dynamodb.passwords import PasswordChanges
from contractor_accounts.adapters.dynamodb.reminder_log import DynamoDBReminderLog
from contractor_accounts.adapters.dynamodb.request_counters import DynamoDBRequestCounters
from contractor_accounts.adapters.dynamodb.reset_links import ResetLinks
from contractor_accounts.adapters.dynamodb.search_index import SearchIndex
from contractor_accounts.adapters.dynamodb.sessions import SessionTokens
from contractor_accounts.adapters.dynamodb.sign_in import SignInClaims
from contractor_accounts.adapters.dynamodb.staff_changes import StaffChanges


class DynamoDBContractorStore(
    Accounts,
    AccountHistory,
    AccountActivities,
    SignInClaims,
    SessionTokens,
    PasswordChanges,
    ResetLinks,
    ContactChanges,
    StaffChanges,
    Passkeys,
    ExpiryIndex,
    SearchIndex,
    DynamoDBRequestCounters,
    DynamoDBReminderLog,
    DynamoDBLicenseRecords,
    DynamoDBLicenseChecks,
):
    """Every port on the table: built once per container (``runtime.store``)."""
