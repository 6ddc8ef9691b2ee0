"""The one clock of the tests: it moves only when told to."""

from datetime import UTC, datetime, timedelta
from typing import Final

START: Final = datetime(2026, 11, 26, 18, 0, tzinfo=UTC)


class MovableClock:
    """A clock that moves only when told to."""

    def __init__(self, now: datetime = START) -> None:
        self.set(now)

    def now(self) -> datetime:
        return self._now

    def set(self, now: datetime) -> None:
        if now.tzinfo is None:
            raise ValueError("MovableClock wants an aware datetime")
        self._now = now.astimezone(UTC)

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        self._now += delta if delta is not None else timedelta(**kwargs)
        return self._now
