"""The arithmetic of simulation-based calibration: ranks, coverage and their summaries.

Per dataset: :func:`thin`, :func:`rank_of`, :func:`covers`; over datasets:
:func:`coverage_summary`, :func:`rank_histogram`, :func:`uniformity_pvalue` and
:func:`format_rank_histogram`. Sampler-agnostic: plain numpy on draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from algoattr.intervals import central_interval

# ----------------------------------------------------------------------------- arithmetic


def thin(draws: np.ndarray, n: int) -> np.ndarray:
    """``n`` evenly spaced draws of a flattened sample (all of them when fewer).

    Thinning reduces the autocorrelation of MCMC draws, which otherwise makes rank histograms
    ∪-shaped even for a correct posterior (Talts et al. 2018, §4.1).

    Parameters
    ----------
    draws : numpy.ndarray
        Posterior draws, any shape; flattened in C order (chain by chain).
    n : int
        Number of draws to keep.

    Returns
    -------
    numpy.ndarray
        One-dimensional array of ``min(n, draws.size)`` draws.
    """
    flat = np.asarray(draws, dtype=float).reshape(-1)
    if n >= flat.size:
        return flat
    idx = np.floor(np.arange(n) * flat.size / n).astype(int)
    return flat[idx]


def rank_of(true: float, draws: np.ndarray, rng: np.random.Generator | None = None) -> int:
    """Rank of ``true`` among ``draws``: the number of draws below it, in ``0..len(draws)``.

    Ties (possible for discrete or clipped quantities) are broken uniformly at random with
    ``rng``, so that the rank stays uniform under a correct posterior.

    Parameters
    ----------
    true : float
        The value the data were simulated from.
    draws : numpy.ndarray
        Posterior draws (flattened).
    rng : numpy.random.Generator, optional
        Generator for tie-breaking; ties count half-below deterministically without one.

    Returns
    -------
    int

    Examples
    --------
    >>> rank_of(2.5, np.array([1.0, 2.0, 3.0, 4.0]))
    2
    """
    draws = np.asarray(draws, dtype=float).reshape(-1)
    below = int(np.sum(draws < true))
    ties = int(np.sum(draws == true))
    if ties == 0:
        return below
    if rng is None:
        return below + ties // 2
    return below + int(rng.integers(0, ties + 1))


def covers(true: float, draws: np.ndarray, ci_prob: float) -> bool:
    """Whether the central ``ci_prob`` interval of ``draws`` contains ``true`` (closed interval).

    Examples
    --------
    >>> d = np.arange(101.0)
    >>> covers(30.0, d, 0.5), covers(20.0, d, 0.5)
    (True, False)
    """
    lo, hi = central_interval(draws, ci_prob, axis=None)
    return bool(lo <= true <= hi)


@dataclass(frozen=True)
class CoverageSummary:
    """Empirical coverage of central intervals over SBC datasets.

    Attributes
    ----------
    nominal : float
        Probability of the interval.
    n : int
        Number of datasets.
    coverage : float
        Fraction of datasets whose interval covered the true value.
    se : float
        Binomial standard error of the coverage under the nominal rate,
        ``sqrt(nominal·(1−nominal)/n)``.
    """

    nominal: float
    n: int
    coverage: float
    se: float

    @property
    def z(self) -> float:
        """Standardised deviation from nominal, ``(coverage − nominal) / se``."""
        return (self.coverage - self.nominal) / self.se if self.se > 0 else 0.0

    @property
    def within_2se(self) -> bool:
        """Whether the coverage lies within two standard errors of nominal."""
        return abs(self.z) <= 2.0

    def __str__(self) -> str:
        flag = "ok" if self.within_2se else "OUTSIDE 2 SE"
        return (
            f"{self.coverage:.3f} ± {self.se:.3f} (nominal {self.nominal:.2f}, "
            f"z = {self.z:+.2f}, {flag})"
        )


def coverage_summary(covered: Sequence[bool] | np.ndarray, nominal: float) -> CoverageSummary:
    """Coverage, and its binomial standard error under the nominal rate.

    Parameters
    ----------
    covered : sequence of bool
        One entry per dataset.
    nominal : float
        Probability of the interval.

    Returns
    -------
    CoverageSummary

    Examples
    --------
    >>> s = coverage_summary([True] * 45 + [False] * 55, 0.5)
    >>> round(s.coverage, 2), round(s.se, 3), s.within_2se
    (0.45, 0.05, True)
    """
    c = np.asarray(covered, dtype=bool)
    n = int(c.size)
    if n == 0:
        raise ValueError("no datasets")
    return CoverageSummary(
        nominal=float(nominal),
        n=n,
        coverage=float(c.mean()),
        se=float(np.sqrt(nominal * (1 - nominal) / n)),
    )


def rank_histogram(ranks: Sequence[int] | np.ndarray, n_draws: int, bins: int = 10) -> np.ndarray:
    """Counts of ranks (in ``0..n_draws``) in ``bins`` equal bins.

    Parameters
    ----------
    ranks : sequence of int
        One rank per dataset.
    n_draws : int
        Posterior draws each rank was computed against; ranks take ``n_draws + 1`` values.
    bins : int
        Number of bins; must divide ``n_draws + 1`` so that every bin holds equally many
        rank values (else the expected counts differ between bins).

    Returns
    -------
    numpy.ndarray
        ``bins`` counts.

    Examples
    --------
    >>> rank_histogram([0, 9, 10, 99], n_draws=99, bins=10).tolist()
    [2, 1, 0, 0, 0, 0, 0, 0, 0, 1]
    """
    values = n_draws + 1
    if values % bins:
        raise ValueError(f"{bins} bins do not divide the {values} possible ranks")
    r = np.asarray(ranks, dtype=int)
    if r.size and (r.min() < 0 or r.max() > n_draws):
        raise ValueError(f"ranks must lie in 0..{n_draws}")
    return np.bincount(r // (values // bins), minlength=bins)


def uniformity_pvalue(counts: np.ndarray) -> float:
    """Chi-square test p-value of equal expected counts per bin."""
    from scipy import stats

    counts = np.asarray(counts, dtype=float)
    if counts.sum() == 0:
        return float("nan")
    return float(stats.chisquare(counts).pvalue)


def format_rank_histogram(counts: np.ndarray, width: int = 30, label: str = "") -> str:
    """A text rank histogram: one line per bin, with the expected count marked ``|``.

    Parameters
    ----------
    counts : numpy.ndarray
        Counts per bin (from :func:`rank_histogram`).
    width : int
        Characters of the longest bar.
    label : str
        Heading.

    Returns
    -------
    str
    """
    counts = np.asarray(counts, dtype=int)
    expected = counts.sum() / counts.size
    top = max(int(counts.max()), int(np.ceil(expected)), 1)
    scale = width / top
    mark = round(float(expected) * scale)
    lines = [label] if label else []
    for i, c in enumerate(counts):
        bar = list("#" * round(float(c) * scale) + " " * (width + 1))
        bar[mark] = "|" if bar[mark] == " " else "+"
        lines.append(f"  bin {i + 1:2d} {c:4d} {''.join(bar).rstrip()}")
    lines.append(
        f"  (| expected {expected:.1f} per bin; chi-square p = {uniformity_pvalue(counts):.2f})"
    )
    return "\n".join(lines)
