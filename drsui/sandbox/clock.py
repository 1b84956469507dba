"""The sandbox's sense of time: the real clock, unless a test installs one it moves by hand
(job statuses that move on after a delay, token expiry, latency and hang faults)."""

import time
from datetime import UTC, datetime


class RealClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


_clock = RealClock()


def now() -> datetime:
    return _clock.now()


def sleep(seconds: float) -> None:
    _clock.sleep(seconds)


def install(clock) -> object:
    """Use `clock` (with now() and sleep()) from here on; returns the one it replaces."""
    global _clock
    replaced, _clock = _clock, clock
    return replaced
