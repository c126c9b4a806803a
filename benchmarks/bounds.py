"""Binomial confidence bounds for every evaluation script: Clopper-Pearson (exact), as
docs/evaluation.md says, from the beta quantile (summing binomial terms took minutes at
the 100,000s of face pairs)."""

from __future__ import annotations

from scipy import stats


def upper95(k: int, n: int) -> float:
    """One-sided 95 % upper bound of a rate of k in n (what a threshold is set against)."""
    if n == 0:
        return float("nan")
    return 1.0 if k >= n else float(stats.beta.ppf(0.95, k + 1, n - k))


def interval95(k: int, n: int) -> tuple[float, float]:
    """Two-sided 95 % interval of a rate of k in n."""
    if n == 0:
        return float("nan"), float("nan")
    lo = 0.0 if k == 0 else float(stats.beta.ppf(0.025, k, n - k + 1))
    return lo, 1.0 if k >= n else float(stats.beta.ppf(0.975, k + 1, n - k))
