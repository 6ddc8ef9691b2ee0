"""POST /sessions, DELETE /sessions/current and GET /me: lockout, equal answers, session
timeouts and revocation."""

from tests.support.api import Answer, Api, staff
from tests.support.clock import MovableClock
from tests.support.samples import PASSWORD, registration_body


def sign_in(api: Api, password: str = PASSWORD, license_number: str = "1234567") -> Answer:
    return api.post("/sessions", {"license_number": license_number, "password": password})


def registered(api: Api) -> str:
    created = api.post("/contractors", registration_body())
    assert created.status == 201
    token: str = created.json["session"]["token"]
    return token


def comparable(answer: Answer) -> tuple[int, dict[str, str], str]:
    headers = {
        name: value for name, value in answer.headers.items() if name.lower() not in {"date", "x-amzn-requestid"}
    }
    return answer.status, headers, answer.body


def test_sign_in_returns_a_session_and_the_contractor(api: Api) -> None:
    registered(api)
    answer = sign_in(api)
    assert answer.status == 200
    assert answer.json["contractor"] == {"license_number": "1234567", "business_name": "Sunset Builders Inc"}
    assert len(answer.json["session"]["token"]) >= 43
    assert api.get("/me", token=answer.json["session"]["token"]).status == 200


def test_every_sign_in_gets_a_new_session(api: Api) -> None:
    registered(api)
    assert sign_in(api).json["session"]["token"] != sign_in(api).json["session"]["token"]


def test_unknown_wrong_locked_and_disabled_look_the_same(api: Api, clock: MovableClock) -> None:
    registered(api)
    api.post("/contractors", registration_body(license_number="2222222", email="x@y.example"))
    unknown = sign_in(api, license_number="9999999")
    wrong = sign_in(api, password="not my passphrase at all")
    staff({"action": "disable", "license_number": "2222222"})
    disabled = sign_in(api, license_number="2222222")
    for _ in range(5):
        sign_in(api, password="still not my passphrase")
    locked = sign_in(api)  # the right password, refused while locked
    assert unknown.status == 401
    assert unknown.json["error"] == "invalid_credentials"
    assert comparable(unknown) == comparable(wrong) == comparable(disabled) == comparable(locked)


def test_lockout_delay_grows_and_success_resets(api: Api, clock: MovableClock) -> None:
    registered(api)
    # Given five wrong passwords
    for _ in range(5):
        assert sign_in(api, password="wrong wrong wrong wrong").status == 401
    # Then the right password is refused within 1 s of the last failure (and is not counted)
    clock.advance(seconds=0.5)
    assert sign_in(api).status == 401
    # A wrong one after the second: 6 failures, 2 s from it
    clock.advance(seconds=0.5)
    assert sign_in(api, password="wrong wrong wrong wrong").status == 401
    clock.advance(seconds=1.9)
    assert sign_in(api).status == 401  # still within 2 s; not counted, the lock does not move
    clock.advance(seconds=0.1)
    # When the delay has passed, the right password works and the count resets
    assert sign_in(api).status == 200
    assert sign_in(api, password="wrong wrong wrong wrong").status == 401
    assert sign_in(api).status == 200


def test_lockout_is_capped_at_fifteen_minutes(api: Api, clock: MovableClock) -> None:
    registered(api)
    # Given a stranger who waits out each lock: 20 counted failures (1 s, 2 s, ... then 15 min)
    for failures in range(1, 21):
        sign_in(api, password="wrong wrong wrong wrong")
        clock.advance(seconds=min(2 ** max(failures - 5, 0), 15 * 60) if failures >= 5 else 0)
    clock.advance(minutes=-15)
    assert staff({"action": "get", "license_number": "1234567"})["contractor"]["lock"]["failed_sign_ins"] == 20
    clock.advance(minutes=14, seconds=59)
    assert sign_in(api).status == 401
    clock.advance(seconds=1)
    assert sign_in(api).status == 200


