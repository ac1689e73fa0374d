"""Predictions of held-out rows: the Bayesian posterior predictive and the papers' estimator.

:func:`posterior_predictive` evaluates the law at every posterior draw plus the residual;
:func:`paper_fit` refits the papers' estimator on the fit rows and returns a :class:`PaperFit`
that predicts held-out rows from the point fit and the bootstrap refits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from algoattr import baselines, law
from algoattr.baselines.ho2024 import _ho_rate
from algoattr.model.design import IMAGENET_TASK, LM_TASK, TRANSFORMER_CLASSES
from algoattr.model.results import FitResult

#: LM variants whose posterior :func:`law_mean` can carry to held-out rows (the backtest's
#: ``--variants``): the default law and the two whose year rates depend on the row.
PREDICTABLE_VARIANTS = ("both", "scale_rates", "architecture_rates")

# ----------------------------------------------------------------------------- predictions


def _row_year_rates(
    fit: FitResult, rows: pd.DataFrame, p: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """``(draws, rows)`` year rates of the LM law for ``rows``, as the fit's variant defines
    them (:mod:`algoattr.model.lm`): shared rates; plus ``year_scale`` per decade of
    ``6·N·D`` around the fit rows' median compute (``scale_rates``); plus the Transformer
    differences for Transformer rows (``architecture_rates``)."""
    if fit.variant not in PREDICTABLE_VARIANTS:
        raise ValueError(
            f"cannot predict held-out rows from variant {fit.variant!r}; "
            f"choose from {', '.join(PREDICTABLE_VARIANTS)}"
        )
    alpha = p["alpha_year"][:, None]
    beta = p["beta_year"][:, None]
    if fit.variant == "scale_rates":
        mid = float(np.asarray(fit.idata.constant_data["log10_compute_mid"]).reshape(-1)[0])
        shift = np.log10(
            6.0 * rows["parameters"].to_numpy(float) * rows["training_tokens"].to_numpy(float)
        )
        shift = fit.draws("year_scale")[:, None] * (shift - mid)[None, :]
        alpha, beta = alpha + shift, beta + shift
    elif fit.variant == "architecture_rates":
        cls = rows.get("architecture_class", pd.Series("", index=rows.index))
        tf = cls.isin(TRANSFORMER_CLASSES).to_numpy(float)[None, :]
        alpha = alpha + fit.draws("alpha_year_transformer_diff")[:, None] * tf
        beta = beta + fit.draws("beta_year_transformer_diff")[:, None] * tf
    shape = (alpha.shape[0], len(rows))
    return np.broadcast_to(alpha, shape), np.broadcast_to(beta, shape)


def law_mean(fit: FitResult, rows: pd.DataFrame) -> np.ndarray:
    """``(draws, rows)`` of the law's mean for ``rows`` at every posterior draw of ``fit``.

    Every row's benchmark must be in the fit (language models). LM fits of the variants in
    :data:`PREDICTABLE_VARIANTS` are supported; their year rates are those of each row.
    """
    if fit.task == IMAGENET_TASK:
        p = fit.draws_for()
        acc = law.imagenet_accuracy(
            rows["year"].to_numpy(float)[None, :],
            rows["training_compute_flop"].to_numpy(float)[None, :],
            rows["training_images"].to_numpy(float)[None, :],
            **{k: v[:, None] for k, v in p.items()},
        )
        return np.asarray(law.logit(acc))
    n_draws = fit.draws("sigma").shape[0]
    out = np.empty((n_draws, len(rows)))
    bench = rows["benchmark"].astype(str).to_numpy()
    for b in np.unique(bench):
        cols = np.flatnonzero(bench == b)
        sub = rows.iloc[cols]
        p = fit.draws_for(b)
        alpha_year, beta_year = _row_year_rates(fit, sub, p)
        rest = {k: v[:, None] for k, v in p.items() if k not in ("alpha_year", "beta_year")}
        out[:, cols] = law.lm_log_perplexity(
            sub["year"].to_numpy(float)[None, :],
            sub["parameters"].to_numpy(float)[None, :],
            sub["training_tokens"].to_numpy(float)[None, :],
            ref=fit.reference,
            alpha_year=alpha_year,
            beta_year=beta_year,
            **rest,
        )
    return out


def posterior_predictive(
    fit: FitResult, rows: pd.DataFrame, rng: np.random.Generator
) -> np.ndarray:
    """``(draws, rows)`` posterior predictive draws: the law's mean plus the residual.

    The residual is Normal(0, ``sigma``) or, for a Student-t fit, ``sigma`` times a
    Student-t(``nu``) draw, one per posterior draw and row.
    """
    mu = law_mean(fit, rows)
    sigma = fit.draws("sigma")[:, None]
    if "nu" in fit.idata.posterior:
        eps = rng.standard_t(np.broadcast_to(fit.draws("nu")[:, None], mu.shape))
    else:
        eps = rng.standard_normal(mu.shape)
    return mu + sigma * eps


@dataclass
class PaperFit:
    """The papers' estimator on one set of rows: point fit and bootstrap refits.

    Attributes
    ----------
    name : str
        ``"ho2024"`` or ``"erdil2022"``.
    theta : numpy.ndarray
        Full-sample fit.
    boots : numpy.ndarray
        ``(n_boot, p)`` bootstrap refits (Erdil & Besiroglu: the full-sample fit is the first).
    doubling_time_months : dict
        As :attr:`algoattr.baselines.BaselineResult.doubling_time_months`.
    train : pandas.DataFrame
        Rows fitted.
    resid_sd : numpy.ndarray
        Residual scale per bootstrap fit, on the law's scale.
    """

    name: str
    theta: np.ndarray
    boots: np.ndarray
    doubling_time_months: dict[str, float]
    train: pd.DataFrame
    resid_sd: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def predict(self, rows: pd.DataFrame, theta: np.ndarray) -> np.ndarray:
        """Predictions for ``rows`` on the law's scale, ``(len(theta), rows)`` for a 2-d
        ``theta`` (one fit per row of it)."""
        thetas = np.atleast_2d(theta)
        if self.name == "erdil2022":
            d = baselines.ErdilDesign.from_frame(rows)
            kw = {k: thetas[:, j, None] for j, k in enumerate(baselines.ERDIL_PARAMS[:6])}
            out = np.asarray(law.logit(law.imagenet_accuracy(d.year, d.compute, d.images, **kw)))
        else:
            train = baselines.HoDesign.from_frame(self.train)
            both = baselines.HoDesign.from_frame(pd.concat([self.train, rows]), ref=train.ref)
            if both.dummy_names != train.dummy_names or both.base != train.base:
                raise ValueError("held-out rows of a benchmark the fit has not seen")
            test = both.subset(np.arange(len(self.train), len(self.train) + len(rows)))
            out = np.array([test.predict(t) for t in thetas])
        return out[0] if np.ndim(theta) == 1 else out


def paper_fit(train: pd.DataFrame, task: str, *, n_boot: int, seed: int) -> PaperFit:
    """Fit the papers' estimator with ``n_boot`` bootstrap refits.

    The same fits, in the same order and from the same seed, as
    :func:`algoattr.baselines.ho2024_estimator` and
    :func:`algoattr.baselines.erdil2022_estimator`, kept so that they can predict.
    """
    rng = np.random.default_rng(seed)
    if task == LM_TASK:
        design = baselines.HoDesign.from_frame(train)
        names = design.param_names
        theta = baselines.ho2024_fit(design)
        n = len(design.year)
        boots = np.empty((n_boot, len(names)))
        for i in range(n_boot):
            sub = design.subset(rng.integers(0, n, n))
            boots[i] = baselines.ho2024_fit(sub, theta0=theta)

        def rate(t: np.ndarray) -> float:
            return _ho_rate(dict(zip(names, t, strict=True)))

        rates = np.array([rate(b) for b in boots])
        point_rate = rate(theta)
        rmse = float(np.sqrt(np.mean((design.predict(theta) - design.log_ppl) ** 2)))
        resid = np.full(n_boot, rmse)
        name = "ho2024"
    else:
        design = baselines.ErdilDesign.from_frame(train)
        theta = baselines.erdil2022_fit(design)
        n = len(design.year)
        fits = [theta]
        for _ in range(max(n_boot - 1, 0)):
            sub = design.subset(rng.integers(0, n, n))
            fits.append(baselines.erdil2022_fit(sub, theta0=theta))
        boots = np.array(fits)
        rates = law.LN2 / law.imagenet_doubling_time_years(boots[:, 1], boots[:, 2])
        resid = np.exp(boots[:, 6])
        point_rate = float(law.LN2 / law.imagenet_doubling_time_years(theta[1], theta[2]))
        name = "erdil2022"
    return PaperFit(
        name=name,
        theta=theta,
        boots=boots,
        doubling_time_months=baselines.doubling_summary(point_rate, rates),
        train=train.reset_index(drop=True),
        resid_sd=resid,
    )
