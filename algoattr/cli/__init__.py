"""What every ``python -m algoattr.X`` command line shares: one error path and argument types.

The verbs' command lines are this package's modules, one per verb, each with
``build_parser()`` and ``main(argv)``: :mod:`~algoattr.cli.fit`, :mod:`~algoattr.cli.attribute`
and :mod:`~algoattr.cli.report` (``algoattr.fit``, ``algoattr.attribute`` and
``algoattr.report.__main__`` re-export them). They parse and print; the work is
:mod:`algoattr.pipeline`'s.

:func:`command` wraps a ``main(argv) -> int``: an :class:`~algoattr.errors.AlgoattrError`, an
``OSError`` (missing, unreadable or read-only paths) or a ``ValueError`` ends the command with
one line on standard error, ``<prog>: error: <message>``, and the error's exit status (2 for a
usage error, 1 otherwise); Ctrl-C prints ``<prog>: interrupted`` and exits 130. ``--debug`` on
the command line, or ``ALGOATTR_DEBUG=1`` in the environment, lets the exception through with
its traceback. Any other exception is a bug and always shows its traceback.

The argument types (:func:`positive_int`, :func:`probability`, ...) refuse out-of-range values
while the command line is parsed, so argparse names the option in its message::

    python -m algoattr.fit: error: argument --draws: must be a positive integer, got 0
"""

from __future__ import annotations

import argparse
import functools
import math
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from algoattr.errors import AlgoattrError
from algoattr.intervals import CI_PROB

__all__ = [
    "DEBUG_ENV",
    "add_ci_prob_argument",
    "add_debug_argument",
    "command",
    "describe",
    "finite_float",
    "nonnegative_int",
    "positive_float",
    "positive_int",
    "probability",
]

#: Environment variable that, set to anything but ``""`` or ``0``, shows tracebacks.
DEBUG_ENV = "ALGOATTR_DEBUG"
#: Exit status after Ctrl-C (128 + SIGINT), as shells report it.
INTERRUPTED = 130

F = TypeVar("F", bound=Callable[..., int])


def debug_requested(argv: Sequence[str] | None) -> bool:
    """Whether ``--debug`` is among ``argv`` (default ``sys.argv``) or set in the environment."""
    args = sys.argv[1:] if argv is None else list(argv)
    return "--debug" in args or os.environ.get(DEBUG_ENV, "") not in ("", "0")


def describe(exc: BaseException) -> str:
    """The message of an error as shown to the user: ``path: reason`` for an ``OSError``."""
    if isinstance(exc, OSError) and not isinstance(exc, AlgoattrError) and exc.strerror:
        reason = exc.strerror[0].lower() + exc.strerror[1:]
        if exc.filename is not None:
            return f"{exc.filename}: {reason}"
        return reason
    text = str(exc)
    if isinstance(exc, KeyError) and exc.args:
        text = str(exc.args[0])
    return text or type(exc).__name__


def _report(prog: str, message: str) -> None:
    first, *rest = message.splitlines() or [""]
    lines = [f"{prog}: error: {first}", *(f"  {line}" for line in rest)]
    print("\n".join(lines), file=sys.stderr, flush=True)


def command(prog: str) -> Callable[[F], F]:
    """Decorate a command line's ``main(argv=None, **kwargs) -> int`` with the error path.

    Parameters
    ----------
    prog : str
        How the command is invoked (``"python -m algoattr.fit"``); starts every message.

    Returns
    -------
    callable
        The decorator; the wrapped ``main`` returns the exit status instead of raising.
    """

    def decorate(main: F) -> F:
        @functools.wraps(main)
        def wrapper(argv: Sequence[str] | None = None, *args: Any, **kwargs: Any) -> int:
            debug = debug_requested(argv)
            try:
                return main(argv, *args, **kwargs)
            except KeyboardInterrupt:
                if debug:
                    raise
                print(f"{prog}: interrupted", file=sys.stderr, flush=True)
                return INTERRUPTED
            except (AlgoattrError, OSError, ValueError) as exc:
                if debug:
                    raise
                _report(prog, describe(exc))
                return getattr(exc, "exit_code", 1)

        return wrapper  # type: ignore[return-value]

    return decorate


def add_debug_argument(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add ``--debug`` (show tracebacks) to ``parser``; returns the parser."""
    parser.add_argument(
        "--debug",
        action="store_true",
        help=f"show the traceback of an error (also: {DEBUG_ENV}=1)",
    )
    return parser


def add_ci_prob_argument(parser: argparse.ArgumentParser, what: str) -> argparse.ArgumentParser:
    """Add ``--ci-prob`` (the probability of the reported intervals, default
    :data:`algoattr.intervals.CI_PROB`) to ``parser``; ``what`` names the intervals in the help
    (e.g. ``"posterior"``). Returns the parser."""
    parser.add_argument(
        "--ci-prob",
        type=probability,
        default=CI_PROB,
        help=f"probability of the equal-tailed {what} intervals (default {CI_PROB:g})",
    )
    return parser


# ------------------------------------------------------------------------- argument types


def _number(text: str, kind: type) -> Any:
    try:
        return kind(text)
    except (TypeError, ValueError):
        noun = "an integer" if kind is int else "a number"
        raise argparse.ArgumentTypeError(f"must be {noun}, got {text!r}") from None


def positive_int(text: str) -> int:
    """An integer ≥ 1 (draws, chains, bootstrap refits)."""
    try:
        value = int(text)
    except (TypeError, ValueError):
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {value}")
    return value


def nonnegative_int(text: str) -> int:
    """An integer ≥ 0 (seeds, warm-up steps)."""
    try:
        value = int(text)
    except (TypeError, ValueError):
        raise argparse.ArgumentTypeError(f"must be a non-negative integer, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a non-negative integer, got {value}")
    return value


def finite_float(text: str) -> float:
    """A finite number (not ``nan`` or ``inf``)."""
    value = _number(text, float)
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, got {text}")
    return value


def positive_float(text: str) -> float:
    """A finite number > 0."""
    value = finite_float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def probability(text: str) -> float:
    """A number strictly between 0 and 1 (interval levels, target acceptance)."""
    value = _number(text, float)
    if not 0.0 < value < 1.0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"must lie strictly between 0 and 1, got {text}")
    return value
