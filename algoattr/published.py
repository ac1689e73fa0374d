"""Published figures the package reproduces or compares with, in one place.

Every number here is quoted from a paper (cited beside it) or recovered from the authors'
published fitted values as described; none is an input to a fit. Reports, the CLI and the
cross-checks read them from here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from algoattr.law import LMReference

__all__ = [
    "ERDIL2022_ALEXNET_VITE_SHARES",
    "ERDIL2022_DOUBLING",
    "ERDIL2022_PUBLISHED",
    "HO2024_COMPUTE_SHARE",
    "HO2024_DOUBLING",
    "HO2024_MODEL7",
    "HO2024_PUBLISHED",
    "Ho2024Model7",
    "PublishedDoubling",
    "PublishedShare",
]


@dataclass(frozen=True)
class PublishedDoubling:
    """A published doubling time of effective compute (months).

    Attributes
    ----------
    paper : str
        Short citation.
    median, lower, upper : float
        Published central value and 95% interval, in months.
    point : float
        Doubling time at the full-sample point estimates, in months.
    rows : int
        Rows of the published estimation sample.
    note : str
        What the central value is (bootstrap median, mean, point).
    """

    paper: str
    median: float
    lower: float
    upper: float
    point: float
    rows: int
    note: str

    def label(self) -> str:
        """``'Ho et al. 2024: 8.4 [4.5, 14.3] months'``."""
        return f"{self.paper}: {self.median:g} [{self.lower:g}, {self.upper:g}] months"


#: Ho et al. 2024 (arXiv:2403.05140), model 7: bootstrap median and 95% percentiles of 100
#: refits; 8.7 months at the full-sample estimates; 231 rows (at most 3 per paper).
HO2024_DOUBLING = PublishedDoubling(
    paper="Ho et al. 2024",
    median=8.4,
    lower=4.5,
    upper=14.3,
    point=8.7,
    rows=231,
    note="bootstrap median and 95% percentiles of 100 refits",
)

#: Erdil & Besiroglu 2022 (arXiv:2212.05153): compute-augmenting doubling, bootstrap mean 8.7
#: months with 95% interval [3.6, 25.4]; 8.1 months at the MAP point; 97 rows.
ERDIL2022_DOUBLING = PublishedDoubling(
    paper="Erdil & Besiroglu 2022",
    median=8.7,
    lower=3.6,
    upper=25.4,
    point=8.1,
    rows=97,
    note="bootstrap mean and 95% percentiles; point 8.1 months",
)


@dataclass(frozen=True)
class Ho2024Model7:
    """Ho et al. 2024's model 7 at their full-sample estimates, as an evaluable function.

    ``L = exp(a_b + c_A − α_year·Y − α_param·ln N) + exp(b_b + c_B − β_year·Y − β_data·ln D)``
    with ``Y = year + (day of year − 1)/365`` and benchmark constants
    ``a_b = α_const + α_ptb·[PTB] + α_wt2·[WT2]`` (``b_b`` likewise). The constants are the
    published estimates; ``c_A = α_year·Y0 + α_param·ln N0`` and ``c_B`` (the reference point,
    not published) and the slopes to more digits were recovered by least squares from the
    authors' published fitted values on 40 rows whose inputs are certain (rms error 6e-6).
    """

    alpha_const: float = 0.9127
    alpha_ptb: float = 0.00038
    alpha_wt2: float = 0.0554
    alpha_year: float = 0.0039338
    alpha_param: float = 0.067990
    beta_const: float = 0.7714
    beta_ptb: float = 0.1764
    beta_wt2: float = 0.0954
    beta_year: float = 0.035621
    beta_data: float = 0.039580
    c_a: float = 8.903096
    c_b: float = 72.229904

    def reference(self, year0: float = 2012.5) -> LMReference:
        """The law's reference point ``(Y0, N0, D0)`` in :func:`algoattr.law.lm_terms`' form.

        ``c_A = α_year·Y0 + α_param·ln N0`` and ``c_B = β_year·Y0 + β_data·ln D0`` fix N0 and
        D0 once Y0 is chosen; every Y0 gives the same law. At Ho et al.'s mid-2012 the point is
        N0 ≈ 2e6 (LBL) and D0 ≈ 9e5 (a PTB-sized split), their sample minima.
        """
        n0 = math.exp((self.c_a - self.alpha_year * year0) / self.alpha_param)
        d0 = math.exp((self.c_b - self.beta_year * year0) / self.beta_data)
        return LMReference(year0=year0, n0=n0, d0=d0)

    def constants(self, benchmark: str) -> tuple[float, float]:
        """``(a_b, b_b)`` of a benchmark id (``wikitext-103`` is the base level)."""
        a = self.alpha_const + {"ptb": self.alpha_ptb, "wikitext-2": self.alpha_wt2}.get(
            benchmark, 0.0
        )
        b = self.beta_const + {"ptb": self.beta_ptb, "wikitext-2": self.beta_wt2}.get(
            benchmark, 0.0
        )
        return a, b


HO2024_MODEL7 = Ho2024Model7()


#: Ho et al. 2024's full-sample point estimates of model 7 (their notebook, δ = 0.0025).
HO2024_PUBLISHED = {
    "alpha_const": 0.9127,
    "alpha_ptb": 0.00038,
    "alpha_wt2": 0.0554,
    "alpha_year": 0.00394,
    "alpha_param": 0.0680,
    "beta_const": 0.7714,
    "beta_ptb": 0.1764,
    "beta_wt2": 0.0954,
    "beta_year": 0.0356,
    "beta_data": 0.0396,
}

#: Erdil & Besiroglu 2022's point estimates (MAP on their 97 rows).
ERDIL2022_PUBLISHED = {
    "c_compute": 0.889,
    "beta_year": 0.1589,
    "beta_compute": 0.1545,
    "c_data": 1.783,
    "beta_year_data": 0.0198,
    "beta_data": 0.0632,
    "log_sigma": -2.160,
}


@dataclass(frozen=True)
class PublishedShare:
    """A published share of the improvement attributed to one factor (Shapley values).

    Attributes
    ----------
    paper : str
        Short citation.
    component : str
        What the share is of (``compute``: parameters and data scaling, ``algorithms``, ...).
    lower, upper : float
        The published range as fractions (equal for a single figure).
    space : str
        The space the improvement is measured in (``log-perplexity``, ``accuracy``).
    note : str
        Which models or pairs the figure refers to.
    """

    paper: str
    component: str
    lower: float
    upper: float
    space: str
    note: str

    def label(self) -> str:
        """``'Ho et al. 2024: 60–95%'`` (or one figure, ``'43.6%'``)."""
        if self.lower == self.upper:
            return f"{self.paper}: {100 * self.lower:.1f}%"
        return f"{self.paper}: {100 * self.lower:.0f}–{100 * self.upper:.0f}%"


#: Ho et al. 2024 (arXiv:2403.05140), Shapley analysis of reference language models: compute
#: scaling (parameters and training data together) accounts for about 60–95% of the
#: improvement in (predicted) log-perplexity between pairs of reference models whose predicted
#: perplexity falls by more than 1.
HO2024_COMPUTE_SHARE = PublishedShare(
    paper="Ho et al. 2024",
    component="compute",
    lower=0.60,
    upper=0.95,
    space="log-perplexity",
    note="Shapley shares over pairs of reference models (compute = parameters + data)",
)

#: Erdil & Besiroglu 2022 (arXiv:2212.05153): AlexNet → ViT-e shares of the change in
#: accuracy at their point estimates (reproduced by the doctest of
#: :func:`algoattr.attribution.imagenet_attribution`).
ERDIL2022_ALEXNET_VITE_SHARES = {
    name: PublishedShare(
        paper="Erdil & Besiroglu 2022",
        component=name,
        lower=value,
        upper=value,
        space="accuracy",
        note="AlexNet → ViT-e, point estimates",
    )
    for name, value in (("compute", 0.436), ("algorithms", 0.416), ("data", 0.148))
}
