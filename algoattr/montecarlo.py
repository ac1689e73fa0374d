"""Monte Carlo multiplier stacks.

A stack is a product of independent efficiency multipliers (algorithms, data quality, hardware
utilisation, ...), each known only as a median and an interval. This module draws every factor,
multiplies them, and reports the product's median and interval, each factor's share of the
log-total, products over named groups and the probability that a product exceeds a threshold.

Parameterisation
----------------
Each factor is given by ``median``, ``low``, ``high`` and the central probability ``ci_prob`` of
``[low, high]`` (as its source states it, e.g. 0.8 or 0.9; default
:data:`algoattr.intervals.CI_PROB`), with ``z = Φ⁻¹((1 + ci_prob)/2)``. Reported intervals of
the factors and products are equal-tailed at ``ci_prob`` (default ``CI_PROB``), the convention
of every result in algoattr (:mod:`algoattr.intervals`).

- ``lognormal``: ``ln X ~ Normal(μ, σ)``. A lognormal has a symmetric interval in log space
  around its median, so it cannot honour a stated median *and* an asymmetric interval (e.g.
  2.5× with 80% interval 1.25–6: ``ln(2.5/1.25) = 0.69`` below vs ``ln(6/2.5) = 0.88`` above).
  The default ``fit="quantiles"`` takes the least-squares fit of ``(μ, σ)`` to the three
  stated quantiles in log space, which in closed form is
  ``σ = (ln high − ln low)/(2z)`` and ``μ = (ln low + ln median + ln high)/3``. Alternatives:
  ``fit="median"`` (``μ = ln median``, same σ: honours the median, shifts the interval) and
  ``fit="interval"`` (``μ`` = log-midpoint of the interval: honours the interval, ignores the
  median).
- ``normal``: ``Normal(μ, σ)`` with the same three fits in linear space (for a symmetric
  interval around the median all three agree: ``μ = median``), truncated to ``truncate =
  [lower, upper]`` by inverse-CDF sampling.
- ``floor_at_one``: draws below 1 are set to 1 (the factor cannot make training *less*
  efficient). This is applied after truncation and raises the median of the product above the
  product of the medians.

Every draw comes from ``numpy.random.default_rng(seed)``; factors are drawn in the order listed,
so a (scenario, draws, seed) triple always gives the same numbers.

Scenarios are YAML files (``datasets/scenarios/*.yaml``)::

    name: ...
    description: ...
    source: ...          # the published estimate the scenario reproduces
    factors:
      - name: transformer_pp
        median: 2.5
        low: 1.25
        high: 6
        ci_prob: 0.8
        distribution: lognormal     # or normal
        fit: quantiles              # or median / interval
        truncate: [0, .inf]         # optional, normal only
        floor_at_one: true
        source: ...
      - name: algorithms_fitted     # or: the factor from a fit's posterior,
        rate_from: reports/lm_summary.json   # exp(rate x years), rate draws resampled
        years: 4                    # (needs the fit's posterior file beside the summary)
    groups:                         # a member is a factor or an earlier group
      algorithms: [transformer_pp, ...]
      compute: [algorithms, data_quality]
    thresholds:                     # report P(product > t)
      compute: [100, 1000]
    published:                      # optional: published medians to compare with
      medians: {algorithms: 72}
      prob_exceeds: {hardware: {1000: 0.27}}

Command line (:mod:`algoattr.cli.montecarlo`)::

    python -m algoattr.montecarlo datasets/scenarios/gpt3_level_today.yaml --draws 100000 --seed 0
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

from algoattr.errors import DataError
from algoattr.intervals import CI_PROB, check_ci_prob, eti

__all__ = [
    "Factor",
    "MonteCarloResult",
    "Scenario",
    "load_scenario",
    "run_scenario",
]

Distribution = Literal["lognormal", "normal"]
Fit = Literal["quantiles", "median", "interval"]


def _z(ci_prob: float) -> float:
    return float(ndtri(0.5 + check_ci_prob(ci_prob) / 2.0))


@dataclass(frozen=True)
class Factor:
    """One multiplier of a stack, given by a median and a central interval.

    Parameters
    ----------
    name : str
        Identifier (used by groups).
    median, low, high : float
        Stated median and interval bounds (multipliers, > 0 for a lognormal).
    ci_prob : float
        Central probability of ``[low, high]`` as the source states it (e.g. 0.8 or 0.9).
    distribution : {"lognormal", "normal"}
        Family; see the module docstring for the parameterisation.
    fit : {"quantiles", "median", "interval"}
        How ``(μ, σ)`` are chosen from the three stated numbers.
    truncate : tuple of float, optional
        ``(lower, upper)`` truncation of a normal.
    floor_at_one : bool
        Set draws below 1 to 1 (the factor cannot hurt).
    source : str
        Where the numbers come from.
    rate_from : str, optional
        Instead of stated numbers: a saved fit (``reports/lm_summary.json``) whose posterior
        draws of the effective-compute growth rate (e-folds per year) give the factor as
        ``exp(rate · years)``, resampled with replacement.
    years : float, optional
        Span of the ``rate_from`` factor in years.
    rate_draws : numpy.ndarray, optional
        The rate draws (read from ``rate_from`` by :func:`load_scenario`).
    """

    name: str
    median: float = math.nan
    low: float = math.nan
    high: float = math.nan
    ci_prob: float = CI_PROB
    distribution: Distribution = "lognormal"
    fit: Fit = "quantiles"
    truncate: tuple[float, float] | None = None
    floor_at_one: bool = True
    source: str = ""
    rate_from: str | None = None
    years: float | None = None
    rate_draws: np.ndarray | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.rate_from is not None:
            if self.years is None or not self.years > 0:
                raise ValueError(f"{self.name}: rate_from needs years > 0")
            if self.rate_draws is None or not len(self.rate_draws):
                raise ValueError(f"{self.name}: no rate draws from {self.rate_from}")
            return
        if not self.low <= self.median <= self.high:
            raise ValueError(f"{self.name}: need low <= median <= high")
        if self.distribution not in ("lognormal", "normal"):
            raise ValueError(f"{self.name}: unknown distribution {self.distribution!r}")
        if self.fit not in ("quantiles", "median", "interval"):
            raise ValueError(f"{self.name}: unknown fit {self.fit!r}")
        if self.distribution == "lognormal" and self.low <= 0:
            raise ValueError(f"{self.name}: a lognormal needs low > 0")
        if self.truncate is not None and self.distribution != "normal":
            raise ValueError(f"{self.name}: truncate applies to a normal only")

    def params(self) -> tuple[float, float]:
        """``(μ, σ)`` of the underlying normal (of ``ln X`` for a lognormal)."""
        f = math.log if self.distribution == "lognormal" else float
        lo, med, hi = f(self.low), f(self.median), f(self.high)
        sigma = (hi - lo) / (2.0 * _z(self.ci_prob))
        if self.fit == "median":
            mu = med
        elif self.fit == "interval":
            mu = (lo + hi) / 2.0
        else:
            mu = (lo + med + hi) / 3.0
        return mu, sigma

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` draws from the factor's distribution (after truncation and flooring)."""
        if self.rate_draws is not None:
            rates = self.rate_draws[rng.integers(0, len(self.rate_draws), n)]
            x = np.exp(rates * float(self.years))
            return np.maximum(x, 1.0) if self.floor_at_one else x
        mu, sigma = self.params()
        if self.distribution == "lognormal":
            x = np.exp(rng.normal(mu, sigma, n))
        else:
            lower, upper = self.truncate if self.truncate is not None else (-np.inf, np.inf)
            pa, pb = ndtr((lower - mu) / sigma), ndtr((upper - mu) / sigma)
            x = mu + sigma * ndtri(rng.uniform(pa, pb, n))
        if self.floor_at_one:
            x = np.maximum(x, 1.0)
        return x

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], base: Path | None = None) -> Factor:
        """Build from a YAML mapping; a ``rate_from`` path is read relative to the working
        directory, else to ``base`` (the scenario's folder)."""
        d = dict(d)
        if d.get("rate_from") is not None:
            d["rate_draws"] = rate_draws_from(d["rate_from"], base)
            d["years"] = float(d["years"])
        if d.get("truncate") is not None:
            d["truncate"] = tuple(float(v) for v in d["truncate"])
        for key in ("median", "low", "high", "ci_prob"):
            if key in d:
                d[key] = float(d[key])
        return cls(**d)


