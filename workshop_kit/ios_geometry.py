"""The geometry of the Inclusion of Other in the Self (IOS) circle pairs: pure math.

Seven pairs of circles; from pair 1 to pair 7 the overlap grows evenly, from none to almost
full, while the total area of each pair stays the same (Aron, Aron & Smollan 1992). Shared
by the charts (:mod:`workshop_kit.charts.ios`) and the phone pages, which draw the pairs as
small SVGs without matplotlib.

References
----------
Aron, A., Aron, E. N., & Smollan, D. (1992). Inclusion of Other in the Self Scale and the
structure of interpersonal closeness. Journal of Personality and Social Psychology, 63(4),
596-612.
"""

from __future__ import annotations

import math

LEVELS = 7
MAX_OVERLAP = 0.88  # share of each circle covered by the other at level 7: "almost full"
UNION_AREA = 2 * math.pi  # two unit circles side by side


def overlap_share(x: float) -> float:
    """Share of one circle's area inside the other, for centre distance ``d = 2·r·x``.

    >>> overlap_share(1.0), round(overlap_share(0.0), 6)
    (0.0, 1.0)
    """
    x = min(1.0, max(0.0, x))
    return (2 / math.pi) * (math.acos(x) - x * math.sqrt(1 - x * x))


def pair_geometry(level: float) -> tuple[float, float]:
    """Radius and centre distance of pair ``level`` (1-7), total area held constant.

    The overlap share grows linearly with the level: ``f = MAX_OVERLAP·(level-1)/6``; the
    radius follows from ``union = π·r²·(2 − f) = UNION_AREA``. A level between two pairs
    (a couple's mean, such as 3.5) gives the pair between them on the same line.

    >>> r1, d1 = pair_geometry(1)
    >>> round(r1, 6), round(d1, 6)   # two unit circles just touching
    (1.0, 2.0)
    >>> r7, d7 = pair_geometry(7)
    >>> r7 > r1 and d7 < d1
    True
    >>> pair_geometry(3)[1] > pair_geometry(3.5)[1] > pair_geometry(4)[1]
    True
    """
    if not 1 <= level <= LEVELS:
        raise ValueError(f"level must be from 1 to {LEVELS}; not {level!r}")
    share = MAX_OVERLAP * (level - 1) / (LEVELS - 1)
    radius = math.sqrt(UNION_AREA / (math.pi * (2 - share)))
    lo, hi = 0.0, 1.0  # bisection on x = d / 2r; overlap_share falls as x grows
    for _ in range(60):
        mid = (lo + hi) / 2
        if overlap_share(mid) > share:
            lo = mid
        else:
            hi = mid
    return radius, 2 * radius * (lo + hi) / 2
