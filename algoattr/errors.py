"""The errors algoattr raises for problems the user can fix, and their exit statuses.

Every command line (``python -m algoattr.X``) prints an :class:`AlgoattrError` as one line,
``python -m algoattr.X: error: <message>``, and exits with the error's :attr:`exit_code`
(see :func:`algoattr.cli.command`); a traceback is shown only with ``--debug``.

- :class:`UsageError` (exit 2): the request itself is wrong, e.g. an unknown benchmark or
  model, an option out of range, options that contradict each other.
- :class:`DataError` (exit 1): an input file is missing, unreadable, not UTF-8, malformed
  (YAML that does not parse, a misspelt key, a value of the wrong type), or leaves too few
  usable rows to fit.
- :class:`MissingFitError` (exit 1): a saved fit that a command needs is absent or incomplete.
"""

from __future__ import annotations

__all__ = ["AlgoattrError", "DataError", "MissingFitError", "UsageError"]


class AlgoattrError(Exception):
    """Base class of the errors a user can fix; ``str()`` is the message shown.

    Attributes
    ----------
    exit_code : int
        Exit status of a command line that stops on this error.
    """

    exit_code: int = 1


class UsageError(AlgoattrError):
    """A problem with the user's request: arguments, names, options (exit status 2)."""

    exit_code = 2


class DataError(AlgoattrError, ValueError):
    """An input file or value that cannot be used (exit status 1).

    A subclass of :class:`ValueError`, so callers that catch ``ValueError`` keep working.
    """

    exit_code = 1


class MissingFitError(AlgoattrError, FileNotFoundError):
    """A saved fit that is needed is absent or incomplete (exit status 1)."""

    exit_code = 1
