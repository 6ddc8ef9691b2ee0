"""Requests at the same moment, as DynamoDB sees them from two browsers: moto does not lock, so
the race tests hold each write until every party has done its reads (a barrier), which is
exactly when a read-then-write design would let both win."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from contractor_accounts import runtime

from tests.support.api import Answer


def at_once(*requests: Callable[[], Answer]) -> list[int]:
    statuses: list[int] = []
    threads = [threading.Thread(target=lambda r=request: statuses.append(r().status)) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(statuses)


def hold_writes_until_both_read(
    monkeypatch: pytest.MonkeyPatch, method: str, parties: int = 2, *, first_only: bool = False
) -> None:
    """Each party's ``method`` waits until every party has reached it. ``first_only``: only
    each thread's first call waits (a retry after a lost race goes straight through)."""
    store = runtime.store()
    barrier = threading.Barrier(parties, timeout=10)
    original = getattr(store, method)
    waited: set[int] = set()

    def after_everyone_read(*args: Any, **kwargs: Any) -> Any:
        if not first_only or threading.get_ident() not in waited:
            waited.add(threading.get_ident())
            barrier.wait()
        return original(*args, **kwargs)

    monkeypatch.setattr(store, method, after_everyone_read)
