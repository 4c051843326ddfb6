"""The statistics of A/B results: Wilson intervals, a two-proportion z-test and a sample-size estimate.

Plain functions of counts (no database), with the textbook formulas:
  Wilson score interval  (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)
  pooled z-test          z = (p2 - p1) / sqrt(p(1-p)(1/n1 + 1/n2)),  p = (x1 + x2) / (n1 + n2)
  sample size per group  n = (z_{1-alpha/2}·sqrt(2·p̄(1-p̄)) + z_{power}·sqrt(p1(1-p1) + p2(1-p2)))² / (p1 - p2)²
"""

import math
from dataclasses import dataclass
from statistics import NormalDist

ALPHA = 0.05  # 95% confidence
POWER = 0.8
# When the variants differ by less than this so far (relative to the control's rate), the sample size is
# planned for a difference this large: waiting for millions of chats to confirm a 1% lift helps nobody.
SMALLEST_LIFT = 0.2

_normal = NormalDist()


def _z(confidence: float) -> float:
    return _normal.inv_cdf(1 - (1 - confidence) / 2)


def wilson_interval(successes: int, trials: int, confidence: float = 1 - ALPHA) -> tuple[float, float] | None:
    """The Wilson score interval of a proportion; None when there are no trials."""
    if trials <= 0:
        return None
    z = _z(confidence)
    p = successes / trials
    centre = p + z * z / (2 * trials)
    spread = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    scale = 1 + z * z / trials
    return max(0.0, (centre - spread) / scale), min(1.0, (centre + spread) / scale)


@dataclass(frozen=True)
class ZTest:
    z: float
    p_value: float  # two-sided


def two_proportion_z_test(x1: int, n1: int, x2: int, n2: int) -> ZTest | None:
    """Pooled two-proportion z-test of p2 against p1; None when a group is empty or nothing varies."""
    if n1 <= 0 or n2 <= 0:
        return None
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return None  # every conversation converted, or none did: no evidence either way
    z = (x2 / n2 - x1 / n1) / se
    return ZTest(z=z, p_value=math.erfc(abs(z) / math.sqrt(2)))


def sample_size_per_group(p1: float, p2: float, *, alpha: float = ALPHA, power: float = POWER) -> int | None:
    """Conversations each variant needs to tell ``p1`` from ``p2`` (two-sided); None if they are equal."""
    if p1 == p2:
        return None
    z_alpha, z_beta = _z(1 - alpha), _normal.inv_cdf(power)
    mean = (p1 + p2) / 2
    top = z_alpha * math.sqrt(2 * mean * (1 - mean)) + z_beta * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return math.ceil(top * top / ((p1 - p2) ** 2))
