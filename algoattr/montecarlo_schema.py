"""Validation of Monte Carlo scenario files (``datasets/scenarios/*.yaml``).

:func:`check_scenario` returns every problem of a parsed scenario, each naming the file, the
line and the key, so that :func:`algoattr.montecarlo.load_scenario` refuses a scenario with a
negative or reversed interval, a string for a number, ``ci_prob: 1.5``, a misspelt key
(``meidan``), a group member that does not exist, or no factors at all, before anything is
drawn. The format itself is described in :mod:`algoattr.montecarlo`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from algoattr.errors import DataError
from algoattr.inputs import YamlDocument, did_you_mean, unknown_keys

__all__ = ["FACTOR_KEYS", "SCENARIO_KEYS", "check_scenario"]

#: Top-level keys of a scenario file.
SCENARIO_KEYS = ("name", "description", "source", "factors", "groups", "thresholds", "published")
#: Keys of one factor.
FACTOR_KEYS = (
    "name",
    "median",
    "low",
    "high",
    "ci_prob",
    "distribution",
    "fit",
    "truncate",
    "floor_at_one",
    "source",
    "rate_from",
    "years",
)
_REQUIRED_FACTOR_KEYS = ("name", "median", "low", "high")
_DISTRIBUTIONS = ("lognormal", "normal")
_FITS = ("quantiles", "median", "interval")
_PUBLISHED_KEYS = ("medians", "prob_exceeds")


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _type_name(x: Any) -> str:
    return "text" if isinstance(x, str) else type(x).__name__


def _number(
    doc: YamlDocument, path: tuple[Any, ...], x: Any, label: str, errs: list[DataError]
) -> bool:
    """Append an error unless ``x`` is a finite number; returns whether it is."""
    if not _is_number(x):
        errs.append(
            doc.error(path, f"{label}: {path[-1]}: expected a number, got {_type_name(x)} {x!r}")
        )
        return False
    if not math.isfinite(x):
        errs.append(doc.error(path, f"{label}: {path[-1]}: expected a finite number, got {x}"))
        return False
    return True


def _check_factor(doc: YamlDocument, i: int, f: Any, errs: list[DataError]) -> str | None:
    """Check ``factors[i]``; returns its name when it has one."""
    path: tuple[Any, ...] = ("factors", i)
    if not isinstance(f, Mapping):
        errs.append(doc.error(path, f"factors[{i}]: expected a mapping with name, median, ..."))
        return None
    name = f.get("name")
    label = f"factor {name!r}" if isinstance(name, str) and name else f"factors[{i}]"
    if "level" in f:  # the key's name before algoattr's one interval convention
        errs.append(
            doc.error(
                (*path, "level"),
                f"{label}: 'level' is now called 'ci_prob' (the probability of [low, high])",
            )
        )
    errs.extend(
        unknown_keys(
            doc, {k: v for k, v in f.items() if k != "level"}, FACTOR_KEYS, path, label=label
        )
    )
    if "rate_from" in f:
        return _check_rate_factor(doc, path, f, label, errs, name)
    missing = [k for k in _REQUIRED_FACTOR_KEYS if k not in f]
    if missing:
        errs.append(doc.error(path, f"{label}: missing {', '.join(missing)}"))
    if "name" in f and not (isinstance(name, str) and name.strip()):
        errs.append(doc.error((*path, "name"), f"{label}: name must be non-empty text"))
        name = None
    ok = {
        k: _number(doc, (*path, k), f[k], label, errs) for k in ("median", "low", "high") if k in f
    }
    if all(ok.get(k) for k in ("median", "low", "high")):
        low, med, high = f["low"], f["median"], f["high"]
        if low >= high:
            errs.append(
                doc.error((*path, "low"), f"{label}: interval [{low}, {high}] is empty or reversed")
            )
        elif not low <= med <= high:
            errs.append(
                doc.error((*path, "median"), f"{label}: median {med} lies outside [{low}, {high}]")
            )
        distribution = f.get("distribution", "lognormal")
        if distribution == "lognormal" and low <= 0:
            errs.append(doc.error((*path, "low"), f"{label}: a lognormal needs low > 0, got {low}"))
    if "ci_prob" in f:
        ci_prob = f["ci_prob"]
        if not _is_number(ci_prob) or not 0 < ci_prob < 1:
            errs.append(
                doc.error(
                    (*path, "ci_prob"),
                    f"{label}: ci_prob must lie strictly between 0 and 1, got {ci_prob!r}",
                )
            )
    for key, choices in (("distribution", _DISTRIBUTIONS), ("fit", _FITS)):
        if key in f and f[key] not in choices:
            errs.append(
                doc.error(
                    (*path, key),
                    f"{label}: {key} {f[key]!r} is not one of {', '.join(choices)}"
                    + did_you_mean(str(f[key]), choices),
                )
            )
    if "floor_at_one" in f and not isinstance(f["floor_at_one"], bool):
        errs.append(
            doc.error(
                (*path, "floor_at_one"),
                f"{label}: floor_at_one must be true or false, got {f['floor_at_one']!r}",
            )
        )
    if f.get("truncate") is not None:
        t = f["truncate"]
        if f.get("distribution", "lognormal") == "lognormal":
            errs.append(doc.error((*path, "truncate"), f"{label}: truncate applies to a normal"))
        if not (
            isinstance(t, list)
            and len(t) == 2
            and all(_is_number(v) and not math.isnan(v) for v in t)
            and t[0] < t[1]
        ):
            errs.append(
                doc.error(
                    (*path, "truncate"),
                    f"{label}: truncate must be [lower, upper] with lower < upper, got {t!r}",
                )
            )
    return name if isinstance(name, str) else None


def _check_rate_factor(
    doc: YamlDocument,
    path: tuple[Any, ...],
    f: Mapping[str, Any],
    label: str,
    errs: list[DataError],
    name: Any,
) -> str | None:
    """A factor whose draws come from a saved fit: ``rate_from`` (text) and ``years`` (> 0),
    and none of the stated-number keys."""
    if not (isinstance(f["rate_from"], str) and f["rate_from"].strip()):
        errs.append(doc.error((*path, "rate_from"), f"{label}: rate_from must be a file path"))
    if "years" not in f:
        errs.append(doc.error(path, f"{label}: rate_from needs years (the span)"))
    elif _number(doc, (*path, "years"), f["years"], label, errs) and not f["years"] > 0:
        errs.append(doc.error((*path, "years"), f"{label}: years must be > 0, got {f['years']}"))
    stated = [
        k for k in ("median", "low", "high", "ci_prob", "distribution", "fit", "truncate") if k in f
    ]
    if stated:
        errs.append(
            doc.error(
                (*path, stated[0]),
                f"{label}: rate_from takes the factor from the fit; drop {', '.join(stated)}",
            )
        )
    return name if isinstance(name, str) else None


def check_scenario(doc: YamlDocument) -> list[DataError]:
    """Every problem of a parsed scenario file.

    Parameters
    ----------
    doc : YamlDocument
        From :func:`algoattr.inputs.read_yaml`.

    Returns
    -------
    list of DataError
        Empty when the scenario is valid.
    """
    d = doc.data
    if d is None:
        return [doc.error((), "empty scenario file (expected name, factors, ...)")]
    if not isinstance(d, Mapping):
        return [doc.error((), f"expected a mapping with name and factors, got {_type_name(d)}")]
    errs = unknown_keys(doc, d, SCENARIO_KEYS)
    if "name" not in d:
        errs.append(doc.error((), "missing key 'name'"))
    factors = d.get("factors")
    names: list[str] = []
    if "factors" not in d:
        errs.append(doc.error((), "missing key 'factors' (a list of factors)"))
    elif not isinstance(factors, list) or not factors:
        errs.append(doc.error(("factors",), "factors: expected a non-empty list of factors"))
    else:
        for i, f in enumerate(factors):
            name = _check_factor(doc, i, f, errs)
            if name is not None:
                if name in names:
                    errs.append(doc.error(("factors", i, "name"), f"factor {name!r} given twice"))
                names.append(name)
    groups = d.get("groups") or {}
    if not isinstance(groups, Mapping):
        errs.append(doc.error(("groups",), "groups: expected a mapping of name to members"))
        groups = {}
    for g, members in groups.items():
        path = ("groups", g)
        if g in names:
            errs.append(doc.error(path, f"group {g!r} has the name of a factor"))
        if not isinstance(members, list) or not members:
            errs.append(doc.error(path, f"group {g!r}: expected a non-empty list of members"))
            continue
        known = [*names, *groups]
        for j, m in enumerate(members):
            if m not in known:
                errs.append(
                    doc.error(
                        (*path, j),
                        f"group {g!r}: unknown member {m!r}{did_you_mean(str(m), known)}",
                    )
                )
    thresholds = d.get("thresholds") or {}
    if not isinstance(thresholds, Mapping):
        errs.append(doc.error(("thresholds",), "thresholds: expected a mapping of name to list"))
        thresholds = {}
    targets = [*names, *groups, "total"]
    for name, values in thresholds.items():
        path = ("thresholds", name)
        if name not in targets:
            errs.append(
                doc.error(
                    path,
                    f"thresholds: unknown factor or group {name!r}"
                    + did_you_mean(str(name), targets),
                )
            )
        if not isinstance(values, list) or not all(
            _is_number(v) and math.isfinite(v) and v > 0 for v in values
        ):
            errs.append(doc.error(path, f"thresholds of {name!r}: expected positive numbers"))
    published = d.get("published") or {}
    if not isinstance(published, Mapping):
        errs.append(doc.error(("published",), "published: expected a mapping"))
    else:
        errs.extend(unknown_keys(doc, published, _PUBLISHED_KEYS, ("published",)))
    return errs
