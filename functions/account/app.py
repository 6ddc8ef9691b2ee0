"""AccountFunction: GET /me, the contractor's dashboard."""

from contractor_accounts import runtime
from contractor_accounts.api import answers, bearer_token, create_resolver, lambda_handler_for
from contractor_accounts.models import DashboardResponse

app = create_resolver(runtime.cold_start())


@app.get("/me", responses=answers(200, DashboardResponse, "The dashboard", 401, 503))
def dashboard() -> DashboardResponse:
    return runtime.accounts().dashboard(bearer_token(app))


lambda_handler = lambda_handler_for(app)
