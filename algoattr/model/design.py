"""Which rows a fit uses, why the others are excluded, and the arrays the models read.

Nothing is dropped silently: :func:`select_rows` returns the rows used and a table of every
excluded row with its reason, which the CLI prints and the report shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from algoattr.law import LMReference

LM_TASK = "language_modelling"
IMAGENET_TASK = "image_classification"

#: Architecture classes treated as Transformers by the Transformer-effect variant.
TRANSFORMER_CLASSES = ("transformer",)


@dataclass(frozen=True)
class SelectionRules:
    """Row-selection rules of a fit.

    Parameters
    ----------
    include_zero_shot : bool
        Keep models evaluated without training on the benchmark's training split (LM
        ``zero_shot`` rows, ImageNet ``protocol = zero_shot`` rows).
    include_linear_probe : bool
        Keep ImageNet linear probes on frozen features (``protocol = linear_probe``); the law
        describes classifiers trained end to end.
    include_dynamic_eval : bool
        Keep dynamic-evaluation results (weights adapted on the test set).
    include_cache : bool
        Keep results with caches, pointers or retrieval at test time.
    include_ensembles : bool
        Keep ensembles of separately trained models (recognised by "ensemble" in the model
        or architecture name); their parameter count is not that of one model.
    max_per_paper : int or None
        Keep at most this many rows per paper (the best ones), as Ho et al. 2024 keep 3;
        ``None`` keeps all (use with the paper-level effect).
    per_paper_across_benchmarks : bool
        Count ``max_per_paper`` over all of a paper's rows (Ho et al.'s pipeline) rather than
        per (paper, benchmark).
    include_ngram : bool
        Keep n-gram baselines (``architecture_class = ngram``): their "parameters" count
        n-gram entries, not weights, so they do not sit on the law's parameter axis.
    max_evaluation_lag_years : float or None
        Exclude rows whose figure was first published (``evaluation_date``) more than this
        many years after the method (``publication_date``): such a row dates a later
        evaluation, often with later tooling, at the method's date. ``None`` keeps them.
    include_token_level : bool
        Keep language-model rows whose perplexity is per token of the model's own tokenizer
        (``perplexity_level = token``), which is not on the word-level scale of the
        benchmarks' definition (a sub-word perplexity is lower).
    min_year : float or None
        Exclude rows published before this decimal year.
    compilation : str or None
        Keep only rows whose ``compilations`` lists this id (``ho2024``, ``erdil2022``): a
        published sample rebuilt from the project's own cited rows.
    """

    include_zero_shot: bool = False
    include_linear_probe: bool = False
    include_dynamic_eval: bool = False
    include_cache: bool = False
    include_ensembles: bool = False
    max_per_paper: int | None = 3
    per_paper_across_benchmarks: bool = False
    include_ngram: bool = False
    max_evaluation_lag_years: float | None = 2.0
    include_token_level: bool = False
    min_year: float | None = None
    compilation: str | None = None

    def describe(self) -> str:
        """The rules as one line of text (what is kept beyond the defaults, what is cut)."""
        parts = []
        if self.compilation:
            parts.append(f"rows listed in {self.compilation}")
        flags = ("zero_shot", "linear_probe", "dynamic_eval", "cache", "ensembles", "ngram")
        for flag in (*flags, "token_level"):
            if getattr(self, f"include_{flag}"):
                parts.append(f"+{flag.replace('_', '-')}")
        if self.max_evaluation_lag_years is not None:
            parts.append(f"evaluation lag <= {self.max_evaluation_lag_years:g} y")
        if self.min_year is not None:
            parts.append(f"year >= {self.min_year:g}")
        if self.max_per_paper is None:
            parts.append("all rows per paper")
        elif self.max_per_paper < 0:
            parts.append("the task's rows per paper (LM: best 3 per paper and benchmark)")
        else:
            scope = "paper" if self.per_paper_across_benchmarks else "paper and benchmark"
            parts.append(f"best {self.max_per_paper} per {scope}")
        return ", ".join(parts)


#: Named rule sets (``python -m algoattr.fit --rules NAME``). ``default`` is the project's
#: choice; ``ho2024`` and ``erdil2022`` rebuild each paper's sample from the project's rows.
#: A negative ``max_per_paper`` means the task's default (3 for language models, all rows
#: for ImageNet, all rows with a paper effect).
RULE_SETS: dict[str, SelectionRules] = {
    "default": SelectionRules(max_per_paper=-1),
    # Ho et al. 2024: their 231 systems (rows whose compilations list ho2024), their flags
    # kept (dynamic evaluation, caches, zero-shot rows and token-level perplexities of
    # pretrained LLMs are in their sample), no n-gram or evaluation-lag rule, the 3 best rows
    # of each paper across benchmarks.
    "ho2024": SelectionRules(
        include_zero_shot=True,
        include_token_level=True,
        include_dynamic_eval=True,
        include_cache=True,
        include_ensembles=True,
        include_ngram=True,
        max_evaluation_lag_years=None,
        max_per_paper=3,
        per_paper_across_benchmarks=True,
        compilation="ho2024",
    ),
    # Erdil & Besiroglu 2022: the rows of their table, every row of a paper, ensembles kept
    # (their table has AlexNet's and ZFNet's ensemble figures), end-to-end training only.
    "erdil2022": SelectionRules(
        include_ensembles=True,
        include_ngram=True,
        max_evaluation_lag_years=None,
        max_per_paper=None,
        compilation="erdil2022",
    ),
}

#: One line per rule set, for ``--help``, the report and datasets/README.md.
RULE_SET_NOTES: dict[str, str] = {
    "default": "the project's rules: no test-time adaptation (dynamic evaluation, caches), no "
    "zero-shot rows, no ensembles, no n-gram baselines, no token-level perplexities, no figure "
    "first published more than 2 years after its method, the 3 best rows per paper and "
    "benchmark (LM)",
    "ho2024": "Ho et al. 2024's sample rebuilt from the project's rows: rows listed in ho2024, "
    "their flags kept, the 3 best rows of each paper across benchmarks",
    "erdil2022": "Erdil & Besiroglu 2022's sample rebuilt from the project's rows: rows listed in "
    "erdil2022, every row of a paper, ensembles kept",
}


def rule_set(name: str) -> SelectionRules:
    """The named rule set ``name`` (see :data:`RULE_SETS`).

    Raises
    ------
    KeyError
        For an unknown name; the message lists the known ones.
    """
    try:
        return RULE_SETS[name]
    except KeyError:
        raise KeyError(f"unknown rule set {name!r}; choose one of {', '.join(RULE_SETS)}") from None


def is_ensemble(df: pd.DataFrame) -> pd.Series:
    """Rows that evaluate an ensemble of separately trained models.

    Recognised by the word "ensemble" in ``model`` or ``architecture``; an ensemble's parameter
    count and compute are not those of one model, so fits and the threshold method leave it out.
    """
    arch = df["architecture"] if "architecture" in df else pd.Series("", index=df.index)
    text = df["model"].astype(str) + " " + arch.fillna("").astype(str)
    return text.str.contains("ensemble", case=False)


def imagenet_protocol(df: pd.DataFrame) -> pd.Series:
    """Each row's ImageNet ``protocol``; rows without one (LM rows, older tables) count as
    ``end_to_end``."""
    if "protocol" not in df:
        return pd.Series("end_to_end", index=df.index)
    return df["protocol"].fillna("end_to_end").astype(str)


#: Reasons of the comparability rules shared by the fits and the threshold method.
NGRAM_REASON = "n-gram baseline (its parameters count n-gram entries, not weights)"
LM_FLAG_REASONS = {
    "dynamic_eval": "dynamic evaluation (adapts to the test set)",
    "cache": "cache, pointer or retrieval at test time",
    "zero_shot": "zero-shot (not trained on the benchmark)",
}


TOKEN_LEVEL_REASON = "perplexity per sub-word token, not per word (perplexity_level)"


def is_token_level(df: pd.DataFrame) -> pd.Series:
    """Language-model rows whose perplexity is per token of the model's own tokenizer
    (``perplexity_level = token``); an empty cell or a table without the column is word level."""
    if "perplexity_level" not in df:
        return pd.Series(False, index=df.index)
    return df["perplexity_level"].fillna("").astype(str).str.strip() == "token"


def late_reason(max_years: float) -> str:
    """Reason of the evaluation-lag rule."""
    return f"evaluated more than {max_years:g} years after the method (evaluation_date)"


def is_ngram(df: pd.DataFrame) -> pd.Series:
    """N-gram baselines (``architecture_class = ngram``)."""
    if "architecture_class" not in df:
        return pd.Series(False, index=df.index)
    return df["architecture_class"].astype(str) == "ngram"


def is_late_evaluation(df: pd.DataFrame, max_years: float) -> pd.Series:
    """Rows whose figure was first published (``evaluation_date``) more than ``max_years``
    after the method (``publication_date``)."""
    if "evaluation_date" not in df or "publication_date" not in df:
        return pd.Series(False, index=df.index)
    lag = (
        pd.to_datetime(df["evaluation_date"]) - pd.to_datetime(df["publication_date"])
    ).dt.days / 365.25
    return (lag > max_years).fillna(False).astype(bool)


def _flag(df: pd.DataFrame, column: str) -> pd.Series:
    if column not in df:
        return pd.Series(False, index=df.index)
    return df[column].fillna(False).astype(bool)


def default_max_per_paper(task: str, paper_effect: bool = False) -> int | None:
    """Rows kept per paper by default, as each paper did.

    Ho et al. 2024 keep the 3 best rows of each paper (language models); Erdil & Besiroglu
    2022 keep every row (ImageNet). With a paper-level effect every row is kept.
    """
    if paper_effect or task == IMAGENET_TASK:
        return None
    return 3


def resolve_rules(rules: SelectionRules, task: str, paper_effect: bool) -> SelectionRules:
    """``rules`` with a negative ``max_per_paper`` replaced by the task's default."""
    if rules.max_per_paper is not None and rules.max_per_paper < 0:
        return replace(rules, max_per_paper=default_max_per_paper(task, paper_effect))
    return rules


