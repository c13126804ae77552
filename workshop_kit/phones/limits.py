"""Rate limits for the phone server: a token bucket per phone and per network address.

Pure logic with an injected clock, so tests need not wait.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import InputError


@dataclass(frozen=True)
class Limits:
    """How much one phone and one address may ask, and how big a request may be.

    ``rate`` is requests per second refilled; ``burst`` the most in one go. A check-in
    screen is two requests (the answer and the next page), so a person answering as fast as
    they can uses about two requests a second. ``join_rate``/``join_burst`` limit join
    attempts per address (a guessed secret is one attempt).
    """

    device_rate: float = 10.0
    device_burst: int = 40
    address_rate: float = 20.0
    address_burst: int = 80
    join_rate: float = 0.2
    join_burst: int = 10
    max_body_bytes: int = 16 * 1024

    def __post_init__(self):
        for name in ("device_rate", "address_rate", "join_rate"):
            if not getattr(self, name) > 0:
                raise InputError(f"{name} must be more than 0; not {getattr(self, name)!r}")
        for name in ("device_burst", "address_burst", "join_burst", "max_body_bytes"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise InputError(f"{name} must be a whole number of at least 1; not {value!r}")


class Buckets:
    """Token buckets by key: each key may take ``burst`` at once and ``rate`` a second.

    Notes
    -----
    A bucket holds ``b = min(burst, b + rate·Δt)`` tokens; a request takes one when
    ``b ≥ 1`` and is refused otherwise. Keys not seen for a while are forgotten (a full
    bucket is the same as a new one), so memory stays bounded by the active keys.

    Examples
    --------
    >>> now = [0.0]
    >>> b = Buckets(rate=1.0, burst=2, clock=lambda: now[0])
    >>> [b.take("x") for _ in range(3)]
    [True, True, False]
    >>> now[0] = 1.0
    >>> b.take("x"), b.take("y")
    (True, True)
    """

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic):
        self.rate = float(rate)
        self.burst = float(burst)
        self.clock = clock
        self._tokens: dict[str, tuple[float, float]] = {}

    def take(self, key: str) -> bool:
        """Take one token for ``key``; False when its bucket is empty."""
        now = self.clock()
        tokens, last = self._tokens.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        allowed = tokens >= 1.0
        if allowed:
            tokens -= 1.0
        self._tokens[key] = (tokens, now)
        if len(self._tokens) > 10_000:
            self._forget(now)
        return allowed

    def _forget(self, now: float) -> None:
        full_after = self.burst / self.rate
        self._tokens = {k: v for k, v in self._tokens.items() if now - v[1] < full_after}
