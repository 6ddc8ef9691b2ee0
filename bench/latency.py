"""Warm latency of every case, in-process against moto: the handler as Lambda calls it, timed
around the one request (``given`` untimed), with the argon2 time and the time inside AWS calls
(moto's work here; a network round trip on Lambda) taken apart."""

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from tests.performance.scenarios import SCENARIOS, World
from tests.support.aws_calls import AwsCalls


@dataclass(frozen=True)
class Latency:
    case: str
    requests: int
    median: float  # seconds
    p95: float
    hash_median: float  # argon2's own time in the request
    aws_median: float  # time inside AWS calls (moto, in-process)

    @property
    def own_median(self) -> float:
        """The handler's own time: the median request without its AWS calls."""
        return max(0.0, self.median - self.aws_median)


class HashClock:
    """Time spent in argon2 (hash and verify), whoever calls it."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def _timed(self, method: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        return timed

    @contextmanager
    def installed(self) -> Iterator["HashClock"]:
        import argon2

        originals = {name: getattr(argon2.PasswordHasher, name) for name in ("hash", "verify")}
        for name, method in originals.items():
            setattr(argon2.PasswordHasher, name, self._timed(method))
        try:
            yield self
        finally:
            for name, method in originals.items():
                setattr(argon2.PasswordHasher, name, method)


def percentile_95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(case: str, world: World, calls: AwsCalls, requests: int) -> Latency:
    scenario = SCENARIOS[case]
    durations, hashing, in_aws = [], [], []
    state = scenario.given(world) if scenario.reusable else None
    with HashClock().installed() as hash_clock:
        for _ in range(requests):
            if not scenario.reusable:
                state = scenario.given(world)
            hash_clock.seconds = 0.0
            with calls.record():
                started = time.perf_counter()
                outcome = scenario.when(world, state)
                durations.append(time.perf_counter() - started)
            hashing.append(hash_clock.seconds)
            in_aws.append(calls.seconds)
            scenario.check(outcome)
    return Latency(
        case=case,
        requests=requests,
        median=statistics.median(durations),
        p95=percentile_95(durations),
        hash_median=statistics.median(hashing),
        aws_median=statistics.median(in_aws),
    )
