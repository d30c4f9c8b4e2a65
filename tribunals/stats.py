"""A small, transparent estimate of how often similar appeals are upheld.

With k upheld out of n decided and a uniform Beta(1, 1) prior, the posterior is
Beta(k + 1, n - k + 1): its mean (k + 1) / (n + 2) is the smoothed rate (Laplace's rule of
succession) and its 5% and 95% quantiles give a 90% credible interval.

Both shape parameters are whole numbers here, so the regularized incomplete beta function is an
exact binomial sum (a standard identity):

    I_x(a, b) = P(X >= a)  for X ~ Binomial(a + b - 1, x)

The quantile is found by bisection on that increasing function. Terms are summed in log space
(`math.lgamma`), so a history of thousands of appeals does not overflow. No numerical library is
needed, and every step can be checked by hand.
"""

import math
from dataclasses import dataclass

#: The credible interval shown beside every estimate.
INTERVAL = 0.90
_TOLERANCE = 1e-12
_MAX_STEPS = 200


def _log_binomial_term(n: int, j: int, x: float) -> float:
    """log of C(n, j) x^j (1 - x)^(n - j), for 0 < x < 1."""
    log_comb = math.lgamma(n + 1) - math.lgamma(j + 1) - math.lgamma(n - j + 1)
    return log_comb + j * math.log(x) + (n - j) * math.log1p(-x)


def beta_cdf(x: float, a: int, b: int) -> float:
    """The regularized incomplete beta function I_x(a, b) for whole-number a, b >= 1."""
    if a < 1 or b < 1:
        raise ValueError("a and b must be whole numbers of at least 1")
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    n = a + b - 1
    total = math.fsum(math.exp(_log_binomial_term(n, j, x)) for j in range(a, n + 1))
    return min(1.0, max(0.0, total))


def beta_quantile(p: float, a: int, b: int) -> float:
    """The x with I_x(a, b) = p, by bisection (the CDF increases from 0 to 1 on [0, 1])."""
    if not 0.0 <= p <= 1.0:
        raise ValueError("p must be between 0 and 1")
    low, high = 0.0, 1.0
    for _ in range(_MAX_STEPS):
        mid = (low + high) / 2
        if beta_cdf(mid, a, b) < p:
            low = mid
        else:
            high = mid
        if high - low < _TOLERANCE:
            break
    return (low + high) / 2


@dataclass(frozen=True)
class BetaEstimate:
    """The smoothed share of successes, with its credible interval."""

    successes: int
    trials: int
    mean: float
    lower: float
    upper: float
    level: float = INTERVAL

    def describe(self) -> str:
        """ "about 73% (90% interval 49-91%)"."""
        return (
            f"about {round(self.mean * 100)}% ({round(self.level * 100)}% interval "
            f"{round(self.lower * 100)}-{round(self.upper * 100)}%)"
        )


def beta_estimate(successes: int, trials: int, *, level: float = INTERVAL) -> BetaEstimate:
    """Posterior mean and central credible interval of a rate, from a Beta(1, 1) prior."""
    if trials < 0 or not 0 <= successes <= trials:
        raise ValueError("successes must be between 0 and the number of trials")
    a, b = successes + 1, trials - successes + 1
    tail = (1 - level) / 2
    return BetaEstimate(
        successes=successes,
        trials=trials,
        mean=a / (a + b),
        lower=beta_quantile(tail, a, b),
        upper=beta_quantile(1 - tail, a, b),
        level=level,
    )