def select_rows(
    df: pd.DataFrame, task: str, rules: SelectionRules | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split evaluation rows into those a fit uses and those it excludes, with reasons.

    Parameters
    ----------
    df : pandas.DataFrame
        Rows from :func:`algoattr.data.load_evaluations`.
    task : {"language_modelling", "image_classification"}
        Which law the rows feed.
    rules : SelectionRules, optional
        Selection rules; defaults follow the published analyses.

    Returns
    -------
    used : pandas.DataFrame
        Rows to fit, in input order.
    excluded : pandas.DataFrame
        Excluded rows with columns ``model``, ``benchmark``, ``value``, ``source_file``,
        ``source_line`` (when present) and ``reason``; the first applicable reason is given.
    """
    if task not in (LM_TASK, IMAGENET_TASK):
        raise ValueError(f"unknown task {task!r}")
    rules = rules or SelectionRules()
    reason = pd.Series("", index=df.index, dtype=object)

    def exclude(mask: pd.Series, why: str) -> None:
        hit = mask & (reason == "")
        reason[hit] = why

    exclude(~np.isfinite(df["value"].astype(float)), "no evaluation value")
    if not rules.include_ensembles:
        exclude(is_ensemble(df), "ensemble of several models")
    if rules.compilation:
        listed = df["compilations"] if "compilations" in df else pd.Series("", index=df.index)
        in_it = (
            listed.fillna("")
            .astype(str)
            .str.split(";")
            .map(lambda ids: rules.compilation in {s.strip() for s in ids})
        )
        exclude(~in_it.astype(bool), f"not in the {rules.compilation} sample (compilations)")
    if rules.min_year is not None and "year" in df:
        exclude(df["year"] < rules.min_year, f"published before {rules.min_year:g}")
    if not rules.include_ngram:
        exclude(is_ngram(df), NGRAM_REASON)
    if rules.max_evaluation_lag_years is not None:
        lag = rules.max_evaluation_lag_years
        exclude(is_late_evaluation(df, lag), late_reason(lag))
    if task == LM_TASK:
        exclude(df["parameters"].isna(), "missing parameters (N)")
        exclude(df["training_tokens"].isna(), "missing training data size (D)")
        if not rules.include_token_level:
            exclude(is_token_level(df), TOKEN_LEVEL_REASON)
        for flag, why in LM_FLAG_REASONS.items():
            if not getattr(rules, f"include_{flag}"):
                exclude(_flag(df, flag), why)
    elif task == IMAGENET_TASK:
        protocol = imagenet_protocol(df)
        if not rules.include_zero_shot:
            exclude(protocol == "zero_shot", "zero-shot (no training on ImageNet-1k labels)")
        if not rules.include_linear_probe:
            exclude(protocol == "linear_probe", "linear probe on frozen features (not end to end)")
        exclude(df["training_compute_flop"].isna(), "missing training compute (C)")
        exclude(df["training_images"].isna(), "missing training data size (D)")
    else:
        raise ValueError(f"unknown task {task!r}")

    if rules.max_per_paper is not None and "paper_id" in df:
        eligible = df[reason == ""]
        # Best rows first: lowest perplexity or error within each (paper, benchmark).
        if rules.per_paper_across_benchmarks:
            # Across benchmarks perplexities are not comparable: rank within each benchmark,
            # then keep the paper's best-ranked rows overall (ties: input order).
            within = eligible.groupby(["paper_id", "benchmark"])["value"].rank(method="first")
            order = pd.DataFrame({"paper": eligible["paper_id"], "r": within})
            order = order.sort_values(["paper", "r"], kind="stable")
            rank = order.groupby("paper").cumcount() + 1
            scope = "across benchmarks"
        else:
            rank = eligible.groupby(["paper_id", "benchmark"])["value"].rank(method="first")
            scope = "on this benchmark"
        over = rank[rank > rules.max_per_paper].index
        reason[over] = f"beyond the {rules.max_per_paper} best rows of its paper {scope}"

    used = df[reason == ""].copy()
    excluded = df[reason != ""].copy()
    excluded["reason"] = reason[reason != ""]
    keep = [
        c
        for c in ("model", "benchmark", "value", "source_file", "source_line", "reason")
        if c in excluded
    ]
    return used, excluded[keep].reset_index(drop=True)


@dataclass
class LMDesign:
    """Arrays of the language-model fit.

    Attributes
    ----------
    year, parameters, tokens, log_ppl : numpy.ndarray
        Decimal year, parameters, training tokens and log test perplexity per row.
    benchmark_idx : numpy.ndarray
        Index into ``benchmarks`` per row.
    benchmarks : list of str
        Benchmark ids present, in a fixed order.
    paper_idx : numpy.ndarray
        Index into ``papers`` per row.
    papers : list of str
        Paper ids present.
    transformer : numpy.ndarray
        1.0 for Transformer rows, else 0.0.
    ref : LMReference
        Reference point of the law (median year, median log-size).
    models : list of str
        Model names per row.
    """

    year: np.ndarray
    parameters: np.ndarray
    tokens: np.ndarray
    log_ppl: np.ndarray
    benchmark_idx: np.ndarray
    benchmarks: list[str]
    paper_idx: np.ndarray
    papers: list[str]
    transformer: np.ndarray
    ref: LMReference
    models: list[str] = field(default_factory=list)

    @classmethod
    def from_frame(cls, df: pd.DataFrame, ref: LMReference | None = None) -> LMDesign:
        """Build the design from rows chosen by :func:`select_rows`."""
        if df.empty:
            raise ValueError("no rows to fit")
        benchmarks = sorted(df["benchmark"].unique(), key=_benchmark_order)
        papers = sorted(df["paper_id"].astype(str).unique())
        year = df["year"].to_numpy(float)
        n = df["parameters"].to_numpy(float)
        d = df["training_tokens"].to_numpy(float)
        if ref is None:
            ref = LMReference(
                year0=float(np.round(np.median(year), 2)),
                n0=float(np.exp(np.median(np.log(n)))),
                d0=float(np.exp(np.median(np.log(d)))),
            )
        return cls(
            year=year,
            parameters=n,
            tokens=d,
            log_ppl=np.log(df["value"].to_numpy(float)),
            benchmark_idx=np.array([benchmarks.index(b) for b in df["benchmark"]]),
            benchmarks=list(benchmarks),
            paper_idx=np.array([papers.index(str(p)) for p in df["paper_id"]]),
            papers=papers,
            transformer=df.get("architecture_class", pd.Series("", index=df.index))
            .isin(TRANSFORMER_CLASSES)
            .to_numpy(float),
            ref=ref,
            models=df["model"].astype(str).tolist(),
        )


@dataclass
class ImageNetDesign:
    """Arrays of the ImageNet fit: year, compute, images, accuracy (fraction), models."""

    year: np.ndarray
    compute: np.ndarray
    images: np.ndarray
    accuracy: np.ndarray
    paper_idx: np.ndarray
    papers: list[str]
    models: list[str] = field(default_factory=list)

    @classmethod
    def from_frame(cls, df: pd.DataFrame) -> ImageNetDesign:
        """Build the design from rows chosen by :func:`select_rows`."""
        if df.empty:
            raise ValueError("no rows to fit")
        papers = sorted(df["paper_id"].astype(str).unique())
        return cls(
            year=df["year"].to_numpy(float),
            compute=df["training_compute_flop"].to_numpy(float),
            images=df["training_images"].to_numpy(float),
            accuracy=1.0 - df["value"].to_numpy(float) / 100.0,
            paper_idx=np.array([papers.index(str(p)) for p in df["paper_id"]]),
            papers=papers,
            models=df["model"].astype(str).tolist(),
        )


def _benchmark_order(benchmark: str) -> int:
    order = ["wikitext-103", "wikitext-2", "ptb"]
    return order.index(benchmark) if benchmark in order else len(order)
