"""algoattr: measure algorithmic progress in machine learning from published results.

Subpackages are imported on demand (``algoattr.data``, ``algoattr.model``, ...); importing
``algoattr`` itself loads nothing heavy.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("algoattr")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.1.0"

__all__ = ["__version__"]