def rate_draws_from(path: str | Path, base: Path | None = None) -> np.ndarray:
    """Posterior draws of ``rate`` (e-folds per year) of a saved fit.

    Raises
    ------
    MissingFitError
        When the summary or its posterior file is absent (posteriors are not committed: run
        the fit first); the message names the command.
    """
    from algoattr.errors import MissingFitError
    from algoattr.model.results import FitResult

    p = Path(path)
    if not p.exists() and base is not None and (base / p).exists():
        p = base / p
    if not p.exists():
        raise MissingFitError(f"rate_from: no saved fit at {path}")
    return np.asarray(FitResult.load(p).draws("rate"), dtype=float).reshape(-1)


@dataclass
class MonteCarloResult:
    """Draws of every factor and group of a scenario, with summaries.

    Attributes
    ----------
    scenario : Scenario
        The scenario that was run.
    factor_draws : dict of str to numpy.ndarray
        Draws of each factor.
    group_draws : dict of str to numpy.ndarray
        Draws of each group product, and ``"total"`` (all factors) unless a group already
        multiplies every factor.
    seed : int
        Seed used.
    ci_prob : float
        Probability of the reported equal-tailed intervals.
    """

    scenario: Scenario
    factor_draws: dict[str, np.ndarray]
    group_draws: dict[str, np.ndarray]
    seed: int
    ci_prob: float = CI_PROB

    @property
    def n_draws(self) -> int:
        """Number of draws."""
        return len(next(iter(self.factor_draws.values())))

    def draws(self, name: str) -> np.ndarray:
        """Draws of a factor or group by name."""
        if name in self.factor_draws:
            return self.factor_draws[name]
        return self.group_draws[name]

    def median(self, name: str) -> float:
        """Median of a factor or group."""
        return float(np.median(self.draws(name)))

    def quantiles(self, name: str, ci_prob: float | None = None) -> tuple[float, float]:
        """Equal-tailed interval (default: the result's ``ci_prob``) of a factor or group."""
        lo, _, hi = eti(self.draws(name), ci_prob or self.ci_prob)
        return lo, hi

    def prob_exceeds(self, name: str, threshold: float) -> float:
        """``P(product > threshold)`` for a factor or group."""
        return float(np.mean(self.draws(name) > threshold))

    def log_shares(self) -> dict[str, float]:
        """Each factor's share of the log-total: ``E[ln f_i] / E[ln total]`` (sums to 1)."""
        means = {k: float(np.mean(np.log(v))) for k, v in self.factor_draws.items()}
        total = sum(means.values())
        return {k: (v / total if total else float("nan")) for k, v in means.items()}

    def table(self) -> pd.DataFrame:
        """One row per factor, then per group: median, interval, log-share, exceedances."""
        pct = round(100 * self.ci_prob)
        shares = self.log_shares()
        rows = []
        for kind, names in (("factor", self.factor_draws), ("group", self.group_draws)):
            for name in names:
                lo, hi = self.quantiles(name)
                row: dict[str, Any] = {
                    "kind": kind,
                    "name": name,
                    "median": self.median(name),
                    f"lower_{pct}": lo,
                    f"upper_{pct}": hi,
                    "log_share": shares.get(name, np.nan),
                }
                for t in self.scenario.thresholds.get(name, []):
                    row[f"P(>{t:g})"] = self.prob_exceeds(name, t)
                published = self.scenario.published.get("medians", {}).get(name)
                row["published_median"] = np.nan if published is None else float(published)
                rows.append(row)
        out = pd.DataFrame(rows)
        if out["published_median"].isna().all():
            out = out.drop(columns="published_median")
        return out

    def summary(self) -> str:
        """Plain-text summary with the table and any published comparison."""
        s = self.scenario
        lines = [
            f"Scenario: {s.name}",
            f"  {s.n_factors} factors, {self.n_draws} draws, seed {self.seed}, "
            f"{round(100 * self.ci_prob)}% intervals",
        ]
        if s.source:
            lines.append(f"  source: {s.source}")
        lines.append(
            self.table().to_string(index=False, float_format=lambda v: f"{v:.3g}", na_rep="")
        )
        for name, probs in s.published.get("prob_exceeds", {}).items():
            for t, p in probs.items():
                lines.append(
                    f"  P({name} > {float(t):g}): {self.prob_exceeds(name, float(t)):.3f} "
                    f"(published {float(p):.2f})"
                )
        return "\n".join(lines)