def test_staff_unlock_clears_the_lockout(api: Api, clock: MovableClock) -> None:
    registered(api)
    for _ in range(12):
        sign_in(api, password="wrong wrong wrong wrong")
    assert sign_in(api).status == 401
    assert staff({"action": "unlock", "license_number": "1234567"})["ok"] is True
    assert sign_in(api).status == 200


def test_idle_timeout_is_thirty_minutes(api: Api, clock: MovableClock) -> None:
    token = registered(api)
    clock.advance(minutes=29)
    assert api.get("/me", token=token).status == 200  # use moves the idle window
    clock.advance(minutes=29)
    assert api.get("/me", token=token).status == 200
    clock.advance(minutes=31)
    expired = api.get("/me", token=token)
    assert expired.status == 401
    assert expired.json["error"] == "unauthorized"


def test_absolute_timeout_is_eight_hours(api: Api, clock: MovableClock) -> None:
    token = registered(api)
    for _ in range(16):
        clock.advance(minutes=29, seconds=59)
        assert api.get("/me", token=token).status == 200
    clock.advance(minutes=1)  # 8 h since sign-in, never idle
    assert api.get("/me", token=token).status == 401


def test_sign_out_revokes_the_token_everywhere(api: Api) -> None:
    token = registered(api)
    other = sign_in(api).json["session"]["token"]
    answer = api.delete("/sessions/current", token=token)
    assert answer.status == 204
    assert answer.headers["Cache-Control"] == "no-store"
    assert api.get("/me", token=token).status == 401
    assert api.delete("/sessions/current", token=token).status == 401
    assert api.get("/me", token=other).status == 200  # only that session ended


def test_dashboard_needs_a_bearer_session(api: Api) -> None:
    registered(api)
    for headers in ({}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer not-a-token"}):
        answer = api.get("/me", headers=headers)
        assert answer.status == 401
        assert answer.json == {"error": "unauthorized", "message": answer.json["message"]}


def test_disable_ends_sessions_and_enable_restores_sign_in(api: Api) -> None:
    token = registered(api)
    staff({"action": "disable", "license_number": "1234567"})
    assert api.get("/me", token=token).status == 401
    assert sign_in(api).status == 401
    staff({"action": "enable", "license_number": "1234567"})
    assert sign_in(api).status == 200
    assert api.get("/me", token=token).status == 401  # the old session stays ended


def test_unknown_fields_and_bad_license_are_422(api: Api) -> None:
    answer = api.post("/sessions", {"license_number": "abc", "password": "x", "remember": True})
    assert answer.status == 422
    assert set(answer.json["fields"]) == {"license_number", "remember"}


def test_sign_ins_are_limited_per_caller_address(api: Api, clock: MovableClock) -> None:
    registered(api)
    # Given 30 attempts from one address within a minute
    for _ in range(30):
        assert sign_in(api, password="wrong wrong wrong wrong").status == 401
    clock.advance(minutes=16)  # past any lockout, same minute window is not reused
    for _ in range(30):
        api.post("/sessions", {"license_number": "7777777", "password": "x"}, source_ip="203.0.113.9")
    # When the 31st arrives from that address
    limited = api.post("/sessions", {"license_number": "1234567", "password": PASSWORD}, source_ip="203.0.113.9")
    # Then it is refused before any password work, whatever the license, and says so
    assert limited.status == 429
    assert limited.json["error"] == "too_many_requests"
    assert limited.headers["Retry-After"]
    # And a client-set X-Forwarded-For does not get around it
    spoofed = api.post(
        "/sessions",
        {"license_number": "1234567", "password": PASSWORD},
        source_ip="203.0.113.9",
        headers={"X-Forwarded-For": "192.0.2.1"},
    )
    assert spoofed.status == 429
    # But another address, and the next minute, are not affected
    assert sign_in(api).status == 200
    # And the window slides: a minute on, the previous minute's attempts still weigh in; two
    # minutes on, the address has its whole limit again
    clock.advance(minutes=1)
    again = {"license_number": "1234567", "password": PASSWORD}
    assert api.post("/sessions", again, source_ip="203.0.113.9").status == 429
    clock.advance(minutes=1)
    assert api.post("/sessions", again, source_ip="203.0.113.9").status == 200
