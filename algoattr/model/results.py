"""The results object of a fit: posterior, rows used, exclusions, diagnostics, summary."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from algoattr import law
from algoattr.intervals import CI_PROB, ci_label, summarise
from algoattr.law import IMAGENET_PARAMS, LM_PARAMS, LMReference
from algoattr.model.sampling import Diagnostics, SamplerSettings

#: Quantities whose convergence gates a result.
HEADLINE_VARS = ("doubling_time_months", "rate", "transformer_factor")


def doubling_time_interval(rate: np.ndarray, ci_prob: float = CI_PROB) -> dict[str, float]:
    """Median and interval of the doubling time (months) from draws of the e-fold rate.

    Quantiles are taken on the rate, which is smooth through zero, and mapped through
    ``12·ln 2 / rate``; an interval whose rate bound is ≤ 0 has an infinite upper end.
    """
    q = summarise(rate, ci_prob)
    return {
        "median": float(law.doubling_months(q["median"])),
        "lower": float(law.doubling_months(q["upper"])),
        "upper": float(law.doubling_months(q["lower"])),
        "ci_prob": q["ci_prob"],
    }


@dataclass
class FitResult:
    """A fitted scaling law: posterior, data, exclusions and diagnostics.

    Attributes
    ----------
    task : {"language_modelling", "image_classification"}
        Which law was fitted.
    benchmarks : list of str
        Benchmark ids of the rows used.
    variant : str
        Model variant (see :data:`algoattr.model.lm.LM_VARIANTS`); ``"erdil2022"`` for ImageNet.
    idata : arviz.InferenceData
        Posterior, sample stats, log-likelihood, observed and constant data.
    data : pandas.DataFrame
        Rows used, in model order.
    excluded : pandas.DataFrame
        Rows excluded, with reasons.
    reference : LMReference or None
        Reference point of the LM law (None for ImageNet).
    settings : SamplerSettings
        Sampler settings.
    diagnostics : Diagnostics
        Convergence of the headline quantities.
    comparison : pandas.DataFrame or None
        PSIS-LOO comparison of variants, when run.
    extras : dict
        Further results (Transformer CEG, baselines, timings, provenance).
    """

    task: str
    benchmarks: list[str]
    variant: str
    idata: Any
    data: pd.DataFrame
    excluded: pd.DataFrame
    reference: LMReference | None
    settings: SamplerSettings
    diagnostics: Diagnostics
    comparison: pd.DataFrame | None = None
    extras: dict[str, Any] = field(default_factory=dict)

    # ----------------------------------------------------------------- posterior access
    def draws(self, name: str) -> np.ndarray:
        """Posterior draws of ``name`` with chains and draws flattened to the first axis."""
        x = self.idata.posterior[name].values
        return x.reshape(-1, *x.shape[2:])

    def draws_for(self, benchmark: str | None = None) -> dict[str, np.ndarray]:
        """Draws of the law's parameters, keyed by the law function's argument names.

        Parameters
        ----------
        benchmark : str, optional
            For the LM law, whose constants ``a`` and ``b`` to take (required when the fit
            covers several benchmarks).

        Returns
        -------
        dict of str to numpy.ndarray
            One 1-d array of draws per parameter; year terms a variant lacks are zeros.
        """
        post = self.idata.posterior
        n = post.sizes["chain"] * post.sizes["draw"]
        if self.task == "image_classification":
            return {k: self.draws(k) for k in IMAGENET_PARAMS}
        if benchmark is None:
            if len(self.benchmarks) != 1:
                raise ValueError(f"name one of the fitted benchmarks: {self.benchmarks}")
            benchmark = self.benchmarks[0]
        if benchmark not in self.benchmarks:
            raise ValueError(f"benchmark {benchmark!r} not in this fit ({self.benchmarks})")
        out: dict[str, np.ndarray] = {}
        for k in LM_PARAMS:
            if k in ("a", "b"):
                out[k] = post[k].sel(benchmark=benchmark).values.reshape(n)
            elif k in post:
                out[k] = self.draws(k)
            else:
                out[k] = np.zeros(n)
        return out

    # ----------------------------------------------------------------------- summaries
    def headline(self, ci_prob: float = CI_PROB) -> dict[str, Any]:
        """Doubling time, multiplier per year and exponents: medians and ``ci_prob`` intervals."""
        post = self.idata.posterior
        out: dict[str, Any] = {}
        if "rate" in post:
            rate = self.draws("rate")
            out["doubling_time_months"] = doubling_time_interval(rate, ci_prob)
            with np.errstate(over="ignore"):
                out["multiplier_per_year"] = summarise(np.exp(rate), ci_prob)
            out["rate_per_year"] = summarise(rate, ci_prob)
            out["prob_progress_positive"] = float(np.mean(rate > 0))
        names = IMAGENET_PARAMS if self.task == "image_classification" else LM_PARAMS[1:]
        for k in names:
            if k in post and k not in ("a", "b"):
                out[k] = summarise(self.draws(k), ci_prob)
        if "transformer_factor" in post:
            out["transformer_factor"] = summarise(self.draws("transformer_factor"), ci_prob)
        for k, v in self.extras.items():
            if k.startswith("ceg_"):
                out[k] = v
        return out

    def summary(self) -> str:
        """A plain-text summary: rows, exclusions, headline estimates, diagnostics."""
        h = self.headline()
        lines = [
            f"algoattr fit: {self.task}, benchmarks {', '.join(self.benchmarks)}, "
            f"variant {self.variant}",
            f"rows used: {len(self.data)}; excluded: {len(self.excluded)}",
            f"sampler: {self.settings.sampler}, {self.settings.chains} chains x "
            f"{self.settings.draws} draws (tune {self.settings.tune}), seed {self.settings.seed}",
        ]
        if "doubling_time_months" in h:
            dt = h["doubling_time_months"]
            m = h["multiplier_per_year"]
            lines.append(
                f"doubling time of effective compute: {dt['median']:.1f} months "
                f"({ci_label(dt['ci_prob'])} {dt['lower']:.1f} to {dt['upper']:.1f})"
            )
            lines.append(
                f"effective-compute multiplier per year: {m['median']:.2f}x "
                f"({ci_label(m['ci_prob'])} {m['lower']:.2f} to {m['upper']:.2f})"
            )
        for k, v in h.items():
            if isinstance(v, dict) and k not in ("doubling_time_months", "multiplier_per_year"):
                if "median" in v:
                    lines.append(f"  {k}: {v['median']:.4g} [{v['lower']:.4g}, {v['upper']:.4g}]")
        if self.comparison is not None:
            lines.append("PSIS-LOO comparison of variants:")
            lines.append(self.comparison.to_string())
        if self.diagnostics.ok:
            lines.append("diagnostics: ok (0 divergences, R-hat <= 1.01, ESS >= 400)")
        else:
            lines.append("WARNING: diagnostics failed:")
            lines.extend(f"  ! {w}" for w in self.diagnostics.warnings)
        sd = self.extras.get("scale_dependence")
        if sd:
            k = sd["year_scale"]
            lo_c, hi_c = sd["rows_log10_compute"]
            lines.append(
                "scale dependence (scale_rates variant): year rates change by "
                f"{k['median']:+.4f} [{k['lower']:+.4f}, {k['upper']:+.4f}] per decade of "
                f"compute, P(> 0) = {k['prob_positive']:.2f}; doubling time at "
                + ", ".join(
                    f"{c} FLOP {v['median']:.1f} [{v['lower']:.1f}, {v['upper']:.1f}]"
                    for c, v in sd["doubling_months"].items()
                )
                + f" months (rows span 1e{lo_c:.1f} to 1e{hi_c:.1f} FLOP)"
            )
        ar = self.extras.get("architecture_rates")
        if ar:
            o, f = ar["other_rows_months"], ar["transformer_rows_months"]
            lines.append(
                "architecture rates (architecture_rates variant): doubling time "
                f"{f['median']:.1f} [{f['lower']:.1f}, {f['upper']:.1f}] months for Transformer "
                f"rows, {o['median']:.1f} [{o['lower']:.1f}, {o['upper']:.1f}] for the others; "
                f"P(Transformer rows faster) = {ar['prob_transformer_faster']:.2f}"
            )
        from algoattr.sensitivity import format_influence, format_sensitivity

        if self.extras.get("influence"):
            lines.append(format_influence(pd.DataFrame(self.extras["influence"])))
        if self.extras.get("sensitivity"):
            lines.append(format_sensitivity(pd.DataFrame(self.extras["sensitivity"])))
        return "\n".join(lines)

    # ---------------------------------------------------------------------- persistence
    def idata_attrs(self) -> dict[str, str]:
        """Provenance of the fit as ``InferenceData.attrs`` (strings; nested values as JSON).

        Written into the posterior file by :meth:`save`, so the one netCDF file of a fit says
        what made it, as pymc-marketing's ``create_idata_attrs`` does: package version, task,
        benchmarks, variant, law reference point, sampler settings, diagnostics, selection
        rules, dataset checksum, the priors the model was built with and the command.
        """
        from algoattr import __version__

        def js(x: Any) -> str:
            return json.dumps(x, default=_jsonable, sort_keys=True)

        ex = self.extras
        attrs = {
            "algoattr_version": __version__,
            "task": self.task,
            "benchmarks": js(self.benchmarks),
            "variant": self.variant,
            "reference": js(None if self.reference is None else self.reference.to_dict()),
            "sampler_settings": js(self.settings.to_dict()),
            "diagnostics": js(self.diagnostics.to_dict()),
            "n_rows": str(len(self.data)),
            "n_excluded": str(len(self.excluded)),
        }
        for key in ("dataset_checksum", "rules", "rules_text", "likelihood", "priors", "command"):
            if ex.get(key) is not None:
                value = ex[key]
                attrs[key] = value if isinstance(value, str) else js(value)
        return attrs

    def save(self, out_dir: str | Path, stem: str) -> dict[str, Path]:
        """Write the posterior (netCDF), summary (JSON and CSV), rows used and exclusions.

        The files are written together through :func:`algoattr.outputs.atomic_group`: an
        interrupted save (Ctrl-C, ``kill -9``) leaves every previous file byte-identical, and
        a finished one replaces them all. Text cells that a spreadsheet would run as formulas
        are neutralised in the CSV files (:func:`algoattr.outputs.write_csv`).

        Returns
        -------
        dict of str to pathlib.Path
            The files written.
        """
        from algoattr.outputs import atomic_group, neutralise_formulas, output_folder

        out = output_folder(out_dir)
        paths = {
            "posterior": out / f"{stem}_posterior.nc",
            "summary_json": out / f"{stem}_summary.json",
            "summary_csv": out / f"{stem}_summary.csv",
            "rows": out / f"{stem}_rows.csv",
            "excluded": out / f"{stem}_excluded.csv",
        }
        extra_tables = {
            key: pd.DataFrame(self.extras[key])
            for key in ("influence", "sensitivity")
            if self.extras.get(key)
        }
        paths.update({key: out / f"{stem}_{key}.csv" for key in extra_tables})
        payload = {
            "task": self.task,
            "benchmarks": self.benchmarks,
            "variant": self.variant,
            "reference": None if self.reference is None else self.reference.to_dict(),
            "settings": self.settings.to_dict(),
            "diagnostics": self.diagnostics.to_dict(),
            "headline": self.headline(),
            "n_rows": len(self.data),
            "n_excluded": len(self.excluded),
            "comparison": None
            if self.comparison is None
            else self.comparison.reset_index().to_dict(orient="records"),
            "extras": self.extras,
            "files": {k: p.name for k, p in paths.items()},
        }
        text = json.dumps(payload, indent=2, default=_jsonable)
        tables = {
            "rows": self.data,
            "excluded": self.excluded,
            "summary_csv": self.summary_table(),
            **extra_tables,
        }
        self.idata.attrs.update(self.idata_attrs())
        with atomic_group() as group:
            self.idata.to_netcdf(str(group.path(paths["posterior"])))
            for key, table in tables.items():
                neutralise_formulas(table).to_csv(group.path(paths[key]), index=False)
            group.path(paths["summary_json"]).write_text(text, encoding="utf-8")
        return paths

    def summary_table(self) -> pd.DataFrame:
        """Headline quantities as a tidy table (quantity, median, lower, upper, ci_prob)."""
        rows = [
            {"quantity": k, **v}
            for k, v in self.headline().items()
            if isinstance(v, dict) and "median" in v
        ]
        return pd.DataFrame(rows)

    @classmethod
    def load(cls, path: str | Path) -> FitResult:
        """Read a result written by :meth:`save` (pass the ``*_summary.json`` path).

        Raises
        ------
        MissingFitError
            If the summary or a file it names is absent (the posterior is not committed to
            the repository, so a fresh clone has summaries without posteriors); the message
            says which command writes it.
        DataError
            If the summary is not JSON or lacks a key.
        """
        import arviz as az

        from algoattr.errors import DataError, MissingFitError
        from algoattr.outputs import restore_formulas

        path = Path(path)
        if not path.is_file():
            raise MissingFitError(f"{path}: no saved fit ({refit_hint(path)})")
        try:
            meta = json.loads(path.read_text(encoding="utf-8"))
            files = {k: path.parent / v for k, v in meta["files"].items()}
        except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError) as exc:
            raise DataError(f"{path}: not a saved fit summary ({exc})") from exc
        missing = [p.name for k, p in files.items() if k != "summary_json" and not p.is_file()]
        if missing:
            raise MissingFitError(
                f"{path}: the saved fit lacks {', '.join(missing)} ({refit_hint(path, meta)})"
            )
        idata = az.from_netcdf(str(files["posterior"]))
        data = restore_formulas(pd.read_csv(files["rows"]))
        excluded = restore_formulas(pd.read_csv(files["excluded"]))
        ref = meta.get("reference")
        diag = {k: v for k, v in meta["diagnostics"].items() if k != "ok"}
        comparison = meta.get("comparison")
        return cls(
            task=meta["task"],
            benchmarks=list(meta["benchmarks"]),
            variant=meta["variant"],
            idata=idata,
            data=data,
            excluded=excluded,
            reference=None if ref is None else LMReference(**ref),
            # Fits saved before the mass-matrix setting existed used every sampler's
            # diagonal adaptation.
            settings=SamplerSettings(**{"mass_matrix": "diag", **meta["settings"]}),
            diagnostics=Diagnostics(**diag),
            comparison=None if comparison is None else pd.DataFrame(comparison),
            extras=meta.get("extras", {}),
        )


def refit_hint(path: Path, meta: dict[str, Any] | None = None) -> str:
    """The sentence that says which command writes the saved fit ``path``."""
    stem = path.name.removesuffix("_summary.json")
    command = (meta or {}).get("extras", {}).get("command")
    if not command:
        command = f"python -m algoattr.fit --benchmark {stem}"
        if path.parent != Path("reports"):
            command += f" --out {path.parent}"
    return f"run `{command}` first"


def _jsonable(x: Any) -> Any:
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, Path):
        return str(x)
    if isinstance(x, pd.Timestamp):
        return x.isoformat()
    raise TypeError(f"not JSON serialisable: {type(x)}")