@dataclass
class Scenario:
    """A multiplier stack: factors, named groups, thresholds and published reference figures.

    Parameters
    ----------
    name : str
        Title.
    factors : list of Factor
        The multipliers, drawn independently.
    groups : dict of str to list of str
        Named products; a member is a factor name or the name of an earlier group.
    thresholds : dict of str to list of float
        Thresholds per factor or group for ``P(product > threshold)``.
    description, source : str
        What the scenario is and where it comes from.
    published : dict
        Optional published figures (``medians``, ``prob_exceeds``) to compare against.
    """

    name: str
    factors: list[Factor]
    groups: dict[str, list[str]] = field(default_factory=dict)
    thresholds: dict[str, list[float]] = field(default_factory=dict)
    description: str = ""
    source: str = ""
    published: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = [f.name for f in self.factors]
        if len(set(names)) != len(names):
            raise ValueError("factor names must be unique")
        self._members = {g: self._resolve(g, ()) for g in self.groups}

    @property
    def n_factors(self) -> int:
        """Number of factors."""
        return len(self.factors)

    def _resolve(self, group: str, stack: tuple[str, ...]) -> list[str]:
        if group in stack:
            raise ValueError(f"group {group!r} refers to itself")
        factor_names = {f.name for f in self.factors}
        out: list[str] = []
        for m in self.groups[group]:
            if m in factor_names:
                out.append(m)
            elif m in self.groups:
                out.extend(self._resolve(m, (*stack, group)))
            else:
                raise ValueError(f"group {group!r}: unknown member {m!r}")
        if len(set(out)) != len(out):
            raise ValueError(f"group {group!r} counts a factor twice")
        return out

    def members(self, group: str) -> list[str]:
        """Factor names a group multiplies."""
        return list(self._members[group])

    def run(
        self, draws: int = 100_000, seed: int = 0, ci_prob: float = CI_PROB
    ) -> MonteCarloResult:
        """Draw every factor and form the group products.

        Parameters
        ----------
        draws : int
            Number of Monte Carlo draws.
        seed : int
            Seed of ``numpy.random.default_rng``.
        ci_prob : float
            Probability of the reported equal-tailed intervals.

        Returns
        -------
        MonteCarloResult
        """
        if isinstance(draws, bool) or int(draws) != draws or draws < 1:
            raise ValueError(f"draws must be a positive integer, got {draws!r}")
        check_ci_prob(ci_prob)
        rng = np.random.default_rng(seed)
        fd = {f.name: f.sample(int(draws), rng) for f in self.factors}
        gd = {g: np.prod([fd[m] for m in self._members[g]], axis=0) for g in self.groups}
        everything = set(fd)
        if "total" not in gd and not any(set(m) == everything for m in self._members.values()):
            gd["total"] = np.prod(list(fd.values()), axis=0)
        return MonteCarloResult(self, fd, gd, seed=seed, ci_prob=ci_prob)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], base: Path | None = None) -> Scenario:
        """Build from a parsed YAML mapping (``base``: folder of ``rate_from`` paths)."""
        return cls(
            name=str(d["name"]),
            factors=[Factor.from_dict(f, base) for f in d["factors"]],
            groups={k: list(v) for k, v in (d.get("groups") or {}).items()},
            thresholds={k: [float(t) for t in v] for k, v in (d.get("thresholds") or {}).items()},
            description=str(d.get("description", "")).strip(),
            source=str(d.get("source", "")).strip(),
            published=dict(d.get("published") or {}),
        )


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario YAML file.

    Raises
    ------
    DataError
        For a missing, non-UTF-8 or malformed file, or a scenario that
        :func:`algoattr.montecarlo_schema.check_scenario` refuses; every problem is listed
        with its file, line and key.
    """
    from algoattr.inputs import raise_all, read_yaml
    from algoattr.montecarlo_schema import check_scenario

    doc = read_yaml(path)
    raise_all(check_scenario(doc))
    try:
        return Scenario.from_dict(doc.data, Path(path).parent)
    except ValueError as exc:  # e.g. a group that refers to itself
        raise DataError(f"{doc.label}: {exc}") from exc


def run_scenario(
    path: str | Path, draws: int = 100_000, seed: int = 0, ci_prob: float = CI_PROB
) -> MonteCarloResult:
    """Load a scenario file and run it (see :meth:`Scenario.run`)."""
    return load_scenario(path).run(draws=draws, seed=seed, ci_prob=ci_prob)


if __name__ == "__main__":  # python -m algoattr.montecarlo: the command line's module runs it
    from algoattr.cli.montecarlo import main

    sys.exit(main())
