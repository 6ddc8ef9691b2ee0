"""AccountFunction: GET /me, the contractor's dashboard."""

from typing import Annotated

from aws_lambda_powertools.event_handler import Depends
from contractor_accounts import runtime
from contractor_accounts.account import OwnAccount
from contractor_accounts.api import answers, bearer_token, create_resolver, lambda_handler_for
from contractor_accounts.schemas import DashboardResponse
from contractor_accounts.views import dashboard_view

app = create_resolver(runtime.cold_start())


@app.get("/me", responses=answers(200, DashboardResponse, "The dashboard", 401, 503))
def dashboard(account: Annotated[OwnAccount, Depends(runtime.own_account)]) -> DashboardResponse:
    return dashboard_view(account.dashboard(bearer_token(app)))


lambda_handler = lambda_handler_for(app)
