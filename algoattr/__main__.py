"""``python -m algoattr VERB [ARGS...]``: one entry point for every command.

``python -m algoattr fit --benchmark wikitext`` is ``python -m algoattr.fit --benchmark
wikitext``, and likewise for every verb below; options without a verb (``python -m algoattr
--benchmark wikitext``) run the fit, the main job.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Sequence
from types import ModuleType

#: Verb -> (module, one-line description).
VERBS: dict[str, tuple[str, str]] = {
    "fit": ("algoattr.fit", "fit the augmented scaling law (the main job)"),
    "attribute": ("algoattr.attribute", "Shapley split of model pairs' gains"),
    "threshold": ("algoattr.threshold", "fixed-performance threshold method"),
    "montecarlo": ("algoattr.cli.montecarlo", "Monte Carlo multiplier stacks"),
    "report": ("algoattr.report", "HTML reports under reports/"),
    "data": ("algoattr.data", "validate, summarise and cross-check the datasets"),
    "diff": ("algoattr.diff", "what a change of the datasets does to the headline"),
    "backtest": ("algoattr.backtest", "out-of-time backtest of the fit"),
    "forecast": ("algoattr.cli.forecast", "predicted perplexity and compute needs"),
    "training": ("algoattr.training", "retraining suite (needs the train extra)"),
}


def usage() -> str:
    """The list of verbs (``python -m algoattr --help``)."""
    present = {v: d for v, (m, d) in VERBS.items() if importlib.util.find_spec(m) is not None}
    lines = ["usage: python -m algoattr VERB [ARGS...]   (python -m algoattr VERB --help)", ""]
    lines += [f"  {v:<12}{d}" for v, d in present.items()]
    lines += ["", "Options without a verb run the fit: python -m algoattr --benchmark wikitext"]
    return "\n".join(lines)


def verb_module(verb: str) -> ModuleType:
    """The module whose ``main`` (and ``build_parser``) runs ``python -m algoattr VERB``.

    Parameters
    ----------
    verb : str
        A key of :data:`VERBS`.

    Returns
    -------
    module
        The verb's module when it has ``main``, else its package's ``__main__``.
    """
    module = VERBS[verb][0]
    target = importlib.import_module(module if verb != "data" else "algoattr.data.__main__")
    if not hasattr(target, "main"):
        target = importlib.import_module(f"{module}.__main__")
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch to the verb's ``main``; returns its exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(usage())
        return 0
    if args[0].startswith("-"):
        verb, rest = "fit", args
    else:
        verb, rest = args[0], args[1:]
    if verb not in VERBS:
        print(
            f"python -m algoattr: error: unknown verb {verb!r}; choose one of {', '.join(VERBS)}",
            file=sys.stderr,
        )
        return 2
    module = VERBS[verb][0]
    target = verb_module(verb)
    sys.argv = [f"python -m {module}", *rest]
    return int(target.main(rest) or 0)


if __name__ == "__main__":
    sys.exit(main())
